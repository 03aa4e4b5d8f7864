//! The candidate-survey section: response rate, per-question figures,
//! NPS, groups with suppression, interview-to-notice time, comments.

use super::*;

/// The survey send time of each linked application: the survey goes out
/// with the decision notice, so it is when the notice was sent.
pub(super) fn notice_times<'a>(
    surveys: &'a [SurveyResponse],
    version: Option<&str>,
) -> BTreeMap<&'a str, NaiveDateTime> {
    let mut out: BTreeMap<&str, NaiveDateTime> = BTreeMap::new();
    for r in surveys {
        if version.is_some() && r.template_version.as_deref() != version {
            continue;
        }
        if let (Some(app), Some(at)) = (&r.application_id, r.sent_at) {
            let e = out.entry(app.as_str()).or_insert(at);
            *e = (*e).min(at);
        }
    }
    out
}

pub(super) fn question_text(t: &Texts, bank: &QuestionBank, id: &str) -> String {
    match bank.get(id) {
        Some(q) if t.get("lang") == "zh" => q.text_zh.clone(),
        Some(q) => q.text_en.clone(),
        None => id.to_string(),
    }
}

pub(super) fn group_label(t: &Texts, g: &GroupReport) -> String {
    match (g.dimension, g.key.as_str()) {
        (_, crate::stats::UNKNOWN) => t.get("unknown"),
        (GroupBy::All, _) => t.get("group.all"),
        (GroupBy::Outcome, k) => t.get(&format!("outcome.{k}")),
        (GroupBy::JobFamily, k) => t.code("family", k),
        (_, k) => k.to_string(),
    }
}

pub(super) fn dimension_label(t: &Texts, d: GroupBy) -> String {
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

pub(super) fn duration_row(label: String, d: &DurationSummary) -> Vec<Value> {
    vec![
        Value::text(label),
        Value::int(d.n),
        Value::num(d.median, Fmt::Dec1),
        Value::num(d.p90, Fmt::Dec1),
        Value::int(d.excluded),
    ]
}

/// Surveys linked to a known application, to an application id that
/// matches none (a data-quality problem), and anonymous ones.
/// The application ids of `surveys` that name an application of the
/// dataset: one pass over the applications against the few ids the
/// answers carry, shared by every scope.
fn linked_applications<'a>(data: &'a Dataset, surveys: &[SurveyResponse]) -> HashSet<&'a str> {
    let wanted: HashSet<&str> = surveys
        .iter()
        .filter_map(|r| r.application_id.as_deref())
        .collect();
    data.applications
        .iter()
        .map(|a| a.application_id.as_str())
        .filter(|id| wanted.contains(id))
        .collect()
}

/// Responses linked to a known application, to an unknown one, and to
/// none (a response counts once, by its best link).
fn survey_links(known: &HashSet<&str>, surveys: &[SurveyResponse]) -> [usize; 3] {
    let mut links: HashMap<&str, u8> = HashMap::new();
    for r in surveys {
        let kind = match r.application_id.as_deref() {
            Some(id) if known.contains(id) => 2,
            Some(_) => 1,
            None => 0,
        };
        let e = links.entry(r.response_id.as_str()).or_default();
        *e = (*e).max(kind);
    }
    let count = |k: u8| links.values().filter(|&&v| v == k).count();
    [count(2), count(1), count(0)]
}

