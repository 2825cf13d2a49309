//! How a stored answer is encoded, whichever store keeps it: deflated, with a CRC-32 over
//! everything a reader relies on, so a torn or damaged copy is dropped, never served.

use std::io::{Read, Write};

use flate2::{Compression, read::DeflateDecoder, write::DeflateEncoder};

use super::{StoreError, Stored, from_unix_millis, unix_millis};

/// Header of an answer kept as one value (in Redis): stored_at, fresh_until (ms since the
/// epoch), CRC-32; the deflated body follows.
const HEADER: usize = 8 + 8 + 4;

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

/// An answer as one value: [`HEADER`], then the deflated body.
pub(super) fn encode(key: &str, stored: &Stored) -> Result<Vec<u8>, StoreError> {
    let body = deflate(&stored.body)?;
    let (stored_at, fresh_until) = (
        unix_millis(stored.stored_at),
        unix_millis(stored.fresh_until),
    );
    let sum = checksum(key, stored_at, fresh_until, &body) as u32;
    let mut bytes = Vec::with_capacity(HEADER + body.len());
    bytes.extend_from_slice(&stored_at.to_le_bytes());
    bytes.extend_from_slice(&fresh_until.to_le_bytes());
    bytes.extend_from_slice(&sum.to_le_bytes());
    bytes.extend_from_slice(&body);
    Ok(bytes)
}

/// The answer in `bytes`, or `None` when they are torn or were not written by this layout.
pub(super) fn decode(key: &str, bytes: &[u8]) -> Option<Stored> {
    let (header, body) = bytes.split_at_checked(HEADER)?;
    let stored_at = i64::from_le_bytes(header[0..8].try_into().ok()?);
    let fresh_until = i64::from_le_bytes(header[8..16].try_into().ok()?);
    let sum = u32::from_le_bytes(header[16..20].try_into().ok()?);
    if checksum(key, stored_at, fresh_until, body) as u32 != sum {
        return None;
    }
    Some(Stored {
        body: inflate(body).ok()?,
        stored_at: from_unix_millis(stored_at),
        fresh_until: from_unix_millis(fresh_until),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_round_trips_and_a_torn_one_is_refused() {
        let stored = Stored {
            body: b"<response>month</response>".to_vec(),
            stored_at: from_unix_millis(1_700_000_000_000),
            fresh_until: from_unix_millis(1_700_000_600_000),
        };
        let mut bytes = encode("molit/a", &stored).unwrap();
        assert_eq!(decode("molit/a", &bytes), Some(stored));
        assert_eq!(decode("molit/b", &bytes), None, "another key's copy");
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        assert_eq!(decode("molit/a", &bytes), None);
        assert_eq!(decode("molit/a", &bytes[..10]), None);
    }
}
