//! `hrflow show`: a candidate's history from a run's outputs, found by name,
//! phone or email, with the source of every fact.

use crate::common::{hrflow, namesakes_for_review, output, repo};

fn demo_out() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut c = hrflow(&repo());
    c.args(["run", "pipelines/demo.toml", "--out"])
        .arg(dir.path());
    assert_eq!(output(c).0, 0);
    dir
}

#[test]
fn show_finds_zhang_san_by_name_phone_and_email_with_sources() {
    let out = demo_out();
    for query in [
        "张三",
        "138-0013-8000",
        "+86 13800138000",
        "zhangsan@qq.com",
    ] {
        let mut c = hrflow(&repo());
        c.args(["show", query, "--out"]).arg(out.path());
        let (code, stdout, stderr) = output(c);
        assert_eq!(code, 0, "{query}: {stderr}");
        assert!(
            stdout.contains("reason headcount_filled (we_rejected) «岗位已满»"),
            "{query}: {stdout}"
        );
        assert!(
            stdout.contains("↳ sample-data/2019-2021_招聘登记表.xls › 招聘登记 › row 25"),
            "{query}: {stdout}"
        );
    }
    let mut c = hrflow(&repo());
    c.args(["show", "张三", "--out"]).arg(out.path());
    let (_, stdout, _) = output(c);
    assert!(
        stdout.contains("王总"),
        "the interviewer is shown: {stdout}"
    );
    assert!(
        stdout.contains("“逻辑清晰,沟通能力强,做过类似项目,结果很不错”"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Expected salary: 15000 CNY/month (“15k/月”)"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "  Resolution\n    3 source records joined: same_name_and_phone ×1, score above the threshold ×1\n"
        ),
        "how the records were joined: {stdout}"
    );
}

#[test]
fn show_lists_the_pairs_waiting_for_a_verdict_and_the_verdicts_given() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    namesakes_for_review(d);
    let run = || {
        let mut c = hrflow(d);
        c.args(["run", "p.toml"]);
        let (code, _, stderr) = output(c);
        assert_eq!(code, 0, "{stderr}");
    };
    let show = || {
        let mut c = hrflow(d);
        c.args(["show", "陈晨", "--out", "out"]);
        let (code, stdout, stderr) = output(c);
        assert_eq!(code, 0, "{stderr}");
        stdout
    };
    run();
    let review = std::fs::read_to_string(d.join("out/review.csv")).unwrap();
    let pair = review.lines().nth(1).unwrap();
    let records: Vec<&str> = pair.split(',').skip(2).take(2).collect();
    let stdout = show();
    assert!(stdout.starts_with("2 candidates match `陈晨`."), "{stdout}");
    assert_eq!(
        stdout
            .matches(&format!(
                "    {} + {}: awaits a verdict with 陈晨 (C",
                records[0], records[1]
            ))
            .count(),
        2,
        "each side names the other: {stdout}"
    );
    assert!(
        stdout.contains(", score 11.966 (no_agreeing_identifier, review.xlsx)"),
        "{stdout}"
    );
    // A reviewer says two people: each is shown kept apart from the other.
    std::fs::write(
        d.join("out/review.csv"),
        format!("{}\n{pair}不同人\n", review.lines().next().unwrap()),
    )
    .unwrap();
    run();
    let stdout = show();
    assert_eq!(
        stdout
            .matches(&format!(
                "    {} + {}: a reviewer said two people (reviewed_different, review_verdicts.csv), kept apart from 陈晨 (C",
                records[0], records[1]
            ))
            .count(),
        2,
        "{stdout}"
    );
    assert!(!stdout.contains("awaits a verdict"), "{stdout}");
    // Changing the kept verdict to `same` joins them.
    let kept = std::fs::read_to_string(d.join("out/review_verdicts.csv")).unwrap();
    std::fs::write(
        d.join("out/review_verdicts.csv"),
        kept.replace("different", "same"),
    )
    .unwrap();
    run();
    let stdout = show();
    assert!(
        stdout.contains(&format!(
            "  Resolution\n    2 source records joined: reviewed_same ×1\n    {} + {}: a reviewer said one person (reviewed_same, review_verdicts.csv)\n",
            records[0], records[1]
        )),
        "{stdout}"
    );
    assert!(!stdout.contains("candidates match"), "{stdout}");
}

#[test]
fn show_says_when_nobody_matches() {
    let out = demo_out();
    let mut c = hrflow(&repo());
    c.args(["show", "查无此人", "--out"]).arg(out.path());
    let (code, _, stderr) = output(c);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("No candidate matches `查无此人`"),
        "{stderr}"
    );
}
