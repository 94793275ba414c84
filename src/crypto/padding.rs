//! ISO/IEC 9797-1 padding method 2 (`80 00 ..`), used by secure messaging and the MACs.

use super::CryptoError;

/// Pads to a multiple of `block` bytes: one `80` then zeros (always at least one byte).
pub fn pad(data: &[u8], block: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + block);
    out.extend_from_slice(data);
    out.push(0x80);
    while out.len() % block != 0 {
        out.push(0);
    }
    out
}

/// Removes method-2 padding.
pub fn unpad(data: &[u8]) -> Result<&[u8], CryptoError> {
    let end = data
        .iter()
        .rposition(|b| *b != 0)
        .ok_or(CryptoError::BadPadding)?;
    match data.get(end) {
        Some(0x80) => Ok(data.get(..end).unwrap_or(&[])),
        _ => Err(CryptoError::BadPadding),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pad_unpad() {
        assert_eq!(pad(&[], 8), vec![0x80, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(pad(&[1; 8], 8).len(), 16);
        assert_eq!(pad(&[1; 7], 8), vec![1, 1, 1, 1, 1, 1, 1, 0x80]);
        assert_eq!(unpad(&pad(&[1, 2, 3], 16)).unwrap(), &[1, 2, 3]);
        assert_eq!(unpad(&[1, 0, 0]), Err(CryptoError::BadPadding));
        assert_eq!(unpad(&[0, 0]), Err(CryptoError::BadPadding));
    }
}
