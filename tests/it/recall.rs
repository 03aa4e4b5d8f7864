//! Recall lists end to end on the sample company: who is on the reopened
//! sales manager's list, with which facts and message — and who must not be.

use std::path::Path;

use crate::common::{hrflow, output, read_csv, repo};

fn run(as_of: &str, out: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut c = hrflow(&repo());
    c.args(["run", "pipelines/demo.toml", "--as-of", as_of, "--out"])
        .arg(out);
    let (code, stdout, stderr) = output(c);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    read_csv(&out.join("recall.csv"))
}

#[test]
fn zhang_san_is_recalled_for_the_reopened_sales_manager_with_facts_and_message() {
    let out = tempfile::tempdir().unwrap();
    let (h, rows) = run("2024-07-01", out.path());
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let zhang = rows
        .iter()
        .find(|r| r[col("name")] == "张三" && r[col("position")] == "销售经理")
        .expect("张三 on the list");
    assert_eq!(zhang[col("rank")], "1");
    assert_eq!(zhang[col("rules_fired")], "岗位满员或预算不足被拒");
    // The interviewed rejection (2021, by the boss), not the English
    // sheet's 2023 re-application that only carries a note.
    assert_eq!(zhang[col("original_reason")], "岗位已满 (headcount_filled)");
    assert_eq!(zhang[col("interviewer")], "王总");
    assert_eq!(zhang[col("expected_salary")], "15k/月");
    assert_eq!(zhang[col("budget")], "15k-20k/月");
    assert_eq!(
        zhang[col("message")],
        "张三您好，我是星河数据的王总。之前我们面试过销售经理，当时因为岗位暂时满员没能合作。最近这个岗位又有空缺了，我一直记得你面试时沟通能力强、逻辑清晰。我们现在的预算也能满足你的期望薪资（15k/月）。不知道你现在是否方便再聊聊？"
    );
    assert!(
        zhang[col("outcome")].is_empty(),
        "outcome columns are left for HR"
    );
    // The manifest lists who is on each list, in rank order.
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("manifest.json")).unwrap())
            .unwrap();
    let sales = manifest["lists"]["recall"]["XH-SA-001"].as_array().unwrap();
    assert_eq!(sales[0], zhang[col("candidate_id")].as_str());
    let listed: usize = manifest["lists"]["recall"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_array().unwrap().len())
        .sum();
    assert_eq!(listed, rows.len());
    // Talent-pool tags and the interview composite are among the facts.
    assert_eq!(zhang[col("tags")], "沟通能力强; 逻辑清晰; 有相关经验");
    // 区嘉欣 applied in September 2024: on 1 July she was nobody's
    // candidate yet, whatever later files say about her.
    assert!(
        !rows.iter().any(|r| r[col("name")] == "区嘉欣"),
        "a run dated 2024-07-01 lists a candidate who applied in September"
    );
    let later = tempfile::tempdir().unwrap();
    let (h2, rows2) = run("2024-12-01", later.path());
    assert_eq!(h2, h);
    let ou = rows2
        .iter()
        .find(|r| r[col("name")] == "区嘉欣")
        .expect("区嘉欣 on a list on 2024-12-01");
    // The composite of the interview behind her rejection (the CEO's, in
    // the English sheet), with the spread across her panel.
    assert_eq!(ou[col("composite")], "7.6");
    assert_eq!(ou[col("panel_spread")], "2");
    assert!(out.path().join("recall-XH-SA-001.xlsx").is_file());
    {
        use calamine::Reader;
        let mut wb =
            calamine::open_workbook_auto(out.path().join("recall-XH-SA-001.xlsx")).unwrap();
        let range = wb.worksheet_range("recall").unwrap();
        let header: Vec<String> = range
            .rows()
            .next()
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect();
        for name in [
            "tags",
            "composite",
            "panel_spread",
            "outcome",
            "outcome_at",
            "outcome_by",
            "reinterview_at",
            "reinterview_by",
            "outcome_notes",
        ] {
            assert!(header.iter().any(|h| h == name), "no {name} in {header:?}");
        }
    }
    for r in &rows {
        let m = &r[col("message")];
        assert!(
            !m.contains("{{") && !m.contains("}}") && !m.contains("{%"),
            "unfilled template variable: {m}"
        );
    }
}

#[test]
fn skills_gap_rejections_opt_outs_and_recent_contacts_are_not_recalled() {
    let out = tempfile::tempdir().unwrap();
    let (h, rows) = run("2024-07-01", out.path());
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    // 李四 was rejected for a skills gap (技术能力不足): no rule fires for him.
    assert!(
        !rows.iter().any(|r| r[col("name")] == "李四"),
        "李四 must not be recalled"
    );
    // 罗辉 and 黄阳国 asked in the chats not to be contacted again.
    for name in ["罗辉", "黄阳国"] {
        assert!(
            !rows.iter().any(|r| r[col("name")] == name),
            "{name} opted out"
        );
    }
    // 张三 was called on 2021-04-16 (QQ chat line 72): within the 30-day
    // cooldown on 2021-05-01 he is not on the list; a month later he is.
    let soon = tempfile::tempdir().unwrap();
    let (h2, rows2) = run("2021-05-01", soon.path());
    let name = h2.iter().position(|x| x == "name").unwrap();
    assert!(
        !rows2.iter().any(|r| r[name] == "张三"),
        "contacted two weeks ago"
    );
    let later = tempfile::tempdir().unwrap();
    let (h3, rows3) = run("2021-06-01", later.path());
    let name3 = h3.iter().position(|x| x == "name").unwrap();
    assert!(rows3.iter().any(|r| r[name3] == "张三"), "cooldown over");
}
