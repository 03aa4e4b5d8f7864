//! Builds the [`ReportModel`]: runs the statistics of [`crate::stats`] over
//! the run's records (recruiting metrics and survey figures in parallel),
//! adds the recall and data-quality figures, and turns everything into
//! labelled tables. This is the only place report numbers are computed.

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
    let figures = vec![
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
        trend_section(&t, data, input.settings.trend_months, input.as_of),
        sources_section(&t, &recruiting, &costs),
        rejections_section(&t, &recruiting),
        recall_section(&t, input, &recall, &costs),
        interviewers_section(&t, &recruiting, &panel_names),
        survey_section(&t, input, &survey, bank),
        quality_section(&t, input),
    ];
    let labels = t.all().clone();
    ReportModel {
        lang: input.settings.language.code(),
        title: input
            .settings
            .title
            .clone()
            .unwrap_or_else(|| t.get("title")),
        company: input.settings.company.clone(),
        as_of: input.as_of.to_string(),
        pipeline: input.pipeline.to_string(),
        summary_title: t.get("section.summary"),
        labels,
        figures,
        sections,
    }
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

fn funnel_section(t: &Texts, r: &RecruitingReport) -> Section {
    let c = &r.funnel.total.counts;
    let steps = [
        ("applied", c.applied),
        ("screened", c.screened),
        ("interviewed", c.interviewed),
        ("offered", c.offered),
        ("hired", c.hired),
    ];
    let rows = steps
        .iter()
        .enumerate()
        .map(|(i, (step, n))| {
            let previous = if i == 0 {
                None
            } else {
                ratio(*n, steps[i - 1].1)
            };
            vec![
                Value::text(t.get(&format!("step.{step}"))),
                Value::int(*n),
                Value::num(previous, Fmt::Pct),
                Value::num(ratio(*n, c.applied), Fmt::Pct),
            ]
        })
        .collect();
    let total = with_chart(
        table(
            "funnel_total",
            t.get("table.funnel_total"),
            vec![
                col(t.get("col.step"), Fmt::Text),
                col(t.get("col.applications"), Fmt::Int),
                col(t.get("col.of_previous"), Fmt::Pct),
                col(t.get("col.of_applied"), Fmt::Pct),
            ],
            rows,
        ),
        ChartKind::Bar,
        0,
        vec![1],
    );
    let positions = table(
        "funnel_positions",
        t.get("table.funnel_positions"),
        vec![
            col(t.get("col.position_id"), Fmt::Text),
            col(t.get("col.position"), Fmt::Text),
            col(t.get("col.department"), Fmt::Text),
            col(t.get("step.applied"), Fmt::Int),
            col(t.get("step.screened"), Fmt::Int),
            col(t.get("step.interviewed"), Fmt::Int),
            col(t.get("step.offered"), Fmt::Int),
            col(t.get("step.hired"), Fmt::Int),
            col(t.get("col.hire_rate"), Fmt::Pct),
        ],
        r.funnel
            .positions
            .iter()
            .map(|p| {
                vec![
                    Value::text(unknown(t, &p.key)),
                    Value::text(p.position.clone().unwrap_or_default()),
                    Value::text(p.department.clone().unwrap_or_default()),
                    Value::int(p.counts.applied),
                    Value::int(p.counts.screened),
                    Value::int(p.counts.interviewed),
                    Value::int(p.counts.offered),
                    Value::int(p.counts.hired),
                    Value::num(p.conversions.hired_of_applied, Fmt::Pct),
                ]
            })
            .collect(),
    );
    let o = &r.offer_acceptance;
    let h = &r.time_to_hire;
    let mut offers = figures_table(
        t,
        "offers",
        vec![
            ("offers", Value::int(o.offers)),
            ("offers_accepted", Value::int(o.accepted)),
            ("offers_declined", Value::int(o.declined)),
            ("offers_pending", Value::int(o.pending)),
            ("offer_acceptance", Value::num(o.rate, Fmt::Pct)),
            ("hires_dated", Value::int(h.n)),
            ("time_to_hire_median", Value::num(h.median, Fmt::Dec1)),
            ("time_to_hire_p90", Value::num(h.p90, Fmt::Dec1)),
        ],
    );
    offers.note = Some(t.get("note.offers"));
    section(t, "funnel", vec![total, positions, offers])
}

fn unknown(t: &Texts, key: &str) -> String {
    if key == crate::stats::UNKNOWN {
        t.get("unknown")
    } else {
        key.to_string()
    }
}

