//! The Logical Data Structure (ICAO 9303-10): one module per file, each a plain struct with
//! `parse(&[u8]) -> Result<Self, LdsError>`.

pub mod com;
pub mod dg1;
pub mod dg13;
pub mod dg14;
pub mod dg15;
pub mod dg2;
pub mod security_info;
pub mod sod;
