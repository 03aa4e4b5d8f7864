//! Rejection notices in runs: written for new rejections only, never with
//! the internal reason text, with an .eml per email notice, and not again on
//! the next night.

use crate::common::{hrflow, output, read_csv, repo};

fn run(out: &std::path::Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut c = hrflow(&repo());
    c.args([
        "run",
        "pipelines/demo.toml",
        "--as-of",
        "2024-06-01",
        "--out",
    ])
    .arg(out);
    let (code, stdout, stderr) = output(c);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    read_csv(&out.join("notices.csv"))
}

#[test]
fn notices_for_new_rejections_once_without_internal_wording() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    let (h, rows) = run(out);
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r[col("name")].as_str()).collect();
    assert_eq!(names, ["刘洋", "马玲", "周飞"]);
    let (ah, apps) = read_csv(&out.join("csv/applications.csv"));
    let acol = |n: &str| ah.iter().position(|x| x == n).unwrap();
    for r in &rows {
        let app = apps
            .iter()
            .find(|a| a[acol("application_id")] == r[col("application_id")])
            .unwrap();
        let raw = &app[acol("rejection_reason_raw")];
        assert!(
            !raw.is_empty() && !r[col("body")].contains(raw.as_str()),
            "internal reason leaked: {raw}"
        );
        assert!(
            !r[col("body")].contains("{{"),
            "unfilled template variable left"
        );
        if r[col("problem")].is_empty() {
            assert_eq!(r[col("channel")], "email");
            let eml = std::fs::read_to_string(
                out.join(format!("notices/{}.eml", r[col("application_id")])),
            )
            .unwrap();
            assert!(
                eml.contains(&format!("To: {}\r\n", r[col("address")])),
                "{eml}"
            );
            assert!(eml.contains("Content-Type: text/plain; charset=utf-8"));
            assert!(!r[col("ready_at")].is_empty() && !r[col("days_since_interview")].is_empty());
        }
    }
    let zhou = rows.iter().find(|r| r[col("name")] == "周飞").unwrap();
    assert_eq!(zhou[col("problem")], "no email address");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(
        manifest["lists"]["notices_written"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        manifest["lists"]["notices_held"][0],
        serde_json::json!([zhou[col("application_id")], "no email address"])
    );

    // The next night: the two sent notices are not written again; the one
    // that could not be sent stays on the list until it can be.
    let (_, again) = run(out);
    let names: Vec<&str> = again.iter().map(|r| r[col("name")].as_str()).collect();
    assert_eq!(names, ["周飞"]);
}

/// A pipeline's own template folder: `validate` refuses a variable typo
/// with the file it is in, and once fixed the run writes the company's own
/// wording (files the folder lacks stay the shipped ones).
#[test]
fn a_pipelines_own_templates_are_checked_and_used() {
    let dir = tempfile::tempdir().unwrap();
    let mine = dir.path().join("templates");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(
        mine.join("subject.zh.j2"),
        "{{ compnay }}：{{ position }}面试结果",
    )
    .unwrap();
    let demo = std::fs::read_to_string(repo().join("pipelines/demo.toml")).unwrap();
    let pipeline = demo
        .replace(
            "root = \"..\"",
            &format!(
                "root = {:?}\nallow_outside_root = true",
                repo().display().to_string()
            ),
        )
        .replace(
            "ready_after_days = 2",
            &format!(
                "ready_after_days = 2\ntemplates = {:?}",
                mine.display().to_string()
            ),
        );
    let p = dir.path().join("p.toml");
    std::fs::write(&p, pipeline).unwrap();
    let mut c = hrflow(&repo());
    c.arg("validate").arg(&p);
    let (code, stdout, stderr) = output(c);
    assert_eq!(code, 2, "{stdout}\n{stderr}");
    let said = format!("{stdout}{stderr}");
    assert!(
        said.contains("template `subject.zh`")
            && said.contains("subject.zh.j2")
            && said.contains("unknown variable `compnay`"),
        "{said}"
    );

    std::fs::write(
        mine.join("subject.zh.j2"),
        "【{{ company }}】关于{{ position }}岗位的面试结果",
    )
    .unwrap();
    let out = dir.path().join("out");
    let mut c = hrflow(&repo());
    c.args(["run"])
        .arg(&p)
        .args(["--as-of", "2024-06-01", "--out"])
        .arg(&out);
    let (code, stdout, stderr) = output(c);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let (h, rows) = read_csv(&out.join("notices.csv"));
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let liu = rows.iter().find(|r| r[col("name")] == "刘洋").unwrap();
    assert_eq!(
        liu[col("subject")],
        "【星河数据】关于数据分析师岗位的面试结果"
    );
    // The body still comes from the shipped email template.
    assert!(
        liu[col("body")].starts_with("刘洋您好："),
        "{}",
        liu[col("body")]
    );
}
