//! The `source.budget` block of data answers: what the call spent and what is left today.
//! Only this layer sees a whole call (a tool may read several datasets and pages), so the
//! block is added here, after the tool ran, to the structured content and its JSON copy.

use rmcp::model::{CallToolResult, ContentBlock};
use serde_json::Value;

use crate::budget::BudgetReport;

/// The result's `source` object, when it has one (every upstream-backed answer does).
fn source_of(result: &mut CallToolResult) -> Option<&mut serde_json::Map<String, Value>> {
    result
        .structured_content
        .as_mut()?
        .get_mut("source")?
        .as_object_mut()
}

/// Whether `result` reports a `source`, i.e. came from upstream data.
pub(super) fn has_source(result: &CallToolResult) -> bool {
    result
        .structured_content
        .as_ref()
        .and_then(|value| value.get("source"))
        .is_some_and(Value::is_object)
}

/// Puts `report` under `source.budget`, in the structured content and in the first text
/// block, which holds the same JSON for clients that read only text.
pub(super) fn attach(result: &mut CallToolResult, report: &BudgetReport) {
    let Ok(report) = serde_json::to_value(report) else {
        return;
    };
    // Every structured result here is built by `CallToolResult::structured`, whose first
    // block is the JSON copy; checking its first character spares serialising it to compare.
    let mirrored = result
        .content
        .first()
        .and_then(|block| block.as_text())
        .is_some_and(|text| text.text.starts_with('{'));
    let Some(source) = source_of(result) else {
        return;
    };
    source.insert("budget".to_owned(), report);
    if mirrored && let Some(value) = &result.structured_content {
        result.content[0] = ContentBlock::text(value.to_string());
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::budget::Usage;

    fn report() -> BudgetReport {
        BudgetReport {
            spent: 2,
            caller: Usage {
                spent_today: 2,
                left_today: Some(98),
                daily_limit: Some(100),
            },
            datasets: Vec::new(),
            resets_at: "2026-05-02T00:00:00+09:00".into(),
        }
    }

    #[test]
    fn the_block_lands_in_both_copies_and_only_under_a_source() {
        let mut result = CallToolResult::structured(json!({"source": {"cached": false}, "n": 1}));
        assert!(has_source(&result));
        attach(&mut result, &report());
        let structured = result.structured_content.clone().unwrap();
        assert_eq!(structured["source"]["budget"]["spent"], 2);
        assert_eq!(structured["source"]["budget"]["caller"]["left_today"], 98);
        let text = &result.content[0].as_text().unwrap().text;
        assert_eq!(serde_json::from_str::<Value>(text).unwrap(), structured);

        let mut noted = CallToolResult::structured(json!({"source": {}}));
        noted.content[0] = ContentBlock::text("A sentence, not the JSON.");
        attach(&mut noted, &report());
        assert_eq!(
            noted.content[0].as_text().unwrap().text,
            "A sentence, not the JSON."
        );

        let mut plain = CallToolResult::structured(json!({"monthly_payment": 1}));
        assert!(!has_source(&plain));
        attach(&mut plain, &report());
        assert_eq!(
            plain.structured_content.unwrap(),
            json!({"monthly_payment": 1})
        );
    }
}
