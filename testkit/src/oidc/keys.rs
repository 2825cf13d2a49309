//! Signing keys made at test time (aws-lc-rs), published as JWKs by the stand-in provider.

use anyhow::{Context, anyhow};
use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{KeyPair as RsaKeyPair, KeySize};
use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

/// A private key with its kid, algorithm and public JWK.
#[derive(Clone)]
pub struct SigningKey {
    kid: String,
    alg: Algorithm,
    encoding: EncodingKey,
    jwk: Value,
    public_pem: String,
}

impl SigningKey {
    /// A fresh RSA-2048 key for RS256 (or PS256).
    pub fn rsa(kid: &str, alg: Algorithm) -> anyhow::Result<Self> {
        let pair = RsaKeyPair::generate(KeySize::Rsa2048).map_err(|_| anyhow!("RSA keygen"))?;
        let pkcs8 = pair
            .as_der()
            .map_err(|_| anyhow!("RSA private key export"))?;
        let encoding = EncodingKey::from_rsa_pem(pem("PRIVATE KEY", pkcs8.as_ref()).as_bytes())
            .context("RSA encoding key")?;
        let public = pair.public_key();
        let spki = public
            .as_der()
            .map_err(|_| anyhow!("RSA public key export"))?;
        let jwk = json!({
            "kty": "RSA",
            "use": "sig",
            "alg": format!("{alg:?}"),
            "kid": kid,
            "n": URL_SAFE_NO_PAD.encode(public.modulus().big_endian_without_leading_zero()),
            "e": URL_SAFE_NO_PAD.encode(public.exponent().big_endian_without_leading_zero()),
        });
        Ok(Self {
            kid: kid.to_owned(),
            alg,
            encoding,
            jwk,
            public_pem: pem("PUBLIC KEY", spki.as_ref()),
        })
    }

    /// A fresh P-256 key for ES256 (fast to make; the default in tests).
    pub fn ec(kid: &str) -> anyhow::Result<Self> {
        let pair = EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING)
            .map_err(|_| anyhow!("EC keygen"))?;
        let pkcs8 = pair
            .to_pkcs8v1()
            .map_err(|_| anyhow!("EC private key export"))?;
        let encoding = EncodingKey::from_ec_der(pkcs8.as_ref());
        let point = pair.public_key().as_ref();
        let (x, y) = point
            .get(1..33)
            .zip(point.get(33..65))
            .context("uncompressed P-256 point")?;
        let jwk = json!({
            "kty": "EC",
            "use": "sig",
            "alg": "ES256",
            "kid": kid,
            "crv": "P-256",
            "x": URL_SAFE_NO_PAD.encode(x),
            "y": URL_SAFE_NO_PAD.encode(y),
        });
        Ok(Self {
            kid: kid.to_owned(),
            alg: Algorithm::ES256,
            encoding,
            jwk,
            public_pem: pem("PUBLIC KEY", point),
        })
    }

    /// The key id tokens name in their header.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The public JWK.
    pub fn jwk(&self) -> &Value {
        &self.jwk
    }

    /// The public key as PEM text: what an attacker would use as an HMAC secret.
    pub fn public_pem(&self) -> &str {
        &self.public_pem
    }

    /// Signs `claims` with this key, naming it in the header (`typ: JWT`).
    pub fn sign(&self, claims: &Value) -> String {
        self.sign_typed(claims, "JWT")
    }

    /// Signs `claims` with the header `typ` given (e.g. `at+jwt`, or an ID token's type).
    pub fn sign_typed(&self, claims: &Value, typ: &str) -> String {
        let mut header = Header::new(self.alg);
        header.kid = Some(self.kid.clone());
        header.typ = Some(typ.to_owned());
        jsonwebtoken::encode(&header, claims, &self.encoding).unwrap_or_default()
    }
}

fn pem(label: &str, der: &[u8]) -> String {
    let body = STANDARD.encode(der);
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .filter_map(|chunk| std::str::from_utf8(chunk).ok())
        .collect();
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
        lines.join("\n")
    )
}
