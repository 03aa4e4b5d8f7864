//! Builds the [`ReportModel`]: runs the statistics of [`crate::stats`] over
//! the run's records (recruiting metrics and survey figures in parallel),
//! adds the recall and data-quality figures, and turns everything into
//! labelled tables. This is the only place report numbers are computed.

mod interviewers;
mod recall;
mod recruiting;
mod survey;

use foldhash::{HashMap, HashMapExt, HashSet};
use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use rayon::prelude::*;

use super::{
    Chart, ChartKind, Column, Figure, Fmt, ReportModel, ReportSettings, Section, Table, Texts,
    Value,
};
use crate::entities::ResolutionSummary;
use crate::manifest::SourceCounts;
use crate::model::{ApplicationRecord, Dataset};
use crate::recall::RecallEntry;
use crate::stats::describe::{DurationSummary, QuestionStats};
use crate::stats::funnel::{FunnelStep, furthest_step};
use crate::stats::groups::{GroupConfig, GroupReport};
use crate::stats::{
    GroupBy, QuestionBank, RecruitingReport, Scale, SurveyContext, SurveyReport, SurveyResponse,
    interview_to_notice, recruiting_figures, survey_report,
};

use interviewers::*;
use recall::*;
use recruiting::*;
use survey::*;

/// Everything a report is built from.
pub struct ReportInput<'a> {
    pub data: &'a Dataset,
    pub surveys: &'a [SurveyResponse],
    pub recall: &'a [RecallEntry],
    pub counts: &'a [SourceCounts],
    pub resolution: &'a ResolutionSummary,
    pub settings: &'a ReportSettings,
    pub pipeline: &'a str,
    pub as_of: NaiveDate,
}

fn col(label: String, fmt: Fmt) -> Column {
    Column::new(label, fmt)
}

fn table(id: &'static str, title: String, columns: Vec<Column>, rows: Vec<Vec<Value>>) -> Table {
    Table {
        id,
        title,
        note: None,
        columns,
        rows,
        chart: None,
    }
}

fn with_chart(mut t: Table, kind: ChartKind, category: usize, series: Vec<usize>) -> Table {
    if t.rows.is_empty() {
        // Nothing to draw; both files show the "no data" note instead.
        return t;
    }
    let mut chart = Chart {
        kind,
        title: t.title.clone(),
        category,
        series,
        svg: String::new(),
    };
    chart.svg = super::svg::render(&t, &chart);
    t.chart = Some(chart);
    t
}

fn ratio(num: usize, den: usize) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

/// The spans a report gives figures for: the report month, the trailing
/// window of `trend_months` months that ends with it, and everything up to
/// its last day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    Month,
    Window,
    All,
}

impl Scope {
    pub const ALL: [Scope; 3] = [Scope::Month, Scope::Window, Scope::All];

    pub fn code(self) -> &'static str {
        match self {
            Scope::Month => "month",
            Scope::Window => "window",
            Scope::All => "all",
        }
    }
}

/// The report's calendar: which dates fall in which [`Scope`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Periods {
    /// First day of the report month.
    pub month_start: NaiveDate,
    /// First day of the trailing window (`months` months ending with the
    /// report month).
    pub window_start: NaiveDate,
    /// The last day the report covers: the day before the as-of date.
    pub end: NaiveDate,
    /// Months in the window.
    pub months: u32,
}

impl Periods {
    /// The report month is the month of the day before `as_of` (run on the
    /// first of a month: the month just ended).
    pub fn new(as_of: NaiveDate, months: u32) -> Periods {
        let end = as_of.pred_opt().unwrap_or(as_of);
        let month_start = end.with_day(1).unwrap_or(end);
        let back = months.max(1) - 1;
        let total = end.year() * 12 + end.month0() as i32 - back as i32;
        let window_start =
            NaiveDate::from_ymd_opt(total.div_euclid(12), total.rem_euclid(12) as u32 + 1, 1)
                .unwrap_or(month_start);
        Periods {
            month_start,
            window_start,
            end,
            months: months.max(1),
        }
    }

