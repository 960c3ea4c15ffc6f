//! Queries of the `call_log` table (in progress).
