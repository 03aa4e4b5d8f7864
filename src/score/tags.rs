//! Talent-pool tags from free text: interview comments, remarks, notes.
//!
//! A phrase table (`tables/tags.toml`, Chinese and English) maps phrases
//! such as 数据分析能力突出, 缺乏行业经验 or "strong communicator" to a tag
//! code with display labels in both languages. Text and phrases are compared
//! in the rules' matching form (NFKC, traditional → simplified, lowercase).
//! The scan is leftmost-longest and non-overlapping, so a long phrase hides
//! the shorter phrases inside it, and a phrase that begins or ends with an
//! ASCII letter or digit must stand as a whole word (`articulate` does not
//! fire inside `inarticulate`).
//!
//! A phrase preceded within a few characters of the same clause by a
//! negation word (`not`, `谈不上`, `并非` …) is ignored. Clauses end at
//! punctuation and at contrast words (`但`, `but`), so in
//! 项目经验不够丰富，但技术扎实 the 不够 does not cancel 技术扎实.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use crate::rules::first_char::FirstChar;
use crate::rules::match_form;

const BUILTIN_SOURCE: &str = include_str!("tables/tags.toml");

/// How many characters before a phrase are searched for a negation word:
/// enough for "not a " or "never been a ", short enough that a negation
/// earlier in a long clause does not reach.
const NEGATION_WINDOW: usize = 12;

/// Punctuation that ends a clause.
const CLAUSE_ENDS: &[char] = &[
    ',', '，', '.', '。', ';', '；', '!', '！', '?', '？', ':', '：', '、', '\n', '(', ')',
];

/// A talent-pool tag with its display labels.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Tag {
    /// Stable code, lowercase words joined by hyphens (`sales-strong`).
    pub code: String,
    /// Chinese label.
    pub label_zh: String,
    /// English label.
    pub label_en: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct TagDef {
    tag: Tag,
    phrases: Vec<String>,
}

/// The phrase table: tags, their phrases, and the negation and contrast
/// words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagTable {
    defs: Vec<TagDef>,
    /// (matching-form phrase, index into `defs`), longest first.
    needles: Vec<(String, usize)>,
    /// `needles` by first character (derived).
    by_first: FirstChar,
    negators: Vec<String>,
    breaks: Vec<String>,
}

static BUILTIN: LazyLock<TagTable> = LazyLock::new(|| {
    let parsed: toml::Table = BUILTIN_SOURCE
        .parse()
        .unwrap_or_else(|e| panic!("built-in tags table is not valid TOML: {e}"));
    let empty = TagTable {
        defs: Vec::new(),
        needles: Vec::new(),
        by_first: FirstChar::default(),
        negators: Vec::new(),
        breaks: Vec::new(),
    };
    match empty.merged(&parsed, false) {
        Ok(table) => table,
        Err(errors) => panic!("built-in tags table is invalid: {}", errors.join("; ")),
    }
});

/// The tags the built-in table finds in `texts`, sorted by code, each once.
pub fn tags_for(texts: &[&str]) -> Vec<Tag> {
    TagTable::builtin().tags_for(texts)
}

