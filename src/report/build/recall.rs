//! The recall section: the recall lists HR worked through (returned recall
//! workbooks) followed to contacts, re-interviews and hires; the talent
//! pool and its reuse; the cost recall hires saved; and this run's lists.

use super::*;
use crate::model::ContactRecord;
use crate::rules::contact::ContactOutcome;

/// The recall funnel, in people: each stage is a subset of the one before.
#[derive(Debug, Default, PartialEq, Eq, Clone, Copy)]
pub struct RecallFunnel {
    /// Candidates on a recall list HR returned (a row of a returned recall
    /// workbook, with or without an outcome), listed on or before the
    /// report's last day.
    pub listed: usize,
    /// … with a contact after the listing: an outcome in the returned
    /// workbook, or a contact-log or chat contact dated on or after the
    /// list date (no answer counts: HR tried).
    pub contacted: usize,
    /// … who came back for an interview: agreed to a re-interview whose
    /// date has passed, an interview or an application that reached the
    /// interview after the listing, or joined.
    pub reinterviewed: usize,
    /// … hired: joined (the outcome `joined`), or a later application hired.
    pub hired: usize,
}

/// The recall figures of the report.
#[derive(Debug, Default, PartialEq, Clone)]
pub struct RecallHistory {
    pub funnel: RecallFunnel,
    /// Per listed candidate, the clearest result after the listing (see
    /// [`result_rank`]; `unrecorded` for a contact without a result);
    /// `None` for listed candidates not contacted.
    pub results: BTreeMap<Option<&'static str>, usize>,
    /// Candidates with an application closed without a hire.
    pub pool: usize,
    /// Of those, candidates with a later application.
    pub pool_returned: usize,
    /// Candidates hired after an earlier application closed without a
    /// hire, or through recall.
    pub pool_hires: usize,
    /// Hired applications, plus recall hires no application records.
    pub all_hires: usize,
    /// pool_hires / all_hires.
    pub reuse_rate: Option<f64>,
}

pub(super) fn closed_without_hire(a: &ApplicationRecord, step: FunnelStep) -> bool {
    step != FunnelStep::Hired
        && (matches!(a.status, Some("rejected" | "declined" | "talent_pool"))
            || a.rejection_reason.is_some())
}

/// How clear a contact's result is: joined first, unknown results last.
fn result_rank(r: Option<ContactOutcome>) -> u8 {
    use ContactOutcome as O;
    match r {
        Some(O::Joined) => 0,
        Some(O::AgreedToInterview) => 1,
        Some(O::Declined) => 2,
        Some(O::OptOut) => 3,
        Some(O::Considering) => 4,
        Some(O::Reached) => 5,
        Some(O::MessageSent) => 6,
        Some(O::NoAnswer) => 7,
        Some(O::Busy) => 8,
        Some(O::WrongNumber) => 9,
        None => 10,
    }
}

