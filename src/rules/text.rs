//! Text cleanup shared by every rule: Unicode NFKC normalization (which also
//! folds full-width ASCII to half-width and U+3000 to a space), removal of
//! invisible zero-width and bidi control characters, trimming and collapsing
//! whitespace runs. Every other rule runs its input through [`nfkc_clean`]
//! first, so `１３８－００１３` and `138-0013` are the same input.

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// Invisible characters that spreadsheets and chat apps leave in cells:
/// zero-width space/joiners and direction marks, bidi embeddings and
/// overrides, word joiner and the byte-order mark.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}' | '\u{FEFF}')
}

/// NFKC-normalizes `raw`, drops invisible characters, trims, and collapses
/// every whitespace run (including tabs and newlines) to one ASCII space.
///
/// Every cell goes through here, most of them already in NFKC (ASCII, and
/// CJK text typed with a normal input method), so the quick check runs
/// first and the normalizer only when it says the text may change.
///
/// Most cells are already clean as well (no invisible characters, no
/// leading, trailing or repeated whitespace): those are copied as they are
/// after one scan, without rebuilding them character by character. Text
/// made of ASCII and CJK Unified Ideographs (U+4E00–U+9FFF), which have
/// no decompositions and combine with nothing, is known to be in NFKC
/// without the quick check's table lookups.
pub fn nfkc_clean(raw: &str) -> String {
    let known_stable = |c: char| c.is_ascii() || ('\u{4E00}'..='\u{9FFF}').contains(&c);
    match scan(raw, known_stable) {
        Some(true) => raw.to_owned(),
        Some(false) => clean_chars(raw, raw.chars()),
        None if is_nfkc_quick(raw.chars()) == IsNormalized::Yes => {
            if scan(raw, |_| true) == Some(true) {
                raw.to_owned()
            } else {
                clean_chars(raw, raw.chars())
            }
        }
        None => clean_chars(raw, raw.nfkc()),
    }
}

/// `None` when a character fails `stable`; else whether [`clean_chars`]
/// would give `raw` back unchanged: no invisible characters, and no
/// whitespace but single spaces between other characters.
fn scan(raw: &str, stable: impl Fn(char) -> bool) -> Option<bool> {
    // Start as if after a space, so that a leading one is refused.
    let mut after_space = true;
    let mut clean = true;
    for c in raw.chars() {
        if !stable(c) {
            return None;
        }
        if c == ' ' {
            clean &= !after_space;
            after_space = true;
        } else {
            clean &= !(c.is_whitespace() || is_invisible(c));
            after_space = false;
        }
    }
    Some(clean && (!after_space || raw.is_empty()))
}

fn clean_chars(raw: &str, chars: impl Iterator<Item = char>) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut pending_space = false;
    for c in chars {
        if is_invisible(c) {
            continue;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    out
}

/// True when the cell holds nothing but whitespace and invisible characters.
pub fn is_blank(raw: &str) -> bool {
    raw.chars().all(|c| c.is_whitespace() || is_invisible(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLEAN: &[(&str, &str)] = &[
        ("  张三  ", "张三"),
        ("张\u{3000}三", "张 三"),
        ("１３８－００１３－８０００", "138-0013-8000"),
        ("15Ｋ／月", "15K/月"),
        ("ａｂｃ＠ｑｑ．ｃｏｍ", "abc@qq.com"),
        ("a \t\n  b", "a b"),
        ("\u{FEFF}姓名", "姓名"),
        ("张\u{200B}三", "张三"),
        ("\u{202A}13800138000\u{202C}", "13800138000"),
        ("word\u{2060}joiner", "wordjoiner"),
        ("\u{200E}abc\u{200F}", "abc"),
        ("（先生）", "(先生)"),
        ("non\u{00A0}breaking", "non breaking"),
        ("", ""),
        ("   ", ""),
        // One space too many, at each end and inside: not copied as is.
        ("abc ", "abc"),
        (" abc", "abc"),
        ("a  b", "a b"),
        ("张三 ", "张三"),
        ("张 三", "张 三"),
    ];

    #[test]
    fn nfkc_clean_table() {
        for (raw, expected) in CLEAN {
            assert_eq!(nfkc_clean(raw), *expected, "{raw:?}");
        }
    }

    proptest::proptest! {
        /// The shortcut for text that is already clean gives what the full
        /// cleaning gives, for any text (ASCII controls, whitespace of every
        /// kind, invisible characters, full-width forms and CJK included).
        #[test]
        fn already_clean_text_is_copied_unchanged(
            raw in "[ a-z\t\n\r\u{0b}\u{0c}\u{01}\u{85}\u{a0}\u{3000}\u{200b}\u{feff}\u{3400}\u{4e00}\u{9fff}\u{a000}\u{f900}\u{0301}张三１Ａ]{0,12}"
        ) {
            let full = if is_nfkc_quick(raw.chars()) == IsNormalized::Yes {
                clean_chars(&raw, raw.chars())
            } else {
                clean_chars(&raw, raw.nfkc())
            };
            proptest::prop_assert_eq!(nfkc_clean(&raw), full);
        }
    }

    const BLANK: &[(&str, bool)] = &[
        ("", true),
        ("   ", true),
        ("\u{3000}\t\n", true),
        ("\u{200B}\u{FEFF}", true),
        ("0", false),
        (" - ", false),
    ];

    #[test]
    fn is_blank_table() {
        for (raw, expected) in BLANK {
            assert_eq!(is_blank(raw), *expected, "{raw:?}");
        }
    }
}
