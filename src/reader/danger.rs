//! Options that weaken security, each a named function so it shows in code review: a read
//! that may fall back from PACE to BAC, and a verdict that accepts such a session.

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

/// Accepts, in the verdict, a BAC session with a chip whose proven DG14 lists PACE.
///
/// Such a session is what a man in the middle produces by hiding EF.CardAccess (the reader then
/// sees no PACE and runs BAC, whose keys can be brute-forced offline from a recording). By
/// default it makes the document not genuine ([`crate::document::Finding::BacOnPaceChip`]);
/// with this option the finding is only informational. For callers that read with
/// [`allow_bac_fallback`] on readers that cannot run PACE.
pub fn accept_bac_on_pace_chip(mut options: crate::verify::PaOptions) -> crate::verify::PaOptions {
    options.accept_bac_on_pace_chip = true;
    options
}