fn month_key(d: NaiveDate) -> (i32, u32) {
    (d.year(), d.month())
}

fn trend_section(t: &Texts, data: &Dataset, months: u32, as_of: NaiveDate) -> Section {
    let mut keys: Vec<(i32, u32)> = Vec::new();
    let (mut y, mut m) = month_key(as_of);
    for _ in 0..months {
        keys.push((y, m));
        if m == 1 {
            y -= 1;
            m = 12;
        } else {
            m -= 1;
        }
    }
    keys.reverse();
    let mut counts: BTreeMap<(i32, u32), [usize; 3]> = keys.iter().map(|k| (*k, [0; 3])).collect();
    for a in &data.applications {
        if let Some(e) = a.applied_at.and_then(|d| counts.get_mut(&month_key(d))) {
            e[0] += 1;
        }
        let hired = a.onboard_at.is_some() || a.status == Some("hired") || a.stage == Some("hired");
        let hired_at = a.onboard_at.or(a.decided_at.filter(|_| hired));
        if let Some(e) = hired_at.and_then(|d| counts.get_mut(&month_key(d))) {
            e[2] += 1;
        }
    }
    let mut interviewed: BTreeSet<((i32, u32), &str)> = BTreeSet::new();
    for e in &data.evaluations {
        if let Some(at) = e.at {
            interviewed.insert((month_key(at.date()), e.application_id.as_str()));
        }
    }
    for (k, _) in interviewed {
        if let Some(e) = counts.get_mut(&k) {
            e[1] += 1;
        }
    }
    let rows = counts
        .iter()
        .map(|((y, m), c)| {
            vec![
                Value::text(format!("{y}-{m:02}")),
                Value::int(c[0]),
                Value::int(c[1]),
                Value::int(c[2]),
            ]
        })
        .collect();
    let mut trend = with_chart(
        table(
            "trend",
            t.get("table.trend"),
            vec![
                col(t.get("col.month"), Fmt::Text),
                col(t.get("col.applications"), Fmt::Int),
                col(t.get("col.interviewed_apps"), Fmt::Int),
                col(t.get("col.hires"), Fmt::Int),
            ],
            rows,
        ),
        ChartKind::Line,
        0,
        vec![1, 2, 3],
    );
    trend.note = Some(t.get("note.trend"));
    section(t, "trend", vec![trend])
}

/// Money spent and what it bought.
pub struct CostSummary {
    /// Total spend over channels with a cost.
    pub total: Option<f64>,
    /// Hires from those channels.
    pub hires: usize,
    /// total / hires.
    pub per_hire: Option<f64>,
    /// Hires made through the talent pool × cost per hire.
    pub saved_by_recall: Option<f64>,
}

fn cost_summary(r: &RecruitingReport, recall_hires: usize) -> CostSummary {
    let costed: Vec<_> = r.costs.iter().filter(|c| c.cost.is_some()).collect();
    let total = (!costed.is_empty()).then(|| costed.iter().filter_map(|c| c.cost).sum::<f64>());
    let hires: usize = costed.iter().map(|c| c.hires).sum();
    let per_hire = total.filter(|_| hires > 0).map(|c| c / hires as f64);
    CostSummary {
        total,
        hires,
        per_hire,
        saved_by_recall: per_hire.map(|p| p * recall_hires as f64),
    }
}

fn sources_section(t: &Texts, r: &RecruitingReport, costs: &CostSummary) -> Section {
    let cost_of: HashMap<&str, &crate::stats::funnel::CostRow> =
        r.costs.iter().map(|c| (c.channel.as_str(), c)).collect();
    let rows = r
        .sources
        .iter()
        .map(|s| {
            let c = cost_of.get(s.channel.as_str());
            vec![
                Value::text(unknown(t, &s.channel)),
                Value::int(s.applicants),
                Value::int(s.interviews),
                Value::int(s.offers),
                Value::int(s.hires),
                Value::num(s.hire_rate, Fmt::Pct),
                Value::num(c.and_then(|c| c.cost), Fmt::Money),
                Value::num(c.and_then(|c| c.cost_per_hire), Fmt::Money),
            ]
        })
        .collect();
    let mut sources = with_chart(
        table(
            "sources",
            t.get("table.sources"),
            vec![
                col(t.get("col.channel"), Fmt::Text),
                col(t.get("col.applicants"), Fmt::Int),
                col(t.get("col.interviews"), Fmt::Int),
                col(t.get("col.offers"), Fmt::Int),
                col(t.get("col.hires"), Fmt::Int),
                col(t.get("col.hire_rate"), Fmt::Pct),
                col(t.get("col.cost"), Fmt::Money),
                col(t.get("col.cost_per_hire"), Fmt::Money),
            ],
            rows,
        ),
        ChartKind::Column,
        0,
        vec![1, 4],
    );
    sources.note = Some(t.get("note.sources"));
    let total = figures_table(
        t,
        "costs",
        vec![
            ("cost_total", Value::num(costs.total, Fmt::Money)),
            ("cost_hires", Value::int(costs.hires)),
            ("cost_per_hire", Value::num(costs.per_hire, Fmt::Money)),
        ],
    );
    section(t, "sources", vec![sources, total])
}

