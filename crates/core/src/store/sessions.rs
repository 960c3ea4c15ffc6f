//! Queries of the `sessions` table (in progress).
