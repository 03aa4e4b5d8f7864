use std::collections::BTreeMap;

use super::{close, date, some_close};
use crate::model::{ApplicationRecord, EvaluationRecord};
use crate::stats::funnel::*;
use crate::stats::interviewers::{interviewer_consistency, panel_consistency};
use crate::stats::rejections::{ReasonGroup, rejection_reasons};

/// (id, position, channel, stage, status, reason, type)
type Row = (
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
);

const ROWS: &[Row] = &[
    (
        "a1",
        "P1",
        Some("BOSS直聘"),
        Some("applied"),
        Some("in_progress"),
        None,
        None,
    ),
    (
        "a2",
        "P1",
        Some("BOSS直聘"),
        Some("screening"),
        Some("rejected"),
        None,
        None,
    ),
    (
        "a3",
        "P1",
        Some("BOSS直聘"),
        Some("screening"),
        Some("passed"),
        None,
        None,
    ),
    (
        "a4",
        "P1",
        Some("BOSS直聘"),
        Some("interview"),
        Some("rejected"),
        Some("interview_performance"),
        Some("we_rejected"),
    ),
    (
        "a5",
        "P1",
        Some("ＢＯＳＳ直聘"),
        Some("interview"),
        Some("declined"),
        Some("no_show"),
        Some("candidate_declined"),
    ),
    // No stage or status, but an evaluation exists.
    ("a6", "P1", Some("内推"), None, None, None, None),
    (
        "a7",
        "P2",
        Some("内推"),
        Some("offer"),
        Some("declined"),
        Some("offer_declined"),
        Some("candidate_declined"),
    ),
    (
        "a8",
        "P2",
        Some("内推"),
        Some("offer"),
        Some("passed"),
        None,
        None,
    ),
    (
        "a9",
        "P2",
        Some("内推"),
        Some("hired"),
        Some("hired"),
        None,
        None,
    ),
    (
        "a10",
        "P2",
        None,
        Some("offer"),
        Some("in_progress"),
        None,
        None,
    ),
];

fn applications() -> Vec<ApplicationRecord> {
    ROWS.iter()
        .map(
            |&(id, position, channel, stage, status, reason, kind)| ApplicationRecord {
                application_id: id.into(),
                position_id: Some(position.into()),
                position: Some(format!("{position} title")),
                source_channel: channel.map(str::to_string),
                stage,
                status,
                rejection_reason: reason,
                rejection_type: kind,
                ..Default::default()
            },
        )
        .collect()
}

fn evaluations() -> Vec<EvaluationRecord> {
    ["a4", "a6"]
        .iter()
        .map(|id| EvaluationRecord {
            application_id: id.to_string(),
            ..Default::default()
        })
        .collect()
}

fn counts(c: &FunnelCounts) -> [usize; 5] {
    [c.applied, c.screened, c.interviewed, c.offered, c.hired]
}

#[test]
fn funnel_counts_every_step_reached() {
    let report = funnel(&applications(), &evaluations());
    assert_eq!(counts(&report.total.counts), [10, 8, 6, 4, 1]);
    let c = report.total.conversions;
    some_close(c.screened_of_applied, 0.8, 1e-12);
    some_close(c.interviewed_of_screened, 0.75, 1e-12);
    some_close(c.offered_of_interviewed, 4.0 / 6.0, 1e-12);
    some_close(c.hired_of_offered, 0.25, 1e-12);
    some_close(c.hired_of_applied, 0.1, 1e-12);

    let keys: Vec<&str> = report.positions.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(keys, ["P1", "P2"]);
    let p1 = &report.positions[0];
    // a3 passed the screen, a5 was invited but did not show, a4 and a6 were interviewed.
    assert_eq!(counts(&p1.counts), [6, 4, 2, 0, 0]);
    assert_eq!(p1.position.as_deref(), Some("P1 title"));
    assert_eq!(p1.conversions.offered_of_interviewed, Some(0.0));
    assert_eq!(p1.conversions.hired_of_offered, None);
    assert_eq!(counts(&report.positions[1].counts), [4, 4, 4, 4, 1]);
}

