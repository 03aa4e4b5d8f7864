//! Cell-level normalization rules for recruiting spreadsheets.
//!
//! Every function here takes one raw cell (a `&str`, sometimes a unit hint or
//! the shared [`Vocab`]) and returns either a normalized value or a [`Reject`]
//! that says what was expected. The rules are pure: no I/O, no clock, no
//! global state besides the compiled regexes and the built-in vocabulary,
//! which are embedded at compile time from `tables/*.toml`.
//!
//! One file per concern: [`text`] (NFKC and whitespace), [`name`], [`phone`],
//! [`email`], [`date`], [`salary`], [`idcard`], [`gender`], [`education`],
//! [`experience`], [`status`], [`reason`] (rejection taxonomy) and
//! [`address`], [`contact`] (contact-log results and channels). Phrase
//! vocabularies (education levels, statuses, rejection reasons, genders,
//! honorifics, fillers, yes/no answers, contact results) live in
//! [`Vocab`], which a pipeline can extend or correct per source with
//! [`Vocab::with_overrides`] instead of editing code. The place names used by
//! [`address`] (`tables/places.toml`) are reference data, not vocabulary, and
//! cannot be overridden.

pub mod address;
pub mod contact;
pub mod date;
pub mod education;
pub mod email;
pub mod experience;
pub mod first_char;
pub mod gender;
pub mod idcard;
pub mod name;
pub mod phone;
pub mod reason;
pub mod salary;
pub mod status;
pub mod text;

use std::fmt;
use std::sync::LazyLock;

/// Why a cell could not be normalized: a short lowercase phrase naming what
/// was expected, suitable for a data-quality report.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Reject {
    /// Human-readable explanation, e.g. "not a date: expected forms like 2023-05-01".
    pub reason: String,
}

impl Reject {
    /// Builds a rejection from its reason phrase.
    pub fn new(reason: impl Into<String>) -> Self {
        Reject {
            reason: reason.into(),
        }
    }
}

impl fmt::Display for Reject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for Reject {}

/// Names of the vocabulary tables, in the order they are stored; each one is
/// `src/rules/tables/<name>.toml` and accepted by [`Vocab::with_overrides`].
pub const TABLES: &[&str] = &[
    "education",
    "education_modifiers",
    "gender",
    "honorifics",
    "fillers",
    "reasons",
    "status",
    "yes_no",
    "contact_results",
];

/// Index of a table inside [`Vocab`]; the discriminants follow [`TABLES`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Table {
    Education = 0,
    EducationModifiers = 1,
    Gender = 2,
    Honorifics = 3,
    Fillers = 4,
    Reasons = 5,
    Status = 6,
    YesNo = 7,
    ContactResults = 8,
}

const BUILTIN_SOURCES: [&str; 9] = [
    include_str!("tables/education.toml"),
    include_str!("tables/education_modifiers.toml"),
    include_str!("tables/gender.toml"),
    include_str!("tables/honorifics.toml"),
    include_str!("tables/fillers.toml"),
    include_str!("tables/reasons.toml"),
    include_str!("tables/status.toml"),
    include_str!("tables/yes_no.toml"),
    include_str!("tables/contact_results.toml"),
];

/// One phrase → code row of a vocabulary table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    /// The phrase as written in the table.
    pub(crate) phrase: String,
    /// The phrase in matching form (see [`match_form`]).
    pub(crate) needle: String,
    /// The code the phrase maps to.
    pub(crate) code: String,
}

/// A position where a table phrase was found in a matching-form text.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Hit<'a> {
    /// Byte offset of the match in the matching-form text.
    pub(crate) start: usize,
    /// Byte offset just past the match.
    pub(crate) end: usize,
    /// The table row that matched.
    pub(crate) entry: &'a Entry,
}

/// The phrase vocabularies used by the rules, one table per name in [`TABLES`].
///
/// Each table maps a phrase to a code; phrases are compared in matching form
/// (NFKC, traditional → simplified, lowercase), so `已錄用`, `已录用` and
/// `ＯＦＦＥＲ` need no entries of their own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vocab {
    // Sorted by needle length, longest first, so that scans prefer the most
    // specific phrase (`非全日制` before `全日制`, `不通过` before `通过`).
    tables: Vec<Vec<Entry>>,
    /// Per table: the entries whose needle starts with a character, in
    /// table order, so a scan tries only the phrases that can start where
    /// it stands (every rejection-reason cell used to try them all at every
    /// position). Derived from `tables`.
    by_first: Vec<first_char::FirstChar>,
}