fn rejections_section(t: &Texts, r: &RecruitingReport) -> Section {
    let mut totals: BTreeMap<String, usize> = BTreeMap::new();
    for g in &r.rejections.by_type {
        for reason in &g.reasons {
            *totals.entry(reason.reason.clone()).or_default() += reason.count;
        }
    }
    let mut totals: Vec<(String, usize)> = totals.into_iter().collect();
    totals.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let all: usize = totals.iter().map(|x| x.1).sum();
    let reasons = with_chart(
        table(
            "rejection_reasons",
            t.get("table.rejection_reasons"),
            vec![
                col(t.get("col.reason"), Fmt::Text),
                col(t.get("col.applications"), Fmt::Int),
                col(t.get("col.share"), Fmt::Pct),
            ],
            totals
                .iter()
                .map(|(reason, n)| {
                    vec![
                        Value::text(t.code("reason", reason)),
                        Value::int(*n),
                        Value::num(ratio(*n, all), Fmt::Pct),
                    ]
                })
                .collect(),
        ),
        ChartKind::Bar,
        0,
        vec![1],
    );
    let grouped =
        |id: &'static str, prefix: &str, groups: &[crate::stats::rejections::ReasonGroup]| {
            table(
                id,
                t.get(&format!("table.{id}")),
                vec![
                    col(t.get(&format!("col.{prefix}")), Fmt::Text),
                    col(t.get("col.reason"), Fmt::Text),
                    col(t.get("col.applications"), Fmt::Int),
                    col(t.get("col.share"), Fmt::Pct),
                ],
                groups
                    .iter()
                    .flat_map(|g| {
                        g.reasons.iter().map(move |r| {
                            vec![
                                Value::text(if g.key == crate::stats::UNKNOWN {
                                    t.get("unknown")
                                } else {
                                    t.code(prefix, &g.key)
                                }),
                                Value::text(t.code("reason", &r.reason)),
                                Value::int(r.count),
                                Value::num(ratio(r.count, g.total), Fmt::Pct),
                            ]
                        })
                    })
                    .collect(),
            )
        };
    let by_stage = grouped("rejections_by_stage", "stage", &r.rejections.by_stage);
    let by_type = grouped("rejections_by_type", "type", &r.rejections.by_type);
    section(t, "rejections", vec![reasons, by_stage, by_type])
}

/// What happened to candidates whose earlier application closed without a
/// hire: the talent pool and its reuse.
#[derive(Debug, Default, PartialEq)]
pub struct RecallHistory {
    /// Candidates with an application closed without a hire.
    pub pool: usize,
    /// Of those, candidates with a later application (re-contacted or
    /// re-applied).
    pub contacted: usize,
    /// … whose later application reached an interview.
    pub reinterviewed: usize,
    /// … whose later application ended in a hire.
    pub hires: usize,
    /// Hires from the pool / all hires.
    pub reuse_rate: Option<f64>,
}

fn closed_without_hire(a: &ApplicationRecord, step: FunnelStep) -> bool {
    step != FunnelStep::Hired
        && (matches!(a.status, Some("rejected" | "declined" | "talent_pool"))
            || a.rejection_reason.is_some())
}

