//! Standard JSON Schema for every published tool schema.
//!
//! The schema generator marks Rust number types with OpenAPI formats (`uint32`, `uint64`,
//! `double`, …) that JSON Schema 2020-12 does not define: strict validators (Ajv in strict
//! mode, the official SDKs' validators) warn about them or refuse the schema. Each one is
//! replaced here by what it means, a numeric range, once for every tool, so no tool can
//! publish an invented format by forgetting a per-type attribute.

use std::sync::Arc;

use rmcp::{handler::server::router::tool::ToolRouter, model::JsonObject};
use serde_json::{Value, json};

/// The formats JSON Schema 2020-12 defines (Validation, section 7.3). Anything else a client
/// may reject.
pub const STANDARD_FORMATS: [&str; 19] = [
    "date-time",
    "date",
    "time",
    "duration",
    "email",
    "idn-email",
    "hostname",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uuid",
    "uri-template",
    "json-pointer",
    "relative-json-pointer",
    "regex",
];

/// Rewrites the input and output schema of every tool in `router`.
pub(super) fn standardize<S>(mut router: ToolRouter<S>) -> ToolRouter<S> {
    for route in router.map.values_mut() {
        route.attr.input_schema = standard(&route.attr.input_schema);
        if let Some(output) = &route.attr.output_schema {
            route.attr.output_schema = Some(standard(output));
        }
    }
    router
}

fn standard(schema: &Arc<JsonObject>) -> Arc<JsonObject> {
    let mut object = schema.as_ref().clone();
    rewrite_object(&mut object);
    Arc::new(object)
}

/// The range a generator number format stands for; `None` for a format that is not one of
/// them. Floats keep no range: every JSON number fits.
fn numeric_range(format: &str) -> Option<(Option<Value>, Option<Value>)> {
    let range = match format {
        "int8" => (json!(i8::MIN), json!(i8::MAX)),
        "int16" => (json!(i16::MIN), json!(i16::MAX)),
        "int32" => (json!(i32::MIN), json!(i32::MAX)),
        "int64" | "int" => (json!(i64::MIN), json!(i64::MAX)),
        "uint8" => (json!(0), json!(u8::MAX)),
        "uint16" => (json!(0), json!(u16::MAX)),
        "uint32" => (json!(0), json!(u32::MAX)),
        "uint64" | "uint" => (json!(0), json!(u64::MAX)),
        "int128" => return Some((None, None)),
        "uint128" => return Some((Some(json!(0)), None)),
        "float" | "double" => return Some((None, None)),
        _ => return None,
    };
    Some((Some(range.0), Some(range.1)))
}

fn rewrite_object(object: &mut JsonObject) {
    let range = object
        .get("format")
        .and_then(Value::as_str)
        .and_then(numeric_range);
    if let Some((minimum, maximum)) = range {
        object.remove("format");
        // A bound the code set (`#[schemars(range(…))]`) is tighter: keep it.
        for (key, bound) in [("minimum", minimum), ("maximum", maximum)] {
            if let Some(bound) = bound {
                object.entry(key).or_insert(bound);
            }
        }
    }
    for value in object.values_mut() {
        rewrite_value(value);
    }
}

fn rewrite_value(value: &mut Value) {
    match value {
        Value::Object(object) => rewrite_object(object),
        Value::Array(items) => items.iter_mut().for_each(rewrite_value),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(schema: Value) -> Value {
        let Value::Object(object) = schema else {
            panic!("not an object")
        };
        Value::Object(standard(&Arc::new(object)).as_ref().clone())
    }

    #[test]
    fn number_formats_become_ranges_and_set_bounds_stay() {
        let schema = json!({
            "type": "object",
            "properties": {
                "count": {"type": "integer", "format": "uint32", "minimum": 0},
                "limit": {"type": "integer", "format": "uint32", "minimum": 1, "maximum": 500},
                "age": {"type": ["integer", "null"], "format": "uint64", "minimum": 0},
                "rate": {"type": "number", "format": "double"},
                "when": {"type": "string", "format": "date"},
            },
            "$defs": {"Row": {"anyOf": [{"type": "integer", "format": "int32"}]}},
        });
        assert_eq!(
            rewritten(schema),
            json!({
                "type": "object",
                "properties": {
                    "count": {"type": "integer", "minimum": 0, "maximum": 4_294_967_295_u32},
                    "limit": {"type": "integer", "minimum": 1, "maximum": 500},
                    "age": {"type": ["integer", "null"], "minimum": 0, "maximum": u64::MAX},
                    "rate": {"type": "number"},
                    "when": {"type": "string", "format": "date"},
                },
                "$defs": {"Row": {"anyOf": [
                    {"type": "integer", "minimum": i32::MIN, "maximum": i32::MAX}
                ]}},
            })
        );
    }

    #[test]
    fn a_property_named_format_is_not_a_format() {
        let schema = json!({"properties": {"format": {"type": "string"}}});
        assert_eq!(rewritten(schema.clone()), schema);
    }
}
