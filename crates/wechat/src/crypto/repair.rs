//! Repair of base64 values that were mangled on their way to us.
//!
//! Operators paste `session_key`, `iv`, `encryptedData` and push `Encrypt`
//! values out of server logs, browser address bars, form posts and chat
//! windows. Each of those damages base64 in a known, reversible way:
//!
//! * form decoding (`application/x-www-form-urlencoded`, PHP `$_GET`, many
//!   log viewers) turns every `+` into a space;
//! * URL encoding turns `+`, `/`, `=` into `%2B`, `%2F`, `%3D`;
//! * terminals, e-mail and chat wrap long values across lines or add stray
//!   spaces and invisible characters at the ends;
//! * some front-end code uses the URL-safe alphabet (`-`, `_`);
//! * padding (`=`) gets dropped.
//!
//! Base64 never contains spaces, `%`, `-` or `_`, so each of these is
//! detectable without guessing. Rather than failing with "invalid base64", we
//! undo the damage and say exactly what we did, so the operator learns where
//! their pipeline mangles values. Clean input is returned untouched, with no
//! repair recorded.

use percent_encoding::percent_decode_str;
use serde::Serialize;

/// A repair made to a pasted base64 value, reported back to the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Repair {
    /// Which input was repaired (`session_key`, `iv`, `encrypted_data`, `encrypt`).
    pub field: &'static str,
    /// What was done, as one human sentence (several fixes are joined with "; ").
    pub what: String,
}

impl std::fmt::Display for Repair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.what)
    }
}

/// True for characters that can only be layout noise in a pasted value.
fn is_noise(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}'
        )
}

fn is_b64_symbol(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '+' || c == '/'
}

