//! Person names: a cleaned display form and matching keys for deduplication.
//!
//! Hanzi names lose internal spaces (`张　三` → `张三`) and their key is the
//! simplified-Chinese spelling (`張三` → `张三`). Latin names are title-cased
//! for display; their key is lowercase without separators, and `latin_key`
//! additionally sorts the tokens so that `Zhang San` and `San Zhang` meet.
//! A romanized name written as one token (`Zhangsan`) keeps `zhangsan` as
//! its `latin_key`; resolution splits it into pinyin syllables to meet
//! `San Zhang` (see `resolve::names::single_token_orders`). Courtesy titles come from the
//! `honorifics` table; bracketed notes (`(先生)`, `（应届）`) and `-role` tails
//! (`王五-前端`) are removed by rule. Filler names come from the
//! `fillers` table.

use std::sync::LazyLock;

use regex::Regex;

use super::text::nfkc_clean;
use super::{Reject, Table, Vocab, match_form};

/// Codes accepted by the `honorifics` table: where the word is stripped.
pub const HONORIFIC_CODES: &[&str] = &["prefix", "suffix"];

/// Longest accepted name, in characters, after cleaning.
const MAX_NAME_CHARS: usize = 40;

/// A normalized person name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonName {
    /// Cleaned name for display (original script kept, e.g. traditional Hanzi).
    pub display: String,
    /// Exact-match key: simplified Hanzi without spaces, or lowercase Latin
    /// without separators (`zhangsan` for `Zhang San`).
    pub key: String,
    /// Order-insensitive key for romanized names: lowercase tokens sorted and
    /// concatenated (`San Zhang` → `sanzhang`); `None` for Hanzi names.
    pub latin_key: Option<String>,
    /// True when the name is written in Chinese characters.
    pub is_hanzi: bool,
}

/// True for CJK unified ideographs (basic block, extensions A–F) and 〇.
fn is_han(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{20000}'..='\u{2EBEF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{3007}')
}

/// Bracketed notes after or inside a name: `(先生)`, `[实习]`, `【内推】`, `<HR>`.
static BRACKETED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】|〔[^〕]*〕|<[^>]*>|《[^》]*》")
        .expect("valid regex")
});

/// A separator that starts a role or note tail after a Hanzi name.
static HANZI_TAIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*[-—–_/|\\~:;,]").expect("valid regex"));

/// A spaced dash that starts a note after a Latin name (`Zhang San - HR`);
/// unspaced hyphens belong to names like `Jean-Luc`.
static LATIN_TAIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s+[-—–|/]\s+|\s*[|/;:]").expect("valid regex"));

/// Dot-like characters used between the parts of transliterated minority
/// or foreign names written in Hanzi (`阿卜杜拉·艾尼`).
fn is_name_dot(c: char) -> bool {
    matches!(c, '·' | '・' | '•' | '‧' | '.')
}

/// Removes courtesy titles listed in the `honorifics` table from the start
/// (prefix) or end (suffix) of a name, repeating until none is left.
fn strip_honorifics(mut name: String, vocab: &Vocab) -> String {
    loop {
        let lower = name.to_lowercase();
        let mut changed = false;
        for entry in vocab.table(Table::Honorifics) {
            let needle = &entry.needle;
            if entry.code == "suffix" && lower.ends_with(needle.as_str()) {
                // Byte offsets agree because lowercasing the table's suffixes
                // (Hanzi) does not change their length.
                let cut = name.len() - needle.len();
                if name.is_char_boundary(cut) {
                    name.truncate(cut);
                    name = name.trim_end().to_string();
                    changed = true;
                    break;
                }
            }
            if entry.code == "prefix" && lower.starts_with(needle.as_str()) {
                let rest = &name[needle.len()..];
                // A Latin title must be a separate word: `Ms Li`, not `Mslee`.
                let separated = rest.starts_with([' ', '.']) || needle.ends_with('.');
                if separated && name.is_char_boundary(needle.len()) {
                    name = rest.trim_start_matches(['.', ' ']).to_string();
                    changed = true;
                    break;
                }
            }
        }
        if !changed {
            return name;
        }
    }
}

/// Title-cases each word and each hyphen/apostrophe part: `jean-luc o'neil`
/// → `Jean-Luc O'Neil`.
fn title_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut start_of_part = true;
    for c in name.chars() {
        if start_of_part {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start_of_part = matches!(c, ' ' | '-' | '\'' | '.');
    }
    out
}

