//! The phrase tables that drive chat extraction, embedded from
//! `src/chat/phrases/zh.toml` and `en.toml`. Each file has one section per
//! table in [`TABLES`]; a row maps a phrase to a code. Phrases are compared in
//! the rules' matching form (NFKC, traditional → simplified, lowercase), so
//! `錄用` and `ＯＦＦＥＲ` need no rows of their own. A pipeline extends or
//! corrects a table with [`Phrases::with_overrides`], exactly as it does the
//! cell vocabulary with [`Vocab::with_overrides`]; the rejection-reason
//! phrases are not repeated here but taken from the [`Vocab`] the tables carry.

use std::sync::LazyLock;

use crate::rules::first_char::FirstChar;
use crate::rules::status::Outcome;
use crate::rules::{Vocab, match_form};

use super::ContactResult;

/// Names of the phrase tables, in storage order.
pub const TABLES: &[&str] = &[
    "decisions",
    "evaluations",
    "contact",
    "opt_out",
    "interview",
    "salary_cues",
    "short_forms",
    "surnames",
    "negations",
    "conjunctions",
    "question_cues",
    "lead_cues",
];

/// Index of a table; the discriminants follow [`TABLES`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Table {
    Decisions = 0,
    Evaluations = 1,
    Contact = 2,
    OptOut = 3,
    Interview = 4,
    SalaryCues = 5,
    ShortForms = 6,
    Surnames = 7,
    Negations = 8,
    Conjunctions = 9,
    QuestionCues = 10,
    LeadCues = 11,
}

const BUILTIN_SOURCES: [(&str, &str); 2] = [
    ("zh", include_str!("../phrases/zh.toml")),
    ("en", include_str!("../phrases/en.toml")),
];

/// One phrase → code row, the same shape as the vocabulary tables'.
pub(super) use crate::rules::Entry;

/// A table phrase found in a matching-form text.
#[derive(Clone, Copy, Debug)]
pub(super) struct Hit<'a> {
    /// Byte offset of the match.
    pub(super) start: usize,
    /// Byte offset just past the match.
    pub(super) end: usize,
    /// The row that matched.
    pub(super) entry: &'a Entry,
}

/// The chat phrase tables plus the cell vocabulary whose `reasons` table
/// classifies rejection reasons.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phrases {
    // Longest needle first in every table, so scans prefer the most specific
    // phrase (`不录用` before `录用`, `期望年薪` before `期望`).
    tables: Vec<Vec<Entry>>,
    /// For every table, its rows by the first character of their needle
    /// (rebuilt whenever a table changes).
    starts: Vec<FirstChar>,
    vocab: Vocab,
}

fn starts_of(tables: &[Vec<Entry>]) -> Vec<FirstChar> {
    tables.iter().map(|t| first_char(t)).collect()
}

fn first_char(entries: &[Entry]) -> FirstChar {
    FirstChar::new(entries.iter().map(|e| e.needle.as_str()))
}

static BUILTIN: LazyLock<Phrases> = LazyLock::new(|| {
    let mut tables = vec![Vec::new(); TABLES.len()];
    for (lang, source) in BUILTIN_SOURCES {
        let parsed: toml::Table = source
            .parse()
            .unwrap_or_else(|e| panic!("built-in phrases {lang}.toml are not valid TOML: {e}"));
        for (name, value) in &parsed {
            let Some(index) = TABLES.iter().position(|t| t == name) else {
                panic!("built-in phrases {lang}.toml: unknown table '{name}'");
            };
            let Some(rows) = value.as_table() else {
                panic!("built-in phrases {lang}.toml: '{name}' is not a table");
            };
            if let Err(errors) = merge(index, &mut tables[index], rows) {
                panic!("built-in phrases {lang}.toml: {}", errors.join("; "));
            }
        }
    }
    Phrases {
        starts: starts_of(&tables),
        tables,
        vocab: Vocab::builtin().clone(),
    }
});

impl Default for Phrases {
    fn default() -> Self {
        BUILTIN.clone()
    }
}

