//! The interviewer-consistency section: evaluations regrouped into
//! panels per candidate and position, spreads and deviations.

use super::*;

/// Evaluations regrouped into panels: every evaluation of one candidate for
/// one position, whichever file or application record it came from (the
/// same interview is often entered in two systems under two application
/// ids). Returns the regrouped copies and each panel's display name
/// (candidate · position). Evaluations without an application stand alone.
pub(super) fn panel_evaluations(
    data: &Dataset,
    periods: &Periods,
    mask_names: bool,
) -> (
    Vec<crate::model::EvaluationRecord>,
    BTreeMap<String, String>,
) {
    let apps: foldhash::HashMap<&str, &ApplicationRecord> = data
        .applications
        .iter()
        .map(|a| (a.application_id.as_str(), a))
        .collect();
    let names: foldhash::HashMap<&str, &str> = data
        .persons
        .iter()
        .filter_map(|p| Some((p.candidate_id.as_str(), p.name.as_deref()?)))
        .collect();
    // Cumulative: every interview up to the report's last day (undated
    // ones too). Each evaluation is keyed on its own, in parallel; a key's
    // label is taken from its first evaluation.
    let keyed: Vec<(crate::model::EvaluationRecord, Option<&str>)> = data
        .evaluations
        .par_iter()
        .filter(|e| periods.contains(Scope::All, e.at.map(|t| t.date())))
        .map(|e| {
            let mut e = e.clone();
            let position = apps
                .get(e.application_id.as_str())
                .and_then(|a| a.position_id.as_deref().or(a.position.as_deref()));
            let key = match position {
                Some(p) if !e.application_id.is_empty() => format!("{}|{p}", e.candidate_id),
                _ => format!("{}|{}", e.candidate_id, e.evaluation_id),
            };
            e.application_id = key;
            (e, position)
        })
        .collect();
    let mut shown = BTreeMap::new();
    let evaluations = keyed
        .into_iter()
        .map(|(e, position)| {
            if !shown.contains_key(&e.application_id) {
                let name = names.get(e.candidate_id.as_str()).copied().unwrap_or("");
                let name = if mask_names {
                    mask(name)
                } else {
                    name.to_string()
                };
                shown.insert(
                    e.application_id.clone(),
                    format!("{name} · {}", position.unwrap_or("")),
                );
            }
            e
        })
        .collect();
    (evaluations, shown)
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
