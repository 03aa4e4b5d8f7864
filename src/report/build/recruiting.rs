//! Recruiting sections: funnel, monthly trend, sources and cost, rejections.
//!
//! Applications count in the scope of their application date (a cohort:
//! what became of the applications received in the period), so the month,
//! the trailing window and the cumulative column of one table are the same
//! figures over three sets of applications. The trend and the month's
//! summary figures count events by their own dates instead (interviews by
//! interview date, hires by onboarding date); the notes say which is which.

use super::*;

const STEPS: [&str; 5] = ["applied", "screened", "interviewed", "offered", "hired"];

fn step_counts(c: &crate::stats::funnel::FunnelCounts) -> [usize; 5] {
    [c.applied, c.screened, c.interviewed, c.offered, c.hired]
}

pub(super) fn funnel_section(t: &Texts, p: &Periods, per: &[ScopeData], data: &Dataset) -> Section {
    let [month, window, all] =
        Scope::ALL.map(|s| step_counts(&scoped(per, s).recruiting.funnel.total.counts));
    let rows = STEPS
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let previous = |c: &[usize; 5]| if i == 0 { None } else { ratio(c[i], c[i - 1]) };
            vec![
                Value::text(t.get(&format!("step.{step}"))),
                Value::int(month[i]),
                Value::int(window[i]),
                Value::num(previous(&window), Fmt::Pct),
                Value::int(all[i]),
                Value::num(previous(&all), Fmt::Pct),
                Value::num(ratio(all[i], all[0]), Fmt::Pct),
            ]
        })
        .collect();
    let mut total = with_chart(
        table(
            "funnel_total",
            t.get("table.funnel_total"),
            vec![
                col(t.get("col.step"), Fmt::Text),
                p.col(t, Scope::Month, &t.get("col.count"), Fmt::Int),
                p.col(t, Scope::Window, &t.get("col.count"), Fmt::Int),
                p.col(t, Scope::Window, &t.get("col.of_previous"), Fmt::Pct),
                p.col(t, Scope::All, &t.get("col.count"), Fmt::Int),
                p.col(t, Scope::All, &t.get("col.of_previous"), Fmt::Pct),
                p.col(t, Scope::All, &t.get("col.of_applied"), Fmt::Pct),
            ],
            rows,
        ),
        ChartKind::Column,
        0,
        vec![2, 4],
    );
    total.note = Some(p.fill(&t.get("note.funnel_total")));
    let by_key = |s: Scope| -> HashMap<&str, [usize; 5]> {
        scoped(per, s)
            .recruiting
            .funnel
            .positions
            .iter()
            .map(|r| (r.key.as_str(), step_counts(&r.counts)))
            .collect()
    };
    let (month_of, window_of) = (by_key(Scope::Month), by_key(Scope::Window));
    let mut position_cols = vec![
        col(t.get("col.position_id"), Fmt::Text),
        col(t.get("col.position"), Fmt::Text),
        col(t.get("col.department"), Fmt::Text),
        p.col(t, Scope::Month, &t.get("step.applied"), Fmt::Int),
    ];
    position_cols.extend(
        STEPS
            .iter()
            .map(|s| p.col(t, Scope::Window, &t.get(&format!("step.{s}")), Fmt::Int)),
    );
    position_cols.extend([
        p.col(t, Scope::All, &t.get("step.applied"), Fmt::Int),
        p.col(t, Scope::All, &t.get("step.hired"), Fmt::Int),
        p.col(t, Scope::All, &t.get("col.hire_rate"), Fmt::Pct),
    ]);
    let mut positions = table(
        "funnel_positions",
        t.get("table.funnel_positions"),
        position_cols,
        scoped(per, Scope::All)
            .recruiting
            .funnel
            .positions
            .iter()
            .map(|r| {
                let m = month_of.get(r.key.as_str()).copied().unwrap_or_default();
                let w = window_of.get(r.key.as_str()).copied().unwrap_or_default();
                let mut row = vec![
                    Value::text(unknown(t, &r.key)),
                    Value::text(r.position.clone().unwrap_or_default()),
                    Value::text(r.department.clone().unwrap_or_default()),
                    Value::int(m[0]),
                ];
                row.extend(w.iter().map(|n| Value::int(*n)));
                row.extend([
                    Value::int(r.counts.applied),
                    Value::int(r.counts.hired),
                    Value::num(r.conversions.hired_of_applied, Fmt::Pct),
                ]);
                row
            })
            .collect(),
    );
    positions.note = Some(p.fill(&t.get("note.funnel_positions")));
    let offer = |s: Scope| scoped(per, s).recruiting.offer_acceptance;
    let hire = |s: Scope| time_to_hire_in(data, p, s);
    let [om, ow, oa] = Scope::ALL.map(offer);
    let [hm, hw, ha] = Scope::ALL.map(hire);
    let ints =
        |f: fn(&crate::stats::OfferAcceptance) -> usize| [om, ow, oa].map(|o| Value::int(f(&o)));
    let mut offers = scoped_figures_table(
        t,
        p,
        "offers",
        vec![
            ("offers", ints(|o| o.offers)),
            ("offers_accepted", ints(|o| o.accepted)),
            ("offers_declined", ints(|o| o.declined)),
            ("offers_pending", ints(|o| o.pending)),
            (
                "offer_acceptance",
                [om, ow, oa].map(|o| Value::num(o.rate, Fmt::Pct)),
            ),
            ("hires_dated", [&hm, &hw, &ha].map(|h| Value::int(h.n))),
            (
                "time_to_hire_median",
                [&hm, &hw, &ha].map(|h| Value::num(h.median, Fmt::Dec1)),
            ),
            (
                "time_to_hire_p90",
                [&hm, &hw, &ha].map(|h| Value::num(h.p90, Fmt::Dec1)),
            ),
        ],
    );
    offers.note = Some(p.fill(&t.get("note.offers")));
    section(t, "funnel", vec![total, positions, offers])
}