impl Phrases {
    /// The built-in tables with the built-in vocabulary, parsed once and shared.
    pub fn builtin() -> &'static Phrases {
        &BUILTIN
    }

    /// A copy in which `entries` (phrase → code) are added to `table_name`,
    /// replacing rows with the same phrase. Every problem is reported, each
    /// naming the table, the key and the codes the table allows.
    pub fn with_overrides(
        &self,
        table_name: &str,
        entries: &toml::Table,
    ) -> Result<Phrases, Vec<String>> {
        let Some(index) = TABLES.iter().position(|t| *t == table_name) else {
            return Err(vec![format!(
                "unknown phrase table '{table_name}': expected one of {}",
                TABLES.join(", ")
            )]);
        };
        let mut out = self.clone();
        merge(index, &mut out.tables[index], entries)?;
        out.starts[index] = first_char(&out.tables[index]);
        Ok(out)
    }

    /// A copy that classifies rejection reasons with `vocab` (for example a
    /// pipeline's vocabulary with its own `reasons` overrides).
    pub fn with_vocab(&self, vocab: Vocab) -> Phrases {
        Phrases {
            tables: self.tables.clone(),
            starts: self.starts.clone(),
            vocab,
        }
    }

    /// The vocabulary used for rejection reasons.
    pub fn vocab(&self) -> &Vocab {
        &self.vocab
    }

    /// The (phrase, code) rows of a table, longest phrase first; `None` for
    /// an unknown table name.
    pub fn entries(&self, table_name: &str) -> Option<Vec<(&str, &str)>> {
        let index = TABLES.iter().position(|t| *t == table_name)?;
        Some(
            self.tables[index]
                .iter()
                .map(|e| (e.phrase.as_str(), e.code.as_str()))
                .collect(),
        )
    }

    /// What the codes of a table may be, in words; `None` for an unknown table.
    pub fn allowed_codes(table_name: &str) -> Option<String> {
        let index = TABLES.iter().position(|t| *t == table_name)?;
        Some(codes_hint(index))
    }

    /// The first opt-out phrase (`要求不再联系`, `别再打了` …) in free text
    /// that is not negated (`并未要求不再联系` is no opt-out). Contact-log
    /// notes are read with the same table as the chats.
    pub fn opt_out_in(&self, text: &str) -> Option<String> {
        let form = crate::rules::match_form(text);
        self.scan(Table::OptOut, &form)
            .into_iter()
            .find(|h| !self.negated(&form, h.start))
            .map(|h| h.entry.phrase.clone())
    }

    pub(super) fn table(&self, table: Table) -> &[Entry] {
        &self.tables[table as usize]
    }

    /// Leftmost-longest, non-overlapping scan of a matching-form text.
    pub(super) fn scan(&self, table: Table, form: &str) -> Vec<Hit<'_>> {
        let mut hits = Vec::new();
        let mut pos = 0;
        while pos < form.len() {
            match self.at(table, form, pos) {
                Some(hit) => {
                    pos = hit.end;
                    hits.push(hit);
                }
                None => pos += form[pos..].chars().next().map_or(1, char::len_utf8),
            }
        }
        hits
    }

    /// The longest phrase of `table` starting exactly at byte `pos`.
    pub(super) fn at<'a>(&'a self, table: Table, form: &str, pos: usize) -> Option<Hit<'a>> {
        let c = form.get(pos..)?.chars().next()?;
        let entries = self.table(table);
        self.starts[table as usize]
            .rows(c)
            .iter()
            .map(|&i| &entries[i as usize])
            .find(|e| matches_at(form, pos, &e.needle))
            .map(|entry| Hit {
                start: pos,
                end: pos + entry.needle.len(),
                entry,
            })
    }

    /// The longest phrase of `table` ending exactly at byte `end`.
    pub(super) fn ending_at<'a>(
        &'a self,
        table: Table,
        form: &str,
        end: usize,
    ) -> Option<&'a Entry> {
        self.table(table).iter().find(|e| {
            end >= e.needle.len()
                && form.is_char_boundary(end - e.needle.len())
                && matches_at(form, end - e.needle.len(), &e.needle)
        })
    }

    /// The code of the row whose phrase is exactly `form`.
    pub(super) fn exact(&self, table: Table, form: &str) -> Option<&str> {
        self.table(table)
            .iter()
            .find(|e| e.needle == form)
            .map(|e| e.code.as_str())
    }

    /// True when the text just before byte `start` (spaces ignored) ends with
    /// a negation such as `没有` or `not`.
    pub(super) fn negated(&self, form: &str, start: usize) -> bool {
        let before = form[..start].trim_end();
        self.ending_at(Table::Negations, before, before.len())
            .is_some()
    }
}

