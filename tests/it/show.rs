//! `hrflow show`: a candidate's history from a run's outputs, found by name,
//! phone or email, with the source of every fact.

use crate::common::{hrflow, output, repo};

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
