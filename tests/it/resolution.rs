//! Entity resolution through the whole run: the scripted 张三 across three
//! files becomes one candidate, the two 张伟 stay two, and candidate ids stay
//! stable when a later run brings a new file.

use std::collections::BTreeSet;

use crate::common::{column, hrflow, output, read_csv, repo};

fn run(pipeline: &std::path::Path, out: &std::path::Path) -> String {
    let mut c = hrflow(&repo());
    c.arg("run").arg(pipeline).arg("--out").arg(out);
    let (code, stdout, stderr) = output(c);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    stdout
}

fn candidate_with_phone(out: &std::path::Path, phone: &str) -> Vec<String> {
    let (header, rows) = read_csv(&out.join("csv/candidates.csv"));
    let id = header.iter().position(|h| h == "candidate_id").unwrap();
    let phones = header.iter().position(|h| h == "phones").unwrap();
    rows.iter()
        .filter(|r| r[phones].split("; ").any(|p| p == phone))
        .map(|r| r[id].clone())
        .collect()
}

#[test]
fn zhang_san_from_three_files_is_one_candidate_and_the_two_zhang_wei_are_two() {
    let out = tempfile::tempdir().unwrap();
    run(&repo().join("pipelines/demo.toml"), out.path());
    let zhang = candidate_with_phone(out.path(), "+8613800138000");
    assert_eq!(zhang.len(), 1, "{zhang:?}");
    let apps = out.path().join("csv/applications.csv");
    let ids = column(&apps, "candidate_id");
    let files = column(&apps, "file");
    let his: BTreeSet<&str> = ids
        .iter()
        .zip(&files)
        .filter(|(i, _)| **i == zhang[0])
        .map(|(_, f)| f.as_str())
        .collect();
    assert_eq!(
        his.into_iter().collect::<Vec<_>>(),
        [
            "sample-data/2019-2021_招聘登记表.xls",
            "sample-data/2023-2024_candidates_EN.xlsx",
            "sample-data/old_hr_system_export_gbk.csv"
        ]
    );
    // Lineage keeps every source's value and marks which one survived.
    let (h, lineage) = read_csv(&out.path().join("csv/lineage.csv"));
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let names: Vec<(&str, &str)> = lineage
        .iter()
        .filter(|r| r[col("entity_id")] == zhang[0] && r[col("field")] == "name")
        .map(|r| (r[col("value")].as_str(), r[col("survived")].as_str()))
        .collect();
    assert_eq!(
        names,
        [("张三", "true"), ("Zhang San", "false"), ("張三", "false")]
    );
    let salaries: Vec<(&str, &str)> = lineage
        .iter()
        .filter(|r| r[col("entity_id")] == zhang[0] && r[col("field")] == "expected_salary")
        .map(|r| (r[col("value")].as_str(), r[col("survived")].as_str()))
        .collect();
    assert_eq!(
        salaries,
        [
            ("15k/月", "true"),
            ("15k/month", "false"),
            ("1.5万", "false")
        ]
    );
    let applications_lineage = lineage
        .iter()
        .filter(|r| r[col("entity")] == "application")
        .all(|r| r[col("survived")].is_empty());
    assert!(
        applications_lineage,
        "survived is only for candidate fields"
    );
    // 张伟 born 1985 (sales) and 张伟 born 1996 (Go back end): different people.
    let a = candidate_with_phone(out.path(), "+8615204595922");
    let b = candidate_with_phone(out.path(), "+8613643164634");
    assert_eq!((a.len(), b.len()), (1, 1));
    assert_ne!(a, b);
}

#[test]
fn candidate_ids_survive_a_second_run_with_a_new_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let first = run(&repo().join("pipelines/demo.toml"), &out);
    assert!(!first.contains("Since the previous run"), "{first}");
    assert!(
        !out.join("changes.csv").exists(),
        "a first run has nothing to compare"
    );
    let before = column(&out.join("csv/candidates.csv"), "candidate_id");
    let zhang = candidate_with_phone(&out, "+8613800138000");

    // Next night: the same sources plus a new export with 张三 again and a
    // new person.
    std::fs::write(dir.path().join("new.csv"), "姓名,手机号,应聘岗位,投递日期\n张三,13800138000,销售经理,2024-06-01\n新同学,13911112222,数据分析师,2024-06-02\n").unwrap();
    let demo = std::fs::read_to_string(repo().join("pipelines/demo.toml")).unwrap();
    let pipeline = demo.replace(
        "root = \"..\"",
        &format!(
            "root = {:?}\nallow_outside_root = true",
            repo().display().to_string()
        ),
    ) + &format!(
        "\n[[source]]\nkind = \"csv\"\npath = {:?}\n",
        dir.path().join("new.csv").display().to_string()
    );
    std::fs::write(dir.path().join("p.toml"), pipeline).unwrap();
    let second = run(&dir.path().join("p.toml"), &out);

    let after: BTreeSet<String> = column(&out.join("csv/candidates.csv"), "candidate_id")
        .into_iter()
        .collect();
    for id in &before {
        assert!(after.contains(id), "candidate {id} lost its id");
    }
    assert_eq!(after.len(), before.len() + 1, "one new person");
    assert_eq!(
        candidate_with_phone(&out, "+8613800138000"),
        zhang,
        "张三 keeps his id"
    );
    let apps = column(&out.join("csv/applications.csv"), "candidate_id");
    assert_eq!(
        apps.iter().filter(|i| **i == zhang[0]).count(),
        4,
        "the new application joined him"
    );

    // What arrived since the first run: one new file, every other file
    // unchanged, two new records, one new person, 张三 with a new record.
    assert!(
        second.contains("Since the previous run (as of ")
            && second.contains(": 1 new, 0 changed, ")
            && second.contains("2 new and 0 gone records; 1 new candidates, 1 with new records, 0 merged into others, 0 gone."),
        "{second}"
    );
    let (_, rows) = read_csv(&out.join("changes.csv"));
    let rows: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str()))
        .collect();
    let new_id = after
        .difference(&before.iter().cloned().collect())
        .next()
        .cloned()
        .unwrap();
    assert_eq!(
        rows,
        vec![
            (
                "file_new",
                dir.path().join("new.csv").display().to_string().as_str()
            ),
            ("candidate_new", new_id.as_str()),
            ("candidate_new_records", zhang[0].as_str()),
        ]
    );
    // A third run over the same files reports no change at all.
    let third = run(&dir.path().join("p.toml"), &out);
    assert!(third.contains(": 0 new, 0 changed, "), "{third}");
    let (_, rows) = read_csv(&out.join("changes.csv"));
    assert!(rows.is_empty(), "{rows:?}");
}
