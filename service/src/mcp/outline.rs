//! The output schemas `tools/list` publishes.
//!
//! A result type's full schema (every nested field with its doc comment) is 2–14 KB, and
//! thirteen tools share the largest one: published in full, output schemas were four fifths
//! of a 300 KB `tools/list` that clients download on every connect and some put in the
//! model's context. Each tool therefore publishes an outline of its result: the top-level
//! fields with their JSON types (enumerations listed, numbers bounded, arrays with their item
//! type) and which are always present. It is derived from the full schema, so it stays true
//! to the code, and only ever drops constraints, so every result that satisfies the full
//! schema satisfies the outline. What the fields mean is said once, in the tool descriptions and the server
//! instructions; the result's field names carry their units (`_manwon`, `_m2`, `_pct`).

use rmcp::model::JsonObject;
use serde_json::{Map, Value, json};

/// What a number's shape keeps: its bounds, and the generator's format for them.
const NUMERIC_KEYWORDS: [&str; 3] = ["format", "minimum", "maximum"];

/// The outline of a full output schema: the root's `type`, `required` and each top-level
/// property reduced to its shape (see [`shape`]); a root that is a choice of object shapes
/// (a flattened enum) keeps each branch outlined the same way, under `anyOf`, which accepts
/// whatever `oneOf` did. It uses only keywords that JSON Schema 2020-12 (the MCP default)
/// and draft-07 read alike, so it names no dialect.
pub(super) fn outline(full: &JsonObject) -> JsonObject {
    let defs = full.get("$defs").and_then(Value::as_object);
    outline_object(full, defs)
}

fn outline_object(schema: &JsonObject, defs: Option<&Map<String, Value>>) -> JsonObject {
    let mut outlined = Map::new();
    if let Some(value) = schema.get("type") {
        outlined.insert("type".into(), value.clone());
    }
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        let properties = properties
            .iter()
            .map(|(name, property)| (name.clone(), Value::Object(shape(property, defs))))
            .collect();
        outlined.insert("properties".into(), Value::Object(properties));
    }
    if let Some(required) = schema.get("required") {
        outlined.insert("required".into(), required.clone());
    }
    let branches: Vec<Value> = ["oneOf", "anyOf"]
        .iter()
        .filter_map(|keyword| schema.get(*keyword).and_then(Value::as_array))
        .flatten()
        .filter_map(|branch| resolve(branch, defs).as_object())
        .map(|branch| Value::Object(outline_object(branch, defs)))
        .collect();
    if !branches.is_empty() {
        outlined.insert("anyOf".into(), Value::Array(branches));
    }
    outlined
}

/// A field's shape: its JSON type(s), the allowed values of an enumeration, a number's
/// bounds and format (made standard ranges later, by [`super::schemas`]) and an array's item
/// shape. Objects keep no properties.
fn shape(schema: &Value, defs: Option<&Map<String, Value>>) -> JsonObject {
    let schema = resolve(schema, defs);
    let mut outlined = Map::new();
    let mut types = Vec::new();
    collect_types(schema, defs, &mut types);
    match types.as_slice() {
        [] => {}
        [one] => {
            outlined.insert("type".into(), json!(one));
        }
        many => {
            outlined.insert("type".into(), json!(many));
        }
    }
    if let Some(values) = enumeration(schema, defs) {
        outlined.insert("enum".into(), Value::Array(values));
    }
    if types.iter().any(|t| t == "array")
        && let Some(items) = schema.get("items")
    {
        outlined.insert("items".into(), Value::Object(shape(items, defs)));
    }
    for keyword in NUMERIC_KEYWORDS {
        if let Some(value) = schema.get(keyword) {
            outlined.insert(keyword.into(), value.clone());
        }
    }
    outlined
}

/// Follows a local `$ref` into `$defs`; any other schema is returned as it is.
fn resolve<'a>(schema: &'a Value, defs: Option<&'a Map<String, Value>>) -> &'a Value {
    schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|reference| reference.strip_prefix("#/$defs/"))
        .and_then(|name| defs?.get(name))
        .unwrap_or(schema)
}

/// Every JSON type `schema` allows, in first-seen order, looking through `$ref`, `anyOf`,
/// `oneOf` and `const`. Empty when the schema does not say (any value).
fn collect_types(schema: &Value, defs: Option<&Map<String, Value>>, types: &mut Vec<String>) {
    let schema = resolve(schema, defs);
    let mut add = |name: &str| {
        if !types.iter().any(|t| t == name) {
            types.push(name.to_owned());
        }
    };
    match schema.get("type") {
        Some(Value::String(name)) => add(name),
        Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).for_each(add),
        _ => {
            if let Some(value) = schema.get("const") {
                add(json_type(value));
            }
        }
    }
    for keyword in ["anyOf", "oneOf"] {
        for branch in schema
            .get(keyword)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            collect_types(branch, defs, types);
        }
    }
}

/// The values of an enumeration (`enum`, `const`, or `oneOf`/`anyOf` of `const`s, as
/// schemars writes documented enum variants), with `null` when a branch allows it; `None`
/// for anything else.
fn enumeration(schema: &Value, defs: Option<&Map<String, Value>>) -> Option<Vec<Value>> {
    let schema = resolve(schema, defs);
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return Some(values.clone());
    }
    if let Some(value) = schema.get("const") {
        return Some(vec![value.clone()]);
    }
    let branches = ["oneOf", "anyOf"]
        .iter()
        .find_map(|keyword| schema.get(*keyword).and_then(Value::as_array))?;
    let mut values = Vec::new();
    for branch in branches {
        let branch = resolve(branch, defs);
        if let Some(value) = branch.get("const") {
            values.push(value.clone());
        } else if branch.get("type").and_then(Value::as_str) == Some("null") {
            values.push(Value::Null);
        } else if let Some(nested) = enumeration(branch, defs) {
            values.extend(nested);
        } else {
            return None;
        }
    }
    Some(values)
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
#[path = "outline_tests.rs"]
mod tests;
