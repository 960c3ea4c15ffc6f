//! Queries of the `tokens` table (in progress).