/// Follows every candidate's applications in date order: after the first
/// one that closed without a hire, later applications show whether the
/// talent pool was used. Undated applications cannot be ordered and are
/// left out.
pub fn recall_history(data: &Dataset) -> RecallHistory {
    let evaluated: BTreeSet<&str> = data
        .evaluations
        .iter()
        .map(|e| e.application_id.as_str())
        .collect();
    let (apps, _) = data.by_candidate();
    let mut h = RecallHistory::default();
    let mut all_hires = 0;
    let mut ids: Vec<&&str> = apps.keys().collect();
    ids.sort();
    for id in ids {
        let mut list: Vec<(NaiveDate, FunnelStep, &ApplicationRecord)> = apps[*id]
            .iter()
            .filter_map(|a| {
                let step = furthest_step(a, evaluated.contains(a.application_id.as_str()));
                Some((a.applied_at?, step, *a))
            })
            .collect();
        all_hires += apps[*id]
            .iter()
            .filter(|a| {
                furthest_step(a, evaluated.contains(a.application_id.as_str())) == FunnelStep::Hired
            })
            .count();
        list.sort_by_key(|x| x.0);
        let Some(first) = list.iter().position(|(_, s, a)| closed_without_hire(a, *s)) else {
            continue;
        };
        h.pool += 1;
        let later: Vec<&(NaiveDate, FunnelStep, &ApplicationRecord)> = list[first + 1..]
            .iter()
            .filter(|x| x.0 > list[first].0)
            .collect();
        if later.is_empty() {
            continue;
        }
        h.contacted += 1;
        h.reinterviewed += usize::from(later.iter().any(|x| x.1 >= FunnelStep::Interviewed));
        h.hires += usize::from(later.iter().any(|x| x.1 == FunnelStep::Hired));
    }
    h.reuse_rate = ratio(h.hires, all_hires);
    h
}

fn distinct_recall(entries: &[RecallEntry]) -> usize {
    entries
        .iter()
        .map(|e| e.candidate_id.as_str())
        .collect::<BTreeSet<_>>()
        .len()
}

/// `张三` → `张*`, `San Zhang` → `S. Z.`.
fn mask(name: &str) -> String {
    let name = name.trim();
    if name.is_ascii() {
        name.split_whitespace()
            .filter_map(|w| w.chars().next())
            .map(|c| format!("{c}."))
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        let mut chars = name.chars();
        let first: String = chars.next().into_iter().collect();
        format!("{first}{}", "*".repeat(chars.count().max(1)))
    }
}

fn recall_section(
    t: &Texts,
    input: &ReportInput<'_>,
    h: &RecallHistory,
    costs: &CostSummary,
) -> Section {
    let steps = [
        ("pool", h.pool),
        ("contacted", h.contacted),
        ("reinterviewed", h.reinterviewed),
        ("hired", h.hires),
    ];
    let mut outcomes = with_chart(
        table(
            "recall_outcomes",
            t.get("table.recall_outcomes"),
            vec![
                col(t.get("col.step"), Fmt::Text),
                col(t.get("col.candidates"), Fmt::Int),
                col(t.get("col.of_previous"), Fmt::Pct),
            ],
            steps
                .iter()
                .enumerate()
                .map(|(i, (k, n))| {
                    vec![
                        Value::text(t.get(&format!("recall.{k}"))),
                        Value::int(*n),
                        Value::num(
                            if i == 0 {
                                None
                            } else {
                                ratio(*n, steps[i - 1].1)
                            },
                            Fmt::Pct,
                        ),
                    ]
                })
                .collect(),
        ),
        ChartKind::Bar,
        0,
        vec![1],
    );
    outcomes.note = Some(t.get("note.recall_outcomes"));
    let figures = figures_table(
        t,
        "recall_figures",
        vec![
            ("recall_listed", Value::int(distinct_recall(input.recall))),
            ("recall_entries", Value::int(input.recall.len())),
            ("pool_hires", Value::int(h.hires)),
            ("pool_reuse", Value::num(h.reuse_rate, Fmt::Pct)),
            ("cost_per_hire", Value::num(costs.per_hire, Fmt::Money)),
            ("cost_saved", Value::num(costs.saved_by_recall, Fmt::Money)),
        ],
    );
    let list = table(
        "recall_list",
        t.get("table.recall_list"),
        vec![
            col(t.get("col.position"), Fmt::Text),
            col(t.get("col.candidate"), Fmt::Text),
            col(t.get("col.match_score"), Fmt::Dec1),
            col(t.get("col.rules"), Fmt::Text),
            col(t.get("col.original_reason"), Fmt::Text),
            col(t.get("col.interview_date"), Fmt::Date),
            col(t.get("col.evaluation"), Fmt::Text),
        ],
        input
            .recall
            .iter()
            .map(|e| {
                let name = if input.settings.mask_names {
                    mask(&e.name)
                } else {
                    e.name.clone()
                };
                vec![
                    Value::text(format!("{} {}", e.position_id, e.position)),
                    Value::text(name),
                    Value::num(Some(e.score), Fmt::Dec1),
                    Value::text(e.rules_fired.join("; ")),
                    Value::text(
                        e.original_reason
                            .as_deref()
                            .map(|r| t.code("reason", r))
                            .unwrap_or_default(),
                    ),
                    Value::date(e.interview_date),
                    Value::text(e.evaluation.clone().unwrap_or_default()),
                ]
            })
            .collect(),
    );
    section(t, "recall", vec![outcomes, figures, list])
}

