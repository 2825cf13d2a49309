//! The settings the service really reads, taken from its settings structs rather than from a
//! list someone has to keep in step: serde hands every struct deserializer the names of its
//! fields, and each field is the lower-case name of an environment variable.

use serde::de::{self, Deserialize, Deserializer, Visitor};

/// A deserializer that only records the field names it is asked for, then gives up.
struct FieldRecorder {
    fields: Option<&'static [&'static str]>,
}

impl<'de> Deserializer<'de> for &mut FieldRecorder {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("not a struct with named fields"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.fields = Some(fields);
        Err(de::Error::custom("field names recorded"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

/// The environment variables a settings struct reads, upper-case as people write them.
/// Empty for a type that is not a plain struct (e.g. one using `#[serde(flatten)]`).
pub(crate) fn variables<'de, T: Deserialize<'de>>() -> Vec<String> {
    let mut recorder = FieldRecorder { fields: None };
    // Always an error: the recorder never produces a value, it only notes the field names.
    let _ = T::deserialize(&mut recorder);
    recorder
        .fields
        .unwrap_or_default()
        .iter()
        .map(|field| field.to_ascii_uppercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize)]
    #[allow(dead_code)] // only its shape matters
    struct Sample {
        listen_addr: String,
        #[serde(default)]
        cache_max_mb: u64,
    }

    #[test]
    fn lists_every_field_upper_case() {
        assert_eq!(
            super::variables::<Sample>(),
            ["LISTEN_ADDR", "CACHE_MAX_MB"]
        );
        assert!(super::variables::<u32>().is_empty());
    }
}
