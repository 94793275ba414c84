//! The simulated CCCD chip (filled by the core work).

pub mod vpcd;
