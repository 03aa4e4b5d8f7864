//! The interviewer-consistency section: evaluations regrouped into
//! panels per candidate and position, spreads and deviations.

use super::*;

/// Evaluations regrouped into panels: every evaluation of one candidate for
/// one position, whichever file or application record it came from (the
/// same interview is often entered in two systems under two application
/// ids). Returns each evaluation up to the report's last day (undated ones
/// too) with its panel key and position, in dataset order. Evaluations
/// without an application stand alone.
pub(super) fn panel_evaluations<'a>(
    data: &'a Dataset,
    periods: &Periods,
) -> Vec<(String, &'a crate::model::EvaluationRecord, Option<&'a str>)> {
    let apps: foldhash::HashMap<&str, &ApplicationRecord> = data
        .applications
        .iter()
        .map(|a| (a.application_id.as_str(), a))
        .collect();
    data.evaluations
        .par_iter()
        .filter(|e| periods.contains(Scope::All, e.at.map(|t| t.date())))
        .map(|e| {
            let position = apps
                .get(e.application_id.as_str())
                .and_then(|a| a.position_id.as_deref().or(a.position.as_deref()));
            let key = match position {
                Some(p) if !e.application_id.is_empty() => format!("{}|{p}", e.candidate_id),
                _ => format!("{}|{}", e.candidate_id, e.evaluation_id),
            };
            (key, e, position)
        })
        .collect()
}

/// The panels the report lists: those with a spread, widest first.
fn widest_panels(
    c: &crate::stats::InterviewerConsistency,
) -> Vec<&crate::stats::interviewers::PanelSpread> {
    let mut panels: Vec<&crate::stats::interviewers::PanelSpread> =
        c.panels.iter().filter(|p| p.max_spread.is_some()).collect();
    panels.sort_by(|a, b| widest_first(a, b));
    panels
}

/// The order of [`widest_panels`].
fn widest_first(
    a: &crate::stats::interviewers::PanelSpread,
    b: &crate::stats::interviewers::PanelSpread,
) -> std::cmp::Ordering {
    b.max_spread
        .partial_cmp(&a.max_spread)
        .unwrap_or(std::cmp::Ordering::Equal)
        .then_with(|| a.application_id.cmp(&b.application_id))
}

/// The ids of the first `n` of [`widest_panels`], picked without sorting
/// them all.
fn widest_panel_ids(c: &crate::stats::InterviewerConsistency, n: usize) -> HashSet<&str> {
    let mut panels: Vec<&crate::stats::interviewers::PanelSpread> =
        c.panels.iter().filter(|p| p.max_spread.is_some()).collect();
    if n == 0 {
        return HashSet::default();
    }
    if panels.len() > n {
        panels.select_nth_unstable_by(n - 1, |a, b| widest_first(a, b));
        panels.truncate(n);
    }
    panels.iter().map(|p| p.application_id.as_str()).collect()
}

/// Panels shown by name in the panel table.
const PANELS_LISTED: usize = 20;

/// The display name (candidate · position) of each listed panel, taken
/// from its first evaluation.
pub(super) fn panel_names(
    data: &Dataset,
    keyed: &[(String, &crate::model::EvaluationRecord, Option<&str>)],
    c: &crate::stats::InterviewerConsistency,
    mask_names: bool,
) -> BTreeMap<String, String> {
    let wanted = widest_panel_ids(c, PANELS_LISTED);
    let mut first: BTreeMap<&str, (&str, Option<&str>)> = BTreeMap::new();
    for (key, e, position) in keyed {
        if wanted.contains(key.as_str()) && !first.contains_key(key.as_str()) {
            first.insert(key, (e.candidate_id.as_str(), *position));
        }
    }
    let people: BTreeSet<&str> = first.values().map(|(c, _)| *c).collect();
    let names: BTreeMap<&str, &str> = data
        .persons
        .iter()
        .filter(|p| people.contains(p.candidate_id.as_str()))
        .filter_map(|p| Some((p.candidate_id.as_str(), p.name.as_deref()?)))
        .collect();
    first
        .into_iter()
        .map(|(key, (candidate, position))| {
            let name = names.get(candidate).copied().unwrap_or("");
            let name = if mask_names {
                mask(name)
            } else {
                name.to_string()
            };
            (
                key.to_string(),
                format!("{name} · {}", position.unwrap_or("")),
            )
        })
        .collect()
}

