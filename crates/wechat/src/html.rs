//! Text into HTML. Two pages of the authorization flow are drawn as plain
//! HTML with operator-given text in them (the receiver's launch page and the
//! sandbox's consent page), and both need the same escaping.

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_the_five_characters_that_break_out_of_text_or_attributes() {
        assert_eq!(super::escape("a&b<\"'>"), "a&amp;b&lt;&quot;&#39;&gt;");
        assert_eq!(super::escape("授权 ok"), "授权 ok");
    }
}
