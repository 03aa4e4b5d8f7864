//! Finding the header row of a sheet and mapping its labels to canonical
//! fields.
//!
//! Real recruiting sheets rarely start with a header in row 1: there is a
//! title (`2022年招聘台账`), a note (`注：红色为重点候选人`), a blank row, and
//! sometimes a two-row header whose upper row holds merged group cells
//! (`基础信息` over `姓名 | 性别 | 手机号`). Taking the first non-empty row as
//! the header gets all of these wrong, so every candidate row is *scored*
//! against the synonym table instead, and the best-scoring row (alone or
//! combined with a group row above it) wins. A sheet where no row scores as a
//! header — a drop-down lookup list, free-text instructions, a chart — is
//! reported and skipped rather than turned into candidates.
//!
//! This module knows nothing about files: it works on a [`Grid`] of cells that
//! the Excel and CSV readers build.

use foldhash::{HashMap, HashMapExt};
use std::collections::BTreeMap;
use std::sync::LazyLock;

use unicode_normalization::UnicodeNormalization;

use super::{Cell, Grid};
use crate::columns::Field;

/// How a column label was matched to its field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchKind {
    /// The normalized label equals a synonym.
    Exact,
    /// The label contains a synonym that makes up at least half of it.
    Contains,
    /// The pipeline's `columns` table named the field.
    Override,
}

/// The synonym table: normalized label → field.
#[derive(Debug, Clone)]
pub struct HeaderTable {
    exact: HashMap<String, Field>,
    /// (normalized synonym, field), longest first, for `Contains` matches.
    by_length: Vec<(String, Field)>,
}

static BUILTIN: LazyLock<HeaderTable> = LazyLock::new(|| {
    HeaderTable::from_toml(include_str!("headers.toml")).expect("built-in header table is valid")
});

/// The header of a recall workbook as hrflow writes it: the columns a
/// returned workbook is read by. Only these exact names are recognised, so
/// the workbook's fact columns (`interviewer`, `interview_date`…, about the
/// earlier interview) are never taken for the outcome HR filled in.
static RECALL_OUTCOMES: LazyLock<HeaderTable> = LazyLock::new(|| {
    use crate::columns::col;
    let mut t = HeaderTable {
        exact: HashMap::new(),
        by_length: Vec::new(),
    };
    for (label, field) in [
        (col::CANDIDATE_ID, Field::CandidateId),
        (col::NAME, Field::Name),
        (col::POSITION_ID, Field::PositionId),
        (col::POSITION, Field::Position),
        (col::RECALL_CHANNEL, Field::ContactChannel),
        (col::OUTCOME, Field::ContactResult),
        (col::OUTCOME_AT, Field::ContactAt),
        (col::OUTCOME_BY, Field::ContactedBy),
        (col::REINTERVIEW_AT, Field::ReinterviewAt),
        (col::REINTERVIEW_BY, Field::ReinterviewBy),
        (col::LISTED_AT, Field::ListedAt),
        (col::OUTCOME_NOTES, Field::Notes),
    ] {
        t.exact.insert(normalize_label(label).0, field);
    }
    t
});

