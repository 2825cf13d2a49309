use rmcp::{handler::server::tool::schema_for_output, schemars::JsonSchema};
use serde::Serialize;
use serde_json::{Value, json};

use super::*;

/// A status with documented variants, as schemars writes them (`oneOf` of `const`s).
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum Status {
    /// Found.
    Found,
    /// Not found.
    Missing,
}

#[derive(Serialize, JsonSchema)]
struct Inner {
    /// A nested figure.
    figure: f64,
}

#[derive(Serialize, JsonSchema)]
struct Cost {
    /// Requests sent.
    calls: u32,
}

#[derive(Serialize, JsonSchema)]
struct Sample {
    /// A long explanation that the outline leaves out.
    name: String,
    /// Always written, possibly null.
    status: Option<Status>,
    /// Left out when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    inner: Option<Inner>,
    /// Many of them.
    rows: Vec<Inner>,
    /// Amount in 만원.
    amount: u64,
    /// Notes.
    notes: Vec<String>,
    #[serde(flatten)]
    cost: Cost,
}

fn outlined() -> Value {
    Value::Object(outline(&schema_for_output::<Sample>()))
}

#[test]
fn the_outline_keeps_types_enumerations_and_required_fields_only() {
    let schema = outlined();
    assert_eq!(schema["type"], "object");
    assert_eq!(schema["properties"]["name"], json!({"type": "string"}));
    assert_eq!(
        schema["properties"]["status"],
        json!({"type": ["string", "null"], "enum": ["found", "missing", null]})
    );
    assert_eq!(
        schema["properties"]["inner"],
        json!({"type": ["object", "null"]})
    );
    assert_eq!(
        schema["properties"]["rows"],
        json!({"type": "array", "items": {"type": "object"}})
    );
    assert_eq!(
        schema["properties"]["notes"]["items"],
        json!({"type": "string"})
    );
    assert_eq!(schema["properties"]["amount"]["type"], "integer");
    assert_eq!(schema["properties"]["amount"]["minimum"], 0);
    assert_eq!(schema["properties"]["calls"]["type"], "integer");
    let required: Vec<&str> = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(required.contains(&"name") && required.contains(&"calls"));
    assert!(!required.contains(&"inner"));
    let text = schema.to_string();
    assert!(!text.contains("description"), "{text}");
    assert!(!text.contains("$defs"), "{text}");
}

#[test]
fn whatever_the_full_schema_accepts_the_outline_accepts() {
    let full = Value::Object(schema_for_output::<Sample>().as_ref().clone());
    let full = jsonschema::validator_for(&full).unwrap();
    let outline = jsonschema::validator_for(&outlined()).unwrap();
    let sample = |status, inner, rows: Vec<Inner>| {
        serde_json::to_value(Sample {
            name: "a".into(),
            status,
            inner,
            rows,
            amount: 12_000,
            notes: vec!["n".into()],
            cost: Cost { calls: 2 },
        })
        .unwrap()
    };
    let values = [
        sample(None, None, vec![]),
        sample(Some(Status::Found), Some(Inner { figure: 1.5 }), vec![]),
        sample(Some(Status::Missing), None, vec![Inner { figure: 2.0 }]),
    ];
    for value in values {
        assert!(full.is_valid(&value), "{value}");
        assert!(outline.is_valid(&value), "{value}");
    }
    // The outline still refuses what no result looks like.
    for broken in [
        json!({"name": 1, "status": null, "rows": [], "amount": 0, "notes": [], "calls": 0}),
        json!({"name": "x", "status": "missing", "rows": [], "amount": 0.5, "notes": [], "calls": 0}),
        json!({"name": "x", "status": "maybe", "rows": [], "amount": 0, "notes": [], "calls": 0}),
        json!({"name": "x", "status": null, "rows": [1], "amount": 0, "notes": [], "calls": 0}),
        json!({"name": "x", "status": null, "rows": [], "amount": -1, "notes": [], "calls": 0}),
        json!({"status": null, "rows": [], "amount": 0, "notes": [], "calls": 0}),
    ] {
        assert!(!outline.is_valid(&broken), "{broken}");
    }
}

/// A result whose variants are told apart by `status`, flattened into the root.
#[derive(Serialize, JsonSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
enum Lookup {
    /// One answer.
    Resolved {
        /// The code.
        code: String,
    },
    /// Several.
    Ambiguous {
        /// Every candidate.
        candidates: Vec<String>,
    },
}

#[derive(Serialize, JsonSchema)]
struct Answer {
    /// As asked.
    query: String,
    #[serde(flatten)]
    result: Lookup,
}

#[test]
fn a_flattened_enum_keeps_each_variant_outlined() {
    let outline = Value::Object(outline(&schema_for_output::<Answer>()));
    let branches = outline["anyOf"].as_array().unwrap();
    assert_eq!(branches.len(), 2, "{outline}");
    assert_eq!(
        branches[0]["properties"]["status"],
        json!({"type": "string", "enum": ["resolved"]})
    );
    let validator = jsonschema::validator_for(&outline).unwrap();
    for answer in [
        Answer {
            query: "q".into(),
            result: Lookup::Resolved { code: "1".into() },
        },
        Answer {
            query: "q".into(),
            result: Lookup::Ambiguous {
                candidates: vec!["a".into()],
            },
        },
    ] {
        let value = serde_json::to_value(answer).unwrap();
        assert!(validator.is_valid(&value), "{value}");
    }
    for broken in [
        json!({"query": "q", "status": "resolved"}),
        json!({"query": "q", "status": "unknown", "code": "1"}),
        json!({"status": "resolved", "code": "1"}),
    ] {
        assert!(!validator.is_valid(&broken), "{broken}");
    }
}
