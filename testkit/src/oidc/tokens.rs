//! Hand-made hostile tokens: shapes a real provider never signs, to prove they are refused.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

/// Seconds since the Unix epoch.
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

/// One base64url part of a token, as JWTs encode them (no padding).
pub fn segment(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// `alg: none` with an empty signature.
pub fn unsigned(claims: &Value) -> String {
    format!(
        "{}.{}.",
        segment(json!({"alg": "none", "typ": "JWT"}).to_string()),
        segment(claims.to_string())
    )
}

/// HS256 with an arbitrary secret (e.g. a provider's public key: the algorithm-confusion
/// attack), optionally naming a kid.
pub fn hs256(secret: &[u8], kid: Option<&str>, claims: &Value) -> String {
    let mut header = Header::new(Algorithm::HS256);
    header.kid = kid.map(str::to_owned);
    jsonwebtoken::encode(&header, claims, &EncodingKey::from_secret(secret)).unwrap_or_default()
}

/// The same token with its `sub` changed and the original signature kept.
pub fn tampered(token: &str, new_subject: &str) -> String {
    let parts: Vec<&str> = token.split('.').collect();
    let [header, payload, signature] = parts.as_slice() else {
        return token.to_owned();
    };
    let mut claims: Value = URL_SAFE_NO_PAD
        .decode(payload)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default();
    claims["sub"] = Value::from(new_subject);
    format!("{header}.{}.{signature}", segment(claims.to_string()))
}

/// A five-part JWE like the ones Auth0 issues without the Resource Parameter Compatibility
/// Profile (`alg: dir`, `enc: A256GCM`). The content is random-looking and unreadable.
pub fn encrypted(issuer: &str, nonce: &str) -> String {
    let header = segment(json!({"alg": "dir", "enc": "A256GCM", "iss": issuer}).to_string());
    let filler = |label: &str| URL_SAFE_NO_PAD.encode(format!("{label}-{nonce}"));
    format!(
        "{header}..{}.{}.{}",
        filler("iv"),
        filler("ciphertext"),
        filler("tag")
    )
}
