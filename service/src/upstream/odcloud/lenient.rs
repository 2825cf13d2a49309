//! Field types that accept whatever scalar the service happens to send.
//!
//! The same column arrives as a number in one row and a string in the next (`"100"` and
//! `100`, `"1,234"` and `1234`), as `null` or `""` when absent, and sometimes as a
//! placeholder such as `"-"`. One odd cell must not cost the whole answer, so these types
//! never fail on a scalar: what they cannot read becomes "absent".

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// A text cell: trimmed, with empty values, `null` and non-scalars read as absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text(Option<String>);

impl Text {
    /// The trimmed value, if there is one.
    pub fn get(&self) -> Option<&str> {
        self.0.as_deref()
    }

    /// Takes the value out.
    pub fn into_inner(self) -> Option<String> {
        self.0
    }
}

impl From<&str> for Text {
    fn from(value: &str) -> Self {
        let trimmed = value.trim();
        Self((!trimmed.is_empty()).then(|| trimmed.to_owned()))
    }
}

/// A numeric cell: numbers, numeric strings with thousands commas, or absent.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Num(Option<f64>);

impl Num {
    /// The value, if the cell held a finite number.
    pub fn value(self) -> Option<f64> {
        self.0
    }

    /// The value as a count: only non-negative whole numbers qualify.
    pub fn count(self) -> Option<u64> {
        self.0
            .filter(|v| *v >= 0.0 && v.fract() == 0.0 && *v <= u64::MAX as f64)
            .map(|v| v as u64)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Text(match deserializer.deserialize_any(CellVisitor)? {
            Cell::Str(v) => Text::from(v.as_str()).0,
            Cell::Bool(v) => Some(v.to_string()),
            Cell::Int(v) => Some(v.to_string()),
            Cell::Float(v) => Some(v.to_string()),
            Cell::Absent => None,
        }))
    }
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Num(match deserializer.deserialize_any(CellVisitor)? {
            Cell::Str(v) => parse_number(&v),
            Cell::Int(v) => Some(v as f64),
            Cell::Float(v) => v.is_finite().then_some(v),
            Cell::Bool(_) | Cell::Absent => None,
        }))
    }
}

/// Whatever one cell held, before a field type reads it; `null` and non-scalars are absent.
enum Cell {
    Str(String),
    Bool(bool),
    Int(i128),
    Float(f64),
    Absent,
}

struct CellVisitor;

impl<'de> Visitor<'de> for CellVisitor {
    type Value = Cell;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string, a number or null")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cell::Str(v.to_owned()))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Cell::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Cell::Int(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Cell::Int(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Cell::Float(v))
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Cell::Absent)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Cell::Absent)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        drain_seq(seq).map(|()| Cell::Absent)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        drain_map(map).map(|()| Cell::Absent)
    }
}

/// Reads `"1,234"`, `" 12.5 "` and `"3"`; anything else (`"-"`, `"(△15)"`) is absent.
fn parse_number(text: &str) -> Option<f64> {
    let cleaned: String = text
        .chars()
        .filter(|c| *c != ',' && !c.is_whitespace())
        .collect();
    cleaned.parse::<f64>().ok().filter(|v| v.is_finite())
}

fn drain_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

fn drain_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(json: &str) -> Option<String> {
        serde_json::from_str::<Text>(json).unwrap().into_inner()
    }

    fn num(json: &str) -> Option<f64> {
        serde_json::from_str::<Num>(json).unwrap().value()
    }

    #[test]
    fn text_accepts_every_scalar_and_trims() {
        assert_eq!(text(r#"" 서울 ""#).as_deref(), Some("서울"));
        assert_eq!(text("100").as_deref(), Some("100"));
        assert_eq!(text("12.5").as_deref(), Some("12.5"));
        assert_eq!(text("true").as_deref(), Some("true"));
        assert_eq!(text(r#""""#), None);
        assert_eq!(text(r#"" ""#), None);
        assert_eq!(text("null"), None);
        assert_eq!(text(r#"{"a":[1,2]}"#), None);
        assert_eq!(text("[1,{}]"), None);
    }

    #[test]
    fn numbers_tolerate_commas_strings_and_placeholders() {
        assert_eq!(num("1234"), Some(1234.0));
        assert_eq!(num(r#""1,234""#), Some(1234.0));
        assert_eq!(num(r#"" 12.50 ""#), Some(12.5));
        assert_eq!(num("-3"), Some(-3.0));
        assert_eq!(num(r#""-""#), None);
        assert_eq!(num(r#""(△15)""#), None);
        assert_eq!(num(r#""""#), None);
        assert_eq!(num("null"), None);
        assert_eq!(num("false"), None);
    }

    #[test]
    fn counts_are_whole_and_non_negative() {
        assert_eq!(Num(Some(61.0)).count(), Some(61));
        assert_eq!(Num(Some(1.5)).count(), None);
        assert_eq!(Num(Some(-1.0)).count(), None);
        assert_eq!(Num(None).count(), None);
    }
}
