//! The code-management calls (templates, domains, code, testers, privacy,
//! audit, release) against the offline sandbox: success and the main errors
//! of each, WeChat's rules (library cap, one audit at a time, withdrawal
//! limit, release only after an audit, rollback only once), the experience
//! QR decoded with rqrr, and the retry rule of submissions. One test binary,
//! one module per concept.

mod audit_release;
mod code_privacy;
mod common;
mod media;
mod templates_domains;