/// The recall funnel from the returned lists and the contact history, and
/// the talent pool from the applications, everything up to the report's
/// last day. Undated applications cannot be ordered and are left out of the
/// pool's history.
pub fn recall_history(data: &Dataset, p: &Periods) -> RecallHistory {
    let in_range = |d: Option<NaiveDate>| d.is_none_or(|d| d <= p.end);
    // The applications with an evaluation, and each candidate's
    // applications in record order: independent, built side by side.
    let (evaluated, apps) = rayon::join(
        || -> HashSet<&str> {
            data.evaluations
                .iter()
                .map(|e| e.application_id.as_str())
                .collect()
        },
        || {
            let mut apps: foldhash::HashMap<&str, Vec<&ApplicationRecord>> = Default::default();
            for a in &data.applications {
                apps.entry(a.candidate_id.as_str()).or_default().push(a);
            }
            apps
        },
    );
    let step =
        |a: &ApplicationRecord| furthest_step(a, evaluated.contains(a.application_id.as_str()));
    let mut h = RecallHistory::default();

    // Listed: the earliest list date of each candidate (a workbook without
    // the `listed_at` column gives none).
    let mut listed: BTreeMap<&str, Option<NaiveDate>> = BTreeMap::new();
    for l in &data.recall_listings {
        if !in_range(l.listed_at) {
            continue;
        }
        let e = listed.entry(l.candidate_id.as_str()).or_insert(l.listed_at);
        *e = match (*e, l.listed_at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    // The evaluations of listed candidates, in record order.
    let mut evals: foldhash::HashMap<&str, Vec<&crate::model::EvaluationRecord>> =
        Default::default();
    if !listed.is_empty() {
        let ids: HashSet<&str> = listed.keys().copied().collect();
        for e in &data.evaluations {
            if let Some(&id) = ids.get(e.candidate_id.as_str()) {
                evals.entry(id).or_default().push(e);
            }
        }
    }
    let mut contacts: HashMap<&str, Vec<&ContactRecord>> = HashMap::new();
    for c in &data.contacts {
        contacts.entry(c.candidate_id.as_str()).or_default().push(c);
    }
    // Hired through recall; and those of them no hired application shows.
    let mut recall_hired: BTreeSet<&str> = BTreeSet::new();
    let mut recall_joined: BTreeSet<&str> = BTreeSet::new();
    for (&id, &since) in &listed {
        h.funnel.listed += 1;
        let after = |d: Option<NaiveDate>| match (since, d) {
            (Some(s), Some(d)) => d >= s && d <= p.end,
            _ => false,
        };
        // A returned outcome answers the list itself; other contacts count
        // when dated after the listing.
        let mine: Vec<&&ContactRecord> = contacts
            .get(id)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter(|c| {
                let d = c.at.map(|t| t.date());
                if c.kind == crate::contacts::RECALL_OUTCOME_EVENT {
                    in_range(d) && (since.is_none() || d.is_none() || after(d))
                } else {
                    after(d)
                }
            })
            .collect();
        if mine.is_empty() {
            *h.results.entry(None).or_default() += 1;
            continue;
        }
        h.funnel.contacted += 1;
        let clearest = mine
            .iter()
            .map(|c| c.result)
            .min_by_key(|r| result_rank(*r))
            .flatten();
        *h.results
            .entry(Some(clearest.map_or("unrecorded", ContactOutcome::code)))
            .or_default() += 1;
        let joined = mine
            .iter()
            .any(|c| c.result == Some(ContactOutcome::Joined));
        let agreed_and_past = mine.iter().any(|c| {
            c.result == Some(ContactOutcome::AgreedToInterview)
                && c.reinterview_at.is_some_and(|t| t.date() <= p.end)
        });
        let my_apps = apps.get(id).map_or(&[][..], Vec::as_slice);
        let later_app = |a: &&&ApplicationRecord| after(a.applied_at);
        let later_hire = my_apps
            .iter()
            .filter(later_app)
            .any(|a| step(a) == FunnelStep::Hired && in_range(a.onboard_at));
        let later_interview = my_apps
            .iter()
            .filter(later_app)
            .any(|a| step(a) >= FunnelStep::Interviewed)
            || evals
                .get(id)
                .is_some_and(|es| es.iter().any(|e| after(e.at.map(|t| t.date()))));
        if joined || agreed_and_past || later_interview || later_hire {
            h.funnel.reinterviewed += 1;
        }
        if joined || later_hire {
            h.funnel.hired += 1;
            recall_hired.insert(id);
            if !later_hire {
                recall_joined.insert(id);
            }
        }
    }

    // The talent pool, from the applications in date order: each
    // candidate's figures are their own, so candidates are read in
    // parallel and the figures added up.
    let per_candidate: Vec<(usize, bool, bool, Option<&str>)> = apps
        .par_iter()
        .map(|(&id, list)| {
            let mine: Vec<&&ApplicationRecord> = list
                .iter()
                .filter(|a| p.contains(Scope::All, a.applied_at))
                .collect();
            let hires = mine.iter().filter(|a| step(a) == FunnelStep::Hired).count();
            let mut list: Vec<(NaiveDate, FunnelStep, &ApplicationRecord)> = mine
                .iter()
                .filter_map(|a| Some((a.applied_at?, step(a), **a)))
                .collect();
            list.sort_by_key(|x| x.0);
            let Some(first) = list.iter().position(|(_, s, a)| closed_without_hire(a, *s)) else {
                return (hires, false, false, None);
            };
            let later: Vec<&(NaiveDate, FunnelStep, &ApplicationRecord)> = list[first + 1..]
                .iter()
                .filter(|x| x.0 > list[first].0)
                .collect();
            let hired = later.iter().any(|x| x.1 == FunnelStep::Hired);
            (hires, true, !later.is_empty(), hired.then_some(id))
        })
        .collect();
    let mut pool_hired: BTreeSet<&str> = BTreeSet::new();
    for (hires, pool, returned, hired) in per_candidate {
        h.all_hires += hires;
        h.pool += usize::from(pool);
        h.pool_returned += usize::from(returned);
        pool_hired.extend(hired);
    }
    h.all_hires += recall_joined.len();
    pool_hired.extend(recall_hired);
    h.pool_hires = pool_hired.len();
    h.reuse_rate = ratio(h.pool_hires, h.all_hires);
    h
}

pub(super) fn distinct_recall(entries: &[RecallEntry]) -> usize {
    entries
        .iter()
        .map(|e| e.candidate_id.as_str())
        .collect::<BTreeSet<_>>()
        .len()
}

/// `张三` → `张*`, `San Zhang` → `S. Z.`.
pub(super) fn mask(name: &str) -> String {
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

pub(super) fn recall_section(
    t: &Texts,
    p: &Periods,
    input: &ReportInput<'_>,
    h: &RecallHistory,
    costs: &CostSummary,
) -> Section {
    let f = &h.funnel;
    let steps = [
        ("listed", f.listed),
        ("contacted", f.contacted),
        ("reinterviewed", f.reinterviewed),
        ("hired", f.hired),
    ];
    let mut funnel = with_chart(
        table(
            "recall_funnel",
            t.get("table.recall_funnel"),
            vec![
                col(t.get("col.step"), Fmt::Text),
                col(t.get("col.candidates"), Fmt::Int),
                col(t.get("col.of_previous"), Fmt::Pct),
                col(t.get("col.counts"), Fmt::Text),
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
                        Value::text(t.get(&format!("recall.{k}.counts"))),
                    ]
                })
                .collect(),
        ),
        ChartKind::Bar,
        0,
        vec![1],
    );
    funnel.note = Some(p.fill(&t.get("note.recall_funnel")));
    let mut results: Vec<(&Option<&'static str>, &usize)> = h.results.iter().collect();
    results.sort_by_key(|(r, _)| match r {
        Some(code) => result_rank(ContactOutcome::from_code(code)),
        None => u8::MAX,
    });
    let mut outcome_table = table(
        "recall_results",
        t.get("table.recall_results"),
        vec![
            col(t.get("col.result"), Fmt::Text),
            col(t.get("col.candidates"), Fmt::Int),
            col(t.get("col.share"), Fmt::Pct),
        ],
        results
            .iter()
            .map(|(r, n)| {
                vec![
                    Value::text(match r {
                        Some(code) => t.code("contact", code),
                        None => t.get("contact.none"),
                    }),
                    Value::int(**n),
                    Value::num(ratio(**n, f.listed), Fmt::Pct),
                ]
            })
            .collect(),
    );
    outcome_table.note = Some(t.get("note.recall_results"));
    let mut figures = figures_table(
        t,
        "recall_figures",
        vec![
            ("recall_listed", Value::int(distinct_recall(input.recall))),
            ("recall_entries", Value::int(input.recall.len())),
            ("pool", Value::int(h.pool)),
            ("pool_returned", Value::int(h.pool_returned)),
            ("pool_hires", Value::int(h.pool_hires)),
            ("all_hires", Value::int(h.all_hires)),
            ("pool_reuse", Value::num(h.reuse_rate, Fmt::Pct)),
            ("recall_hires", Value::int(f.hired)),
            ("cost_per_hire", Value::num(costs.per_hire, Fmt::Money)),
            ("cost_saved", Value::num(costs.saved_by_recall, Fmt::Money)),
        ],
    );
    figures.note = Some(p.fill(&t.get("note.recall_figures")));
    // The lists come sorted by position, best score first.
    let top = input.settings.recall_top;
    let mut list = table(
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
            .chunk_by(|a, b| a.position_id == b.position_id)
            .flat_map(|list| &list[..list.len().min(top)])
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
    let shown = list.rows.len();
    list.note = Some(
        t.get("note.recall_list")
            .replace("{top}", &top.to_string())
            .replace("{shown}", &shown.to_string())
            .replace("{entries}", &input.recall.len().to_string()),
    );
    section(t, "recall", vec![funnel, outcome_table, figures, list])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EvaluationRecord, Origin, RecallListing};

    fn app(id: &str, cand: &str, applied: &str, status: Option<&'static str>) -> ApplicationRecord {
        ApplicationRecord {
            application_id: id.into(),
            candidate_id: cand.into(),
            applied_at: Some(applied.parse().unwrap()),
            status,
            ..ApplicationRecord::default()
        }
    }

    fn periods() -> Periods {
        // Report month November 2024, last day 2024-11-30.
        Periods::new("2024-12-01".parse().unwrap(), 12)
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
                // C5: rejected, came back after the report's last day.
                app("A7", "C5", "2021-05-01", Some("rejected")),
                app("A8", "C5", "2024-12-02", Some("hired")),
            ],
            ..Dataset::default()
        };
        let h = recall_history(&data, &periods());
        assert_eq!(
            (h.pool, h.pool_returned, h.pool_hires, h.all_hires),
            (4, 2, 1, 2)
        );
        assert_eq!(h.reuse_rate, Some(0.5));
        assert_eq!(h.funnel, RecallFunnel::default());
    }

    fn listing(cand: &str, at: Option<&str>) -> RecallListing {
        RecallListing {
            candidate_id: cand.into(),
            position_id: Some("P1".into()),
            listed_at: at.map(|d| d.parse().unwrap()),
            origin: Origin::new(
                "source[9]".into(),
                "recall-P1.xlsx".into(),
                Some("recall".into()),
                2,
            ),
        }
    }

    fn contact(
        cand: &str,
        kind: &'static str,
        at: Option<&str>,
        result: Option<ContactOutcome>,
        reinterview: Option<&str>,
    ) -> ContactRecord {
        let time = |d: &str| format!("{d}T10:00:00").parse().unwrap();
        ContactRecord {
            candidate_id: cand.into(),
            event_id: format!("E{cand}{}", at.unwrap_or("")),
            at: at.map(time),
            result,
            position_id: None,
            position: None,
            kind,
            reinterview_at: reinterview.map(time),
        }
    }

    /// Eight candidates on a list written 2024-07-01, counted by hand:
    /// - L1 joined (returned outcome): listed, contacted, re-interviewed, hired;
    /// - L2 agreed, re-interview 2024-07-11 (past): … re-interviewed;
    /// - L3 agreed, re-interview 2024-12-05 (after the last day): contacted;
    /// - L4 declined: contacted;
    /// - L5 called (contact log, no answer) on 2024-07-20: contacted;
    /// - L6 called on 2024-06-20, before the listing: not contacted;
    /// - L7 nothing, but re-applied and was interviewed: not contacted, so
    ///   not a recall re-interview either;
    /// - L8 listed, chat contact 2024-08-01, then applied 2024-08-10 and was
    ///   hired: contacted, re-interviewed, hired.
    ///
    /// L9 is on a list written after the report's last day: not listed.
    #[test]
    fn the_recall_funnel_counts_each_stage_by_hand() {
        use crate::contacts::{CONTACT_EVENT, RECALL_OUTCOME_EVENT};
        use ContactOutcome as O;
        let on = Some("2024-07-01");
        let mut data = Dataset {
            recall_listings: ["L1", "L2", "L3", "L4", "L5", "L6", "L7", "L8"]
                .iter()
                .map(|c| listing(c, on))
                .chain([listing("L9", Some("2024-12-01"))])
                .collect(),
            contacts: vec![
                contact(
                    "L1",
                    RECALL_OUTCOME_EVENT,
                    Some("2024-08-05"),
                    Some(O::Joined),
                    Some("2024-07-09"),
                ),
                contact(
                    "L2",
                    RECALL_OUTCOME_EVENT,
                    Some("2024-07-04"),
                    Some(O::AgreedToInterview),
                    Some("2024-07-11"),
                ),
                contact(
                    "L3",
                    RECALL_OUTCOME_EVENT,
                    None,
                    Some(O::AgreedToInterview),
                    Some("2024-12-05"),
                ),
                contact(
                    "L4",
                    RECALL_OUTCOME_EVENT,
                    Some("2024-07-03"),
                    Some(O::Declined),
                    None,
                ),
                contact(
                    "L5",
                    CONTACT_EVENT,
                    Some("2024-07-20"),
                    Some(O::NoAnswer),
                    None,
                ),
                contact(
                    "L6",
                    CONTACT_EVENT,
                    Some("2024-06-20"),
                    Some(O::Reached),
                    None,
                ),
                contact("L8", "chat_contact", Some("2024-08-01"), None, None),
            ],
            applications: vec![
                app("A7", "L7", "2024-09-01", Some("rejected")),
                app("A8", "L8", "2024-08-10", Some("hired")),
            ],
            evaluations: vec![EvaluationRecord {
                application_id: "A7".into(),
                candidate_id: "L7".into(),
                ..EvaluationRecord::default()
            }],
            ..Dataset::default()
        };
        data.applications[1].onboard_at = Some("2024-09-02".parse().unwrap());
        let h = recall_history(&data, &periods());
        assert_eq!(
            h.funnel,
            RecallFunnel {
                listed: 8,
                contacted: 6,
                reinterviewed: 3,
                hired: 2,
            }
        );
        let results: Vec<(Option<&str>, usize)> = h.results.iter().map(|(k, v)| (*k, *v)).collect();
        assert_eq!(
            results,
            [
                (None, 2),
                (Some("agreed_to_interview"), 2),
                (Some("declined"), 1),
                (Some("joined"), 1),
                (Some("no_answer"), 1),
                (Some("unrecorded"), 1),
            ]
        );
        // Both recall hires are hires from the pool; L1 joined without an
        // application, so all hires are L8's hired application and L1.
        assert_eq!((h.pool_hires, h.all_hires), (2, 2));
    }

    #[test]
    fn names_are_masked_to_an_initial() {
        assert_eq!(mask("张三"), "张*");
        assert_eq!(mask("欧阳娜娜"), "欧***");
        assert_eq!(mask("San Zhang"), "S. Z.");
    }
}