impl HeaderTable {
    /// The built-in table from `headers.toml`.
    pub fn builtin() -> &'static HeaderTable {
        &BUILTIN
    }

    /// The exact column names of a recall workbook (see [`Expect::RecallOutcomes`]).
    pub fn recall_outcomes() -> &'static HeaderTable {
        &RECALL_OUTCOMES
    }

    fn from_toml(text: &str) -> Result<HeaderTable, String> {
        let table: BTreeMap<String, Vec<String>> =
            toml::from_str(text).map_err(|e| e.to_string())?;
        let mut out = HeaderTable {
            exact: HashMap::new(),
            by_length: Vec::new(),
        };
        for (field, labels) in table {
            let field: Field = field
                .parse()
                .map_err(|_| format!("unknown field `{field}` in header table"))?;
            for label in labels {
                out.insert(&label, field)?;
            }
        }
        out.sort();
        Ok(out)
    }

    fn insert(&mut self, label: &str, field: Field) -> Result<(), String> {
        let key = normalize_label(label).0;
        if key.is_empty() {
            return Err(format!("header label `{label}` is empty once normalized"));
        }
        if let Some(prev) = self.exact.insert(key.clone(), field)
            && prev != field
        {
            return Err(format!(
                "header label `{label}` is listed for both `{prev}` and `{field}`"
            ));
        }
        self.by_length.push((key, field));
        Ok(())
    }

    fn sort(&mut self) {
        self.by_length.sort_by(|a, b| {
            b.0.chars()
                .count()
                .cmp(&a.0.chars().count())
                .then(a.0.cmp(&b.0))
        });
        self.by_length.dedup();
    }

    /// A copy with the pipeline's extra synonyms (`label = "field"`) added;
    /// a pipeline entry replaces a built-in one with the same label.
    pub fn with_extra(&self, extra: &BTreeMap<String, String>) -> Result<HeaderTable, Vec<String>> {
        let mut out = self.clone();
        let mut errors = Vec::new();
        for (label, field) in extra {
            match field.parse::<Field>() {
                Ok(field) => {
                    let key = normalize_label(label).0;
                    out.exact.insert(key.clone(), field);
                    out.by_length.retain(|(k, _)| *k != key);
                    out.by_length.push((key, field));
                }
                Err(()) => errors.push(format!(
                    "header `{label}`: unknown field `{field}`; expected one of {}",
                    field_list()
                )),
            }
        }
        out.sort();
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }

    /// Matches one label.
    pub fn lookup(&self, label: &str) -> Option<(Field, MatchKind)> {
        let key = normalize_label(label).0;
        self.lookup_key(&key)
    }

    fn lookup_key(&self, key: &str) -> Option<(Field, MatchKind)> {
        if key.is_empty() {
            return None;
        }
        if let Some(f) = self.exact.get(key) {
            return Some((*f, MatchKind::Exact));
        }
        let len = key.chars().count();
        // A short synonym inside a long label is usually a different question
        // (`是否有相关工作经验` is yes/no, not years), so the synonym must make
        // up at least half the label.
        self.by_length.iter().find_map(|(syn, field)| {
            let syn_len = syn.chars().count();
            (syn_len * 2 >= len && syn_len >= 2 && key.contains(syn.as_str()))
                .then_some((*field, MatchKind::Contains))
        })
    }
}

/// Comma-separated list of canonical field names, for error messages.
pub fn field_list() -> String {
    Field::ALL
        .iter()
        .map(|f| f.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Normalizes a header label for matching and splits off a trailing
/// parenthesised note (`期望薪资(K)` → (`期望薪资`, `Some("K")`)), which the
/// salary rule uses as a unit hint.
pub fn normalize_label(raw: &str) -> (String, Option<String>) {
    // Traditional-character headers (`手機號碼`, `電子郵箱`) from Taiwan and
    // Hong Kong offices match the simplified synonyms.
    let text: String = fast2s::convert(raw.nfkc().collect::<String>().trim());
    let mut hint = None;
    let mut base = text.as_str();
    if let Some(stripped) = base.strip_suffix(')')
        && let Some(open) = stripped.rfind('(')
    {
        let inner = stripped[open + 1..].trim();
        if !inner.is_empty() {
            hint = Some(inner.to_string());
        }
        base = &stripped[..open];
    }
    let key: String = base
        .chars()
        .filter(|c| !c.is_whitespace() && !"-_./\\·:：*#".contains(*c))
        .flat_map(char::to_lowercase)
        .collect();
    (key, hint)
}

/// One column of a recognised header.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// 0-based index into the row's cells.
    pub index: usize,
    /// The label as shown in the sheet; `group/label` for two-row headers.
    pub label: String,
    /// Canonical field, or `None` when the column goes to `extra`.
    pub field: Option<Field>,
    /// How the field was found; `None` for unmapped columns.
    pub how: Option<MatchKind>,
    /// A unit note from the label, e.g. `K` or `万/年`.
    pub unit_hint: Option<String>,
    /// The pipeline asked to drop this column.
    pub ignored: bool,
}

/// A recognised header.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    /// Grid index of the (lower) header row.
    pub row: usize,
    /// Grid index of the group row above it, for two-row headers.
    pub group_row: Option<usize>,
    pub columns: Vec<Column>,
    /// Sum of match weights (exact 1, contains 0.5) over distinct fields.
    pub score: f32,
    /// One sentence on why this row was chosen, for `inspect`.
    pub why: String,
}

impl Header {
    /// The column mapped to `field`, if any (the first one for repeated fields).
    pub fn column_of(&self, field: Field) -> Option<&Column> {
        self.columns.iter().find(|c| c.field == Some(field))
    }
}

/// What kind of sheet the header must look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    Candidates,
    Positions,
    /// A contact log: someone to link the row to, and when or with what
    /// result they were contacted.
    Contacts,
    /// A returned recall workbook: the candidate id and outcome columns
    /// hrflow wrote.
    RecallOutcomes,
}