fn index_by_first(tables: &[Vec<Entry>]) -> Vec<first_char::FirstChar> {
    tables
        .iter()
        .map(|entries| first_char::FirstChar::new(entries.iter().map(|e| e.needle.as_str())))
        .collect()
}

static BUILTIN: LazyLock<Vocab> = LazyLock::new(|| {
    let mut tables = Vec::with_capacity(TABLES.len());
    for (index, source) in BUILTIN_SOURCES.iter().enumerate() {
        let name = TABLES[index];
        let parsed: toml::Table = source
            .parse()
            .unwrap_or_else(|e| panic!("built-in table {name} is not valid TOML: {e}"));
        let mut entries = Vec::new();
        if let Err(errors) = merge_entries(index, &mut entries, &parsed) {
            panic!("built-in table {name} is invalid: {}", errors.join("; "));
        }
        tables.push(entries);
    }
    Vocab {
        by_first: index_by_first(&tables),
        tables,
    }
});

impl Default for Vocab {
    fn default() -> Self {
        BUILTIN.clone()
    }
}

impl Vocab {
    /// The built-in vocabulary, parsed once and shared.
    pub fn builtin() -> &'static Vocab {
        &BUILTIN
    }

    /// Returns a copy of this vocabulary in which `entries` (phrase → code)
    /// are added to `table_name`, replacing rows with the same phrase.
    ///
    /// Every problem is reported, each message naming the table, the key and
    /// the codes that table allows.
    pub fn with_overrides(
        &self,
        table_name: &str,
        entries: &toml::Table,
    ) -> Result<Vocab, Vec<String>> {
        let Some(index) = TABLES.iter().position(|t| *t == table_name) else {
            return Err(vec![format!(
                "unknown vocabulary table '{table_name}': expected one of {}",
                TABLES.join(", ")
            )]);
        };
        let mut out = self.clone();
        merge_entries(index, &mut out.tables[index], entries)?;
        out.by_first = index_by_first(&out.tables);
        Ok(out)
    }

    /// The codes a table accepts, as listed in error messages; `None` for an
    /// unknown table name.
    pub fn allowed_codes(table_name: &str) -> Option<Vec<String>> {
        let index = TABLES.iter().position(|t| *t == table_name)?;
        Some(allowed_codes(index))
    }

    /// The (phrase, code) rows of a table, longest phrase first; `None` for an
    /// unknown table name.
    pub fn entries(&self, table_name: &str) -> Option<Vec<(&str, &str)>> {
        let index = TABLES.iter().position(|t| *t == table_name)?;
        Some(
            self.tables[index]
                .iter()
                .map(|e| (e.phrase.as_str(), e.code.as_str()))
                .collect(),
        )
    }

    /// True when the cell is a filler such as `无`, `N/A`, `-`, `测试` or `test`.
    pub fn is_filler(&self, raw: &str) -> bool {
        let form = match_form(raw);
        form.is_empty() || self.lookup_exact(Table::Fillers, &form).is_some()
    }

    pub(crate) fn table(&self, table: Table) -> &[Entry] {
        &self.tables[table as usize]
    }

    /// The entry whose phrase equals the whole matching-form text.
    pub(crate) fn lookup_exact(&self, table: Table, form: &str) -> Option<&Entry> {
        self.table(table).iter().find(|e| e.needle == form)
    }

    /// The entries of `table` whose phrase may start with `c`, in table
    /// order (callers check the phrase).
    fn starting_with(&self, table: Table, c: char) -> impl Iterator<Item = &Entry> {
        let entries = self.table(table);
        self.by_first[table as usize]
            .rows(c)
            .iter()
            .map(move |&i| &entries[i as usize])
    }

    /// Every place a phrase occurs, overlapping matches included.
    pub(crate) fn find_all(&self, table: Table, form: &str) -> Vec<Hit<'_>> {
        let mut hits = Vec::new();
        for (start, c) in form.char_indices() {
            for entry in self.starting_with(table, c) {
                if matches_at(form, start, &entry.needle) {
                    hits.push(Hit {
                        start,
                        end: start + entry.needle.len(),
                        entry,
                    });
                }
            }
        }
        hits
    }

    /// The longest phrase found anywhere in the text; ties go to the earliest.
    pub(crate) fn find_longest(&self, table: Table, form: &str) -> Option<Hit<'_>> {
        let mut best: Option<Hit<'_>> = None;
        for hit in self.find_all(table, form) {
            let len = hit.entry.needle.chars().count();
            let better = match best {
                None => true,
                Some(b) => len > b.entry.needle.chars().count(),
            };
            if better {
                best = Some(hit);
            }
        }
        best
    }

    /// Leftmost-longest, non-overlapping scan: at each position the longest
    /// phrase wins and the scan resumes after it.
    pub(crate) fn scan(&self, table: Table, form: &str) -> Vec<Hit<'_>> {
        let mut hits = Vec::new();
        let mut pos = 0;
        while pos < form.len() {
            let c = form[pos..].chars().next().expect("pos is a char boundary");
            let found = self
                .starting_with(table, c)
                .find(|e| matches_at(form, pos, &e.needle));
            match found {
                Some(entry) => {
                    let end = pos + entry.needle.len();
                    hits.push(Hit {
                        start: pos,
                        end,
                        entry,
                    });
                    pos = end;
                }
                None => {
                    pos += form[pos..].chars().next().map_or(1, char::len_utf8);
                }
            }
        }
        hits
    }
}

