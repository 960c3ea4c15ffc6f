//! Random identifiers and secrets in the shapes WeChat uses, so fixtures
//! pass the core's validation: AppIDs `wx` + 16 hex, AppSecrets 32 lowercase
//! hex, EncodingAESKeys 43 characters.

/// `wx` + 16 random hex digits.
pub fn random_appid() -> String {
    format!("wx{:016x}", rand::random::<u64>())
}

/// 32 random lowercase hex digits (an AppSecret).
pub fn random_secret() -> String {
    format!(
        "{:016x}{:016x}",
        rand::random::<u64>(),
        rand::random::<u64>()
    )
}

/// `n` random letters and digits.
pub fn random_alnum(n: usize) -> String {
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    (0..n)
        .map(|_| CHARS[rand::random::<usize>() % CHARS.len()] as char)
        .collect()
}

/// A random EncodingAESKey (43 letters and digits).
pub fn random_aes_key() -> String {
    random_alnum(43)
}
