//! Access keys (filled by the core work).
/// Placeholder until the core work lands.
#[derive(Debug)]
pub struct AccessKey;
