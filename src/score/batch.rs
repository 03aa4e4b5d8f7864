//! Scoring every candidate against every open position.
//!
//! The work is laid out for size: positions are resolved once per skill
//! table, the candidate-only components (evaluation, recency) once per
//! candidate, and each pair costs a few comparisons of small sorted id
//! slices and some arithmetic, with no allocation. A row keeps indexes, the
//! total and the screening bits (24 bytes), so 1 000 000 candidates × 50
//! positions fit in about 1.2 GB; [`MatchRow::detail`] recomputes the full
//! breakdown and failure messages of any row on demand.
//!
//! Rows come out in one deterministic order whatever the thread count:
//! position id, then total descending, then candidate id. Equal candidate
//! ids are ordered by input position, and two position records sharing an id
//! stay separate blocks, in input order. Every row's value depends only on its pair, rows are
//! generated in candidate-id order and sorted stably by total, so parallel
//! and sequential runs are identical.

use std::sync::Arc;

use chrono::NaiveDate;
use rayon::prelude::*;

use super::match_score::{MatchScore, candidate_parts, score_one, score_pair};
use super::profile::{CandidateProfile, PositionNeeds, is_open};
use super::screen::ScreenFlags;
use super::skills::SkillTable;
use super::weights::ScoreWeights;
use crate::model::PositionRecord;

/// One candidate × position pair.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MatchRow {
    /// Index into the positions passed to [`score_all`].
    pub position: u32,
    /// Index into the candidates passed to [`score_all`].
    pub candidate: u32,
    /// 0–100, as [`score_one`] gives it.
    pub total: f64,
    /// The failed hard requirements.
    pub screen: ScreenFlags,
}

impl MatchRow {
    /// The position's id.
    pub fn position_id<'a>(&self, positions: &'a [PositionRecord]) -> &'a str {
        &positions[self.position as usize].position_id
    }

    /// The candidate's id.
    pub fn candidate_id<'a>(&self, candidates: &'a [CandidateProfile]) -> &'a str {
        &candidates[self.candidate as usize].candidate_id
    }

    /// The full score of this row: breakdown and failure messages.
    pub fn detail(
        &self,
        candidates: &[CandidateProfile],
        positions: &[PositionRecord],
        weights: &ScoreWeights,
        as_of: NaiveDate,
    ) -> MatchScore {
        score_one(
            &candidates[self.candidate as usize],
            &positions[self.position as usize],
            weights,
            as_of,
        )
    }
}

/// Scores every candidate against every open or reopened position (see
/// [`is_open`]) in parallel. Order: position id, total descending,
/// candidate id.
///
/// # Panics
///
/// When `weights` fail [`ScoreWeights::validate`], when there are more than
/// `u32::MAX` candidates or positions, or when the candidates' skill sets
/// come from more than 256 distinct tables.
pub fn score_all(
    candidates: &[CandidateProfile],
    positions: &[PositionRecord],
    weights: &ScoreWeights,
    as_of: NaiveDate,
) -> Vec<MatchRow> {
    run(candidates, positions, weights, as_of, true)
}

/// [`score_all`] on the calling thread only; the same rows in the same
/// order.
pub fn score_all_sequential(
    candidates: &[CandidateProfile],
    positions: &[PositionRecord],
    weights: &ScoreWeights,
    as_of: NaiveDate,
) -> Vec<MatchRow> {
    run(candidates, positions, weights, as_of, false)
}

/// Maps `f` over `items`, on the rayon pool when `parallel`.
fn map_items<T: Sync, R: Send>(
    items: &[T],
    parallel: bool,
    f: impl Fn(&T) -> R + Sync + Send,
) -> Vec<R> {
    if parallel {
        items.par_iter().map(f).collect()
    } else {
        items.iter().map(f).collect()
    }
}

