//! Verification: passive authentication (SOD, DSC chain to a CSCA), chip authentication and
//! active authentication (filled by their issues' work).
pub mod active;
pub mod chip;
