//! The monthly management report: one [`ReportModel`] built from a run's
//! records, survey answers, recall lists and accounting, written as an XLSX
//! workbook ([`xlsx`]), a self-contained HTML page ([`html`]) and the model
//! itself as `report.json`.
//!
//! Every figure is computed once, in [`build`], and stored with both its
//! number and the text a reader sees. The writers only lay the model out:
//! the workbook writes the numbers with a number format that shows the same
//! text, the page prints the text. So the two files cannot disagree, and the
//! tests check that they do not by reading both back against `report.json`.
//!
//! The model is deliberately generic — key figures, then sections made of
//! tables, each table optionally drawn as one chart — so that a new figure
//! is a new table in [`build`] and appears in both files without touching
//! either writer. Labels come from `reports/monthly/texts.toml` in the
//! pipeline's language.

pub mod build;
pub mod html;
pub mod mask;
pub mod svg;
pub mod xlsx;

use std::collections::BTreeMap;
use std::sync::LazyLock;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use build::{Periods, ReportInput, Scope, build};

use crate::notices::Lang;

/// File names the report writes into the output folder.
pub const XLSX_FILE: &str = "report.xlsx";
pub const HTML_FILE: &str = "report.html";
pub const JSON_FILE: &str = "report.json";

/// Recall-list rows per position in the report unless `recall_top` says
/// otherwise: the best few are what a manager reads; HR works from the
/// full lists.
pub const DEFAULT_RECALL_TOP: usize = 10;

/// `[report]` in a pipeline.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReportSettings {
    /// Report title; the language's default title when absent.
    pub title: Option<String>,
    /// Company name shown under the title.
    pub company: String,
    /// `zh` or `en`: the language of every label in both files.
    pub language: Lang,
    /// Survey groups with fewer responses are suppressed (shown as `<n`).
    pub min_group_size: usize,
    /// Months in the monthly trend, ending with the report month (the
    /// month before the as-of date).
    pub trend_months: u32,
    /// Channel → money spent on it in the period, for cost per hire.
    pub channel_costs: BTreeMap<String, f64>,
    /// Show candidate names on the recall list as `张*` / `Z. S.` only.
    pub mask_names: bool,
    /// Contact details to mask wherever the report shows text (see
    /// [`mask`]): `phone`, `email`, `id_number`.
    pub mask: Vec<mask::Mask>,
    /// Rows per position in the report's recall list, best scores first;
    /// the full lists are the `recall-<position>.xlsx` files.
    pub recall_top: usize,
}

impl Default for ReportSettings {
    fn default() -> Self {
        ReportSettings {
            title: None,
            company: String::new(),
            language: Lang::Zh,
            min_group_size: crate::stats::groups::DEFAULT_MIN_GROUP_SIZE,
            trend_months: 12,
            channel_costs: BTreeMap::new(),
            mask_names: false,
            mask: Vec::new(),
            recall_top: DEFAULT_RECALL_TOP,
        }
    }
}

impl ReportSettings {
    /// Every problem, as (key, message) so the plan can point at the line;
    /// for a channel cost the key is the channel.
    pub fn validate(&self) -> Vec<(String, String)> {
        let mut errs = Vec::new();
        if self.min_group_size == 0 {
            errs.push((
                "min_group_size".to_string(),
                "`min_group_size` must be at least 1".to_string(),
            ));
        }
        if self.recall_top == 0 {
            errs.push((
                "recall_top".to_string(),
                "`recall_top` must be at least 1".to_string(),
            ));
        }
        if !(1..=60).contains(&self.trend_months) {
            errs.push((
                "trend_months".to_string(),
                format!(
                    "`trend_months` {} is out of range; expected 1 to 60",
                    self.trend_months
                ),
            ));
        }
        for (channel, cost) in &self.channel_costs {
            if !cost.is_finite() || *cost < 0.0 {
                errs.push((
                    channel.clone(),
                    format!("channel cost for `{channel}` is {cost}; expected a finite amount ≥ 0"),
                ));
            }
        }
        errs
    }
}

/// How a number is shown. The XLSX number format of each kind shows the
/// same text as [`Fmt::display`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fmt {
    Text,
    /// Whole numbers.
    Int,
    /// One decimal.
    Dec1,
    /// Two decimals.
    Dec2,
    /// A fraction 0–1 shown as a percentage with one decimal.
    Pct,
    /// Money, whole units with thousands separators.
    Money,
    /// A signed whole number (NPS): `+25`, `-10`, `0`.
    Signed,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
}

/// Rounds half away from zero, as Excel's number formats do.
fn round_to(v: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    let r = (v * f).round() / f;
    if r == 0.0 { 0.0 } else { r }
}

fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

