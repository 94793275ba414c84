//! Options that weaken security, each a named function so it shows in code review.

use super::Reader;

/// Lets a failed PACE fall back to BAC with the MRZ key.
///
/// BAC's keys come from the MRZ alone, whose entropy is low enough for offline guessing from an
/// eavesdropped session; a chip that offers PACE should be read with PACE. Some readers and
/// phones fail PACE on cards that support it: this is their escape hatch, not a default.
pub fn allow_bac_fallback<T>(mut reader: Reader<T>) -> Reader<T> {
    reader.allow_bac_fallback = true;
    reader
}