/// Normalizes text for phrase matching: [`text::nfkc_clean`], traditional →
/// simplified Chinese, lowercase.
pub(crate) fn match_form(raw: &str) -> String {
    let clean = text::nfkc_clean(raw);
    // The conversion only ever changes three-byte characters (as Hanzi
    // are in UTF-8), and lowercasing ASCII needs no new string.
    let mut form = if clean.chars().any(|c| c.len_utf8() == 3) {
        fast2s::convert(&clean)
    } else {
        clean
    };
    if form.is_ascii() {
        form.make_ascii_lowercase();
        form
    } else {
        form.to_lowercase()
    }
}

/// Whether `needle` occurs at byte `start` of `form`. A needle that begins or
/// ends with an ASCII letter or digit must not continue a longer ASCII word,
/// so `ba` never matches inside `mba` and `offer` not inside `offers`.
fn matches_at(form: &str, start: usize, needle: &str) -> bool {
    if needle.is_empty() || !form[start..].starts_with(needle) {
        return false;
    }
    let end = start + needle.len();
    let first = needle
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    let last = needle
        .chars()
        .next_back()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    if first
        && form[..start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric())
    {
        return false;
    }
    if last
        && form[end..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
    {
        return false;
    }
    true
}

/// Every code accepted by the table at `index`.
fn allowed_codes(index: usize) -> Vec<String> {
    let plain = |codes: &[&str]| codes.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    match index {
        i if i == Table::Education as usize => plain(education::Education::CODES),
        i if i == Table::EducationModifiers as usize => plain(education::MODIFIER_CODES),
        i if i == Table::Gender as usize => plain(gender::Gender::CODES),
        i if i == Table::Honorifics as usize => plain(name::HONORIFIC_CODES),
        i if i == Table::Fillers as usize => plain(&["filler"]),
        i if i == Table::Reasons as usize => {
            let mut codes = plain(reason::ReasonCode::CODES);
            for kind in reason::RejectionType::CODES {
                for code in reason::ReasonCode::CODES {
                    codes.push(format!("{kind}:{code}"));
                }
            }
            codes
        }
        i if i == Table::Status as usize => {
            let mut codes = plain(status::STAGE_CODES);
            codes.extend(
                plain(status::Outcome::CODES)
                    .into_iter()
                    .filter(|c| c != "hired"),
            );
            for stage in status::STAGE_CODES {
                for outcome in status::Outcome::CODES {
                    codes.push(format!("{stage}+{outcome}"));
                }
            }
            codes
        }
        i if i == Table::ContactResults as usize => plain(contact::ContactOutcome::CODES),
        _ => plain(&["yes", "no"]),
    }
}

/// The allowed codes as listed in error messages; compound forms are
/// described rather than enumerated.
fn codes_hint(index: usize) -> String {
    if index == Table::Reasons as usize {
        return format!(
            "{} (optionally prefixed with a type: {})",
            reason::ReasonCode::CODES.join(", "),
            reason::RejectionType::CODES
                .iter()
                .map(|k| format!("{k}:"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if index == Table::Status as usize {
        return format!(
            "stages {}; outcomes {}; or stage+outcome such as offer+declined",
            status::STAGE_CODES.join(", "),
            status::Outcome::CODES.join(", ")
        );
    }
    allowed_codes(index).join(", ")
}

/// Checks a code against the table's allowed set.
fn code_is_allowed(index: usize, code: &str) -> bool {
    if index == Table::Reasons as usize {
        return reason::parse_reason_code(code).is_some();
    }
    if index == Table::Status as usize {
        return status::parse_status_code(code).is_some();
    }
    allowed_codes(index).iter().any(|c| c == code)
}

/// Validates `source` rows and merges them into `entries` (replacing equal
/// phrases), keeping the longest-first order. Nothing is merged on error.
fn merge_entries(
    index: usize,
    entries: &mut Vec<Entry>,
    source: &toml::Table,
) -> Result<(), Vec<String>> {
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
        if !code_is_allowed(index, code) {
            errors.push(format!(
                "table '{name}', key '{key}': unknown code '{code}'; allowed codes: {}",
                codes_hint(index)
            ));
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
    merge_fresh(entries, fresh);
    Ok(())
}

/// Adds `fresh` rows to a phrase table, a row with the same matching form
/// replacing the old one, and keeps the table longest phrase first so scans
/// prefer the most specific phrase. Shared by every phrase table.
pub(crate) fn merge_fresh(entries: &mut Vec<Entry>, fresh: Vec<Entry>) {
    for entry in fresh {
        match entries.iter_mut().find(|e| e.needle == entry.needle) {
            Some(existing) => *existing = entry,
            None => entries.push(entry),
        }
    }
    entries.sort_by(|a, b| {
        b.needle
            .chars()
            .count()
            .cmp(&a.needle.chars().count())
            .then_with(|| a.needle.cmp(&b.needle))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_tables_load_and_are_nonempty() {
        let vocab = Vocab::builtin();
        assert_eq!(vocab.tables.len(), TABLES.len());
        for name in TABLES {
            let rows = vocab.entries(name).unwrap();
            assert!(!rows.is_empty(), "table {name} is empty");
        }
    }

    #[test]
    fn builtin_tables_have_no_duplicate_phrases() {
        // Two rows that normalize to the same needle would make matching
        // depend on file order.
        for (i, name) in TABLES.iter().enumerate() {
            let parsed: toml::Table = BUILTIN_SOURCES[i].parse().unwrap();
            let mut needles: Vec<String> = parsed.keys().map(|k| match_form(k)).collect();
            let total = needles.len();
            needles.sort();
            needles.dedup();
            assert_eq!(needles.len(), total, "duplicate phrase in table {name}");
        }
    }

    #[test]
    fn table_ids_follow_table_names() {
        let ids = [
            (Table::Education, "education"),
            (Table::EducationModifiers, "education_modifiers"),
            (Table::Gender, "gender"),
            (Table::Honorifics, "honorifics"),
            (Table::Fillers, "fillers"),
            (Table::Reasons, "reasons"),
            (Table::Status, "status"),
            (Table::YesNo, "yes_no"),
            (Table::ContactResults, "contact_results"),
        ];
        assert_eq!(ids.len(), TABLES.len());
        for (id, name) in ids {
            assert_eq!(TABLES[id as usize], name);
        }
    }

    #[test]
    fn default_equals_builtin() {
        assert_eq!(&Vocab::default(), Vocab::builtin());
    }

    #[test]
    fn overrides_add_and_replace() {
        let extra: toml::Table = r#"
            "编制取消" = "headcount_filled"
            "薪资期望过高" = "candidate_declined:salary_mismatch"
        "#
        .parse()
        .unwrap();
        let vocab = Vocab::builtin().with_overrides("reasons", &extra).unwrap();
        let rows = vocab.entries("reasons").unwrap();
        assert!(rows.contains(&("编制取消", "headcount_filled")));
        assert!(rows.contains(&("薪资期望过高", "candidate_declined:salary_mismatch")));
        let same = rows.iter().filter(|(p, _)| *p == "薪资期望过高").count();
        assert_eq!(same, 1);
        // The original is untouched.
        let original = Vocab::builtin().entries("reasons").unwrap();
        assert!(!original.contains(&("编制取消", "headcount_filled")));
    }

    #[test]
    fn override_errors_name_table_key_and_codes() {
        let bad: toml::Table = r#"
            "硕士" = "masters"
            "博士" = 7
        "#
        .parse()
        .unwrap();
        let errors = Vocab::builtin()
            .with_overrides("education", &bad)
            .unwrap_err();
        assert_eq!(errors.len(), 2);
        assert!(errors.iter().any(|e| e
            == "table 'education', key '硕士': unknown code 'masters'; allowed codes: \
                below_high_school, high_school, associate, bachelor, master, doctorate"));
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with("table 'education', key '博士': expected a string code"))
        );

        let unknown = Vocab::builtin()
            .with_overrides("salary", &toml::Table::new())
            .unwrap_err();
        assert_eq!(
            unknown,
            vec![format!(
                "unknown vocabulary table 'salary': expected one of {}",
                TABLES.join(", ")
            )]
        );
    }

    #[test]
    fn status_errors_describe_compound_codes() {
        let bad: toml::Table = r#""已沟通" = "talking""#.parse().unwrap();
        let errors = Vocab::builtin().with_overrides("status", &bad).unwrap_err();
        assert_eq!(
            errors,
            vec![
                "table 'status', key '已沟通': unknown code 'talking'; allowed codes: stages \
                 applied, screening, interview, interview_1, interview_2, interview_3, offer, hired; \
                 outcomes in_progress, passed, rejected, declined, on_hold, talent_pool, hired; \
                 or stage+outcome such as offer+declined"
                    .to_string()
            ]
        );
        let codes = Vocab::allowed_codes("status").unwrap();
        assert!(codes.contains(&"offer+declined".to_string()));
        assert!(codes.contains(&"talent_pool".to_string()));
        for code in &codes {
            assert!(status::parse_status_code(code).is_some(), "{code}");
        }
    }

    #[test]
    fn allowed_codes_for_reasons_include_typed_form() {
        let codes = Vocab::allowed_codes("reasons").unwrap();
        assert!(codes.contains(&"no_show".to_string()));
        assert!(codes.contains(&"candidate_declined:salary_mismatch".to_string()));
        assert_eq!(Vocab::allowed_codes("nope"), None);
    }

    const EMPTY_MARKERS: &[(&str, bool)] = &[
        ("无", true),
        ("N/A", true),
        ("n/a", true),
        ("-", true),
        ("测试", true),
        ("TEST", true),
        ("  ", true),
        ("暂无", true),
        ("张三", false),
        ("testa", false),
    ];

    #[test]
    fn filler_table() {
        let vocab = Vocab::builtin();
        for (raw, expected) in EMPTY_MARKERS {
            assert_eq!(vocab.is_filler(raw), *expected, "{raw:?}");
        }
    }

    const BOUNDARIES: &[(&str, usize, &str, bool)] = &[
        ("mba", 0, "mba", true),
        ("emba", 1, "mba", false),
        ("offers", 0, "offer", false),
        ("发offer", 3, "offer", true),
        ("hc冻结", 0, "hc冻结", true),
        ("因hc冻结", 3, "hc冻结", true),
        ("x", 0, "", false),
    ];

    #[test]
    fn ascii_word_boundaries() {
        for (form, start, needle, expected) in BOUNDARIES {
            assert_eq!(
                matches_at(form, *start, needle),
                *expected,
                "{form:?} {needle:?}"
            );
        }
    }

    #[test]
    fn scan_prefers_longest_at_each_position() {
        let vocab = Vocab::builtin();
        let form = match_form("非全日制本科");
        let hits = vocab.scan(Table::EducationModifiers, &form);
        let codes: Vec<&str> = hits.iter().map(|h| h.entry.code.as_str()).collect();
        assert_eq!(codes, vec!["part_time"]);
    }

    proptest::proptest! {
        /// The fast paths give the form the full conversion gives: Latin,
        /// Greek (final sigma), full-width and traditional text alike.
        #[test]
        fn match_form_is_the_full_conversion(
            raw in "[a-zA-Z0-9 .,ΣσΑαÀÉçİıẞ張偉陳華臺灣学习ＡＢＣａｂｃ１２３\u{3000}\u{200b}\t\n]{0,16}"
        ) {
            let full = fast2s::convert(&text::nfkc_clean(&raw)).to_lowercase();
            proptest::prop_assert_eq!(match_form(&raw), full);
        }
    }

    #[test]
    fn match_form_keeps_only_three_byte_characters_for_conversion() {
        // Every character fast2s could change is three bytes long.
        for c in (0u32..0x11_0000).filter_map(char::from_u32) {
            if c.len_utf8() != 3 {
                let s = c.to_string();
                assert_eq!(fast2s::convert(&s), s, "{c:?}");
            }
        }
    }

    #[test]
    fn reject_displays_reason() {
        assert_eq!(Reject::new("not a date").to_string(), "not a date");
    }
}