impl Fmt {
    /// The text a reader sees for `v`.
    pub fn display(self, v: f64) -> String {
        match self {
            Fmt::Text | Fmt::Date => crate::output::format_float(v),
            Fmt::Int => thousands(round_to(v, 0) as i64),
            Fmt::Dec1 => format!("{:.1}", round_to(v, 1)),
            Fmt::Dec2 => format!("{:.2}", round_to(v, 2)),
            Fmt::Pct => format!("{:.1}%", round_to(v * 100.0, 1)),
            Fmt::Money => thousands(round_to(v, 0) as i64),
            Fmt::Signed => {
                let r = round_to(v, 0) as i64;
                if r > 0 {
                    format!("+{r}")
                } else {
                    r.to_string()
                }
            }
        }
    }

    /// The Excel number format showing the same text as [`Fmt::display`].
    pub fn excel(self) -> &'static str {
        match self {
            Fmt::Text => "@",
            Fmt::Int | Fmt::Money => "#,##0",
            Fmt::Dec1 => "0.0",
            Fmt::Dec2 => "0.00",
            Fmt::Pct => "0.0%",
            Fmt::Signed => "+0;-0;0",
            Fmt::Date => "yyyy-mm-dd",
        }
    }
}

/// One cell of a report table: a number (with its shown text), a date, or text.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Value {
    /// The figure, when the cell is numeric and known.
    pub number: Option<f64>,
    /// The date, when the cell is a date.
    #[serde(serialize_with = "iso_date")]
    pub date: Option<NaiveDate>,
    /// How the number is shown (the XLSX number format follows it).
    pub fmt: Fmt,
    /// What the reader sees: the formatted number, the date, the text, or
    /// `–` for a figure that cannot be computed.
    pub display: String,
}

fn iso_date<S: serde::Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_some(&d.to_string()),
        None => s.serialize_none(),
    }
}

/// Shown for a figure that cannot be computed (no data, zero denominator).
pub const MISSING: &str = "–";

impl Value {
    /// A text cell.
    pub fn text(s: impl Into<String>) -> Value {
        Value {
            number: None,
            date: None,
            fmt: Fmt::Text,
            display: s.into(),
        }
    }

    /// A numeric cell; `None` shows as [`MISSING`].
    pub fn num(v: Option<f64>, fmt: Fmt) -> Value {
        match v.filter(|v| v.is_finite()) {
            Some(v) => Value {
                number: Some(v),
                date: None,
                fmt,
                display: fmt.display(v),
            },
            None => Value::text(MISSING),
        }
    }

    /// A count.
    pub fn int(n: usize) -> Value {
        Value::num(Some(n as f64), Fmt::Int)
    }

    /// A date cell.
    pub fn date(d: Option<NaiveDate>) -> Value {
        match d {
            Some(d) => Value {
                number: None,
                date: Some(d),
                fmt: Fmt::Date,
                display: d.to_string(),
            },
            None => Value::text(MISSING),
        }
    }
}

/// A table column.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Column {
    /// The full heading (`近12个月 · 申请`), as the workbook shows it.
    pub label: String,
    pub fmt: Fmt,
    /// For a column of one span: the span (`近12个月`) and the heading
    /// within it (`申请`). The page draws such columns under one spanning
    /// heading per span, which keeps wide tables narrow.
    pub group: Option<String>,
    pub sub: Option<String>,
}

impl Column {
    /// A column outside any span.
    pub fn new(label: String, fmt: Fmt) -> Column {
        Column {
            label,
            fmt,
            group: None,
            sub: None,
        }
    }
}

/// How a table is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    /// Horizontal bars, one series.
    Bar,
    /// Vertical columns, one or more series side by side.
    Column,
    /// Lines over the categories, one or more series.
    Line,
    /// Horizontal bars stacked to 100 %, one segment per series.
    StackedBar,
}

/// A chart of a table: categories from one column, series from others.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Chart {
    pub kind: ChartKind,
    pub title: String,
    /// The column holding the category labels.
    pub category: usize,
    /// The columns drawn as series.
    pub series: Vec<usize>,
    /// The same chart as inline SVG, for the HTML page.
    pub svg: String,
}

/// One table of a section.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Table {
    /// Stable id (`funnel_total`), used by tests and as the HTML anchor.
    pub id: &'static str,
    pub title: String,
    /// A sentence under the title: what the figures mean, what was left out.
    pub note: Option<String>,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Value>>,
    pub chart: Option<Chart>,
}

/// One section: a sheet of the workbook, a part of the page.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Section {
    /// Stable id (`funnel`).
    pub id: &'static str,
    pub title: String,
    /// The worksheet name (≤ 31 characters).
    pub sheet: String,
    pub tables: Vec<Table>,
}

