//! How a stored answer is encoded, whichever store keeps it: deflated, with a CRC-32 over
//! everything a reader relies on, so a torn or damaged copy is dropped, never served.

use std::io::{Read, Write};

use flate2::{Compression, read::DeflateDecoder, write::DeflateEncoder};

use super::StoreError;

/// Largest answer accepted back from a compressed entry; a real month is a few MiB at most.
const MAX_INFLATED_BYTES: u64 = 256 * 1024 * 1024;

/// The CRC-32 of everything a reader relies on, so a torn row never passes for a good one.
pub(super) fn checksum(key: &str, stored_at: i64, fresh_until: i64, body: &[u8]) -> i64 {
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(key.as_bytes());
    hasher.update(&stored_at.to_le_bytes());
    hasher.update(&fresh_until.to_le_bytes());
    hasher.update(body);
    i64::from(hasher.finalize())
}

/// Upstream XML and JSON shrink about tenfold; the fastest level keeps writes cheap.
pub(super) fn deflate(body: &[u8]) -> Result<Vec<u8>, StoreError> {
    let mut encoder = DeflateEncoder::new(Vec::with_capacity(body.len() / 4), Compression::fast());
    encoder
        .write_all(body)
        .and_then(|()| encoder.finish())
        .map_err(|e| StoreError(format!("could not compress an answer: {e}")))
}

pub(super) fn inflate(body: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut inflated = Vec::with_capacity(body.len() * 8);
    DeflateDecoder::new(body)
        .take(MAX_INFLATED_BYTES)
        .read_to_end(&mut inflated)?;
    Ok(inflated)
}
