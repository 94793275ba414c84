//! PC/SC transport (filled by the core work).
