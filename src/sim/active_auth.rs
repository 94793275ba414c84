//! Card-side Active Authentication (ICAO 9303-11 §6.1).
