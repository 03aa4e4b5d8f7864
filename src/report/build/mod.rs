//! Builds the [`ReportModel`]: runs the statistics of [`crate::stats`] over
//! the run's records (recruiting metrics and survey figures in parallel),
//! adds the recall and data-quality figures, and turns everything into
//! labelled tables. This is the only place report numbers are computed.

mod interviewers;
mod recall;
mod recruiting;
mod survey;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, NaiveDate, NaiveDateTime};

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
    interview_to_notice, recruiting_report, survey_report,
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
    Column { label, fmt }
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

/// Builds the report model.
pub fn build(input: &ReportInput<'_>) -> ReportModel {
    let t = Texts::of(input.settings.language);
    let data = input.data;
    let bank = QuestionBank::builtin();
    let config = GroupConfig {
        min_group_size: input.settings.min_group_size,
        ..GroupConfig::default()
    };
    let (mut recruiting, survey) = rayon::join(
        || {
            recruiting_report(
                &data.applications,
                &data.evaluations,
                &input.settings.channel_costs,
            )
        },
        || {
            survey_report(
                input.surveys,
                bank,
                SurveyContext {
                    applications: &data.applications,
                    positions: &data.positions,
                },
                &config,
            )
        },
    );
    let (panels, panel_names) = panel_evaluations(data, input.settings.mask_names);
    recruiting.interviewers = crate::stats::interviewer_consistency(&panels);
    let recall = recall_history(data);
    let costs = cost_summary(&recruiting, recall.hires);
    let all = survey
        .groups
        .iter()
        .find(|g| g.dimension == GroupBy::All && !g.suppressed);
    let nps = all
        .and_then(|g| g.questions.iter().find(|q| q.scale == Scale::Nps0to10))
        .and_then(|q| q.stats.as_ref()?.nps);
    let funnel = &recruiting.funnel.total;
    let quarantined: u64 = input.counts.iter().map(|c| c.rows_quarantined).sum();
    let figure = |id: &'static str, fmt: Fmt, v: Option<f64>| Figure {
        id,
        label: t.get(&format!("figure.{id}")),
        fmt,
        value: Value::num(v, fmt),
    };
    // The report describes the month before the as-of date: run on the
    // first of a month, it is the month just ended.
    let month_end = input.as_of.pred_opt().unwrap_or(input.as_of);
    let (trend, month) = trend_section(
        &t,
        data,
        input.surveys,
        input.settings.trend_months,
        month_end,
    );
    let figures = vec![
        figure("month_applications", Fmt::Int, Some(month[0] as f64)),
        figure("month_interviews", Fmt::Int, Some(month[1] as f64)),
        figure("month_hires", Fmt::Int, Some(month[2] as f64)),
        figure("month_responses", Fmt::Int, Some(month[3] as f64)),
        figure("applications", Fmt::Int, Some(funnel.counts.applied as f64)),
        figure("hires", Fmt::Int, Some(funnel.counts.hired as f64)),
        figure("hire_rate", Fmt::Pct, funnel.conversions.hired_of_applied),
        figure("time_to_hire", Fmt::Dec1, recruiting.time_to_hire.median),
        figure(
            "offer_acceptance",
            Fmt::Pct,
            recruiting.offer_acceptance.rate,
        ),
        figure("response_rate", Fmt::Pct, survey.response_rate.rate),
        figure(
            "satisfaction",
            Fmt::Dec2,
            all.and_then(|g| g.satisfaction_index),
        ),
        figure("nps", Fmt::Signed, nps.map(|n| n.score)),
        figure(
            "recall_listed",
            Fmt::Int,
            Some(distinct_recall(input.recall) as f64),
        ),
        figure("pool_reuse", Fmt::Pct, recall.reuse_rate),
        figure("cost_per_hire", Fmt::Money, costs.per_hire),
        figure("quarantined", Fmt::Int, Some(quarantined as f64)),
    ];
    let sections = vec![
        funnel_section(&t, &recruiting),
        trend,
        sources_section(&t, &recruiting, &costs),
        rejections_section(&t, &recruiting),
        recall_section(&t, input, &recall, &costs),
        interviewers_section(&t, &recruiting, &panel_names),
        survey_section(&t, input, &survey, bank),
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
        period: month_end.format("%Y-%m").to_string(),
        pipeline: input.pipeline.to_string(),
        summary_title: t.get("section.summary"),
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