pub(super) fn survey_section(
    t: &Texts,
    p: &Periods,
    input: &ReportInput<'_>,
    per: &[ScopeData],
    bank: &QuestionBank,
) -> Section {
    let window = scoped(per, Scope::Window);
    let s = &window.survey;
    let hidden = format!("<{}", s.min_group_size);
    let all = all_group(s);
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
    // The overview in each scope: a group below the minimum shows `<n`.
    let scopes = Scope::ALL.map(|sc| scoped(per, sc));
    let per_scope = |f: &dyn Fn(&ScopeData) -> Value| scopes.map(f);
    let known = linked_applications(input.data, input.surveys);
    let links = scopes.map(|d| survey_links(&known, &d.surveys));
    let group_value =
        |d: &ScopeData, v: &dyn Fn(&GroupReport) -> Option<f64>, fmt: Fmt| match all_group(
            &d.survey,
        ) {
            Some(g) => Value::num(v(g), fmt),
            None => Value::text(format!("<{}", d.survey.min_group_size)),
        };
    let nps_value = |d: &ScopeData, v: &dyn Fn(crate::stats::Nps) -> f64, fmt: Fmt| match all_group(
        &d.survey,
    ) {
        Some(_) => Value::num(nps_of(&d.survey).map(v), fmt),
        None => Value::text(format!("<{}", d.survey.min_group_size)),
    };
    let mut overview = scoped_figures_table(
        t,
        p,
        "survey_overview",
        vec![
            (
                "surveys_sent",
                per_scope(&|d| Value::int(d.survey.response_rate.sent)),
            ),
            (
                "surveys_answered",
                per_scope(&|d| Value::int(d.survey.response_rate.answered)),
            ),
            ("surveys_linked", links.map(|l| Value::int(l[0]))),
            ("surveys_unmatched", links.map(|l| Value::int(l[1]))),
            ("surveys_anonymous", links.map(|l| Value::int(l[2]))),
            (
                "response_rate",
                per_scope(&|d| Value::num(d.survey.response_rate.rate, Fmt::Pct)),
            ),
            (
                "respondents",
                per_scope(&|d| group_value(d, &|g| g.n.map(|n| n as f64), Fmt::Int)),
            ),
            (
                "satisfaction",
                per_scope(&|d| group_value(d, &|g| g.satisfaction_index, Fmt::Dec2)),
            ),
            (
                "nps",
                per_scope(&|d| nps_value(d, &|n| n.score, Fmt::Signed)),
            ),
            (
                "promoters",
                per_scope(&|d| nps_value(d, &|n| n.promoters as f64, Fmt::Int)),
            ),
            (
                "passives",
                per_scope(&|d| nps_value(d, &|n| n.passives as f64, Fmt::Int)),
            ),
            (
                "detractors",
                per_scope(&|d| nps_value(d, &|n| n.detractors as f64, Fmt::Int)),
            ),
            (
                "min_group_size",
                per_scope(&|d| Value::int(d.survey.min_group_size)),
            ),
        ],
    );
    overview.note = Some(
        p.fill(&t.get("note.survey_overview"))
            .replace("{min}", &s.min_group_size.to_string()),
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
            p.fill(&t.get("table.survey_questions")),
            question_cols,
            rows,
        ),
        ChartKind::StackedBar,
        0,
        (8..13).collect(),
    );
    questions.note = Some(p.fill(&t.get("note.survey_questions")));
    let nps_dist = with_chart(
        table(
            "survey_nps",
            p.fill(&t.get("table.survey_nps")),
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
        p.fill(&t.get("table.survey_groups")),
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
        p.fill(&t.get("note.survey_groups"))
            .replace("{min}", &s.min_group_size.to_string()),
    );
    let mut versions: Vec<&str> = window
        .surveys
        .iter()
        .filter_map(|r| r.template_version.as_deref())
        .collect();
    versions.sort_unstable();
    versions.dedup();
    let mut timing_rows = vec![duration_row(
        t.get("group.all"),
        &interview_to_notice(
            &input.data.evaluations,
            &notice_times(&window.surveys, None),
        ),
    )];
    for v in versions {
        timing_rows.push(duration_row(
            format!("{} {v}", t.get("dimension.template_version")),
            &interview_to_notice(
                &input.data.evaluations,
                &notice_times(&window.surveys, Some(v)),
            ),
        ));
    }
    let mut timing = table(
        "notice_timing",
        p.fill(&t.get("table.notice_timing")),
        vec![
            col(t.get("col.group"), Fmt::Text),
            col(t.get("col.n"), Fmt::Int),
            col(t.get("col.median_hours"), Fmt::Dec1),
            col(t.get("col.p90_hours"), Fmt::Dec1),
            col(t.get("col.excluded"), Fmt::Int),
        ],
        timing_rows,
    );
    timing.note = Some(p.fill(&t.get("note.notice_timing")));
    let mut comments = table(
        "survey_comments",
        p.fill(&t.get("table.survey_comments")),
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
        p.fill(&t.get("note.survey_comments"))
            .replace("{min}", &s.min_group_size.to_string()),
    );
    section(
        t,
        "survey",
        vec![overview, questions, nps_dist, groups, timing, comments],
    )
}

pub(super) fn section_code(s: crate::stats::Section) -> &'static str {
    match s {
        crate::stats::Section::Interview => "interview",
        crate::stats::Section::Notice => "notice",
        crate::stats::Section::Recommend => "recommend",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(response: &str, app: Option<&str>) -> SurveyResponse {
        SurveyResponse {
            response_id: response.to_string(),
            application_id: app.map(str::to_string),
            question_id: "q".to_string(),
            ..Default::default()
        }
    }

    #[test]
    fn survey_links_count_each_response_by_its_best_link() {
        let mut data = Dataset::default();
        for id in ["A1", "A2", "A3", "A4"] {
            data.applications.push(ApplicationRecord {
                application_id: id.to_string(),
                ..Default::default()
            });
        }
        let surveys = vec![
            answer("r1", Some("A1")),
            answer("r1", Some("X")),
            answer("r2", Some("X")),
            answer("r3", None),
            answer("r4", None),
            answer("r4", Some("A2")),
            answer("r5", Some("A3")),
            answer("r5", Some("A3")),
            answer("r6", Some("Y")),
            answer("r6", None),
        ];
        // The plain way: every application id of the dataset (the counting
        // itself is pinned by the figures below).
        let every: HashSet<&str> = data
            .applications
            .iter()
            .map(|a| a.application_id.as_str())
            .collect();
        let plain = |surveys: &[SurveyResponse]| survey_links(&every, surveys);
        let known = linked_applications(&data, &surveys);
        assert_eq!(survey_links(&known, &surveys), [3, 2, 1]);
        assert_eq!(survey_links(&known, &surveys), plain(&surveys));
        // A scope's answers against the set of the whole run.
        for scope in [&surveys[1..5], &surveys[4..8], &surveys[8..]] {
            assert_eq!(survey_links(&known, scope), plain(scope));
        }
    }
}
