//! Card-side Chip Authentication (ICAO 9303-11 §6.2).