impl TagTable {
    /// The built-in table, parsed once and shared.
    pub fn builtin() -> &'static TagTable {
        &BUILTIN
    }

    /// Returns a copy with `entries` merged in. `entries` has the shape of
    /// `tables/tags.toml`: `[tags.<code>]` with `zh`, `en` and `phrases`
    /// (labels are required for a new tag and replace an existing tag's),
    /// and `[negation]` with `words` and `breaks`. A phrase already used by
    /// another tag moves to the tag named here. Every problem is reported.
    pub fn with_overrides(&self, entries: &toml::Table) -> Result<TagTable, Vec<String>> {
        self.merged(entries, true)
    }

    /// Every tag, sorted by code.
    pub fn tags(&self) -> Vec<Tag> {
        let mut tags: Vec<Tag> = self.defs.iter().map(|d| d.tag.clone()).collect();
        tags.sort();
        tags
    }

    /// The tags found in `texts`, sorted by code, each once.
    pub fn tags_for(&self, texts: &[&str]) -> Vec<Tag> {
        let mut found: BTreeSet<usize> = BTreeSet::new();
        for text in texts {
            let form = match_form(text);
            let mut pos = 0;
            while pos < form.len() {
                let c = form[pos..].chars().next().expect("pos is a char boundary");
                let hit = self
                    .by_first
                    .rows(c)
                    .iter()
                    .map(|&i| &self.needles[i as usize])
                    .find(|(needle, _)| matches_at(&form, pos, needle));
                match hit {
                    Some((needle, tag)) => {
                        if !self.negated(&form, pos) {
                            found.insert(*tag);
                        }
                        pos += needle.len();
                    }
                    None => pos += c.len_utf8(),
                }
            }
        }
        let mut tags: Vec<Tag> = found
            .into_iter()
            .map(|i| self.defs[i].tag.clone())
            .collect();
        tags.sort();
        tags
    }

    /// Whether a negation word stands shortly before byte `start`, in the
    /// same clause.
    fn negated(&self, form: &str, start: usize) -> bool {
        let before = &form[..start];
        let mut clause = before.rfind(CLAUSE_ENDS).map_or(0, |i| {
            i + before[i..].chars().next().map_or(1, char::len_utf8)
        });
        for word in &self.breaks {
            if let Some(i) = before.rfind(word.as_str())
                && matches_at(form, i, word)
            {
                clause = clause.max(i + word.len());
            }
        }
        let window = before
            .char_indices()
            .rev()
            .nth(NEGATION_WINDOW - 1)
            .map_or(0, |(i, _)| i)
            .max(clause);
        self.negators.iter().any(|word| {
            before[window..]
                .match_indices(word.as_str())
                .any(|(i, _)| matches_at(form, window + i, word))
        })
    }

    fn merged(&self, source: &toml::Table, moving: bool) -> Result<TagTable, Vec<String>> {
        let mut errors = Vec::new();
        let mut out = self.clone();
        for (section, value) in source {
            let Some(body) = value.as_table() else {
                errors.push(format!("tags table, [{section}]: expected a table"));
                continue;
            };
            match section.as_str() {
                "negation" => {
                    for (field, list) in body {
                        let words = strings(list, &format!("negation.{field}"), &mut errors);
                        let words = words.iter().map(|w| match_form(w));
                        match field.as_str() {
                            "words" => out.negators.extend(words),
                            "breaks" => out.breaks.extend(words),
                            _ => errors.push(format!(
                                "tags table, [negation]: unknown field '{field}'; expected words or breaks"
                            )),
                        }
                    }
                }
                "tags" => {
                    for (code, entry) in body {
                        out.merge_tag(code, entry, moving, &mut errors);
                    }
                }
                _ => errors.push(format!(
                    "tags table: unknown section [{section}]; expected [negation] or [tags.<code>]"
                )),
            }
        }
        out.negators.retain(|w| !w.is_empty());
        out.breaks.retain(|w| !w.is_empty());
        // Index the phrases; a phrase claimed by two tags is an error (an
        // override has already moved its phrases away from other tags).
        let mut needles: Vec<(String, usize)> = Vec::new();
        for (index, def) in out.defs.iter().enumerate() {
            for phrase in &def.phrases {
                let needle = match_form(phrase);
                if needle.is_empty() {
                    errors.push(format!("tags table, tag '{}': empty phrase", def.tag.code));
                    continue;
                }
                match needles.iter().find(|(n, _)| *n == needle) {
                    Some((_, other)) if *other != index => errors.push(format!(
                        "tags table: phrase '{phrase}' is claimed by both '{}' and '{}'",
                        out.defs[*other].tag.code, def.tag.code
                    )),
                    Some(_) => {}
                    None => needles.push((needle, index)),
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        needles.sort_by(|a, b| {
            b.0.chars()
                .count()
                .cmp(&a.0.chars().count())
                .then_with(|| a.0.cmp(&b.0))
        });
        out.by_first = FirstChar::new(needles.iter().map(|(n, _)| n.as_str()));
        out.needles = needles;
        Ok(out)
    }

    fn merge_tag(
        &mut self,
        code: &str,
        entry: &toml::Value,
        moving: bool,
        errors: &mut Vec<String>,
    ) {
        let valid_code = !code.is_empty()
            && code.split('-').all(|part| {
                !part.is_empty()
                    && part
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            });
        if !valid_code {
            errors.push(format!(
                "tags table: tag code '{code}' must be lowercase words joined by hyphens"
            ));
            return;
        }
        let Some(fields) = entry.as_table() else {
            errors.push(format!("tags table, tag '{code}': expected a table"));
            return;
        };
        let (mut zh, mut en, mut phrases) = (None, None, Vec::new());
        for (field, value) in fields {
            match field.as_str() {
                "zh" | "en" => match value.as_str() {
                    Some(label) if !label.trim().is_empty() => {
                        let slot = if field == "zh" { &mut zh } else { &mut en };
                        *slot = Some(label.trim().to_string());
                    }
                    _ => errors.push(format!(
                        "tags table, tag '{code}', {field}: expected a non-empty string"
                    )),
                },
                "phrases" => phrases = strings(value, &format!("tag '{code}', phrases"), errors),
                _ => errors.push(format!(
                    "tags table, tag '{code}': unknown field '{field}'; expected zh, en or phrases"
                )),
            }
        }
        if moving {
            let claimed: Vec<String> = phrases.iter().map(|p| match_form(p)).collect();
            for other in self.defs.iter_mut().filter(|d| d.tag.code != code) {
                other.phrases.retain(|p| !claimed.contains(&match_form(p)));
            }
        }
        match self.defs.iter_mut().find(|d| d.tag.code == code) {
            Some(def) => {
                if let Some(zh) = zh {
                    def.tag.label_zh = zh;
                }
                if let Some(en) = en {
                    def.tag.label_en = en;
                }
                def.phrases.extend(phrases);
            }
            None => match (zh, en) {
                (Some(label_zh), Some(label_en)) => self.defs.push(TagDef {
                    tag: Tag {
                        code: code.to_string(),
                        label_zh,
                        label_en,
                    },
                    phrases,
                }),
                _ => errors.push(format!(
                    "tags table, tag '{code}': a new tag needs both zh and en labels"
                )),
            },
        }
    }
}

/// Reads a TOML array of strings; `what` names it in messages.
fn strings(value: &toml::Value, what: &str, errors: &mut Vec<String>) -> Vec<String> {
    let items = value.as_array().map(|a| {
        a.iter()
            .map(|v| v.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
    });
    match items {
        Some(Some(list)) => list,
        _ => {
            errors.push(format!("tags table, {what}: expected an array of strings"));
            Vec::new()
        }
    }
}

/// Whether `needle` occurs at byte `start` of `form`, as a whole word where
/// it begins or ends with an ASCII letter or digit.
fn matches_at(form: &str, start: usize, needle: &str) -> bool {
    if needle.is_empty() || !form[start..].starts_with(needle) {
        return false;
    }
    let end = start + needle.len();
    let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let open_start = word(needle.chars().next()) && word(form[..start].chars().next_back());
    let open_end = word(needle.chars().next_back()) && word(form[end..].chars().next());
    !open_start && !open_end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(texts: &[&str]) -> Vec<String> {
        tags_for(texts).into_iter().map(|t| t.code).collect()
    }

    /// Real comments from recruiting records, and what they should give.
    const SENTENCES: &[(&str, &[&str])] = &[
        (
            "逻辑清晰，沟通能力强，做过类似项目，结果很不错",
            &["communication-strong", "logic-clear", "relevant-experience"],
        ),
        (
            "沟通能力强，但缺乏行业经验",
            &["communication-strong", "lacks-industry-experience"],
        ),
        ("整体一般，稳定性一般", &["stability-concern"]),
        (
            "专业扎实，沟通能力强，建议录用",
            &["communication-strong", "tech-strong"],
        ),
        ("数据分析能力突出，SQL功底好", &["data-analysis-strong"]),
        ("大客户经验丰富，业绩突出", &["sales-strong"]),
        ("近三年换了三份工作，跳槽频繁", &["stability-concern"]),
        ("候选人表示愿意未来合作，先放入人才库", &["open-to-future"]),
        ("技术扎实，系统设计思路清晰", &["tech-strong"]),
        (
            "技術紮實，溝通能力強",
            &["communication-strong", "tech-strong"],
        ),
        (
            "Strong communicator, no industry experience.",
            &["communication-strong", "lacks-industry-experience"],
        ),
        (
            "Solid fundamentals; stability concerns.",
            &["stability-concern", "tech-strong"],
        ),
        ("Not a strong communicator", &[]),
        ("谈不上技术扎实", &[]),
        ("项目经验不够丰富，但技术扎实", &["tech-strong"]),
        ("项目经验不够丰富但技术扎实", &["tech-strong"]),
        ("inarticulate", &[]),
        ("技术能力不足", &["tech-weak"]),
        ("期望偏高，通勤较远", &["salary-expectation-high"]),
        ("", &[]),
    ];

    #[test]
    fn tags_from_real_sentences() {
        for (text, expected) in SENTENCES {
            assert_eq!(codes(&[text]), *expected, "{text:?}");
        }
    }

    #[test]
    fn several_texts_merge_sorted_and_unique() {
        let got = tags_for(&["沟通能力强", "跳槽频繁", "表达流畅，沟通能力强"]);
        assert_eq!(
            got,
            vec![
                Tag {
                    code: "communication-strong".into(),
                    label_zh: "沟通能力强".into(),
                    label_en: "Strong communicator".into(),
                },
                Tag {
                    code: "stability-concern".into(),
                    label_zh: "稳定性存疑".into(),
                    label_en: "Stability concern".into(),
                },
            ]
        );
    }

    #[test]
    fn builtin_has_every_named_tag_with_labels() {
        let tags = TagTable::builtin().tags();
        for code in [
            "data-analysis-strong",
            "lacks-industry-experience",
            "open-to-future",
            "communication-strong",
            "sales-strong",
            "stability-concern",
            "tech-strong",
        ] {
            let tag = tags.iter().find(|t| t.code == code).expect(code);
            assert!(!tag.label_zh.is_empty() && !tag.label_en.is_empty());
        }
    }

    #[test]
    fn overrides_add_tags_and_move_phrases() {
        let extra: toml::Table = r#"
            [tags.long-commute]
            zh = "通勤较远"
            en = "Long commute"
            phrases = ["通勤较远", "long commute"]
            [tags.tech-weak]
            phrases = ["技术一般般"]
            [tags.tech-strong]
            phrases = ["代码规范"]
            [negation]
            breaks = ["而且"]
        "#
        .parse()
        .unwrap();
        let table = TagTable::builtin().with_overrides(&extra).unwrap();
        let got: Vec<String> = table
            .tags_for(&["期望偏高，通勤较远", "技术一般般"])
            .into_iter()
            .map(|t| t.code)
            .collect();
        assert_eq!(
            got,
            vec!["long-commute", "salary-expectation-high", "tech-weak"]
        );
        assert_eq!(codes(&["通勤较远"]), Vec::<String>::new());
    }

    #[test]
    fn override_errors_are_all_reported() {
        let bad: toml::Table = r#"
            [tags.Bad_Code]
            zh = "x"
            [tags.new-tag]
            en = "New"
            phrases = "x"
            [tags.tech-strong]
            colour = "red"
            [misc]
            a = 1
        "#
        .parse()
        .unwrap();
        let mut errors = TagTable::builtin().with_overrides(&bad).unwrap_err();
        // Sections and tags are visited in the TOML map's order; compare as
        // a set.
        errors.sort();
        assert_eq!(
            errors,
            vec![
                "tags table, tag 'new-tag', phrases: expected an array of strings",
                "tags table, tag 'new-tag': a new tag needs both zh and en labels",
                "tags table, tag 'tech-strong': unknown field 'colour'; expected zh, en or phrases",
                "tags table: tag code 'Bad_Code' must be lowercase words joined by hyphens",
                "tags table: unknown section [misc]; expected [negation] or [tags.<code>]",
            ]
        );
    }

    #[test]
    fn duplicate_phrase_in_one_source_is_an_error() {
        let source: toml::Table = r#"
            [tags.a]
            zh = "甲"
            en = "A"
            phrases = ["x"]
            [tags.b]
            zh = "乙"
            en = "B"
            phrases = ["X"]
        "#
        .parse()
        .unwrap();
        let empty = TagTable {
            defs: Vec::new(),
            needles: Vec::new(),
            by_first: FirstChar::default(),
            negators: Vec::new(),
            breaks: Vec::new(),
        };
        assert_eq!(
            empty.merged(&source, false).unwrap_err(),
            vec!["tags table: phrase 'X' is claimed by both 'a' and 'b'"]
        );
    }
}