/// Evaluations regrouped into panels: every evaluation of one candidate for
/// one position, whichever file or application record it came from (the
/// same interview is often entered in two systems under two application
/// ids). Returns the regrouped copies and each panel's display name
/// (candidate · position). Evaluations without an application stand alone.
fn panel_evaluations(
    data: &Dataset,
    mask_names: bool,
) -> (
    Vec<crate::model::EvaluationRecord>,
    BTreeMap<String, String>,
) {
    let apps: HashMap<&str, &ApplicationRecord> = data
        .applications
        .iter()
        .map(|a| (a.application_id.as_str(), a))
        .collect();
    let names: HashMap<&str, &str> = data
        .persons
        .iter()
        .filter_map(|p| Some((p.candidate_id.as_str(), p.name.as_deref()?)))
        .collect();
    let mut shown = BTreeMap::new();
    let evaluations = data
        .evaluations
        .iter()
        .map(|e| {
            let mut e = e.clone();
            let position = apps
                .get(e.application_id.as_str())
                .and_then(|a| a.position_id.as_deref().or(a.position.as_deref()));
            let key = match position {
                Some(p) if !e.application_id.is_empty() => format!("{}|{p}", e.candidate_id),
                _ => format!("{}|{}", e.candidate_id, e.evaluation_id),
            };
            let name = names.get(e.candidate_id.as_str()).copied().unwrap_or("");
            let name = if mask_names {
                mask(name)
            } else {
                name.to_string()
            };
            shown
                .entry(key.clone())
                .or_insert_with(|| format!("{name} · {}", position.unwrap_or("")));
            e.application_id = key;
            e
        })
        .collect();
    (evaluations, shown)
}

fn interviewers_section(
    t: &Texts,
    r: &RecruitingReport,
    names: &BTreeMap<String, String>,
) -> Section {
    let c = &r.interviewers;
    let bias = table(
        "interviewer_bias",
        t.get("table.interviewer_bias"),
        vec![
            col(t.get("col.interviewer"), Fmt::Text),
            col(t.get("col.panels"), Fmt::Int),
            col(t.get("col.scores_compared"), Fmt::Int),
            col(t.get("col.mean_deviation"), Fmt::Dec2),
            col(t.get("col.mean_abs_deviation"), Fmt::Dec2),
        ],
        c.interviewers
            .iter()
            .map(|b| {
                vec![
                    Value::text(b.interviewer.clone()),
                    Value::int(b.panels),
                    Value::int(b.scores),
                    Value::num(Some(b.mean_deviation), Fmt::Dec2),
                    Value::num(Some(b.mean_abs_deviation), Fmt::Dec2),
                ]
            })
            .collect(),
    );
    let mut panels: Vec<&crate::stats::interviewers::PanelSpread> =
        c.panels.iter().filter(|p| p.max_spread.is_some()).collect();
    panels.sort_by(|a, b| {
        b.max_spread
            .partial_cmp(&a.max_spread)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| a.application_id.cmp(&b.application_id))
    });
    let spreads: Vec<f64> = panels.iter().filter_map(|p| p.max_spread).collect();
    let mut summary = figures_table(
        t,
        "panel_figures",
        vec![
            ("panels", Value::int(spreads.len())),
            (
                "spread_median",
                Value::num(crate::stats::describe::median(&spreads), Fmt::Dec1),
            ),
            (
                "spread_p90",
                Value::num(crate::stats::percentile(&spreads, 0.9), Fmt::Dec1),
            ),
        ],
    );
    summary.note = Some(t.get("note.panels"));
    let worst = table(
        "panel_spread",
        t.get("table.panel_spread"),
        vec![
            col(t.get("col.application"), Fmt::Text),
            col(t.get("col.interviewers"), Fmt::Text),
            col(t.get("col.dimensions"), Fmt::Text),
            col(t.get("col.max_spread"), Fmt::Dec1),
        ],
        panels
            .iter()
            .take(20)
            .map(|p| {
                vec![
                    Value::text(
                        names
                            .get(&p.application_id)
                            .cloned()
                            .unwrap_or_else(|| p.application_id.clone()),
                    ),
                    Value::text({
                        // A panel's evaluation may name several people in
                        // one cell (`孙悦、王总`); list each person once.
                        let mut people: Vec<&str> = Vec::new();
                        for name in p
                            .interviewers
                            .iter()
                            .flat_map(|i| i.split(['、', ',', '，', '/']))
                        {
                            let name = name.trim();
                            if !name.is_empty() && !people.contains(&name) {
                                people.push(name);
                            }
                        }
                        people.join("、")
                    }),
                    Value::text(
                        p.dimensions
                            .iter()
                            .map(|d| {
                                format!(
                                    "{} {}",
                                    t.code("score", d.dimension),
                                    crate::output::format_float(d.spread)
                                )
                            })
                            .collect::<Vec<_>>()
                            .join("; "),
                    ),
                    Value::num(p.max_spread, Fmt::Dec1),
                ]
            })
            .collect(),
    );
    section(t, "interviewers", vec![summary, bias, worst])
}