/// Days from application to onboarding for the hires whose onboarding
/// date falls in `scope` (a hire counts when it starts).
pub(super) fn time_to_hire_in(data: &Dataset, p: &Periods, scope: Scope) -> DurationSummary {
    let hires: Vec<ApplicationRecord> = data
        .applications
        .iter()
        .filter(|a| a.onboard_at.is_some() && p.contains(scope, a.onboard_at))
        .cloned()
        .collect();
    crate::stats::funnel::time_to_hire(&hires)
}

pub(super) fn month_key(d: NaiveDate) -> (i32, u32) {
    (d.year(), d.month())
}

/// The monthly trend over the window, ending with the report month, that
/// month's counts and the window's totals: applications, interviewed
/// applications, hires, surveys answered.
pub(super) fn trend_section(
    t: &Texts,
    data: &Dataset,
    surveys: &[SurveyResponse],
    p: &Periods,
) -> (Section, [usize; 4], [usize; 4]) {
    let mut keys: Vec<(i32, u32)> = Vec::new();
    let (mut y, mut m) = month_key(p.end);
    for _ in 0..p.months {
        keys.push((y, m));
        if m == 1 {
            y -= 1;
            m = 12;
        } else {
            m -= 1;
        }
    }
    keys.reverse();
    let mut counts: BTreeMap<(i32, u32), [usize; 4]> = keys.iter().map(|k| (*k, [0; 4])).collect();
    let slot = |d: Option<NaiveDate>| {
        d.filter(|d| p.contains(Scope::Window, Some(*d)))
            .map(month_key)
    };
    let mut add = |k: Option<(i32, u32)>, i: usize| {
        if let Some(e) = k.and_then(|k| counts.get_mut(&k)) {
            e[i] += 1;
        }
    };
    for a in &data.applications {
        add(slot(a.applied_at), 0);
        let hired = a.onboard_at.is_some() || a.status == Some("hired") || a.stage == Some("hired");
        let hired_at = a.onboard_at.or(a.decided_at.filter(|_| hired));
        add(slot(hired_at), 2);
    }
    // Distinct (month, application) pairs: only how many there are per
    // month is read, so they are hashed, not ordered.
    let mut interviewed: HashSet<((i32, u32), &str)> = HashSet::default();
    for e in &data.evaluations {
        if let Some(k) = slot(e.at.map(|at| at.date())) {
            interviewed.insert((k, e.application_id.as_str()));
        }
    }
    for (k, _) in interviewed {
        add(Some(k), 1);
    }
    let answered: HashSet<((i32, u32), &str)> = surveys
        .iter()
        .filter(|r| r.score.is_some() || r.comment.is_some())
        .filter_map(|r| {
            Some((
                slot(r.answered_at.map(|a| a.date()))?,
                r.response_id.as_str(),
            ))
        })
        .collect();
    for (k, _) in answered {
        add(Some(k), 3);
    }
    let last = counts.get(&month_key(p.end)).copied().unwrap_or_default();
    let mut window = [0; 4];
    for c in counts.values() {
        for i in 0..4 {
            window[i] += c[i];
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
                Value::int(c[3]),
            ]
        })
        .collect();
    let mut trend = with_chart(
        table(
            "trend",
            p.fill(&t.get("table.trend")),
            vec![
                col(t.get("col.month"), Fmt::Text),
                col(t.get("col.applications"), Fmt::Int),
                col(t.get("col.interviewed_apps"), Fmt::Int),
                col(t.get("col.hires"), Fmt::Int),
                col(t.get("col.surveys_answered"), Fmt::Int),
            ],
            rows,
        ),
        ChartKind::Line,
        0,
        vec![1, 2, 3, 4],
    );
    trend.note = Some(p.fill(&t.get("note.trend")));
    (section(t, "trend", vec![trend]), last, window)
}