/// Options for [`detect`].
#[derive(Debug, Clone)]
pub struct HeaderOptions<'a> {
    pub table: &'a HeaderTable,
    /// Source header label → field name or `ignore`.
    pub overrides: &'a BTreeMap<String, String>,
    pub expect: Expect,
    /// Grid index of the header row, when the pipeline fixes it.
    pub forced_row: Option<usize>,
}

/// How many rows from the top are tried as header candidates.
const SCAN_ROWS: usize = 30;
/// A header must match at least this much (two exact labels).
const MIN_SCORE: f32 = 2.0;

/// Finds the header row of `grid`, or explains why there is none.
pub fn detect(grid: &Grid, opts: &HeaderOptions) -> Result<Header, String> {
    let candidates: Vec<usize> = match opts.forced_row {
        Some(r) if r < grid.rows.len() => vec![r],
        Some(_) => {
            return Err(format!(
                "header_row is past the last row {}",
                grid.sheet_row(grid.rows.len().saturating_sub(1))
            ));
        }
        None => (0..grid.rows.len().min(SCAN_ROWS)).collect(),
    };
    let mut best: Option<Header> = None;
    for r in candidates {
        let single = build(grid, r, None, opts);
        let grouped = (r > 0 && looks_like_group_row(grid, r - 1, r))
            .then(|| build(grid, r, Some(r - 1), opts));
        for h in std::iter::once(single).chain(grouped) {
            if best.as_ref().is_none_or(|b| h.score > b.score) {
                best = Some(h);
            }
        }
    }
    let Some(mut best) = best else {
        return Err("the sheet is empty".to_string());
    };
    let fields: Vec<Field> = best.columns.iter().filter_map(|c| c.field).collect();
    let ok = match opts.expect {
        Expect::Candidates => fields.iter().any(|f| f.is_identity()),
        Expect::Positions => {
            fields.contains(&Field::Position) && fields.iter().any(|f| f.is_position_field())
        }
        Expect::Contacts => {
            fields.iter().any(|f| f.is_identity())
                && fields.iter().any(|f| {
                    matches!(
                        f,
                        Field::ContactAt | Field::ContactResult | Field::Status | Field::AppliedAt
                    )
                })
        }
        Expect::RecallOutcomes => {
            fields.contains(&Field::CandidateId) && fields.contains(&Field::ContactResult)
        }
    };
    let forced = opts.forced_row.is_some();
    if !forced && (best.score < MIN_SCORE || !ok) {
        let what = match opts.expect {
            Expect::Candidates => "a name, phone, email, WeChat or id column",
            Expect::Positions => "a position title and position columns",
            Expect::Contacts => "a name, phone or email column and a contact time or result column",
            Expect::RecallOutcomes => {
                "the `candidate_id` and `outcome` columns of a recall workbook"
            }
        };
        return Err(format!(
            "no row in the first {SCAN_ROWS} looks like a header with {what} (best: row {}, score {:.1})",
            grid.sheet_row(best.row),
            best.score
        ));
    }
    best.why = format!(
        "row {}{} matched {} known labels (score {:.1}){}",
        grid.sheet_row(best.row),
        best.group_row
            .map(|g| format!(" with group row {}", grid.sheet_row(g)))
            .unwrap_or_default(),
        fields.len(),
        best.score,
        if forced { ", set by header_row" } else { "" }
    );
    Ok(best)
}

/// A row above the header is a group row when the sheet merges some of its
/// cells across columns, or when it carries labels exactly over the header
/// row's gaps (vertically merged single columns such as `面试官`).
fn looks_like_group_row(grid: &Grid, group: usize, row: usize) -> bool {
    let horizontally_merged = grid
        .merges
        .iter()
        .any(|m| m.top == group && m.right > m.left);
    let fills_gaps =
        (0..grid.width()).any(|c| !grid.cell(group, c).is_empty() && grid.cell(row, c).is_empty());
    let group_cells = (0..grid.width())
        .filter(|&c| !grid.cell(group, c).is_empty())
        .count();
    group_cells > 0 && (horizontally_merged || fills_gaps)
}

/// Longest cell text read as a header label. Labels are a few words (a
/// survey question, a sentence); a longer cell is data, and reading it as a
/// label (NFKC, traditional→simplified, several lookups) would cost more
/// than the rest of the file when it is megabytes of text on one line.
const MAX_LABEL_BYTES: usize = 1024;

/// The cell's text as a header label; empty for a cell too long to be one.
fn label_text(cell: &Cell) -> String {
    match cell {
        Cell::Text(t) if t.len() > MAX_LABEL_BYTES => String::new(),
        c => c.as_text(),
    }
}