/// The survey send time of each linked application: the survey goes out
/// with the decision notice, so it is when the notice was sent.
fn notice_times(
    surveys: &[SurveyResponse],
    version: Option<&str>,
) -> BTreeMap<String, NaiveDateTime> {
    let mut out: BTreeMap<String, NaiveDateTime> = BTreeMap::new();
    for r in surveys {
        if version.is_some() && r.template_version.as_deref() != version {
            continue;
        }
        if let (Some(app), Some(at)) = (&r.application_id, r.sent_at) {
            let e = out.entry(app.clone()).or_insert(at);
            *e = (*e).min(at);
        }
    }
    out
}

fn question_text(t: &Texts, bank: &QuestionBank, id: &str) -> String {
    match bank.get(id) {
        Some(q) if t.get("lang") == "zh" => q.text_zh.clone(),
        Some(q) => q.text_en.clone(),
        None => id.to_string(),
    }
}

fn group_label(t: &Texts, g: &GroupReport) -> String {
    match (g.dimension, g.key.as_str()) {
        (_, crate::stats::UNKNOWN) => t.get("unknown"),
        (GroupBy::All, _) => t.get("group.all"),
        (GroupBy::Outcome, k) => t.get(&format!("outcome.{k}")),
        (GroupBy::JobFamily, k) => t.code("family", k),
        (_, k) => k.to_string(),
    }
}

fn dimension_label(t: &Texts, d: GroupBy) -> String {
    let code = match d {
        GroupBy::All => "all",
        GroupBy::Month => "month",
        GroupBy::Department => "department",
        GroupBy::JobFamily => "job_family",
        GroupBy::Outcome => "outcome",
        GroupBy::TemplateVersion => "template_version",
    };
    t.get(&format!("dimension.{code}"))
}

fn duration_row(label: String, d: &DurationSummary) -> Vec<Value> {
    vec![
        Value::text(label),
        Value::int(d.n),
        Value::num(d.median, Fmt::Dec1),
        Value::num(d.p90, Fmt::Dec1),
        Value::int(d.excluded),
    ]
}