/// Normalizes a name cell. Rejects empty names, names with digits or `@`,
/// names longer than 40 characters and fillers (`无`, `N/A`, `测试`, `test`).
pub fn normalize_name(raw: &str, vocab: &Vocab) -> Result<PersonName, Reject> {
    let cleaned = nfkc_clean(raw);
    if cleaned.is_empty() {
        return Err(Reject::new("empty name"));
    }
    if vocab.is_filler(&cleaned) {
        return Err(Reject::new(format!(
            "filler instead of a name: '{cleaned}'"
        )));
    }
    if cleaned.chars().any(|c| c.is_ascii_digit()) {
        return Err(Reject::new("not a name: contains digits"));
    }
    if cleaned.contains('@') {
        return Err(Reject::new("not a name: contains '@' (an email address?)"));
    }

    let is_hanzi = cleaned.chars().any(is_han);
    let mut name = BRACKETED.replace_all(&cleaned, " ").trim().to_string();
    let tail = if is_hanzi { &HANZI_TAIL } else { &LATIN_TAIL };
    if let Some(m) = tail.find(&name)
        && m.start() > 0
    {
        name.truncate(m.start());
    }
    let mut name = strip_honorifics(name.trim().to_string(), vocab);
    // `Zhang, San` is the "Family, Given" convention of English lists.
    if !is_hanzi && name.matches(',').count() == 1 {
        let (family, given) = name.split_once(',').unwrap_or_default();
        name = format!("{} {}", given.trim(), family.trim())
            .trim()
            .to_string();
    }

    let display = if is_hanzi {
        // Hanzi names never contain spaces; minority names keep one `·`.
        let mut out = String::new();
        for c in name.chars() {
            if c == ' ' {
                continue;
            }
            if is_name_dot(c) {
                if !out.is_empty() && !out.ends_with('·') {
                    out.push('·');
                }
                continue;
            }
            out.push(c);
        }
        out.trim_end_matches('·').to_string()
    } else {
        title_case(
            &name
                .replace('_', " ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        )
    };

    if display.is_empty() {
        return Err(Reject::new(format!(
            "not a name: nothing left of '{cleaned}' after removing titles and notes"
        )));
    }
    if vocab.is_filler(&display) {
        return Err(Reject::new(format!(
            "filler instead of a name: '{display}'"
        )));
    }
    if display.chars().count() > MAX_NAME_CHARS {
        return Err(Reject::new(format!(
            "not a name: longer than {MAX_NAME_CHARS} characters"
        )));
    }

    let separators = |c: char| matches!(c, ' ' | '_' | '-' | '.' | '·' | '\'');
    let key: String = match_form(&display)
        .chars()
        .filter(|c| !separators(*c))
        .collect();
    let latin_key = if is_hanzi {
        None
    } else {
        let lower = display.to_lowercase();
        let mut tokens: Vec<&str> = lower.split(separators).filter(|t| !t.is_empty()).collect();
        tokens.sort_unstable();
        Some(tokens.concat())
    };
    Ok(PersonName {
        display,
        key,
        latin_key,
        is_hanzi,
    })
}

/// Joins a source's separate 姓 (family) and 名 (given) cells into one name
/// for [`normalize_name`]: Hanzi as family + given without a space
/// (`张` + `三` → `张三`), Latin as "Given Family" (`Zhang` + `San` → `San Zhang`).
/// Either part may be empty.
pub fn split_name_parts(family: &str, given: &str) -> String {
    let family = nfkc_clean(family);
    let given = nfkc_clean(given);
    if family.chars().chain(given.chars()).any(is_han) {
        format!("{family}{given}")
    } else {
        [given, family]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (raw, display, key, latin_key)
    const OK: &[(&str, &str, &str, Option<&str>)] = &[
        ("张三", "张三", "张三", None),
        ("  张　三 ", "张三", "张三", None),
        ("張三", "張三", "张三", None),
        ("陳曉明", "陳曉明", "陈晓明", None),
        ("张三(先生)", "张三", "张三", None),
        ("张三（先生）", "张三", "张三", None),
        ("李四女士", "李四", "李四", None),
        ("王小姐", "王", "王", None),
        ("王五-前端", "王五", "王五", None),
        ("王五 - 前端", "王五", "王五", None),
        ("王五/Java", "王五", "王五", None),
        ("赵六（应届）", "赵六", "赵六", None),
        ("【内推】孙七", "孙七", "孙七", None),
        ("阿卜杜拉·艾尼", "阿卜杜拉·艾尼", "阿卜杜拉艾尼", None),
        ("阿卜杜拉.艾尼", "阿卜杜拉·艾尼", "阿卜杜拉艾尼", None),
        ("Zhang San", "Zhang San", "zhangsan", Some("sanzhang")),
        ("San Zhang", "San Zhang", "sanzhang", Some("sanzhang")),
        ("ZHANG san", "Zhang San", "zhangsan", Some("sanzhang")),
        ("zhang_san", "Zhang San", "zhangsan", Some("sanzhang")),
        ("Zhangsan", "Zhangsan", "zhangsan", Some("zhangsan")),
        ("  zhang   san ", "Zhang San", "zhangsan", Some("sanzhang")),
        (
            "Ｚｈａｎｇ Ｓａｎ",
            "Zhang San",
            "zhangsan",
            Some("sanzhang"),
        ),
        (
            "jean-luc picard",
            "Jean-Luc Picard",
            "jeanlucpicard",
            Some("jeanlucpicard"),
        ),
        ("Mr. Zhang San", "Zhang San", "zhangsan", Some("sanzhang")),
        ("Ms Li Na", "Li Na", "lina", Some("lina")),
        ("Zhang San (HR)", "Zhang San", "zhangsan", Some("sanzhang")),
        (
            "Zhang San - Frontend",
            "Zhang San",
            "zhangsan",
            Some("sanzhang"),
        ),
        ("Mslee", "Mslee", "mslee", Some("mslee")),
        ("Zhang, San", "San Zhang", "sanzhang", Some("sanzhang")),
    ];

    #[test]
    fn normalize_name_ok_table() {
        let vocab = Vocab::builtin();
        for (raw, display, key, latin) in OK {
            let got = normalize_name(raw, vocab).unwrap_or_else(|e| panic!("{raw:?}: {e}"));
            let expected = PersonName {
                display: display.to_string(),
                key: key.to_string(),
                latin_key: latin.map(str::to_string),
                is_hanzi: latin.is_none(),
            };
            assert_eq!(got, expected, "{raw:?}");
        }
    }

    const REJECTED: &[(&str, &str)] = &[
        ("", "empty name"),
        ("   ", "empty name"),
        ("无", "filler instead of a name: '无'"),
        ("N/A", "filler instead of a name: 'N/A'"),
        ("-", "filler instead of a name: '-'"),
        ("测试", "filler instead of a name: '测试'"),
        ("test", "filler instead of a name: 'test'"),
        ("TEST", "filler instead of a name: 'TEST'"),
        ("测试(先生)", "filler instead of a name: '测试'"),
        ("张三1", "not a name: contains digits"),
        ("13800138000", "not a name: contains digits"),
        (
            "zhangsan@qq.com",
            "not a name: contains '@' (an email address?)",
        ),
        (
            "(先生)",
            "not a name: nothing left of '(先生)' after removing titles and notes",
        ),
        (
            "女士",
            "not a name: nothing left of '女士' after removing titles and notes",
        ),
        (
            "Abcdefghij Abcdefghij Abcdefghij Abcdefghij",
            "not a name: longer than 40 characters",
        ),
    ];

    #[test]
    fn normalize_name_reject_table() {
        let vocab = Vocab::builtin();
        for (raw, reason) in REJECTED {
            let got = normalize_name(raw, vocab).map(|n| n.display);
            assert_eq!(got, Err(Reject::new(*reason)), "{raw:?}");
        }
    }

    const PARTS: &[(&str, &str, &str)] = &[
        ("张", "三", "张三"),
        (" 欧阳 ", "娜娜", "欧阳娜娜"),
        ("Zhang", "San", "San Zhang"),
        ("ZHANG", "", "ZHANG"),
        ("", "San", "San"),
        ("", "", ""),
    ];

    #[test]
    fn split_name_parts_table() {
        for (family, given, expected) in PARTS {
            assert_eq!(
                split_name_parts(family, given),
                *expected,
                "{family:?} {given:?}"
            );
        }
    }

    #[test]
    fn hanzi_and_latin_orders_meet_on_latin_key() {
        let vocab = Vocab::builtin();
        let keys: Vec<Option<String>> = ["Zhang San", "San Zhang", "ZHANG san", "zhang_san"]
            .iter()
            .map(|n| normalize_name(n, vocab).unwrap().latin_key)
            .collect();
        assert!(keys.iter().all(|k| k.as_deref() == Some("sanzhang")));
    }
}