/// Repairs a pasted base64 value and reports what was changed.
///
/// Returns the repaired text (standard alphabet, canonical `=` padding where
/// the length allows it) and, when anything had to change, a [`Repair`]
/// describing it. A value that is already clean standard base64 comes back
/// unchanged with `None`. The repaired text is not guaranteed to decode: a
/// value with characters outside every base64 alphabet is passed through so
/// the decoder can report the problem.
///
/// Limitation: when a form-decoded value is *unpadded* and began or ended with
/// `+`, that `+` became a space at the edge, which cannot be told apart from
/// stray whitespace; it is dropped. Padded values (all WeChat keys, IVs and
/// ciphertexts are) are corrected using the padding arithmetic.
pub fn repair_base64(field: &'static str, input: &str) -> (String, Option<Repair>) {
    let mut notes: Vec<&'static str> = Vec::new();
    let mut s = input.to_string();

    // 1. URL encoding. Base64 never contains '%', so any escape is damage.
    if s.contains('%') {
        if let Ok(decoded) = percent_decode_str(&s).decode_utf8() {
            if decoded != s {
                s = decoded.into_owned();
                notes.push("percent-escapes such as %2B, %2F and %3D were decoded (the value had been URL-encoded)");
            }
        }
    }

    // 2. Stray whitespace around the value.
    let trimmed = s.trim_matches(is_noise);
    let leading_noise = s.len() - s.trim_start_matches(is_noise).len();
    let leading_spaces = s[..leading_noise]
        .chars()
        .rev()
        .take_while(|&c| c == ' ')
        .count();
    let removed_noise = s.len() - trimmed.len();
    s = trimmed.to_string();

    // 3. Line breaks and invisible characters inside the value: the value was
    //    wrapped. Spaces next to a break are indentation, not lost '+'.
    let wrapped = s.chars().any(|c| is_noise(c) && c != ' ');
    if wrapped {
        s = s
            .split(|c: char| is_noise(c) && c != ' ')
            .map(|line| line.trim_matches(' '))
            .collect();
    }

    // 4. Interior spaces: form decoding turned '+' into ' '.
    let mut form_decoded = false;
    if s.contains(' ') {
        s = s.replace(' ', "+");
        form_decoded = true;
    }
    // A padded value must be a multiple of 4 long. If it falls short by no
    // more than the number of spaces trimmed off the front, those spaces
    // were '+' too.
    let mut restored = 0;
    let missing = (4 - s.len() % 4) % 4;
    if !wrapped && s.ends_with('=') && missing > 0 && missing <= leading_spaces {
        s = format!("{}{}", "+".repeat(missing), s);
        form_decoded = true;
        restored = missing;
    }
    if removed_noise > restored {
        notes.push("whitespace around the value was removed");
    }
    if wrapped {
        notes.push("line breaks were removed (the value had been wrapped)");
    }
    if form_decoded {
        notes.push("spaces were turned back into '+' (the value had been form-decoded)");
    }

    // 5. URL-safe alphabet.
    if s.contains(['-', '_']) {
        s = s.replace('-', "+").replace('_', "/");
        notes.push(
            "URL-safe base64 ('-' and '_') was converted to the standard alphabet ('+' and '/')",
        );
    }

    // 6. Padding: only when the body is pure base64, otherwise leave the
    //    decoder to name the bad character.
    let body = s.trim_end_matches('=');
    if !body.is_empty() && body.chars().all(is_b64_symbol) {
        let needed = match body.len() % 4 {
            2 => Some(2),
            3 => Some(1),
            0 => Some(0),
            _ => None,
        };
        if let Some(needed) = needed {
            let fixed = format!("{body}{}", "=".repeat(needed));
            if fixed != s {
                notes.push(if s.len() == body.len() {
                    "the missing '=' padding was added"
                } else {
                    "the '=' padding was corrected"
                });
                s = fixed;
            }
        }
    }

    let repair = (!notes.is_empty()).then(|| Repair {
        field,
        what: notes.join("; "),
    });
    (s, repair)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLEAN: &str = "r7BXXKkLb8qrSNn05n0qiA==";

    #[test]
    fn clean_input_is_untouched() {
        for v in [CLEAN, "tiihtNczf5v6AKRyjwEUhQ==", "a+b/cdef", "abc="] {
            let (out, rep) = repair_base64("iv", v);
            assert_eq!(out, v);
            assert_eq!(rep, None, "{v}");
        }
    }

    #[test]
    fn plus_turned_into_space() {
        let (out, rep) = repair_base64("encrypted_data", "ab cd+ef/g==");
        assert_eq!(out, "ab+cd+ef/g==");
        let rep = rep.unwrap();
        assert_eq!(rep.field, "encrypted_data");
        assert!(rep.what.contains("form-decoded"), "{}", rep.what);
    }

    #[test]
    fn leading_plus_lost_to_trimming_is_restored_by_padding_arithmetic() {
        // "+abcdefghij=" form-decoded becomes " abcdefghij=".
        let (out, rep) = repair_base64("iv", " abcdefghij=");
        assert_eq!(out, "+abcdefghij=");
        let what = rep.unwrap().what;
        assert!(what.contains("form-decoded"), "{what}");
        assert!(!what.contains("whitespace"), "{what}");
        // A stray leading space on a correct-length value is just removed.
        let (out, rep) = repair_base64("iv", " abcdefghijk=");
        assert_eq!(out, "abcdefghijk=");
        assert!(!rep.unwrap().what.contains("form-decoded"));
    }

    #[test]
    fn url_encoded() {
        let (out, rep) = repair_base64("encrypt", "ab%2Bcd%2fe%3D");
        assert_eq!(out, "ab+cd/e=");
        assert!(rep.unwrap().what.contains("URL-encoded"));
    }

    #[test]
    fn wrapped_lines_and_indentation() {
        let (out, rep) = repair_base64("encrypt", "  abcd\r\n    efgh\n  ij==\n");
        assert_eq!(out, "abcdefghij==");
        let what = rep.unwrap().what;
        assert!(what.contains("wrapped"), "{what}");
        assert!(!what.contains("form-decoded"), "{what}");
    }

    #[test]
    fn url_safe_and_missing_padding() {
        let (out, rep) = repair_base64("session_key", "ab-_cd");
        assert_eq!(out, "ab+/cd==");
        let what = rep.unwrap().what;
        assert!(what.contains("URL-safe"), "{what}");
        assert!(what.contains("padding was added"), "{what}");
        let (out, rep) = repair_base64("session_key", "abcdef=");
        assert_eq!(out, "abcdef==");
        assert!(rep.unwrap().what.contains("corrected"));
    }

    #[test]
    fn garbage_is_passed_through_for_the_decoder() {
        let (out, _) = repair_base64("iv", "abc!");
        assert_eq!(out, "abc!");
    }
}