fn survey_section(
    t: &Texts,
    input: &ReportInput<'_>,
    s: &SurveyReport,
    bank: &QuestionBank,
) -> Section {
    let hidden = format!("<{}", s.min_group_size);
    let all = s
        .groups
        .iter()
        .find(|g| g.dimension == GroupBy::All && !g.suppressed);
    let stats_of = |id: &str| -> Option<&QuestionStats> {
        all?.questions
            .iter()
            .find(|q| q.question_id == id)?
            .stats
            .as_ref()
    };
    let nps = bank
        .questions()
        .iter()
        .find(|q| q.scale == Scale::Nps0to10)
        .and_then(|q| stats_of(&q.id));
    let npsv = nps.and_then(|q| q.nps);
    let overview = figures_table(
        t,
        "survey_overview",
        vec![
            ("surveys_sent", Value::int(s.response_rate.sent)),
            ("surveys_answered", Value::int(s.response_rate.answered)),
            ("response_rate", Value::num(s.response_rate.rate, Fmt::Pct)),
            (
                "respondents",
                Value::num(all.and_then(|g| g.n).map(|n| n as f64), Fmt::Int),
            ),
            (
                "satisfaction",
                Value::num(all.and_then(|g| g.satisfaction_index), Fmt::Dec2),
            ),
            ("nps", Value::num(npsv.map(|n| n.score), Fmt::Signed)),
            (
                "promoters",
                Value::num(npsv.map(|n| n.promoters as f64), Fmt::Int),
            ),
            (
                "passives",
                Value::num(npsv.map(|n| n.passives as f64), Fmt::Int),
            ),
            (
                "detractors",
                Value::num(npsv.map(|n| n.detractors as f64), Fmt::Int),
            ),
            ("min_group_size", Value::int(s.min_group_size)),
        ],
    );
    let mut question_cols = vec![
        col(t.get("col.question"), Fmt::Text),
        col(t.get("col.part"), Fmt::Text),
        col(t.get("col.n"), Fmt::Int),
        col(t.get("col.mean"), Fmt::Dec2),
        col(t.get("col.ci_low"), Fmt::Dec2),
        col(t.get("col.ci_high"), Fmt::Dec2),
        col(t.get("col.median"), Fmt::Dec1),
        col(t.get("col.top2"), Fmt::Pct),
    ];
    question_cols.extend((1..=5).map(|p| col(format!("{p}"), Fmt::Int)));
    let rows = bank
        .questions()
        .iter()
        .filter(|q| q.scale == Scale::Likert5)
        .filter_map(|q| {
            let st = stats_of(&q.id)?;
            let mut part = t.get(&format!("part.{}", section_code(q.section)));
            if q.polarity == crate::stats::Polarity::Challenging {
                part = format!("{part} {}", t.get("challenging_mark"));
            }
            let mut row = vec![
                Value::text(question_text(t, bank, &q.id)),
                Value::text(part),
                Value::int(st.summary.n),
                Value::num(st.summary.mean, Fmt::Dec2),
                Value::num(st.summary.ci95.map(|c| c.low), Fmt::Dec2),
                Value::num(st.summary.ci95.map(|c| c.high), Fmt::Dec2),
                Value::num(st.summary.median, Fmt::Dec1),
                Value::num(st.top2_box_pct.map(|p| p / 100.0), Fmt::Pct),
            ];
            row.extend(st.distribution.iter().map(|p| Value::int(p.count)));
            Some(row)
        })
        .collect();
    let mut questions = with_chart(
        table(
            "survey_questions",
            t.get("table.survey_questions"),
            question_cols,
            rows,
        ),
        ChartKind::StackedBar,
        0,
        (8..13).collect(),
    );
    questions.note = Some(t.get("note.survey_questions"));
    let nps_dist = with_chart(
        table(
            "survey_nps",
            t.get("table.survey_nps"),
            vec![
                col(t.get("col.nps_point"), Fmt::Text),
                col(t.get("col.answers"), Fmt::Int),
            ],
            nps.map(|q| {
                q.distribution
                    .iter()
                    .map(|p| vec![Value::text(p.point.to_string()), Value::int(p.count)])
                    .collect()
            })
            .unwrap_or_default(),
        ),
        ChartKind::Column,
        0,
        vec![1],
    );
    let notice_q: Vec<&str> = bank
        .questions()
        .iter()
        .filter(|q| q.section == crate::stats::Section::Notice && q.scale == Scale::Likert5)
        .map(|q| q.id.as_str())
        .collect();
    let mut groups = table(
        "survey_groups",
        t.get("table.survey_groups"),
        vec![
            col(t.get("col.dimension"), Fmt::Text),
            col(t.get("col.group"), Fmt::Text),
            col(t.get("col.n"), Fmt::Int),
            col(t.get("col.satisfaction"), Fmt::Dec2),
            col(t.get("col.notice_mean"), Fmt::Dec2),
            col(t.get("col.nps"), Fmt::Signed),
            col(t.get("col.status"), Fmt::Text),
        ],
        s.groups
            .iter()
            .map(|g| {
                let notice_means: Vec<f64> = g
                    .questions
                    .iter()
                    .filter(|q| notice_q.contains(&q.question_id.as_str()))
                    .filter_map(|q| q.stats.as_ref()?.summary.mean)
                    .collect();
                let gnps = g
                    .questions
                    .iter()
                    .find(|q| q.scale == Scale::Nps0to10)
                    .and_then(|q| q.stats.as_ref()?.nps);
                vec![
                    Value::text(dimension_label(t, g.dimension)),
                    Value::text(group_label(t, g)),
                    match g.n {
                        Some(n) => Value::int(n),
                        None => Value::text(hidden.clone()),
                    },
                    Value::num(g.satisfaction_index, Fmt::Dec2),
                    Value::num(crate::stats::describe::mean(&notice_means), Fmt::Dec2),
                    Value::num(gnps.map(|n| n.score), Fmt::Signed),
                    Value::text(if g.suppressed {
                        t.get("status.suppressed")
                            .replace("{min}", &s.min_group_size.to_string())
                    } else {
                        t.get("status.shown")
                    }),
                ]
            })
            .collect(),
    );
    groups.note = Some(
        t.get("note.survey_groups")
            .replace("{min}", &s.min_group_size.to_string()),
    );
    let mut versions: Vec<&str> = input
        .surveys
        .iter()
        .filter_map(|r| r.template_version.as_deref())
        .collect();
    versions.sort_unstable();
    versions.dedup();
    let mut timing_rows = vec![duration_row(
        t.get("group.all"),
        &interview_to_notice(&input.data.evaluations, &notice_times(input.surveys, None)),
    )];
    for v in versions {
        timing_rows.push(duration_row(
            format!("{} {v}", t.get("dimension.template_version")),
            &interview_to_notice(
                &input.data.evaluations,
                &notice_times(input.surveys, Some(v)),
            ),
        ));
    }
    let mut timing = table(
        "notice_timing",
        t.get("table.notice_timing"),
        vec![
            col(t.get("col.group"), Fmt::Text),
            col(t.get("col.n"), Fmt::Int),
            col(t.get("col.median_hours"), Fmt::Dec1),
            col(t.get("col.p90_hours"), Fmt::Dec1),
            col(t.get("col.excluded"), Fmt::Int),
        ],
        timing_rows,
    );
    timing.note = Some(t.get("note.notice_timing"));
    let mut comments = table(
        "survey_comments",
        t.get("table.survey_comments"),
        vec![
            col(t.get("col.group"), Fmt::Text),
            col(t.get("col.question"), Fmt::Text),
            col(t.get("col.comment"), Fmt::Text),
        ],
        s.groups
            .iter()
            .filter(|g| g.dimension == GroupBy::Outcome && !g.suppressed)
            .flat_map(|g| {
                g.comments.iter().map(move |c| {
                    vec![
                        Value::text(group_label(t, g)),
                        Value::text(question_text(t, bank, &c.question_id)),
                        Value::text(c.text.clone()),
                    ]
                })
            })
            .collect(),
    );
    comments.note = Some(
        t.get("note.survey_comments")
            .replace("{min}", &s.min_group_size.to_string()),
    );
    section(
        t,
        "survey",
        vec![overview, questions, nps_dist, groups, timing, comments],
    )
}

