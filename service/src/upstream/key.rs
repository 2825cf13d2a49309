//! The data portal's service keys, normalised once so they are encoded exactly once.

use percent_encoding::percent_decode_str;
use secrecy::{ExposeSecret, SecretString};

/// A data.go.kr / odcloud service key.
///
/// The portal shows every key twice: an "Encoding" form (already percent-encoded) and a
/// "Decoding" form (raw `+ / =`). Sending the Encoding form through a query encoder encodes
/// it twice and the gateway answers "key not registered", the most common setup failure.
/// We therefore keep the raw form and let the HTTP client encode it once.
///
/// Keys must never reach logs: held as a [`SecretString`], even `{:?}` shows only that a key
/// is present.
#[derive(Debug, Clone)]
pub struct ApiKey(SecretString);

impl ApiKey {
    /// Accepts either portal form; returns `None` for an empty or blank value.
    pub fn parse(value: &str) -> Option<Self> {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            return None;
        }
        let raw = if has_percent_escape(trimmed) {
            percent_decode_str(trimmed).decode_utf8_lossy().into_owned()
        } else {
            trimmed.to_owned()
        };
        Some(Self(raw.into()))
    }

    /// The raw (decoded) key, to be percent-encoded once by the request builder.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl PartialEq for ApiKey {
    fn eq(&self, other: &Self) -> bool {
        self.expose() == other.expose()
    }
}

impl Eq for ApiKey {}

/// Longest upstream message we repeat; their messages are one short sentence.
const MAX_UPSTREAM_MESSAGE: usize = 200;

/// Prepares an upstream message for repeating to a person or a log: `key` removed wherever
/// it appears (in both of its forms), control characters dropped, and only then the length
/// bounded, so a cut can never leave part of the key behind.
pub fn scrub(message: &str, key: &str) -> String {
    let mut text = message.to_owned();
    if !key.is_empty() {
        let encoded: String =
            percent_encoding::utf8_percent_encode(key, percent_encoding::NON_ALPHANUMERIC)
                .to_string();
        text = text.replace(key, "<key>").replace(&encoded, "<key>");
    }
    text.chars()
        .filter(|c| !c.is_control())
        .take(MAX_UPSTREAM_MESSAGE)
        .collect()
}

fn has_percent_escape(value: &str) -> bool {
    value
        .as_bytes()
        .windows(3)
        .any(|w| w[0] == b'%' && w[1].is_ascii_hexdigit() && w[2].is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrubbing_removes_the_key_in_either_form_and_bounds_length() {
        let key = "ab+c/d==";
        let message = "key ab+c/d== or ab%2Bc%2Fd%3D%3D is bad\n";
        assert_eq!(scrub(message, key), "key <key> or <key> is bad");
        assert_eq!(scrub(&"가".repeat(500), key).chars().count(), 200);
        // A key that straddles the length bound is removed before the cut.
        let long = format!("{}{key}", "가".repeat(195));
        assert_eq!(scrub(&long, key), format!("{}<key>", "가".repeat(195)));
    }

    #[test]
    fn encoding_and_decoding_forms_give_the_same_key() {
        let decoded = ApiKey::parse("abc+/def==").unwrap();
        let encoded = ApiKey::parse("abc%2B%2Fdef%3D%3D").unwrap();
        assert_eq!(decoded, encoded);
        assert_eq!(decoded.expose(), "abc+/def==");
    }

    #[test]
    fn blank_keys_are_absent() {
        assert!(ApiKey::parse("   ").is_none());
        assert!(ApiKey::parse("").is_none());
    }

    #[test]
    fn debug_never_shows_the_key() {
        let key = ApiKey::parse("secret-key").unwrap();
        assert!(!format!("{key:?}").contains("secret"));
    }
}