fn build(grid: &Grid, row: usize, group_row: Option<usize>, opts: &HeaderOptions) -> Header {
    let mut columns = Vec::new();
    let mut score = 0.0;
    let mut seen: BTreeMap<Field, ()> = BTreeMap::new();
    for c in 0..grid.width() {
        let child = label_text(grid.cell(row, c));
        let parent = group_row
            .map(|g| label_text(grid.merged_value(g, c)))
            .unwrap_or_default();
        let label = match (parent.is_empty(), child.is_empty()) {
            (_, true) => parent.clone(),
            (true, false) => child.clone(),
            (false, false) if parent == child => child.clone(),
            (false, false) => format!("{parent}/{child}"),
        };
        if label.is_empty() {
            continue;
        }
        let unit_hint = normalize_label(&child)
            .1
            .or_else(|| normalize_label(&parent).1);
        let (field, how, ignored) = map_label(&label, &child, &parent, opts);
        if let (Some(f), Some(how)) = (field, how)
            && seen.insert(f, ()).is_none()
        {
            score += match how {
                MatchKind::Exact | MatchKind::Override => 1.0,
                MatchKind::Contains => 0.5,
            };
        }
        columns.push(Column {
            index: c,
            label,
            field,
            how,
            unit_hint,
            ignored,
        });
    }
    Header {
        row,
        group_row,
        columns,
        score,
        why: String::new(),
    }
}

fn map_label(
    label: &str,
    child: &str,
    parent: &str,
    opts: &HeaderOptions,
) -> (Option<Field>, Option<MatchKind>, bool) {
    for key in [label, child, parent] {
        if key.is_empty() {
            continue;
        }
        if let Some(target) = opts.overrides.get(key) {
            if target == "ignore" {
                return (None, None, true);
            }
            if let Ok(f) = target.parse::<Field>() {
                return (Some(f), Some(MatchKind::Override), false);
            }
        }
    }
    // The child label decides; the combined `group/label` form and the group
    // alone (for vertically merged single columns) are fallbacks.
    let tries: [&str; 3] = [child, label, parent];
    let mut contains = None;
    for t in tries {
        match opts.table.lookup(t) {
            Some((f, MatchKind::Exact)) => return (Some(f), Some(MatchKind::Exact), false),
            Some((f, how)) if contains.is_none() => contains = Some((f, how)),
            _ => {}
        }
        if !child.is_empty() {
            // With a child label, never fall back to the group alone: the
            // group `面试评分` over `面试官` must not make 面试官 a score.
            if t == label {
                break;
            }
        }
    }
    match contains {
        Some((f, how)) => (Some(f), Some(how), false),
        None => (None, None, false),
    }
}

/// What a row below the header holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RowKind {
    Data,
    Blank,
    /// A title, note or comment line (one text cell outside the data columns).
    Note,
    /// A total or count line (`合计`, `共 38 人`, `Total`).
    Total,
    /// The header repeated further down the sheet.
    RepeatedHeader,
}

impl RowKind {
    /// Stable name for the manifest.
    pub fn name(self) -> &'static str {
        match self {
            RowKind::Data => "data",
            RowKind::Blank => "blank",
            RowKind::Note => "note",
            RowKind::Total => "total",
            RowKind::RepeatedHeader => "header",
        }
    }
}

const TOTAL_WORDS: &[&str] = &["合计", "总计", "小计", "汇总", "total", "sum", "共计"];
const NOTE_PREFIXES: &[&str] = &["注", "备注", "说明", "填表说明", "note", "*", "※"];