fn section_code(s: crate::stats::Section) -> &'static str {
    match s {
        crate::stats::Section::Interview => "interview",
        crate::stats::Section::Notice => "notice",
        crate::stats::Section::Recommend => "recommend",
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

#[cfg(test)]
mod tests {
    use super::*;

    fn app(id: &str, cand: &str, applied: &str, status: Option<&'static str>) -> ApplicationRecord {
        ApplicationRecord {
            application_id: id.into(),
            candidate_id: cand.into(),
            applied_at: Some(applied.parse().unwrap()),
            status,
            ..ApplicationRecord::default()
        }
    }

    #[test]
    fn the_talent_pool_is_followed_through_later_applications() {
        let data = Dataset {
            applications: vec![
                // C1: rejected, came back, hired.
                app("A1", "C1", "2022-01-01", Some("rejected")),
                app("A2", "C1", "2023-01-01", Some("hired")),
                // C2: rejected, never came back.
                app("A3", "C2", "2022-01-01", Some("rejected")),
                // C3: hired directly.
                app("A4", "C3", "2022-01-01", Some("hired")),
                // C4: declined, came back, not interviewed.
                app("A5", "C4", "2021-05-01", Some("declined")),
                app("A6", "C4", "2024-05-01", None),
            ],
            ..Dataset::default()
        };
        let h = recall_history(&data);
        assert_eq!(
            h,
            RecallHistory {
                pool: 3,
                contacted: 2,
                reinterviewed: 1,
                hires: 1,
                reuse_rate: Some(0.5),
            }
        );
    }

    #[test]
    fn names_are_masked_to_an_initial() {
        assert_eq!(mask("张三"), "张*");
        assert_eq!(mask("欧阳娜娜"), "欧***");
        assert_eq!(mask("San Zhang"), "S. Z.");
    }
}
