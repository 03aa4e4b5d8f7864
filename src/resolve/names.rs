//! Romanizing Hanzi names: every Latin spelling a Chinese name can
//! plausibly be written as.
//!
//! A Hanzi name (`张三`, traditional `張三` is simplified first) is read with
//! the `pinyin` crate and written family + given and given + family,
//! separators removed (`zhangsan`, `sanzhang`), which is how `Zhang San`,
//! `San Zhang` and `ZHANG San` meet it (see `rules::name`, whose sorted
//! `latin_key` is one of these orders for any two-token name).
//!
//! Family names are read with the override table `tables/surnames.toml`,
//! because the dictionary's first reading is often wrong for a surname (单 is
//! Shan, not Dan; 曾 is Zeng, not Ceng) and because passports spell ü as YU
//! (吕 → lv, lu, lyu). Names of three or more characters starting with a
//! compound surname (欧阳, 尉迟, 万俟…) are split after it. Other characters
//! keep every plain reading the crate knows, bounded by [`MAX_SPELLINGS`],
//! so a heteronym in a given name (长, 行, 乐) still meets either spelling.
//! Dotted transliterated names (`阿卜杜拉·艾尼`) split at the first dot.

use std::collections::{BTreeMap, HashSet};
use std::sync::LazyLock;

use pinyin::ToPinyinMulti;

use crate::rules::match_form;

/// Most Latin spellings generated for one Hanzi name (before the two word
/// orders are applied). Heteronyms multiply quickly (行 alone has three
/// plain readings), and every spelling becomes a blocking key, so the list
/// is cut: the primary spelling first, then one-character alternatives in
/// name order.
pub const MAX_SPELLINGS: usize = 6;

/// The surname override table: family-name readings by simplified Hanzi.
#[derive(Debug, Default)]
pub struct SurnameTable {
    /// One-character surnames → spellings, standard spelling first.
    pub single: BTreeMap<char, Vec<String>>,
    /// Two-character surnames → spellings.
    pub compound: BTreeMap<String, Vec<String>>,
}

static SURNAMES: LazyLock<SurnameTable> = LazyLock::new(|| {
    parse_surnames(include_str!("tables/surnames.toml"))
        .unwrap_or_else(|e| panic!("built-in surname table is invalid: {e}"))
});

/// The built-in surname table, parsed once.
pub fn surnames() -> &'static SurnameTable {
    &SURNAMES
}

/// Parses a surname table in the format of `tables/surnames.toml`.
pub fn parse_surnames(text: &str) -> Result<SurnameTable, String> {
    let doc: toml::Table = text.parse().map_err(|e| format!("not valid TOML: {e}"))?;
    let mut out = SurnameTable::default();
    for (section, value) in &doc {
        let toml::Value::Table(rows) = value else {
            return Err(format!("'{section}' is not a table"));
        };
        for (key, readings) in rows {
            let list: Vec<String> = match readings {
                toml::Value::Array(items) => items
                    .iter()
                    .map(|v| v.as_str().map(str::to_string))
                    .collect::<Option<_>>()
                    .ok_or_else(|| format!("{section}.{key}: readings must be strings"))?,
                _ => return Err(format!("{section}.{key}: expected a list of readings")),
            };
            if list.is_empty()
                || list
                    .iter()
                    .any(|r| !r.bytes().all(|b| b.is_ascii_lowercase()))
            {
                return Err(format!(
                    "{section}.{key}: readings must be non-empty lowercase a-z"
                ));
            }
            let chars = key.chars().count();
            match (section.as_str(), chars) {
                ("single", 1) => {
                    let c = key.chars().next().unwrap_or_default();
                    out.single.insert(c, list);
                }
                ("compound", 2) => {
                    out.compound.insert(key.clone(), list);
                }
                ("single" | "compound", _) => {
                    return Err(format!("{section}.{key}: wrong number of characters"));
                }
                _ => return Err(format!("unknown section '{section}'")),
            }
        }
    }
    Ok(out)
}

/// True for CJK unified ideographs (basic block, extensions A–F,
/// compatibility ideographs) and 〇.
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{20000}'..='\u{2EBEF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{3007}')
}

