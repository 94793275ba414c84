//! Base64 for PEM (RFC 7468) and LDIF (RFC 2849) values, on `base64ct` (constant time, the
//! RustCrypto encoder): line breaks and spaces between the characters are dropped first.

use base64ct::{Base64, Encoding};

/// Decodes standard, padded base64 (RFC 4648 §4), ignoring ASCII whitespace; `None` on any
/// other character or bad padding.
pub fn base64_decode(text: &[u8]) -> Option<Vec<u8>> {
    let compact: Vec<u8> = text
        .iter()
        .copied()
        .filter(|c| !matches!(c, b' ' | b'\t' | b'\r' | b'\n'))
        .collect();
    let s = core::str::from_utf8(&compact).ok()?;
    Base64::decode_vec(s).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4648_section_10() {
        assert_eq!(base64_decode(b"Zm9vYmFy").unwrap(), b"foobar");
        assert_eq!(base64_decode(b"Zm9vYg==").unwrap(), b"foob");
        assert_eq!(base64_decode(b"Zm9v\n YmE=").unwrap(), b"fooba");
        assert!(base64_decode(b"Zm9v*").is_none());
    }
}