/// A headline number of the summary.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Figure {
    /// Stable id (`hires`).
    pub id: &'static str,
    pub label: String,
    /// The span it covers: `month`, `window` or `all` (see [`ScopeLabel`]).
    pub scope: &'static str,
    pub fmt: Fmt,
    pub value: Value,
}

/// One of the spans figures are given for, with its dates: the report
/// month, the trailing window of `trend_months` months ending with it, and
/// all records up to the month's last day.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScopeLabel {
    /// `month`, `window` or `all`.
    pub id: &'static str,
    /// `本月（2024-11）`, `近12个月（2023-12 至 2024-11）`…
    pub label: String,
}

/// The whole report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReportModel {
    /// `zh` or `en`.
    pub lang: &'static str,
    pub title: String,
    pub company: String,
    /// The run's as-of date: the report describes the data up to it.
    pub as_of: String,
    /// The month reported on (`2024-11`): the month before the as-of date.
    pub period: String,
    /// The spans of the figures, in the order the summary shows them.
    pub scopes: Vec<ScopeLabel>,
    pub pipeline: String,
    /// Labels the page itself needs (headings, notes).
    pub labels: BTreeMap<String, String>,
    pub summary_title: String,
    /// Under the summary: how the cards count (events on their own dates)
    /// and why the funnel's cohort counts can differ.
    pub summary_note: String,
    pub figures: Vec<Figure>,
    pub sections: Vec<Section>,
}

impl ReportModel {
    /// Every table of every section.
    pub fn tables(&self) -> impl Iterator<Item = (&Section, &Table)> {
        self.sections
            .iter()
            .flat_map(|s| s.tables.iter().map(move |t| (s, t)))
    }
}

/// The label texts of one language, from `reports/monthly/texts.toml`.
#[derive(Debug)]
pub struct Texts(BTreeMap<String, String>);

static TEXTS: LazyLock<BTreeMap<String, BTreeMap<String, String>>> = LazyLock::new(|| {
    toml::from_str(include_str!("../../reports/monthly/texts.toml"))
        .expect("reports/monthly/texts.toml is valid")
});

impl Texts {
    /// The texts of `lang`.
    pub fn of(lang: Lang) -> Texts {
        Texts(TEXTS.get(lang.code()).cloned().unwrap_or_default())
    }

    /// The label for `key`. Every key the report uses is in both
    /// languages (a test checks), so a missing one is a bug.
    pub fn get(&self, key: &str) -> String {
        self.0
            .get(key)
            .cloned()
            .unwrap_or_else(|| panic!("reports/monthly/texts.toml has no `{key}`"))
    }

    /// The label of a code (`reason.skills_gap`), or the code itself for
    /// codes the table does not name (pipelines may add their own).
    pub fn code(&self, prefix: &str, code: &str) -> String {
        self.0
            .get(&format!("{prefix}.{code}"))
            .cloned()
            .unwrap_or_else(|| code.to_string())
    }

    /// All labels, for the template.
    pub fn all(&self) -> &BTreeMap<String, String> {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_round_half_away_from_zero_like_excel() {
        assert_eq!(Fmt::Dec2.display(0.125), "0.13");
        assert_eq!(Fmt::Dec1.display(2.25), "2.3");
        assert_eq!(Fmt::Pct.display(0.62545), "62.5%");
        assert_eq!(Fmt::Pct.display(1.0), "100.0%");
        assert_eq!(Fmt::Money.display(1234567.4), "1,234,567");
        assert_eq!(Fmt::Int.display(999.0), "999");
        assert_eq!(Fmt::Signed.display(25.0), "+25");
        assert_eq!(Fmt::Signed.display(-100.0), "-100");
        assert_eq!(Fmt::Signed.display(-0.2), "0");
        assert_eq!(Value::num(None, Fmt::Pct).display, MISSING);
        assert_eq!(Value::num(Some(f64::NAN), Fmt::Pct).number, None);
    }

    #[test]
    fn both_languages_name_the_same_labels() {
        let zh: Vec<&String> = TEXTS["zh"].keys().collect();
        let en: Vec<&String> = TEXTS["en"].keys().collect();
        assert_eq!(zh, en);
    }

    #[test]
    fn bad_settings_are_reported_by_key() {
        let s = ReportSettings {
            min_group_size: 0,
            trend_months: 0,
            recall_top: 0,
            channel_costs: [("猎聘".to_string(), -1.0)].into(),
            ..ReportSettings::default()
        };
        let keys: Vec<String> = s.validate().into_iter().map(|e| e.0).collect();
        assert_eq!(
            keys,
            ["min_group_size", "recall_top", "trend_months", "猎聘"]
        );
    }
}

#[cfg(test)]
mod fixture_tests;
