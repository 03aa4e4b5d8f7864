//! Files that cannot be opened are reported with their path; the other
//! sources are still processed and written, and the run exits 1. Ragged rows
//! and bad values are quarantined, not dropped, and the accounting balances.

use crate::common::{column, hrflow, output, repo};

#[test]
fn unreadable_workbooks_fail_the_run_but_not_the_other_sources() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("good.csv"), "姓名,手机号\n张三,13800138000\n").unwrap();
    std::fs::write(d.join("empty.xlsx"), b"").unwrap();
    let real = std::fs::read(repo().join("tests/fixtures/excel/calamine_header-row.xlsx")).unwrap();
    std::fs::write(d.join("truncated.xlsx"), &real[..real.len() / 2]).unwrap();
    std::fs::write(d.join("not_really.xlsx"), "姓名,手机号\n").unwrap();
    std::fs::write(
        d.join("p.toml"),
        "name = \"f\"\n[output]\ndir = \"out\"\n[[source]]\nkind = \"csv\"\npath = \"good.csv\"\n[[source]]\nkind = \"excel\"\npath = \"*.xlsx\"\n",
    )
    .unwrap();
    let mut c = hrflow(d);
    c.args(["run", "p.toml"]);
    let (code, stdout, stderr) = output(c);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    for f in ["empty.xlsx", "truncated.xlsx", "not_really.xlsx"] {
        assert!(
            stderr.contains(&format!("source[2]: `{f}`:")),
            "{f} not reported: {stderr}"
        );
    }
    assert!(stderr.contains("the file is empty (0 bytes)"), "{stderr}");
    assert_eq!(column(&d.join("out/csv/candidates.csv"), "name"), ["张三"]);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("out/manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["failures"].as_array().unwrap().len(), 3);
}

#[test]
fn ragged_rows_and_bad_values_are_quarantined_with_their_location() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("x.csv"),
        "姓名,手机号,期望薪资,投递日期\n张三,13800138000,15k,2023-05-01\n李四,12345,看情况,2023-02-30\n王五,13900139000,20k,2023-06-01,多出来的\n,,,\n测试,,,\n",
    )
    .unwrap();
    std::fs::write(d.join("p.toml"), "name = \"q\"\n[output]\ndir = \"out\"\nformats = [\"csv\"]\n[[source]]\nkind = \"csv\"\npath = \"x.csv\"\n").unwrap();
    let mut c = hrflow(d);
    c.args(["run", "p.toml"]);
    let (code, stdout, stderr) = output(c);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let q = d.join("out/csv/quarantine.csv");
    let rows = column(&q, "row");
    let reasons = column(&q, "reason");
    let values = column(&q, "value");
    let cols = column(&q, "column");
    let find = |row: &str, col: &str| {
        (0..rows.len())
            .find(|&i| rows[i] == row && cols[i] == col)
            .unwrap_or_else(|| {
                panic!("no quarantine entry at row {row} column {col}: {rows:?} {cols:?}")
            })
    };
    let phone = find("3", "手机号");
    assert_eq!(values[phone], "12345");
    let salary = find("3", "期望薪资");
    assert_eq!(values[salary], "看情况");
    let date = find("3", "投递日期");
    assert_eq!(values[date], "2023-02-30");
    let ragged = find("4", "");
    assert!(
        reasons[ragged].starts_with("ragged row: 5 fields where the header has 4"),
        "{}",
        reasons[ragged]
    );
    let nobody = find("6", "");
    assert!(
        reasons[nobody].starts_with("no usable name"),
        "{}",
        reasons[nobody]
    );
    // Both kept rows are there, with the bad values left empty.
    let mut names = column(&d.join("out/csv/candidates.csv"), "name");
    names.sort();
    assert_eq!(names, ["张三", "李四"]);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("out/manifest.json")).unwrap()).unwrap();
    let s = &manifest["sources"][0];
    assert_eq!(
        (
            s["rows_read"].as_u64(),
            s["rows_kept"].as_u64(),
            s["rows_quarantined"].as_u64(),
            s["rows_non_data"].as_u64()
        ),
        (Some(6), Some(2), Some(2), Some(2))
    );
}
