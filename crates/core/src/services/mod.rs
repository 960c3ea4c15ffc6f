//! Desk operations, one module per concept.
