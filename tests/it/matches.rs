//! Match scores in a run: every resolved candidate against every open or
//! reopened position, best first, with breakdown and screening.

use crate::common::{hrflow, output, read_csv, repo};

#[test]
fn zhang_san_tops_the_reopened_sales_manager_position() {
    let out = tempfile::tempdir().unwrap();
    let mut c = hrflow(&repo());
    c.args([
        "run",
        "pipelines/demo.toml",
        "--as-of",
        "2024-07-01",
        "--out",
    ])
    .arg(out.path());
    let (code, stdout, stderr) = output(c);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
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
