//! The tool contract: statuses, messages a model can act on, argument checks and schemas.

use std::sync::OnceLock;

use serde_json::{Value, json};

use super::*;

fn index() -> &'static RegionIndex {
    static INDEX: OnceLock<RegionIndex> = OnceLock::new();
    INDEX.get_or_init(|| RegionIndex::builtin().expect("built-in table loads"))
}

fn call(query: &str) -> Result<Value, ToolError> {
    let args = GetRegionCodeArgs {
        query: query.to_owned(),
    };
    get_region_code(index(), args).map(|out| serde_json::to_value(out).unwrap())
}

#[test]
fn resolved_name_gives_the_code_and_provenance() {
    let out = call(" 마포구 ").unwrap();
    assert_eq!(out["status"], "resolved");
    assert_eq!(out["lawd_cd"], "11440");
    assert_eq!(out["name"], "서울특별시 마포구");
    assert_eq!(out["matched_by"], "name");
    assert_eq!(out["query"], " 마포구 ");
    assert!(out["message"].as_str().unwrap().contains("\"11440\""));
    assert!(out["source"].as_str().unwrap().contains("2026-10-08"));
    assert!(
        out.get("note").is_none(),
        "empty fields are left out: {out}"
    );
}

#[test]
fn ambiguous_name_lists_candidates_and_asks_for_a_choice() {
    let out = call("중구").unwrap();
    assert_eq!(out["status"], "ambiguous");
    let candidates = out["candidates"].as_array().unwrap();
    assert_eq!(candidates.len(), 7);
    assert!(candidates.contains(&json!({"lawd_cd": "11140", "name": "서울특별시 중구"})));
    assert!(out["message"].as_str().unwrap().contains("Ask the user"));
}

#[test]
fn renamed_district_names_its_successors() {
    let out = call("인천 중구").unwrap();
    assert_eq!(out["status"], "renamed");
    assert_eq!(out["old_code"], "28110");
    assert_eq!(out["date"], "2026-07");
    let message = out["message"].as_str().unwrap();
    assert!(message.contains("인천광역시 제물포구 (28125)"), "{message}");
    assert!(message.contains("인천광역시 영종구 (28155)"), "{message}");
    assert!(message.contains("Ask the user"), "{message}");

    let single = call("47720").unwrap();
    assert_eq!(single["new"][0]["lawd_cd"], "27720");
    assert!(!single["message"].as_str().unwrap().contains("Ask the user"));
}

#[test]
fn unknown_name_is_an_error_with_suggestions() {
    let err = call("마프구").unwrap_err();
    assert!(err.message().contains("\"마프구\""), "{err}");
    assert!(err.message().contains("서울특별시 마포구 (11440)"), "{err}");
    assert!(err.message().contains("Confirm with the user"), "{err}");

    let err = call("xyzzy").unwrap_err();
    assert!(err.message().contains("place name such as"), "{err}");
    let err = call("123").unwrap_err();
    assert!(err.message().contains("5 digits"), "{err}");
}

#[test]
fn query_is_checked_before_lookup() {
    for bad in ["", "   "] {
        let err = call(bad).unwrap_err();
        assert!(
            err.message().starts_with("Invalid argument `query`"),
            "{err}"
        );
    }
    let err = call(&"가".repeat(101)).unwrap_err();
    assert!(err.message().contains("100 characters"), "{err}");
    assert!(call(&format!("{}마포구", " ".repeat(98))).is_ok());
}

#[test]
fn schemas_describe_the_contract() {
    let args = serde_json::to_value(schemars::schema_for!(GetRegionCodeArgs)).unwrap();
    let query = &args["properties"]["query"];
    assert_eq!(
        (query["minLength"].as_u64(), query["maxLength"].as_u64()),
        (Some(1), Some(100))
    );
    assert!(query["description"].as_str().unwrap().contains("마포구"));

    let out = serde_json::to_value(schemars::schema_for!(RegionCodeOutput)).unwrap();
    assert_eq!(
        out["type"], "object",
        "MCP output schemas must be objects: {out}"
    );
    let text = out.to_string();
    for status in ["resolved", "ambiguous", "renamed"] {
        assert!(
            text.contains(&format!("\"{status}\"")),
            "{status} missing: {text}"
        );
    }
}

#[test]
fn region_argument_accepts_codes_and_names() {
    let by_code = resolve_region_argument(index(), "11440").unwrap();
    assert_eq!(
        by_code,
        ResolvedRegion {
            lawd_cd: "11440".to_owned(),
            name: "서울특별시 마포구".to_owned(),
            ..ResolvedRegion::default()
        }
    );
    assert_eq!(
        resolve_region_argument(index(), "분당").unwrap().lawd_cd,
        "41135"
    );
    assert_eq!(
        resolve_region_argument(index(), "서울 중구")
            .unwrap()
            .lawd_cd,
        "11140"
    );
}

#[test]
fn region_argument_follows_a_single_successor_with_a_note() {
    let r = resolve_region_argument(index(), "28140").unwrap();
    assert_eq!(r.lawd_cd, "28125");
    let note = r.note.unwrap();
    assert!(
        note.contains("인천광역시 동구 (28140)") && note.contains("28125"),
        "{note}"
    );
    let r = resolve_region_argument(index(), "전라남도 목포시").unwrap();
    assert_eq!(r.lawd_cd, "12110");
}

#[test]
fn region_argument_refuses_to_choose() {
    let err = resolve_region_argument(index(), "28110").unwrap_err();
    let message = err.message();
    assert!(
        message.starts_with("Invalid argument `region_code`"),
        "{message}"
    );
    assert!(
        message.contains("28125") && message.contains("28155"),
        "{message}"
    );

    let err = resolve_region_argument(index(), "중구").unwrap_err();
    assert!(err.message().contains("부산광역시 중구 (26110)"), "{err}");
    assert!(err.message().contains("5-digit code"), "{err}");

    let err = resolve_region_argument(index(), "41110").unwrap_err();
    assert!(
        err.message().contains("경기도 수원시 영통구 (41117)"),
        "{err}"
    );

    let err = resolve_region_argument(index(), "99999").unwrap_err();
    assert!(
        err.message().contains("No current district has the code"),
        "{err}"
    );

    let err = resolve_region_argument(index(), " ").unwrap_err();
    assert!(err.message().contains("`region_code`"), "{err}");
}