pub(super) fn interviewers_section(
    t: &Texts,
    p: &Periods,
    c: &crate::stats::InterviewerConsistency,
    names: &BTreeMap<String, String>,
) -> Section {
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
    let panels = widest_panels(c);
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
    summary.note = Some(p.fill(&t.get("note.panels")));
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
            .take(PANELS_LISTED)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EvaluationRecord, PersonRecord};

    /// 22 candidates, each interviewed for `P<i>` by two people whose
    /// technical scores are `i` apart, entered under two application ids.
    fn panels_data() -> Dataset {
        let mut data = Dataset::default();
        for i in 0..22u32 {
            let candidate = format!("C{i:02}");
            data.persons.push(PersonRecord {
                candidate_id: candidate.clone(),
                name: Some(format!("候选人{i:02}").into()),
                ..Default::default()
            });
            for (n, (who, score)) in [("甲", 0.0), ("乙", f64::from(i))].into_iter().enumerate() {
                let application_id = format!("A{i:02}-{n}");
                data.applications.push(ApplicationRecord {
                    application_id: application_id.clone(),
                    candidate_id: candidate.clone(),
                    position_id: Some(format!("P{i:02}")),
                    ..Default::default()
                });
                data.evaluations.push(EvaluationRecord {
                    evaluation_id: format!("E{i:02}-{n}"),
                    application_id,
                    candidate_id: candidate.clone(),
                    interviewer: Some(who.to_string()),
                    technical: Some(score),
                    ..Default::default()
                });
            }
        }
        data
    }

    #[test]
    fn panels_regroup_across_application_records_and_the_widest_are_named() {
        let data = panels_data();
        let periods = Periods::new(NaiveDate::from_ymd_opt(2024, 7, 1).unwrap(), 12);
        let keyed = panel_evaluations(&data, &periods);
        assert_eq!(keyed.len(), 44);
        assert_eq!(keyed[0].0, "C00|P00");
        assert_eq!(keyed[1].0, "C00|P00");
        let c = crate::stats::panel_consistency(keyed.iter().map(|(k, e, _)| (k.as_str(), *e)));
        // Every candidate's two records form one two-person panel.
        assert_eq!(c.panels.len(), 22);
        let names = panel_names(&data, &keyed, &c, false);
        // Only the listed panels are named: the 20 widest (spreads 21 down
        // to 2); C00 (spread 0) and C01 (spread 1) are left out.
        assert_eq!(names.len(), PANELS_LISTED);
        assert_eq!(names["C21|P21"], "候选人21 · P21");
        assert!(!names.contains_key("C01|P01") && !names.contains_key("C00|P00"));
        let masked = panel_names(&data, &keyed, &c, true);
        assert_eq!(masked["C21|P21"], "候**** · P21");
    }

    proptest::proptest! {
        /// The ids picked without sorting are those of the first `n`
        /// panels sorted, ties in spread included.
        #[test]
        fn widest_panel_ids_are_the_first_of_the_sorted_panels(
            spreads in proptest::collection::vec(proptest::option::of(0u8..6), 0..40),
            n in 0usize..45,
        ) {
            let c = crate::stats::InterviewerConsistency {
                panels: spreads
                    .iter()
                    .enumerate()
                    .map(|(i, s)| crate::stats::interviewers::PanelSpread {
                        application_id: format!("C{:02}|P", (i * 7) % 41),
                        interviewers: Vec::new(),
                        dimensions: Vec::new(),
                        max_spread: s.map(f64::from),
                    })
                    .collect(),
                interviewers: Vec::new(),
            };
            let sorted: HashSet<&str> = widest_panels(&c)
                .into_iter()
                .take(n)
                .map(|p| p.application_id.as_str())
                .collect();
            proptest::prop_assert_eq!(widest_panel_ids(&c, n), sorted);
        }
    }
}