/// Dot-like separators inside transliterated names (`阿卜杜拉·艾尼`).
pub fn is_name_dot(c: char) -> bool {
    matches!(c, '·' | '・' | '•' | '‧' | '.')
}

/// The plain readings of one character, deduplicated, dictionary order,
/// with ü spelled `v`, `u` and `yu` (in that order); `None` when the crate
/// has no reading for it.
fn char_readings(c: char) -> Option<Vec<String>> {
    let multi = c.to_pinyin_multi()?;
    let mut out: Vec<String> = Vec::new();
    for p in multi {
        let plain = p.plain();
        let spellings: Vec<String> = if plain.contains('ü') {
            ["v", "u", "yu"]
                .iter()
                .map(|r| plain.replace('ü', r))
                .collect()
        } else {
            vec![plain.to_string()]
        };
        for s in spellings {
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Every Latin spelling of a Hanzi name as `(first part, second part)`:
/// family and given name, or for dotted transliterated names (`阿卜杜拉·艾尼`)
/// the part before the first dot and the rest. The primary spelling comes
/// first; at most [`MAX_SPELLINGS`]. Empty when a character has no known
/// reading or the name holds no Hanzi.
pub fn pinyin_spellings(name: &str) -> Vec<(String, String)> {
    let form: String = match_form(name)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    spellings_of_form(&form)
}

/// [`pinyin_spellings`] of a name already in matching form without spaces
/// (a `name_key`), skipping the normalization.
pub fn spellings_of_form(form: &str) -> Vec<(String, String)> {
    if !form.chars().any(is_han) {
        return Vec::new();
    }
    let table = surnames();
    // Positions: each is a list of readings; `split` positions form the first part.
    let mut positions: Vec<Vec<String>> = Vec::new();
    let split = if form.chars().any(is_name_dot) {
        let mut parts = form.split(is_name_dot).filter(|p| !p.is_empty());
        let first = parts.next().unwrap_or_default();
        let rest: String = parts.collect();
        for c in first.chars().chain(rest.chars()) {
            let Some(r) = char_readings(c) else {
                return Vec::new();
            };
            positions.push(r);
        }
        first.chars().count()
    } else {
        let chars: Vec<char> = form.chars().collect();
        let compound: String = chars.iter().take(2).collect();
        let rest_from = if chars.len() >= 3 && table.compound.contains_key(&compound) {
            positions.push(table.compound[&compound].clone());
            2
        } else if let Some(r) = table.single.get(&chars[0]) {
            positions.push(r.clone());
            1
        } else {
            let Some(r) = char_readings(chars[0]) else {
                return Vec::new();
            };
            positions.push(r);
            1
        };
        for &c in &chars[rest_from..] {
            let Some(r) = char_readings(c) else {
                return Vec::new();
            };
            positions.push(r);
        }
        1
    };

    let primary: Vec<&str> = positions.iter().map(|r| r[0].as_str()).collect();
    let mut spellings: Vec<Vec<&str>> = vec![primary.clone()];
    'outer: for (i, readings) in positions.iter().enumerate() {
        for alt in &readings[1..] {
            if spellings.len() >= MAX_SPELLINGS {
                break 'outer;
            }
            let mut s = primary.clone();
            s[i] = alt;
            spellings.push(s);
        }
    }
    spellings
        .into_iter()
        .map(|s| (s[..split].concat(), s[split..].concat()))
        .collect()
}

/// The Latin keys a Hanzi name can be written as: for every spelling, the
/// first part then the second and the second then the first, without
/// separators, deduplicated in order (`张三` → `zhangsan`, `sanzhang`).
pub fn hanzi_latin_keys(name: &str) -> Vec<String> {
    latin_orders(pinyin_spellings(name))
}

/// [`hanzi_latin_keys`] of a name already in matching form (a `name_key`).
pub fn latin_keys_of_form(form: &str) -> Vec<String> {
    latin_orders(spellings_of_form(form))
}

fn latin_orders(spellings: Vec<(String, String)>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (first, second) in spellings {
        for key in [format!("{first}{second}"), format!("{second}{first}")] {
            if !out.contains(&key) {
                out.push(key);
            }
        }
    }
    out
}

/// Every pinyin syllable the `pinyin` crate knows (plain, ü written `v`,
/// `u` and `yu`), read off the readings of the basic CJK block, without the
/// vowel-less interjections (`n`, `m`, `ng`, `hm`…) that would let almost
/// any Latin word split.
static SYLLABLES: LazyLock<HashSet<String>> = LazyLock::new(|| {
    ('\u{4E00}'..='\u{9FFF}')
        .filter_map(char_readings)
        .flatten()
        .filter(|s| s.bytes().any(|b| b"aeiouv".contains(&b)))
        .collect()
});

/// Longest pinyin syllable in bytes (`zhuang`, `shuang`).
const MAX_SYLLABLE: usize = 6;

fn is_syllable(s: &str) -> bool {
    SYLLABLES.contains(s)
}

/// Whether lowercase `s` is a run of pinyin syllables (`chaohao`).
pub fn is_pinyin_run(s: &str) -> bool {
    let b = s.as_bytes();
    if b.is_empty() || !b.iter().all(u8::is_ascii_lowercase) {
        return false;
    }
    // ok[i]: s[..i] splits into syllables.
    let mut ok = vec![false; b.len() + 1];
    ok[0] = true;
    for i in 1..=b.len() {
        ok[i] = (i.saturating_sub(MAX_SYLLABLE)..i).any(|j| ok[j] && is_syllable(&s[j..i]));
    }
    ok[b.len()]
}

/// The other word orders of a romanized name written as one token:
/// `yangchaohao` (杨超豪 written family-first without a space) also gives
/// `chaohaoyang`, which is how `Chaohao Yang` is keyed. The family name is
/// taken as the first or the last syllable of a token that splits into
/// pinyin syllables; every such split is kept, at most four keys. Empty
/// for a token that is not pinyin (`anderson`).
pub fn single_token_orders(token: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if !is_pinyin_run(token) {
        return out;
    }
    let n = token.len();
    for cut in 1..n {
        let (head, tail) = token.split_at(cut);
        let family_first = cut <= MAX_SYLLABLE && is_syllable(head) && is_pinyin_run(tail);
        let family_last = n - cut <= MAX_SYLLABLE && is_syllable(tail) && is_pinyin_run(head);
        if (family_first || family_last) && out.len() < 4 {
            let key = format!("{tail}{head}");
            if key != token && !out.contains(&key) {
                out.push(key);
            }
        }
    }
    out
}

static WESTERN_GIVEN: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("tables/english_given_names.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

/// The family name of a Latin name written as a Western given name and a
/// pinyin family name, in either order (`Cindy Li`, `LI Cindy` → `li`).
/// `tokens` are the lowercase words of the name. `None` for any other
/// shape, including two Western names (`Grace Kelly`) or three words.
pub fn western_family(tokens: &[&str]) -> Option<String> {
    let [a, b] = tokens else {
        return None;
    };
    let western = |t: &str| WESTERN_GIVEN.contains(t);
    match (western(a), western(b)) {
        (true, false) if is_pinyin_run(b) => Some(b.to_string()),
        (false, true) if is_pinyin_run(a) => Some(a.to_string()),
        _ => None,
    }
}

/// The family-name spellings a name can have, for comparing with
/// [`western_family`]: the first part of every spelling of a Hanzi name
/// (`李梅` → `li`), the first and the last word of a Latin name of two or
/// more words, or the first and the last syllable of a one-word romanized
/// name.
pub fn family_spellings(hanzi_form: Option<&str>, tokens: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |s: &str| {
        if !s.is_empty() && !out.iter().any(|o| o == s) {
            out.push(s.to_string());
        }
    };
    if let Some(form) = hanzi_form {
        for (family, _) in spellings_of_form(form) {
            add(&family);
        }
        return out;
    }
    match tokens {
        [] => {}
        [one] => {
            for cut in 1..one.len() {
                let (head, tail) = one.split_at(cut);
                if is_syllable(head) && is_pinyin_run(tail) {
                    add(head);
                }
                if is_syllable(tail) && is_pinyin_run(head) {
                    add(tail);
                }
            }
        }
        [first, .., last] => {
            add(first);
            add(last);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_table_parses_and_has_the_documented_surnames() {
        let t = surnames();
        assert_eq!(t.single[&'单'], vec!["shan"]);
        assert_eq!(t.single[&'吕'], vec!["lv", "lu", "lyu"]);
        assert_eq!(t.compound["尉迟"], vec!["yuchi"]);
        assert_eq!(t.compound["万俟"], vec!["moqi"]);
    }

    #[test]
    fn bad_tables_are_rejected() {
        assert!(parse_surnames("[single]\n\"单于\" = [\"chanyu\"]").is_err());
        assert!(parse_surnames("[single]\n\"单\" = [\"Shan\"]").is_err());
        assert!(parse_surnames("[other]\n\"单\" = [\"shan\"]").is_err());
        assert!(parse_surnames("[single]\n\"单\" = []").is_err());
    }

    #[test]
    fn hanzi_names_give_both_orders() {
        assert_eq!(hanzi_latin_keys("张三"), vec!["zhangsan", "sanzhang"]);
        assert_eq!(hanzi_latin_keys("張三"), vec!["zhangsan", "sanzhang"]);
        // 信 also reads shen; the primary spelling comes first.
        assert_eq!(
            hanzi_latin_keys("单雄信"),
            vec![
                "shanxiongxin",
                "xiongxinshan",
                "shanxiongshen",
                "xiongshenshan"
            ]
        );
        assert_eq!(
            hanzi_latin_keys("欧阳娜娜")[..2],
            ["ouyangnana", "nanaouyang"]
        );
        assert_eq!(hanzi_latin_keys("尉迟恭")[..2], ["yuchigong", "gongyuchi"]);
        assert_eq!(hanzi_latin_keys("Zhang San"), Vec::<String>::new());
    }

    #[test]
    fn surname_overrides_replace_dictionary_readings() {
        let zeng = hanzi_latin_keys("曾小贤");
        assert_eq!(zeng[..2], ["zengxiaoxian", "xiaoxianzeng"]);
        assert!(!zeng.iter().any(|k| k.starts_with("ceng")));
        let lv = hanzi_latin_keys("吕志强");
        for k in ["lvzhiqiang", "luzhiqiang", "lyuzhiqiang", "zhiqianglyu"] {
            assert!(lv.contains(&k.to_string()), "{k} in {lv:?}");
        }
        // 单 in a given name keeps its dictionary readings.
        let given = pinyin_spellings("王单");
        assert_eq!(given[0], ("wang".to_string(), "dan".to_string()));
    }

    #[test]
    fn spellings_are_bounded() {
        let s = pinyin_spellings("行长乐行");
        assert_eq!(s.len(), MAX_SPELLINGS);
        assert_eq!(s[0], ("xing".to_string(), "zhanglexing".to_string()));
    }

    #[test]
    fn one_word_romanized_names_give_the_other_order() {
        assert!(is_pinyin_run("chaohao"));
        assert!(!is_pinyin_run("anderson"));
        assert!(!is_pinyin_run(""));
        assert!(single_token_orders("yangchaohao").contains(&"chaohaoyang".to_string()));
        assert!(single_token_orders("zhouwei").contains(&"weizhou".to_string()));
        // Given name first: the family name is the last syllable.
        assert!(single_token_orders("chaohaoyang").contains(&"yangchaohao".to_string()));
        assert!(single_token_orders("anderson").is_empty());
        assert!(single_token_orders("yangchaohao").len() <= 4);
    }

    #[test]
    fn western_given_names_leave_the_family_name() {
        assert_eq!(western_family(&["cindy", "li"]), Some("li".to_string()));
        assert_eq!(western_family(&["li", "cindy"]), Some("li".to_string()));
        assert_eq!(western_family(&["li", "mei"]), None);
        assert_eq!(western_family(&["grace", "kelly"]), None);
        assert_eq!(western_family(&["cindy", "li", "mei"]), None);
        assert_eq!(family_spellings(Some("李梅"), &[]), vec!["li"]);
        assert_eq!(family_spellings(Some("单明"), &[]), vec!["shan"]);
        assert_eq!(family_spellings(None, &["li", "mei"]), vec!["li", "mei"]);
        assert!(family_spellings(None, &["zhouwei"]).contains(&"zhou".to_string()));
    }
}
