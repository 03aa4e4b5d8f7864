//! The recall section: the talent pool followed through later
//! applications, its reuse and the cost it saved, and this run's lists.

use super::*;

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

pub(super) fn closed_without_hire(a: &ApplicationRecord, step: FunnelStep) -> bool {
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