#[test]
fn furthest_step_rules() {
    let base = ApplicationRecord::default();
    assert_eq!(furthest_step(&base, false), FunnelStep::Applied);
    assert_eq!(furthest_step(&base, true), FunnelStep::Interviewed);
    let passed = ApplicationRecord {
        status: Some("passed"),
        ..Default::default()
    };
    assert_eq!(furthest_step(&passed, false), FunnelStep::Screened);
    let declined_offer = ApplicationRecord {
        rejection_reason: Some("offer_declined"),
        ..Default::default()
    };
    assert_eq!(furthest_step(&declined_offer, false), FunnelStep::Offered);
    let onboarded = ApplicationRecord {
        stage: Some("screening"),
        onboard_at: Some(date(2024, 1, 1)),
        ..Default::default()
    };
    assert_eq!(furthest_step(&onboarded, false), FunnelStep::Hired);
    let no_show = ApplicationRecord {
        stage: Some("interview"),
        rejection_reason: Some("no_show"),
        ..Default::default()
    };
    assert_eq!(furthest_step(&no_show, false), FunnelStep::Screened);
    assert_eq!(furthest_step(&no_show, true), FunnelStep::Interviewed);
}

#[test]
fn offer_acceptance_leaves_open_offers_out() {
    let o = offer_acceptance(&applications(), &evaluations());
    // a8 accepted, a9 hired; a7 declined; a10 still open.
    assert_eq!((o.offers, o.accepted, o.declined, o.pending), (4, 2, 1, 1));
    some_close(o.rate, 2.0 / 3.0, 1e-12);
    assert_eq!(
        offer_acceptance::<ApplicationRecord, EvaluationRecord>(&[], &[]).rate,
        None
    );
}

#[test]
fn time_to_hire_median_and_p90_in_days() {
    let apps: Vec<ApplicationRecord> = [10, 20, 30, 40, -5]
        .iter()
        .map(|&days| ApplicationRecord {
            applied_at: Some(date(2024, 1, 1)),
            onboard_at: Some(date(2024, 1, 1) + chrono::Duration::days(days)),
            ..Default::default()
        })
        .collect();
    let t = time_to_hire(&apps);
    assert_eq!((t.unit, t.n, t.excluded), ("days", 4, 1));
    some_close(t.median, 25.0, 1e-12);
    // h = 3 · 0.9 = 2.7 → 30 + 0.7 · 10.
    some_close(t.p90, 37.0, 1e-12);
}

