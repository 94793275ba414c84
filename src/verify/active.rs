//! Active Authentication (placeholder).
