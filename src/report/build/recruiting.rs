//! Recruiting sections: funnel, monthly trend, sources and cost, rejections.

use super::*;

pub(super) fn funnel_section(t: &Texts, r: &RecruitingReport) -> Section {
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

pub(super) fn month_key(d: NaiveDate) -> (i32, u32) {
    (d.year(), d.month())
}

/// The monthly trend ending with the month of `end`, and that month's
/// counts: applications, interviewed applications, hires, surveys answered.
pub(super) fn trend_section(
    t: &Texts,
    data: &Dataset,
    surveys: &[SurveyResponse],
    months: u32,
    end: NaiveDate,
) -> (Section, [usize; 4]) {
    let mut keys: Vec<(i32, u32)> = Vec::new();
    let (mut y, mut m) = month_key(end);
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
    let mut counts: BTreeMap<(i32, u32), [usize; 4]> = keys.iter().map(|k| (*k, [0; 4])).collect();
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
    let answered: BTreeSet<((i32, u32), &str)> = surveys
        .iter()
        .filter(|r| r.score.is_some() || r.comment.is_some())
        .filter_map(|r| Some((month_key(r.answered_at?.date()), r.response_id.as_str())))
        .collect();
    for (k, _) in answered {
        if let Some(e) = counts.get_mut(&k) {
            e[3] += 1;
        }
    }
    let last = counts.get(&month_key(end)).copied().unwrap_or_default();
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
            t.get("table.trend"),
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
    trend.note = Some(t.get("note.trend"));
    (section(t, "trend", vec![trend]), last)
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

pub(super) fn sources_section(t: &Texts, r: &RecruitingReport, costs: &CostSummary) -> Section {
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

pub(super) fn rejections_section(t: &Texts, r: &RecruitingReport) -> Section {
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
