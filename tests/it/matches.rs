//! Match scores in a run: every resolved candidate against every open or
//! reopened position, best first, with breakdown and screening.

use crate::common::{read_csv, run_demo};

#[test]
fn zhang_san_tops_the_reopened_sales_manager_position() {
    let out = tempfile::tempdir().unwrap();
    run_demo("2024-07-01", out.path());
    let (h, rows) = read_csv(&out.path().join("csv/matches.csv"));
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let sales: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| r[col("title")] == "销售经理")
        .collect();
    assert_eq!(sales[0][col("name")], "张三");
    assert_eq!(sales[0][col("rank")], "1");
    assert_eq!(sales[0][col("screening_passed")], "true");
    assert_eq!(
        sales[0][col("salary_fit")],
        "1",
        "15k/月 fits the 15-20k budget"
    );
    // Ranks are dense and scores never increase down a position's list.
    let scores: Vec<f64> = sales
        .iter()
        .map(|r| r[col("score")].parse().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    // Closed positions are not scored.
    let (ph, positions) = read_csv(&out.path().join("csv/positions.csv"));
    let status = ph.iter().position(|x| x == "position_status").unwrap();
    let id = ph.iter().position(|x| x == "position_id").unwrap();
    for p in positions.iter().filter(|p| p[status] == "closed") {
        assert!(
            !rows.iter().any(|r| r[col("position_id")] == p[id]),
            "closed position {} scored",
            p[id]
        );
    }
}

/// The evaluations output carries each interview's weighted composite (out
/// of 10, scales normalized) and the spread across the candidate's panel for
/// the same position; candidates carry talent-pool tags from the comments.
#[test]
fn evaluations_carry_composite_and_panel_spread_and_candidates_tags() {
    let out = tempfile::tempdir().unwrap();
    run_demo("2024-07-01", out.path());
    let (h, rows) = read_csv(&out.path().join("csv/evaluations.csv"));
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let composites: Vec<f64> = rows
        .iter()
        .filter_map(|r| r[col("composite")].parse().ok())
        .collect();
    assert!(composites.len() > 50, "{}", composites.len());
    assert!(composites.iter().all(|c| (0.0..=10.0).contains(c)));
    let panels: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| !r[col("panel_spread")].is_empty())
        .collect();
    assert!(
        panels.len() >= 2,
        "some candidates were seen by several interviewers"
    );
    for p in &panels {
        let mates: Vec<f64> = rows
            .iter()
            .filter(|r| {
                r[col("candidate_id")] == p[col("candidate_id")]
                    && !r[col("panel_spread")].is_empty()
            })
            .filter_map(|r| r[col("composite")].parse().ok())
            .collect();
        let spread = mates.iter().cloned().fold(f64::MIN, f64::max)
            - mates.iter().cloned().fold(f64::MAX, f64::min);
        let want: f64 = p[col("panel_spread")].parse().unwrap();
        assert!(
            spread + 1e-6 >= want,
            "spread {want} exceeds the panel's range {spread}"
        );
    }
    let (ch, cands) = read_csv(&out.path().join("csv/candidates.csv"));
    let c = |n: &str| ch.iter().position(|x| x == n).unwrap();
    let zhang = cands.iter().find(|r| r[c("name")] == "张三").unwrap();
    let tags: Vec<&str> = zhang[c("tags")].split("; ").collect();
    assert!(
        tags.contains(&"communication-strong") && tags.contains(&"logic-clear"),
        "{tags:?}"
    );
}