    /// Whether a record dated `d` counts in `scope`. Undated records count
    /// only in the cumulative scope; nothing after the last day counts.
    pub fn contains(&self, scope: Scope, d: Option<NaiveDate>) -> bool {
        match (scope, d) {
            (Scope::All, None) => true,
            (_, None) => false,
            (Scope::All, Some(d)) => d <= self.end,
            (Scope::Month, Some(d)) => d >= self.month_start && d <= self.end,
            (Scope::Window, Some(d)) => d >= self.window_start && d <= self.end,
        }
    }

    fn ym(d: NaiveDate) -> String {
        d.format("%Y-%m").to_string()
    }

    /// Fills the calendar fields of a label: `{n}` months, the
    /// `{month}`, the window `{from}`–`{to}` and the last day `{end}`.
    pub fn fill(&self, text: &str) -> String {
        text.replace("{n}", &self.months.to_string())
            .replace("{month}", &Self::ym(self.month_start))
            .replace("{from}", &Self::ym(self.window_start))
            .replace("{to}", &Self::ym(self.end))
            .replace("{end}", &self.end.to_string())
    }

    /// The scope's column heading (`本月`, `近12个月`, `累计`).
    pub fn short(&self, t: &Texts, scope: Scope) -> String {
        self.fill(&t.get(&format!("scope.{}", scope.code())))
    }

    /// The scope with its dates (`近12个月（2023-12 至 2024-11）`).
    pub fn long(&self, t: &Texts, scope: Scope) -> String {
        self.fill(&t.get(&format!("scope.{}_long", scope.code())))
    }

    /// A column heading for `label` in `scope`: `近12个月 · 投递`.
    pub fn head(&self, t: &Texts, scope: Scope, label: &str) -> String {
        format!("{} · {label}", self.short(t, scope))
    }

    /// A column of `label` in `scope`, headed `近12个月 · 投递` in the
    /// workbook and drawn under a spanning `近12个月` on the page.
    pub fn col(&self, t: &Texts, scope: Scope, label: &str, fmt: Fmt) -> Column {
        Column {
            label: self.head(t, scope, label),
            fmt,
            group: Some(self.short(t, scope)),
            sub: Some(label.to_string()),
        }
    }
}

/// The records of one scope and the statistics over them.
pub(super) struct ScopeData {
    pub scope: Scope,
    pub recruiting: RecruitingReport,
    pub survey: SurveyReport,
    /// The survey answers of the scope (for interview-to-notice times).
    pub surveys: Vec<SurveyResponse>,
}

