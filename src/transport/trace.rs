//! An APDU trace and counter around any transport (filled by the core work).