/// Whether `needle` occurs at byte `start` of `form`. A needle that begins or
/// ends with an ASCII letter or digit must not continue a longer ASCII word,
/// so `hire` never matches inside `hired` and `wx` not inside `wxid`.
pub(super) fn matches_at(form: &str, start: usize, needle: &str) -> bool {
    if needle.is_empty() || !form.is_char_boundary(start) || !form[start..].starts_with(needle) {
        return false;
    }
    let end = start + needle.len();
    let word = |c: char| c.is_ascii_alphanumeric();
    let first = needle.chars().next().is_some_and(word);
    let last = needle.chars().next_back().is_some_and(word);
    if first && form[..start].chars().next_back().is_some_and(word) {
        return false;
    }
    if last && form[end..].chars().next().is_some_and(word) {
        return false;
    }
    true
}

/// Codes a table accepts besides the open-ended ones checked in [`code_error`].
fn fixed_codes(index: usize) -> &'static [&'static str] {
    match index {
        i if i == Table::Contact as usize => ContactResult::CODES,
        i if i == Table::OptOut as usize => &["opt_out"],
        i if i == Table::Interview as usize => &[
            "interview",
            "interview_1",
            "interview_2",
            "interview_3",
            "none",
        ],
        i if i == Table::SalaryCues as usize => &["expected", "current", "offered", "budget"],
        i if i == Table::ShortForms as usize => &["prefix", "suffix", "none"],
        i if i == Table::Negations as usize => &["negation"],
        i if i == Table::Conjunctions as usize => &["and"],
        i if i == Table::QuestionCues as usize => &["final", "anywhere"],
        i if i == Table::LeadCues as usize => &["name_follows"],
        _ => &[],
    }
}

/// The allowed codes of a table as listed in error messages.
fn codes_hint(index: usize) -> String {
    match index {
        i if i == Table::Decisions as usize => {
            format!(
                "{}, or none for a phrase that decides nothing",
                Outcome::CODES.join(", ")
            )
        }
        i if i == Table::Evaluations as usize => {
            "strength, concern, strength:<label>, concern:<label> or none".to_string()
        }
        i if i == Table::Surnames as usize => {
            "romanizations in lowercase ASCII separated by | (zhang, lyu|lv|lu)".to_string()
        }
        i => fixed_codes(i).join(", "),
    }
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{20000}'..='\u{2EBEF}')
}

/// Why `code` (or the key) is not acceptable for the table, if it is not.
fn code_error(index: usize, needle: &str, code: &str) -> Option<String> {
    let ok = match index {
        i if i == Table::Decisions as usize => code == "none" || Outcome::from_code(code).is_some(),
        i if i == Table::Evaluations as usize => match code.split_once(':') {
            Some((kind, label)) => {
                matches!(kind, "strength" | "concern") && !label.trim().is_empty()
            }
            None => matches!(code, "strength" | "concern" | "none"),
        },
        i if i == Table::Surnames as usize => {
            let chars = needle.chars().count();
            if !(1..=2).contains(&chars) || !needle.chars().all(is_han) {
                return Some("a surname must be one or two Chinese characters".to_string());
            }
            code.split('|')
                .all(|r| !r.is_empty() && r.bytes().all(|b| b.is_ascii_lowercase()))
        }
        i => fixed_codes(i).contains(&code),
    };
    (!ok).then(|| {
        format!(
            "unknown code '{code}'; allowed codes: {}",
            codes_hint(index)
        )
    })
}

/// Validates `source` rows and merges them into `entries`, replacing equal
/// phrases and keeping the longest-first order. Nothing is merged on error.
fn merge(index: usize, entries: &mut Vec<Entry>, source: &toml::Table) -> Result<(), Vec<String>> {
    let name = TABLES[index];
    let mut errors = Vec::new();
    let mut fresh = Vec::new();
    for (key, value) in source {
        let needle = match_form(key);
        if needle.is_empty() {
            errors.push(format!("table '{name}': empty phrase '{key}'"));
            continue;
        }
        let Some(code) = value.as_str() else {
            errors.push(format!(
                "table '{name}', key '{key}': expected a string code, one of: {}",
                codes_hint(index)
            ));
            continue;
        };
        if let Some(problem) = code_error(index, &needle, code) {
            errors.push(format!("table '{name}', key '{key}': {problem}"));
            continue;
        }
        fresh.push(Entry {
            phrase: key.clone(),
            needle,
            code: code.to_string(),
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    crate::rules::merge_fresh(entries, fresh);
    Ok(())
}

/// The embedded files, for the tests that check them row by row.
#[cfg(test)]
pub(super) fn builtin_sources() -> [(&'static str, &'static str); 2] {
    BUILTIN_SOURCES
}