fn run(
    candidates: &[CandidateProfile],
    positions: &[PositionRecord],
    weights: &ScoreWeights,
    as_of: NaiveDate,
    parallel: bool,
) -> Vec<MatchRow> {
    let normalized = weights.normalized();
    assert!(
        u32::try_from(candidates.len()).is_ok() && u32::try_from(positions.len()).is_ok(),
        "too many candidates or positions to index with u32"
    );

    // Open positions in id order.
    let mut open: Vec<u32> = (0..positions.len() as u32)
        .filter(|&i| is_open(&positions[i as usize]))
        .collect();
    open.sort_by(|&a, &b| {
        positions[a as usize]
            .position_id
            .cmp(&positions[b as usize].position_id)
    });

    // Candidates in id order (stable, so equal ids keep input order): rows
    // are generated in this order, which the stable sort below preserves
    // among equal totals.
    let mut order: Vec<u32> = (0..candidates.len() as u32).collect();
    let by_id = |a: &u32, b: &u32| {
        candidates[*a as usize]
            .candidate_id
            .cmp(&candidates[*b as usize].candidate_id)
    };
    if parallel {
        order.par_sort_by(by_id);
    } else {
        order.sort_by(by_id);
    }

    // Distinct skill tables (normally one), each candidate's table index and
    // the open positions resolved through each table.
    let mut tables: Vec<&Arc<SkillTable>> = Vec::new();
    let table_of: Vec<u8> = candidates
        .iter()
        .map(|c| {
            let t = c.skills.table();
            match tables.iter().position(|k| Arc::ptr_eq(k, t)) {
                Some(i) => i as u8,
                None => {
                    assert!(tables.len() < 256, "more than 256 distinct skill tables");
                    tables.push(t);
                    (tables.len() - 1) as u8
                }
            }
        })
        .collect();
    let needs: Vec<Vec<PositionNeeds>> = tables
        .iter()
        .map(|t| {
            open.iter()
                .map(|&p| PositionNeeds::new(&positions[p as usize], t))
                .collect()
        })
        .collect();
    let parts = map_items(candidates, parallel, |c| candidate_parts(c, as_of));

    let n = candidates.len();
    let score_at = |slot: usize, c: u32| {
        let ci = c as usize;
        let p = &needs[table_of[ci] as usize][slot];
        let (total, screen) = score_pair(&candidates[ci], p, parts[ci], &normalized);
        MatchRow {
            position: open[slot],
            candidate: c,
            total,
            screen,
        }
    };
    // Each block is generated in candidate-id order, so a stable sort on the
    // total alone leaves ties in candidate-id order without looking ids up.
    let by_score = |a: &MatchRow, b: &MatchRow| b.total.total_cmp(&a.total);
    let blank = MatchRow {
        position: 0,
        candidate: 0,
        total: 0.0,
        screen: ScreenFlags::default(),
    };
    // One block of `n` rows per open position, filled and sorted in place.
    let mut rows: Vec<MatchRow> = vec![blank; open.len() * n];
    if n == 0 {
        return rows;
    }
    if parallel {
        rows.par_chunks_mut(n)
            .enumerate()
            .for_each(|(slot, block)| {
                block
                    .par_iter_mut()
                    .zip(order.par_iter())
                    .for_each(|(row, &c)| *row = score_at(slot, c));
                block.par_sort_by(by_score);
            });
    } else {
        for (slot, block) in rows.chunks_mut(n).enumerate() {
            for (row, &c) in block.iter_mut().zip(&order) {
                *row = score_at(slot, c);
            }
            block.sort_by(by_score);
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::education::Education;
    use crate::score::match_score::score_one;
    use crate::score::skills::SkillSet;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn position(id: &str, status: Option<&'static str>, required: &[&str]) -> PositionRecord {
        PositionRecord {
            position_id: id.into(),
            status,
            required_skills: required.iter().map(|s| s.to_string()).collect(),
            min_years: Some(2.0),
            ..Default::default()
        }
    }

    fn candidate(id: &str, skills: &[&str], years: f64) -> CandidateProfile {
        CandidateProfile {
            candidate_id: id.into(),
            skills: SkillSet::new(SkillTable::builtin(), skills),
            years_experience: Some(years),
            education: None,
            salary_min: None,
            salary_max: None,
            salary_negotiable: false,
            evaluation: None,
            last_activity: None,
        }
    }

    #[test]
    fn rows_cover_open_positions_in_order() {
        let positions = vec![
            position("P2", Some("open"), &["Go"]),
            position("P1", Some("reopened"), &["销售"]),
            position("P0", Some("closed"), &["Go"]),
        ];
        let candidates = vec![
            candidate("C3", &["Golang"], 1.0),
            candidate("C1", &["sales"], 5.0),
            candidate("C2", &["Go"], 5.0),
            candidate("C0", &["Go"], 5.0),
        ];
        let as_of = date(2024, 1, 1);
        let weights = ScoreWeights::default();
        let rows = score_all(&candidates, &positions, &weights, as_of);
        let got: Vec<(&str, &str)> = rows
            .iter()
            .map(|r| (r.position_id(&positions), r.candidate_id(&candidates)))
            .collect();
        assert_eq!(
            got,
            vec![
                // P1 (销售): C1 meets it; the others tie and go by id.
                ("P1", "C1"),
                ("P1", "C0"),
                ("P1", "C2"),
                ("P1", "C3"),
                // P2 (Go): C0 and C2 tie on score, C3 has too few years.
                ("P2", "C0"),
                ("P2", "C2"),
                ("P2", "C3"),
                ("P2", "C1"),
            ]
        );
        for row in &rows {
            let detail = row.detail(&candidates, &positions, &weights, as_of);
            assert_eq!(row.total, detail.total);
            assert_eq!(row.screen.passed(), detail.screening.passed);
        }
        assert!(rows[0].screen.passed());
        assert_eq!(rows[6].screen.names(), vec!["min_years"]);
        assert_eq!(rows[7].screen.names(), vec!["skills"]);
    }

    #[test]
    fn empty_inputs_give_no_rows() {
        let as_of = date(2024, 1, 1);
        let w = ScoreWeights::default();
        assert!(score_all(&[], &[position("P", None, &[])], &w, as_of).is_empty());
        assert!(score_all(&[candidate("C", &[], 1.0)], &[], &w, as_of).is_empty());
    }

    #[test]
    fn candidates_on_different_tables_use_their_own() {
        let extra: toml::Table = "[skills.Go]\naliases = [\"gopher\"]".parse().unwrap();
        let custom = Arc::new(SkillTable::builtin().with_overrides(&extra).unwrap());
        let mut on_custom = candidate("C1", &[], 5.0);
        on_custom.skills = SkillSet::new(&custom, &["gopher"]);
        let on_builtin = candidate("C2", &["gopher"], 5.0);
        let positions = vec![position("P", Some("open"), &["Go"])];
        let rows = score_all(
            &[on_custom, on_builtin],
            &positions,
            &ScoreWeights::default(),
            date(2024, 1, 1),
        );
        assert!(rows[0].screen.passed());
        assert_eq!(rows[1].screen.names(), vec!["skills"]);
    }

    const POOL: &[&str] = &[
        "Go",
        "Golang",
        "SQL",
        "MySQL",
        "Python",
        "销售",
        "大客户",
        "KA",
        "Excel",
        "CRM",
        "Figma",
    ];
    const EDUCATIONS: [Option<Education>; 4] = [
        None,
        Some(Education::HighSchool),
        Some(Education::Bachelor),
        Some(Education::Master),
    ];
    const STATUSES: [Option<&str>; 4] = [None, Some("open"), Some("reopened"), Some("closed")];

    fn skills() -> impl Strategy<Value = Vec<&'static str>> {
        proptest::sample::subsequence(POOL, 0..4)
    }

    prop_compose! {
        fn arb_candidate()(
            id in 0u8..12,
            skills in skills(),
            years in proptest::option::of(0u8..10),
            education in 0usize..4,
            salary in proptest::option::of(5u32..40),
            negotiable in any::<bool>(),
            evaluation in proptest::option::of(0u8..=20),
            days in proptest::option::of(0i64..2000),
        ) -> CandidateProfile {
            CandidateProfile {
                candidate_id: format!("C{id:02}"),
                skills: SkillSet::new(SkillTable::builtin(), &skills),
                years_experience: years.map(f64::from),
                education: EDUCATIONS[education],
                salary_min: salary.map(|k| f64::from(k) * 1000.0),
                salary_max: salary.map(|k| f64::from(k) * 1500.0),
                salary_negotiable: negotiable,
                evaluation: evaluation.map(|e| f64::from(e) / 2.0),
                last_activity: days.map(|d| date(2024, 6, 30) - chrono::Duration::days(d)),
            }
        }
    }

    prop_compose! {
        fn arb_position()(
            id in 0u8..6,
            required in skills(),
            nice in skills(),
            min_years in proptest::option::of(0u8..6),
            education in 0usize..4,
            budget in proptest::option::of(8u32..30),
            status in 0usize..4,
        ) -> PositionRecord {
            PositionRecord {
                position_id: format!("P{id}"),
                required_skills: required.iter().map(|s| s.to_string()).collect(),
                nice_skills: nice.iter().map(|s| s.to_string()).collect(),
                min_years: min_years.map(f64::from),
                education_min: EDUCATIONS[education].map(Education::code),
                budget_min: budget.map(|k| f64::from(k) * 1000.0),
                budget_max: budget.map(|k| f64::from(k) * 1300.0),
                status: STATUSES[status],
                ..Default::default()
            }
        }
    }

    proptest! {
        // No regression files: failures are reported with their minimal
        // input instead of being written next to the sources.
        #![proptest_config(ProptestConfig {
            cases: 128,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn parallel_equals_sequential(
            candidates in proptest::collection::vec(arb_candidate(), 0..40),
            positions in proptest::collection::vec(arb_position(), 0..6),
        ) {
            let weights = ScoreWeights::default();
            let as_of = date(2024, 6, 30);
            let parallel = score_all(&candidates, &positions, &weights, as_of);
            let sequential = score_all_sequential(&candidates, &positions, &weights, as_of);
            prop_assert_eq!(&parallel, &sequential);

            let open = positions.iter().filter(|p| is_open(p)).count();
            prop_assert_eq!(parallel.len(), open * candidates.len());
            for pair in parallel.windows(2) {
                let (a, b) = (&pair[0], &pair[1]);
                // Two records may share a position id; each is its own block.
                let key = |r: &MatchRow| (
                    positions[r.position as usize].position_id.clone(),
                    r.position,
                    -r.total,
                    candidates[r.candidate as usize].candidate_id.clone(),
                );
                prop_assert!(key(a) <= key(b), "out of order: {:?} then {:?}", a, b);
            }
            for row in &parallel {
                let one = score_one(
                    &candidates[row.candidate as usize],
                    &positions[row.position as usize],
                    &weights,
                    as_of,
                );
                prop_assert_eq!(row.total, one.total);
                prop_assert!((0.0..=100.0).contains(&row.total));
                prop_assert_eq!(row.screen.passed(), one.screening.passed);
            }
        }
    }
}