/// The date a survey counts under: when it was answered, else sent.
fn survey_dates(surveys: &[SurveyResponse]) -> HashMap<&str, Option<NaiveDate>> {
    let mut out: HashMap<&str, (Option<NaiveDateTime>, Option<NaiveDateTime>)> = HashMap::new();
    for r in surveys {
        let e = out.entry(r.response_id.as_str()).or_default();
        e.0 = e.0.max(r.answered_at);
        e.1 = match (e.1, r.sent_at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    out.into_iter()
        .map(|(k, (answered, sent))| (k, answered.or(sent).map(|t| t.date())))
        .collect()
}

/// Applications by their application date, evaluations with their
/// application, surveys by answer (else send) date; each scope's recruiting
/// and survey statistics computed in parallel.
fn scope_data(
    input: &ReportInput<'_>,
    periods: &Periods,
    bank: &QuestionBank,
    config: &GroupConfig,
) -> Vec<ScopeData> {
    let data = input.data;
    let dates = survey_dates(input.surveys);
    let no_costs = BTreeMap::new();
    let eval_scopes = evaluation_scopes(data, periods);
    Scope::ALL
        .par_iter()
        .map(|&scope| {
            // The scope's records are borrowed, not copied: at a million
            // applications three scopes of copies were gigabytes.
            let apps: Vec<&ApplicationRecord> = data
                .applications
                .iter()
                .filter(|a| periods.contains(scope, a.applied_at))
                .collect();
            let evals: Vec<&crate::model::EvaluationRecord> = data
                .evaluations
                .iter()
                .zip(&eval_scopes)
                .filter(|(_, scopes)| *scopes & scope_bit(scope) != 0)
                .map(|(e, _)| e)
                .collect();
            let surveys: Vec<SurveyResponse> = input
                .surveys
                .iter()
                .filter(|r| {
                    periods.contains(scope, dates.get(r.response_id.as_str()).copied().flatten())
                })
                .cloned()
                .collect();
            // Channel costs are what the channels cost over the records'
            // whole span, so cost per hire is a cumulative figure.
            let costs = if scope == Scope::All {
                &input.settings.channel_costs
            } else {
                &no_costs
            };
            let (recruiting, survey) = rayon::join(
                || recruiting_figures(&apps, &evals, costs),
                || {
                    survey_report(
                        &surveys,
                        bank,
                        SurveyContext {
                            applications: &data.applications,
                            positions: &data.positions,
                        },
                        config,
                    )
                },
            );
            ScopeData {
                scope,
                recruiting,
                survey,
                surveys,
            }
        })
        .collect()
}

fn scope_bit(scope: Scope) -> u8 {
    1 << scope as u8
}

/// Per evaluation, the scopes (as [`scope_bit`]s) it belongs to: those of
/// the applications with its application id, found in one pass for all
/// scopes (an id that repeats is in every scope one of its applications is).
fn evaluation_scopes(data: &Dataset, periods: &Periods) -> Vec<u8> {
    let mut of_id: HashMap<&str, u8> = HashMap::with_capacity(data.applications.len());
    for a in &data.applications {
        let bits = Scope::ALL
            .iter()
            .filter(|&&s| periods.contains(s, a.applied_at))
            .fold(0, |bits, &s| bits | scope_bit(s));
        *of_id.entry(a.application_id.as_str()).or_default() |= bits;
    }
    data.evaluations
        .par_iter()
        .map(|e| of_id.get(e.application_id.as_str()).copied().unwrap_or(0))
        .collect()
}

pub(super) fn scoped(per: &[ScopeData], scope: Scope) -> &ScopeData {
    per.iter()
        .find(|d| d.scope == scope)
        .expect("every scope is computed")
}

/// The unsuppressed all-respondents group of a survey report.
pub(super) fn all_group(s: &SurveyReport) -> Option<&GroupReport> {
    s.groups
        .iter()
        .find(|g| g.dimension == GroupBy::All && !g.suppressed)
}

/// The NPS of a survey report's all-respondents group.
pub(super) fn nps_of(s: &SurveyReport) -> Option<crate::stats::Nps> {
    all_group(s)
        .and_then(|g| g.questions.iter().find(|q| q.scale == Scale::Nps0to10))
        .and_then(|q| q.stats.as_ref()?.nps)
}

/// Builds the report model.
pub fn build(input: &ReportInput<'_>) -> ReportModel {
    let t = Texts::of(input.settings.language);
    let data = input.data;
    let bank = QuestionBank::builtin();
    let config = GroupConfig {
        min_group_size: input.settings.min_group_size,
        ..GroupConfig::default()
    };
    let periods = Periods::new(input.as_of, input.settings.trend_months);
    let per = scope_data(input, &periods, bank, &config);
    let keyed = panel_evaluations(data, &periods);
    let consistency =
        crate::stats::panel_consistency(keyed.iter().map(|(key, e, _)| (key.as_str(), *e)));
    let panel_names = panel_names(data, &keyed, &consistency, input.settings.mask_names);
    drop(keyed);
    let all = scoped(&per, Scope::All);
    let window = scoped(&per, Scope::Window);
    let recall = recall_history(data, &periods);
    let costs = cost_summary(&all.recruiting, recall.funnel.hired);
    let quarantined: u64 = input.counts.iter().map(|c| c.rows_quarantined).sum();
    let figure = |id: &'static str, scope: Scope, fmt: Fmt, v: Option<f64>| Figure {
        id,
        label: periods.fill(&t.get(&format!("figure.{id}"))),
        scope: scope.code(),
        fmt,
        value: Value::num(v, fmt),
    };
    let (trend, month, window_counts) = trend_section(&t, data, input.surveys, &periods);
    let wf = &window.recruiting.funnel.total;
    let af = &all.recruiting.funnel.total;
    let figures = vec![
        figure(
            "month_applications",
            Scope::Month,
            Fmt::Int,
            Some(month[0] as f64),
        ),
        figure(
            "month_interviews",
            Scope::Month,
            Fmt::Int,
            Some(month[1] as f64),
        ),
        figure("month_hires", Scope::Month, Fmt::Int, Some(month[2] as f64)),
        figure(
            "month_responses",
            Scope::Month,
            Fmt::Int,
            Some(month[3] as f64),
        ),
        figure(
            "window_applications",
            Scope::Window,
            Fmt::Int,
            Some(window_counts[0] as f64),
        ),
        figure(
            "window_hires",
            Scope::Window,
            Fmt::Int,
            Some(window_counts[2] as f64),
        ),
        figure(
            "hire_rate",
            Scope::Window,
            Fmt::Pct,
            wf.conversions.hired_of_applied,
        ),
        figure(
            "time_to_hire",
            Scope::Window,
            Fmt::Dec1,
            time_to_hire_in(data, &periods, Scope::Window).median,
        ),
        figure(
            "offer_acceptance",
            Scope::Window,
            Fmt::Pct,
            window.recruiting.offer_acceptance.rate,
        ),
        figure(
            "response_rate",
            Scope::Window,
            Fmt::Pct,
            window.survey.response_rate.rate,
        ),
        figure(
            "satisfaction",
            Scope::Window,
            Fmt::Dec2,
            all_group(&window.survey).and_then(|g| g.satisfaction_index),
        ),
        figure(
            "nps",
            Scope::Window,
            Fmt::Signed,
            nps_of(&window.survey).map(|n| n.score),
        ),
        figure(
            "applications",
            Scope::All,
            Fmt::Int,
            Some(af.counts.applied as f64),
        ),
        figure("hires", Scope::All, Fmt::Int, Some(af.counts.hired as f64)),
        figure("cost_per_hire", Scope::All, Fmt::Money, costs.per_hire),
        figure(
            "recall_hires",
            Scope::All,
            Fmt::Int,
            Some(recall.funnel.hired as f64),
        ),
        figure("pool_reuse", Scope::All, Fmt::Pct, recall.reuse_rate),
        figure(
            "recall_listed",
            Scope::All,
            Fmt::Int,
            Some(distinct_recall(input.recall) as f64),
        ),
        figure(
            "quarantined",
            Scope::All,
            Fmt::Int,
            Some(quarantined as f64),
        ),
    ];
    let sections = vec![
        funnel_section(&t, &periods, &per, data),
        trend,
        sources_section(&t, &periods, &per, &costs),
        rejections_section(&t, &periods, &per),
        recall_section(&t, &periods, input, &recall, &costs),
        interviewers_section(&t, &periods, &consistency, &panel_names),
        survey_section(&t, &periods, input, &per, bank),
        quality_section(&t, input),
    ];
    let labels = t.all().clone();
    let mut model = ReportModel {
        lang: input.settings.language.code(),
        title: input
            .settings
            .title
            .clone()
            .unwrap_or_else(|| t.get("title")),
        company: input.settings.company.clone(),
        as_of: input.as_of.to_string(),
        period: periods.month_start.format("%Y-%m").to_string(),
        scopes: Scope::ALL
            .iter()
            .map(|&s| super::ScopeLabel {
                id: s.code(),
                label: periods.long(&t, s),
            })
            .collect(),
        pipeline: input.pipeline.to_string(),
        summary_title: t.get("section.summary"),
        summary_note: periods.fill(&t.get("summary.note")),
        labels,
        figures,
        sections,
    };
    super::mask::apply(&mut model, &input.settings.mask);
    model
}

fn section(t: &Texts, id: &'static str, tables: Vec<Table>) -> Section {
    Section {
        id,
        title: t.get(&format!("section.{id}")),
        sheet: t.get(&format!("sheet.{id}")),
        tables,
    }
}

/// A table of named figures with one value column per scope.
fn scoped_figures_table(
    t: &Texts,
    periods: &Periods,
    id: &'static str,
    rows: Vec<(&str, [Value; 3])>,
) -> Table {
    let mut columns = vec![col(t.get("col.figure"), Fmt::Text)];
    columns.extend(
        Scope::ALL
            .iter()
            .map(|&s| col(periods.short(t, s), Fmt::Text)),
    );
    table(
        id,
        t.get(&format!("table.{id}")),
        columns,
        rows.into_iter()
            .map(|(k, v)| {
                let mut row = vec![Value::text(t.get(&format!("fig.{k}")))];
                row.extend(v);
                row
            })
            .collect(),
    )
}

/// A two-column table of named figures.
fn figures_table(t: &Texts, id: &'static str, rows: Vec<(&str, Value)>) -> Table {
    table(
        id,
        t.get(&format!("table.{id}")),
        vec![
            col(t.get("col.figure"), Fmt::Text),
            col(t.get("col.value"), Fmt::Text),
        ],
        rows.into_iter()
            .map(|(k, v)| vec![Value::text(t.get(&format!("fig.{k}"))), v])
            .collect(),
    )
}

fn unknown(t: &Texts, key: &str) -> String {
    if key == crate::stats::UNKNOWN {
        t.get("unknown")
    } else {
        key.to_string()
    }
}

fn quality_section(t: &Texts, input: &ReportInput<'_>) -> Section {
    let sources = table(
        "quality_sources",
        t.get("table.quality_sources"),
        vec![
            col(t.get("col.source"), Fmt::Text),
            col(t.get("col.kind"), Fmt::Text),
            col(t.get("col.files"), Fmt::Int),
            col(t.get("col.rows_read"), Fmt::Int),
            col(t.get("col.rows_kept"), Fmt::Int),
            col(t.get("col.rows_quarantined"), Fmt::Int),
            col(t.get("col.rows_non_data"), Fmt::Int),
            col(t.get("col.rows_merged"), Fmt::Int),
            col(t.get("col.values_quarantined"), Fmt::Int),
            col(t.get("col.balances"), Fmt::Text),
        ],
        input
            .counts
            .iter()
            .map(|c| {
                let n = |v: u64| Value::num(Some(v as f64), Fmt::Int);
                vec![
                    Value::text(c.source.clone()),
                    Value::text(c.kind),
                    Value::int(c.files),
                    n(c.rows_read),
                    n(c.rows_kept),
                    n(c.rows_quarantined),
                    n(c.rows_non_data),
                    n(c.rows_merged),
                    n(c.values_quarantined),
                    Value::text(if c.balances() { "✓" } else { "✗" }),
                ]
            })
            .collect(),
    );
    let mut by_reason: BTreeMap<String, usize> = BTreeMap::new();
    for q in &input.data.quarantine {
        let key = q.reason.split(':').next().unwrap_or(&q.reason).trim();
        *by_reason.entry(key.to_string()).or_default() += 1;
    }
    let mut by_reason: Vec<(String, usize)> = by_reason.into_iter().collect();
    by_reason.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let quarantine = with_chart(
        table(
            "quality_quarantine",
            t.get("table.quality_quarantine"),
            vec![
                col(t.get("col.reason"), Fmt::Text),
                col(t.get("col.count"), Fmt::Int),
            ],
            by_reason
                .into_iter()
                .map(|(r, n)| vec![Value::text(r), Value::int(n)])
                .collect(),
        ),
        ChartKind::Bar,
        0,
        vec![1],
    );
    let r = input.resolution;
    let merges = figures_table(
        t,
        "quality_merges",
        vec![
            ("records", Value::int(r.records)),
            ("candidates", Value::int(r.candidates)),
            ("records_merged", Value::int(r.records_merged)),
            ("pairs_compared", Value::int(r.pairs_compared)),
            ("pairs_merged", Value::int(r.pairs_merged)),
            ("pairs_for_review", Value::int(r.pairs_for_review)),
        ],
    );
    section(t, "quality", vec![sources, quarantine, merges])
}