#[test]
fn sources_and_cost_per_hire() {
    let sources = source_effectiveness(&applications(), &evaluations());
    let rows: Vec<_> = sources
        .iter()
        .map(|s| {
            (
                s.channel.as_str(),
                s.applicants,
                s.interviews,
                s.offers,
                s.hires,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("BOSS直聘", 5, 1, 0, 0),
            ("内推", 4, 4, 3, 1),
            ("(unknown)", 1, 1, 1, 0),
        ]
    );
    some_close(sources[1].hire_rate, 0.25, 1e-12);

    let costs = BTreeMap::from([
        ("boss直聘".to_string(), 5000.0),
        ("内推".to_string(), 3000.0),
        ("猎头".to_string(), 20000.0),
    ]);
    let c = cost_per_hire(&sources, &costs);
    let rows: Vec<_> = c
        .iter()
        .map(|r| {
            (
                r.channel.as_str(),
                r.cost,
                r.cost_per_applicant,
                r.cost_per_hire,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("BOSS直聘", Some(5000.0), Some(1000.0), None),
            ("内推", Some(3000.0), Some(750.0), Some(3000.0)),
            ("(unknown)", None, None, None),
            ("猎头", Some(20000.0), None, None),
        ]
    );
}

/// A reason group as (key, total, [(reason, count)]).
type Flat = (String, usize, Vec<(String, usize)>);

#[test]
fn rejection_reasons_by_stage_and_type() {
    let r = rejection_reasons(&applications());
    let flat = |groups: &[ReasonGroup]| -> Vec<Flat> {
        groups
            .iter()
            .map(|g| {
                let reasons = g
                    .reasons
                    .iter()
                    .map(|c| (c.reason.clone(), c.count))
                    .collect();
                (g.key.clone(), g.total, reasons)
            })
            .collect()
    };
    let s = |v: &str| v.to_string();
    assert_eq!(
        flat(&r.by_stage),
        [
            (s("screening"), 1, vec![(s("unspecified"), 1)]),
            (
                s("interview"),
                2,
                vec![(s("interview_performance"), 1), (s("no_show"), 1)]
            ),
            (s("offer"), 1, vec![(s("offer_declined"), 1)]),
        ]
    );
    assert_eq!(
        flat(&r.by_type),
        [
            (
                s("we_rejected"),
                2,
                vec![(s("interview_performance"), 1), (s("unspecified"), 1)]
            ),
            (
                s("candidate_declined"),
                2,
                vec![(s("no_show"), 1), (s("offer_declined"), 1)]
            ),
        ]
    );
}

fn scored(app: &str, who: Option<&str>, technical: f64, overall: Option<f64>) -> EvaluationRecord {
    EvaluationRecord {
        application_id: app.into(),
        interviewer: who.map(str::to_string),
        technical: Some(technical),
        overall,
        ..Default::default()
    }
}

#[test]
fn interviewer_consistency_spread_and_deviation() {
    let evaluations = vec![
        scored("A", Some("X"), 4.0, Some(4.0)),
        scored("A", Some("Y"), 2.0, Some(3.0)),
        // X evaluated B twice (full-width name in one sheet): one voice, mean 5.
        scored("B", Some("X"), 5.0, None),
        scored("B", Some("Ｘ"), 5.0, None),
        scored("B", Some("Y"), 5.0, None),
        scored("B", Some("Z"), 2.0, None),
        // One interviewer, or one unnamed: no panel.
        scored("C", Some("W"), 1.0, None),
        scored("D", Some("X"), 1.0, None),
        scored("D", None, 5.0, None),
    ];
    let c = interviewer_consistency(&evaluations);
    let panels: Vec<&str> = c.panels.iter().map(|p| p.application_id.as_str()).collect();
    assert_eq!(panels, ["A", "B"]);

    let a = &c.panels[0];
    assert_eq!(a.interviewers, ["X", "Y"]);
    let dims: Vec<_> = a
        .dimensions
        .iter()
        .map(|d| (d.dimension, d.n, d.mean, d.spread))
        .collect();
    assert_eq!(dims, [("technical", 2, 3.0, 2.0), ("overall", 2, 3.5, 1.0)]);
    close(a.dimensions[0].sd, 2f64.sqrt(), 1e-12);
    assert_eq!(a.max_spread, Some(2.0));

    let b = &c.panels[1];
    assert_eq!(b.interviewers, ["X", "Y", "Z"]);
    // Mean (5 + 5 + 2) / 3 = 4, not (5 + 5 + 5 + 2) / 4.
    close(b.dimensions[0].mean, 4.0, 1e-12);
    close(b.dimensions[0].sd, 3f64.sqrt(), 1e-12);
    assert_eq!(b.max_spread, Some(3.0));

    let people: Vec<_> = c
        .interviewers
        .iter()
        .map(|i| (i.interviewer.as_str(), i.panels, i.scores))
        .collect();
    assert_eq!(people, [("X", 2, 3), ("Y", 2, 3), ("Z", 1, 1)]);
    // X: +1, +0.5, +1; Y: −1, −0.5, +1; Z: −2.
    close(c.interviewers[0].mean_deviation, 2.5 / 3.0, 1e-12);
    close(c.interviewers[0].mean_abs_deviation, 2.5 / 3.0, 1e-12);
    close(c.interviewers[1].mean_deviation, -0.5 / 3.0, 1e-12);
    close(c.interviewers[1].mean_abs_deviation, 2.5 / 3.0, 1e-12);
    close(c.interviewers[2].mean_deviation, -2.0, 1e-12);
}

#[test]
fn panels_given_beside_the_records_match_panels_read_from_them() {
    // Panels keyed apart from the records (as the report regroups them)
    // give what the records with the key as their application id give:
    // same panels, same order within a panel, same deviations.
    let evaluations = vec![
        scored("a1", Some("X"), 4.0, Some(4.0)),
        scored("a9", Some("Y"), 2.0, Some(3.0)),
        scored("b1", Some("X"), 5.0, None),
        scored("b1", Some("Ｘ"), 3.0, None),
        scored("b2", Some("Y"), 5.0, None),
        scored("b3", Some("Z"), 2.0, None),
        scored("c1", Some("W"), 1.0, None),
        scored("a1", Some("Z"), 1.0, Some(2.0)),
    ];
    let key = |e: &EvaluationRecord| match e.application_id.chars().next() {
        Some('a') => "cand-1|P1".to_string(),
        Some('b') => "cand-2|P1".to_string(),
        _ => format!("cand-3|{}", e.application_id),
    };
    let keys: Vec<String> = evaluations.iter().map(key).collect();
    let regrouped = panel_consistency(keys.iter().map(String::as_str).zip(&evaluations));
    let relabelled: Vec<EvaluationRecord> = evaluations
        .iter()
        .map(|e| EvaluationRecord {
            application_id: key(e),
            ..e.clone()
        })
        .collect();
    let expected = interviewer_consistency(&relabelled);
    assert_eq!(regrouped, expected);
    let panels: Vec<&str> = regrouped
        .panels
        .iter()
        .map(|p| p.application_id.as_str())
        .collect();
    assert_eq!(panels, ["cand-1|P1", "cand-2|P1"]);
    assert_eq!(regrouped.panels[0].interviewers, ["X", "Y", "Z"]);
    // X on cand-2: (5 + 3) / 2 = 4 against Y 5 and Z 2.
    close(regrouped.panels[1].dimensions[0].mean, 11.0 / 3.0, 1e-12);
}

#[test]
fn recruiting_figures_are_the_report_without_panels() {
    let costs = BTreeMap::from([("内推".to_string(), 3000.0)]);
    let full = recruiting_report(&applications(), &evaluations(), &costs);
    let figures = recruiting_figures(&applications(), &evaluations(), &costs);
    assert_eq!(figures.interviewers, Default::default());
    assert_eq!(
        RecruitingReport {
            interviewers: full.interviewers.clone(),
            ..figures
        },
        full
    );
}

#[test]
fn recruiting_report_combines_and_serializes() {
    let costs = BTreeMap::from([("内推".to_string(), 3000.0)]);
    let report = recruiting_report(&applications(), &evaluations(), &costs);
    assert_eq!(counts(&report.funnel.total.counts), [10, 8, 6, 4, 1]);
    assert_eq!(report.offer_acceptance.accepted, 2);
    assert_eq!(report.costs[1].cost_per_hire, Some(3000.0));
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["funnel"]["total"]["counts"]["screened"], 8);
    assert_eq!(json["sources"][0]["channel"], "BOSS直聘");
    assert_eq!(
        report,
        recruiting_report(&applications(), &evaluations(), &costs)
    );
}

#[test]
fn borrowed_records_give_the_report_of_owned_ones() {
    let (apps, evals) = (applications(), evaluations());
    let costs = BTreeMap::from([("内推".to_string(), 3000.0)]);
    let app_refs: Vec<&ApplicationRecord> = apps.iter().collect();
    let eval_refs: Vec<&EvaluationRecord> = evals.iter().collect();
    assert_eq!(
        recruiting_report(&app_refs, &eval_refs, &costs),
        recruiting_report(&apps, &evals, &costs)
    );
}

#[test]
fn spellings_of_one_position_are_one_group_in_input_order() {
    // `Ｐ１` and ` P1` clean to `P1`: one group, whose title is the first
    // in input order, whichever spelling comes first.
    let mut apps = applications();
    apps[0].position_id = Some("Ｐ１".into());
    apps[0].position = None;
    apps[1].position_id = Some(" P1".into());
    apps[1].position = Some("first title".into());
    apps[2].position = Some("second title".into());
    let report = funnel(&apps, &evaluations());
    let keys: Vec<&str> = report.positions.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(keys, ["P1", "P2"]);
    assert_eq!(counts(&report.positions[0].counts), [6, 4, 2, 0, 0]);
    assert_eq!(report.positions[0].position.as_deref(), Some("first title"));
    let sources = source_effectiveness(&apps, &evaluations());
    assert_eq!(
        sources.iter().map(|s| s.applicants).sum::<usize>(),
        apps.len()
    );
}
