//! Finite-field Diffie-Hellman (filled by the PACE work).