/// Money spent and what it bought.
pub struct CostSummary {
    /// Total spend over channels with a cost.
    pub total: Option<f64>,
    /// Hires from those channels.
    pub hires: usize,
    /// total / hires.
    pub per_hire: Option<f64>,
    /// Hires made through recall × cost per hire.
    pub saved_by_recall: Option<f64>,
}

pub(super) fn cost_summary(r: &RecruitingReport, recall_hires: usize) -> CostSummary {
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

pub(super) fn sources_section(
    t: &Texts,
    p: &Periods,
    per: &[ScopeData],
    costs: &CostSummary,
) -> Section {
    let all = &scoped(per, Scope::All).recruiting;
    let cost_of: HashMap<&str, &crate::stats::funnel::CostRow> =
        all.costs.iter().map(|c| (c.channel.as_str(), c)).collect();
    let by_channel = |s: Scope| -> HashMap<&str, &crate::stats::SourceRow> {
        scoped(per, s)
            .recruiting
            .sources
            .iter()
            .map(|r| (r.channel.as_str(), r))
            .collect()
    };
    let (month, window) = (by_channel(Scope::Month), by_channel(Scope::Window));
    let n = |r: Option<&&crate::stats::SourceRow>, f: fn(&crate::stats::SourceRow) -> usize| {
        Value::int(r.map_or(0, |r| f(r)))
    };
    let rows = all
        .sources
        .iter()
        .map(|s| {
            let c = cost_of.get(s.channel.as_str());
            let m = month.get(s.channel.as_str());
            let w = window.get(s.channel.as_str());
            vec![
                Value::text(unknown(t, &s.channel)),
                n(m, |r| r.applicants),
                n(w, |r| r.applicants),
                n(w, |r| r.interviews),
                n(w, |r| r.offers),
                n(w, |r| r.hires),
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
                p.col(t, Scope::Month, &t.get("col.applicants"), Fmt::Int),
                p.col(t, Scope::Window, &t.get("col.applicants"), Fmt::Int),
                p.col(t, Scope::Window, &t.get("col.interviews"), Fmt::Int),
                p.col(t, Scope::Window, &t.get("col.offers"), Fmt::Int),
                p.col(t, Scope::Window, &t.get("col.hires"), Fmt::Int),
                p.col(t, Scope::All, &t.get("col.applicants"), Fmt::Int),
                p.col(t, Scope::All, &t.get("col.interviews"), Fmt::Int),
                p.col(t, Scope::All, &t.get("col.offers"), Fmt::Int),
                p.col(t, Scope::All, &t.get("col.hires"), Fmt::Int),
                p.col(t, Scope::All, &t.get("col.hire_rate"), Fmt::Pct),
                col(t.get("col.cost"), Fmt::Money),
                col(t.get("col.cost_per_hire"), Fmt::Money),
            ],
            rows,
        ),
        ChartKind::Column,
        0,
        vec![6, 9],
    );
    sources.note = Some(p.fill(&t.get("note.sources")));
    let mut total = figures_table(
        t,
        "costs",
        vec![
            ("cost_total", Value::num(costs.total, Fmt::Money)),
            ("cost_hires", Value::int(costs.hires)),
            ("cost_per_hire", Value::num(costs.per_hire, Fmt::Money)),
        ],
    );
    total.note = Some(p.fill(&t.get("note.costs")));
    section(t, "sources", vec![sources, total])
}

/// Reason → applications, over every rejection type of a breakdown.
fn reason_totals(b: &crate::stats::RejectionBreakdown) -> BTreeMap<String, usize> {
    let mut totals: BTreeMap<String, usize> = BTreeMap::new();
    for g in &b.by_type {
        for reason in &g.reasons {
            *totals.entry(reason.reason.clone()).or_default() += reason.count;
        }
    }
    totals
}

pub(super) fn rejections_section(t: &Texts, p: &Periods, per: &[ScopeData]) -> Section {
    let [month, window, all] =
        Scope::ALL.map(|s| reason_totals(&scoped(per, s).recruiting.rejections));
    let mut order: Vec<(&String, &usize)> = all.iter().collect();
    order.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    let sum = |m: &BTreeMap<String, usize>| m.values().sum::<usize>();
    let (window_sum, all_sum) = (sum(&window), sum(&all));
    let mut reasons = with_chart(
        table(
            "rejection_reasons",
            t.get("table.rejection_reasons"),
            vec![
                col(t.get("col.reason"), Fmt::Text),
                p.col(t, Scope::Month, &t.get("col.count"), Fmt::Int),
                p.col(t, Scope::Window, &t.get("col.count"), Fmt::Int),
                p.col(t, Scope::Window, &t.get("col.share"), Fmt::Pct),
                p.col(t, Scope::All, &t.get("col.count"), Fmt::Int),
                p.col(t, Scope::All, &t.get("col.share"), Fmt::Pct),
            ],
            order
                .iter()
                .map(|(reason, n)| {
                    let w = window.get(*reason).copied().unwrap_or(0);
                    vec![
                        Value::text(t.code("reason", reason)),
                        Value::int(month.get(*reason).copied().unwrap_or(0)),
                        Value::int(w),
                        Value::num(ratio(w, window_sum), Fmt::Pct),
                        Value::int(**n),
                        Value::num(ratio(**n, all_sum), Fmt::Pct),
                    ]
                })
                .collect(),
        ),
        ChartKind::Bar,
        0,
        vec![4],
    );
    reasons.note = Some(p.fill(&t.get("note.rejection_reasons")));
    type Groups = fn(&crate::stats::RejectionBreakdown) -> &[crate::stats::rejections::ReasonGroup];
    let grouped = |id: &'static str, prefix: &str, groups: Groups| {
        let counts = |s: Scope| -> HashMap<(String, String), usize> {
            groups(&scoped(per, s).recruiting.rejections)
                .iter()
                .flat_map(|g| {
                    g.reasons
                        .iter()
                        .map(move |r| ((g.key.clone(), r.reason.clone()), r.count))
                })
                .collect()
        };
        let (month, window) = (counts(Scope::Month), counts(Scope::Window));
        let all = groups(&scoped(per, Scope::All).recruiting.rejections);
        table(
            id,
            t.get(&format!("table.{id}")),
            vec![
                col(t.get(&format!("col.{prefix}")), Fmt::Text),
                col(t.get("col.reason"), Fmt::Text),
                p.col(t, Scope::Month, &t.get("col.count"), Fmt::Int),
                p.col(t, Scope::Window, &t.get("col.count"), Fmt::Int),
                p.col(t, Scope::All, &t.get("col.count"), Fmt::Int),
                p.col(t, Scope::All, &t.get("col.share"), Fmt::Pct),
            ],
            all.iter()
                .flat_map(|g| {
                    let (month, window) = (&month, &window);
                    g.reasons.iter().map(move |r| {
                        let key = (g.key.clone(), r.reason.clone());
                        vec![
                            Value::text(if g.key == crate::stats::UNKNOWN {
                                t.get("unknown")
                            } else {
                                t.code(prefix, &g.key)
                            }),
                            Value::text(t.code("reason", &r.reason)),
                            Value::int(month.get(&key).copied().unwrap_or(0)),
                            Value::int(window.get(&key).copied().unwrap_or(0)),
                            Value::int(r.count),
                            Value::num(ratio(r.count, g.total), Fmt::Pct),
                        ]
                    })
                })
                .collect(),
        )
    };
    let mut by_stage = grouped("rejections_by_stage", "stage", |b| &b.by_stage);
    by_stage.note = Some(p.fill(&t.get("note.rejections_by_stage")));
    let by_type = grouped("rejections_by_type", "type", |b| &b.by_type);
    section(t, "rejections", vec![reasons, by_stage, by_type])
}
