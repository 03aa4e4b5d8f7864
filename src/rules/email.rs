//! Email cells: NFKC (so `zhangsan＠qq.com` works), `mailto:` and angle
//! brackets removed, lowercased, the ideographic full stop `。` typed by
//! Chinese input methods read as `.`, then checked against a deliberately
//! plain pattern: one `@`, a dotted domain with a letter TLD, no spaces.
//! A cell with several addresses is split by [`split_emails`].

use std::sync::LazyLock;

use regex::Regex;

use super::Reject;
use super::text::nfkc_clean;

/// Local part of dot-separated atoms, domain of dot-separated labels with a
/// letter TLD.
static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^[a-z0-9_%+\-]+(?:\.[a-z0-9_%+\-]+)*@[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?)*\.[a-z]{2,24}$",
    )
    .expect("valid regex")
});

/// Separators between addresses in one cell.
static SEPARATORS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\s,;/、|]+|或者?").expect("valid regex"));

/// Normalizes one email address; rejects anything that is not exactly one
/// plausible address.
pub fn normalize_email(raw: &str) -> Result<String, Reject> {
    let cleaned = nfkc_clean(raw).replace('。', ".");
    let mut text = cleaned.as_str();
    if text
        .get(..7)
        .is_some_and(|p| p.eq_ignore_ascii_case("mailto:"))
    {
        text = &text[7..];
    }
    let text = text
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim()
        .to_lowercase();
    if text.is_empty() {
        return Err(Reject::new("empty email"));
    }
    if text.contains(' ') {
        return Err(Reject::new("not an email: contains spaces"));
    }
    match text.matches('@').count() {
        0 => return Err(Reject::new("not an email: no '@'")),
        1 => {}
        _ => return Err(Reject::new("not an email: more than one '@'")),
    }
    if EMAIL.is_match(&text) {
        Ok(text)
    } else {
        Err(Reject::new(
            "not an email: expected name@domain.tld like zhangsan@qq.com",
        ))
    }
}

/// The addresses found in one email cell.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EmailCell {
    /// Valid addresses, normalized, in cell order, without repeats.
    pub emails: Vec<String>,
    /// Pieces that are not addresses, with the reason.
    pub rejected: Vec<(String, Reject)>,
}

/// Splits a cell holding several addresses (separated by spaces, `,`, `;`,
/// `/`, `、` or `或`) and normalizes each.
pub fn split_emails(raw: &str) -> EmailCell {
    let cleaned = nfkc_clean(raw);
    let mut cell = EmailCell::default();
    for piece in SEPARATORS.split(&cleaned).filter(|p| !p.is_empty()) {
        match normalize_email(piece) {
            Ok(email) if !cell.emails.contains(&email) => cell.emails.push(email),
            Ok(_) => {}
            Err(reject) => cell.rejected.push((piece.to_string(), reject)),
        }
    }
    cell
}

#[cfg(test)]
mod tests {
    use super::*;

    const CASES: &[(&str, Result<&str, &str>)] = &[
        ("zhangsan@qq.com", Ok("zhangsan@qq.com")),
        ("  ZhangSan@QQ.com ", Ok("zhangsan@qq.com")),
        ("zhangsan＠qq.com", Ok("zhangsan@qq.com")),
        ("ｚｈａｎｇｓａｎ＠ｑｑ．ｃｏｍ", Ok("zhangsan@qq.com")),
        ("mailto:li.si@example.com.cn", Ok("li.si@example.com.cn")),
        ("MAILTO:li.si@example.com", Ok("li.si@example.com")),
        ("<wang_wu+jobs@163.com>", Ok("wang_wu+jobs@163.com")),
        ("zhangsan@qq。com", Ok("zhangsan@qq.com")),
        (
            "a-b@sub-domain.example.org",
            Ok("a-b@sub-domain.example.org"),
        ),
        (
            "zhangsan@qq",
            Err("not an email: expected name@domain.tld like zhangsan@qq.com"),
        ),
        ("zhangsan qq.com", Err("not an email: contains spaces")),
        ("zhangsan@ qq.com", Err("not an email: contains spaces")),
        ("zhangsanqq.com", Err("not an email: no '@'")),
        ("a@b@qq.com", Err("not an email: more than one '@'")),
        (
            "@qq.com",
            Err("not an email: expected name@domain.tld like zhangsan@qq.com"),
        ),
        (
            "zhang..san@qq.com",
            Err("not an email: expected name@domain.tld like zhangsan@qq.com"),
        ),
        (
            ".zhang@qq.com",
            Err("not an email: expected name@domain.tld like zhangsan@qq.com"),
        ),
        (
            "zhang@-qq.com",
            Err("not an email: expected name@domain.tld like zhangsan@qq.com"),
        ),
        (
            "zhang@qq.c0m",
            Err("not an email: expected name@domain.tld like zhangsan@qq.com"),
        ),
        (
            "张三@qq.com",
            Err("not an email: expected name@domain.tld like zhangsan@qq.com"),
        ),
        ("", Err("empty email")),
        ("mailto:", Err("empty email")),
        (
            "ab张三@qq.com",
            Err("not an email: expected name@domain.tld like zhangsan@qq.com"),
        ),
    ];

    #[test]
    fn normalize_email_table() {
        for (raw, expected) in CASES {
            let got = normalize_email(raw);
            let expected = expected.map(str::to_string).map_err(Reject::new);
            assert_eq!(got, expected, "{raw:?}");
        }
    }

    const SPLIT: &[(&str, &[&str], &[&str])] = &[
        ("a@qq.com; b@163.com", &["a@qq.com", "b@163.com"], &[]),
        ("a@qq.com，b@163.com", &["a@qq.com", "b@163.com"], &[]),
        ("a@qq.com / b@163.com", &["a@qq.com", "b@163.com"], &[]),
        ("a@qq.com、b@163.com", &["a@qq.com", "b@163.com"], &[]),
        ("a@qq.com 或 b@163.com", &["a@qq.com", "b@163.com"], &[]),
        ("a@qq.com\nA@QQ.COM", &["a@qq.com"], &[]),
        ("a@qq.com, 无", &["a@qq.com"], &["无"]),
        ("", &[], &[]),
    ];

    #[test]
    fn split_emails_table() {
        for (raw, emails, rejected) in SPLIT {
            let cell = split_emails(raw);
            assert_eq!(cell.emails, *emails, "{raw:?}");
            let pieces: Vec<&str> = cell.rejected.iter().map(|(p, _)| p.as_str()).collect();
            assert_eq!(pieces, *rejected, "{raw:?}");
        }
    }
}
