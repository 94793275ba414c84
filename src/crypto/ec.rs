//! Elliptic-curve arithmetic (filled by the PACE / passive authentication work).