/// Classifies one row below the header.
pub fn classify(cells: &[Cell], header: &Header) -> RowKind {
    // Runs on every row of every table: no per-cell allocation.
    let filled = || cells.iter().enumerate().filter(|(_, c)| !c.is_empty());
    let Some((first_index, first_cell)) = filled().next() else {
        return RowKind::Blank;
    };
    let filled_count = filled().count();
    let first = first_cell.as_text().to_lowercase();
    let first_key: String = first.chars().filter(|c| !c.is_whitespace()).collect();
    if TOTAL_WORDS.iter().any(|w| first_key.starts_with(w))
        || (first_key.starts_with('共') && first_key.ends_with('人'))
    {
        return RowKind::Total;
    }
    // The cell's text (as `Cell::as_text` gives it) equals `label`.
    let shows = |c: &Cell, label: &str| match c {
        Cell::Text(t) => t.trim() == label,
        other => other.as_text() == label,
    };
    let header_hits = filled()
        .filter(|(i, c)| {
            header.columns.iter().any(|col| {
                col.index == *i
                    && col.field.is_some()
                    && shows(c, col.label.rsplit('/').next().unwrap_or(""))
            })
        })
        .count();
    if header_hits >= 2 && header_hits * 2 >= filled_count {
        return RowKind::RepeatedHeader;
    }
    if filled_count == 1 {
        let (index, cell) = (first_index, first_cell);
        let field = header
            .columns
            .iter()
            .find(|c| c.index == index)
            .and_then(|c| c.field);
        let is_note_text =
            NOTE_PREFIXES.iter().any(|p| first_key.starts_with(p)) || first.chars().count() > 30;
        let in_identity_column = field.is_some_and(|f| f.is_identity());
        if matches!(cell, Cell::Text(_)) && (is_note_text || !in_identity_column) {
            return RowKind::Note;
        }
    }
    RowKind::Data
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_normalize_and_keep_unit_hints() {
        const CASES: &[(&str, &str, Option<&str>)] = &[
            ("姓名", "姓名", None),
            (" 手机号码 ", "手机号码", None),
            ("期望薪资(K)", "期望薪资", Some("K")),
            ("期望薪资（万/年）", "期望薪资", Some("万/年")),
            ("E-mail", "email", None),
            ("应聘部门/项目组", "应聘部门项目组", None),
            ("姓名*", "姓名", None),
            ("Ｐｈｏｎｅ", "phone", None),
            ("手機號碼", "手机号码", None),
        ];
        for (raw, key, hint) in CASES {
            let (k, h) = normalize_label(raw);
            assert_eq!((k.as_str(), h.as_deref()), (*key, *hint), "{raw}");
        }
    }

    #[test]
    fn lookup_matches_exact_and_dominant_substrings_only() {
        let t = HeaderTable::builtin();
        assert_eq!(t.lookup("联系电话"), Some((Field::Phone, MatchKind::Exact)));
        assert_eq!(
            t.lookup("Candidate Name"),
            Some((Field::Name, MatchKind::Exact))
        );
        assert_eq!(
            t.lookup("应聘者姓名"),
            Some((Field::Name, MatchKind::Exact))
        );
        assert_eq!(
            t.lookup("本人手机号"),
            Some((Field::Phone, MatchKind::Contains))
        );
        // A yes/no question that merely mentions experience is not years.
        assert_eq!(t.lookup("是否有相关工作经验"), None);
        assert_eq!(t.lookup("col"), None);
    }

    #[test]
    fn builtin_table_lists_no_label_twice() {
        // from_toml errors on a label listed for two fields; this pins it.
        let bad = "name = [\"姓名\"]\nphone = [\"姓名\"]\n";
        assert!(HeaderTable::from_toml(bad).unwrap_err().contains("both"));
        assert!(HeaderTable::from_toml(include_str!("headers.toml")).is_ok());
    }

    /// A megabyte of text on one line is never read as a header label.
    #[test]
    fn cells_too_long_for_a_label_are_not_header_candidates() {
        let text = |s: &str| Cell::Text(s.to_string());
        let grid = Grid {
            first_row: 1,
            rows: vec![
                vec![text(&"姓名".repeat(1 << 19)), text("手机号")],
                vec![text("姓名"), text("手机号")],
                vec![text("张三"), text("13800138000")],
            ],
            ..Grid::default()
        };
        let overrides = BTreeMap::new();
        let opts = HeaderOptions {
            table: HeaderTable::builtin(),
            overrides: &overrides,
            expect: Expect::Candidates,
            forced_row: None,
        };
        let h = detect(&grid, &opts).unwrap();
        assert_eq!(h.row, 1);
        assert_eq!(label_text(&grid.rows[0][0]), "");
        assert_eq!(label_text(&grid.rows[0][1]), "手机号");
    }

    #[test]
    fn pipeline_headers_extend_the_table() {
        let mut extra = BTreeMap::new();
        extra.insert("联系人手机".to_string(), "phone".to_string());
        extra.insert("坏列".to_string(), "nonsense".to_string());
        let errs = HeaderTable::builtin().with_extra(&extra).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert!(errs[0].contains("unknown field `nonsense`"), "{}", errs[0]);
        extra.remove("坏列");
        let t = HeaderTable::builtin().with_extra(&extra).unwrap();
        assert_eq!(
            t.lookup("联系人手机"),
            Some((Field::Phone, MatchKind::Exact))
        );
    }
}
