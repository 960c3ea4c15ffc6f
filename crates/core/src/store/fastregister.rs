//! Queries of the `fastregister` table (in progress).
