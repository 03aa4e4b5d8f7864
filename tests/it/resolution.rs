//! Entity resolution through the whole run: the scripted 张三 across three
//! files becomes one candidate, the two 张伟 stay two, and candidate ids stay
//! stable when a later run brings a new file.

use std::collections::BTreeSet;

use crate::common::{column, hrflow, namesakes_for_review, output, read_csv, repo};

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

/// The candidate id of each record, from `id_map.csv`.
fn id_map(out: &std::path::Path) -> std::collections::BTreeMap<String, String> {
    let text = std::fs::read_to_string(out.join("id_map.csv")).unwrap();
    text.lines()
        .skip(1)
        .map(|l| {
            let (record, candidate) = l.split_once(',').unwrap();
            (record.to_string(), candidate.to_string())
        })
        .collect()
}

#[test]
fn verdicts_written_into_the_review_list_decide_their_pairs_in_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("people.csv"),
        "姓名,手机,邮箱\n王小明,13800000001,wxm@example.com\n王小明,13800000001,\n李四,13900000002,\n李肆,13700000003,\n",
    )
    .unwrap();
    let pipeline = d.join("p.toml");
    std::fs::write(
        &pipeline,
        "name = \"v\"\n[output]\ndir = \"out\"\nformats = [\"csv\"]\n[[source]]\nkind = \"csv\"\npath = \"people.csv\"\n",
    )
    .unwrap();
    let out = d.join("out");
    run(&pipeline, &out);
    let first = id_map(&out);
    assert_eq!(first.len(), 4);
    // The two 王小明 rows share a phone and merge; 李四 and 李肆 are two.
    let (_, merges) = read_csv(&out.join("csv/merges.csv"));
    let merged: Vec<&Vec<String>> = merges.iter().filter(|r| r[2] == r[3]).collect();
    assert_eq!(merged.len(), 1, "{merges:?}");
    let (wang_a, wang_b) = (merged[0][0].clone(), merged[0][1].clone());
    let others: Vec<&String> = first
        .keys()
        .filter(|r| **r != wang_a && **r != wang_b)
        .collect();
    assert_ne!(first[others[0]], first[others[1]]);
    assert!(!out.join("review_verdicts.csv").exists());

    // A reviewer says the 王小明 pair is two people and 李四/李肆 one.
    std::fs::write(
        out.join("review.csv"),
        format!(
            "\u{feff}score,rule,record_a,record_b,verdict\n\
             ,,{wang_a},{wang_b},不是同一人\n\
             ,,{},{},same\n\
             ,,{wang_a},{},perhaps\n",
            others[1], others[0], others[0]
        ),
    )
    .unwrap();
    let stdout = run(&pipeline, &out);
    assert!(
        stdout.contains("Review verdicts: 2 new; applied 1 (same) and 1 (different)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("review.csv › row 4 › column E (verdict): `perhaps` is not a verdict"),
        "{stdout}"
    );
    let second = id_map(&out);
    assert_ne!(second[&wang_a], second[&wang_b]);
    assert_eq!(second[others[0]], second[others[1]]);
    let rules = column(&out.join("csv/merges.csv"), "rule");
    assert!(rules.iter().any(|r| r == "reviewed_same"), "{rules:?}");
    assert!(rules.iter().any(|r| r == "reviewed_different"), "{rules:?}");
    let (_, kept) = read_csv(&out.join("review_verdicts.csv"));
    assert_eq!(kept.len(), 2);

    // The verdicts are kept: a third run with a fresh review list changes
    // nothing.
    let merges_before = std::fs::read(out.join("csv/merges.csv")).unwrap();
    let stdout = run(&pipeline, &out);
    assert!(
        stdout.contains("Review verdicts: 0 new; applied 1 (same) and 1 (different)"),
        "{stdout}"
    );
    assert_eq!(id_map(&out), second);
    assert_eq!(
        std::fs::read(out.join("csv/merges.csv")).unwrap(),
        merges_before
    );
}

#[test]
fn review_pairs_show_each_records_applications() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // What tells two namesakes apart (or not) is when they applied and
    // how it went.
    let pipeline = namesakes_for_review(d);
    let out = d.join("out");
    run(&pipeline, &out);
    let (header, rows) = read_csv(&out.join("review.csv"));
    assert_eq!(rows.len(), 1, "{rows:?}");
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row = &rows[0];
    let mut shown = [
        (&row[at("source_a")], &row[at("applications_a")]),
        (&row[at("source_b")], &row[at("applications_b")]),
    ];
    shown.sort();
    assert_eq!(
        shown.map(|(s, a)| (s.as_str(), a.as_str())),
        [
            (
                "people.csv › row 2",
                "数据分析师: applied 2024-03-02, rejected"
            ),
            (
                "people.csv › row 3",
                "数据分析师: applied 2024-05-01, passed"
            ),
        ]
    );
    assert!(at("applications_a") < at("source_a"));
}
