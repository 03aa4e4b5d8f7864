//! The command line: exit codes, `validate` messages, `inspect`, `list`.

use crate::common::{hrflow, output, repo};

/// Issue: `hrflow validate` on a pipeline with three mistakes (misspelled
/// key, missing file, unknown encoding) prints all three with their
/// locations and exits 2.
#[test]
fn validate_reports_all_three_mistakes_with_lines_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ok.csv"), "姓名,手机\n张三,13800138000\n").unwrap();
    std::fs::write(
        dir.path().join("p.toml"),
        "name = \"mine\"\n\n[output]\ndri = \"out\"\n\n[[source]]\nkind = \"csv\"\npath = \"missing.csv\"\n\n[[source]]\nkind = \"csv\"\npath = \"ok.csv\"\nencoding = \"gbk2\"\n",
    )
    .unwrap();
    let mut c = hrflow(dir.path());
    c.args(["validate", "p.toml"]);
    let (code, stdout, stderr) = output(c);
    assert_eq!(code, 2, "stdout: {stdout}\nstderr: {stderr}");
    assert_eq!(
        stderr,
        "p.toml:4: output: unknown key `dri`; did you mean `dir`? expected one of dir, formats\n\
         p.toml:8: source[1] (csv): file not found: `missing.csv` (looked for missing.csv)\n\
         p.toml:13: source[2] (csv): unknown encoding `gbk2`; expected a WHATWG label such as utf-8, gbk, gb18030, big5, shift_jis, utf-16le, utf-16be, windows-1252\n\
         3 problems found.\n"
    );
}

#[test]
fn every_shipped_pipeline_validates() {
    let mut c = hrflow(&repo());
    c.arg("validate");
    let (code, stdout, stderr) = output(c);
    assert_eq!(code, 0, "stdout: {stdout}\nstderr: {stderr}");
    assert!(stdout.contains("ok: pipelines/demo.toml"), "{stdout}");
}

#[test]
fn usage_errors_exit_2() {
    let mut c = hrflow(&repo());
    c.args(["run", "no-such-pipeline"]);
    let (code, _, stderr) = output(c);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("No pipeline `no-such-pipeline`"),
        "{stderr}"
    );
    let mut c = hrflow(&repo());
    c.arg("frobnicate");
    assert_eq!(output(c).0, 2);
}

#[test]
fn list_shows_the_demo_pipeline() {
    let mut c = hrflow(&repo());
    c.arg("list");
    let (code, stdout, _) = output(c);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("demo "), "{stdout}");
}

#[test]
fn inspect_shows_encoding_header_and_mapping_of_the_gbk_export() {
    let mut c = hrflow(&repo());
    c.args([
        "inspect",
        "sample-data/old_hr_system_export_gbk.csv",
        "--rows",
        "2",
    ]);
    let (code, stdout, stderr) = output(c);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("Encoding: gb18030 (guessed by chardetng from byte statistics)"),
        "{stdout}"
    );
    assert!(stdout.contains("Delimiter: , (sniffed)"), "{stdout}");
    assert!(stdout.contains("Header: row 1 matched"), "{stdout}");
    assert!(stdout.contains("候选人姓名 → name"), "{stdout}");
    assert!(stdout.contains("手机号码 → phone"), "{stdout}");
    assert!(stdout.contains("  row    2: "), "{stdout}");
}

#[test]
fn inspect_explains_a_two_row_merged_header() {
    let mut c = hrflow(&repo());
    c.args(["inspect", "sample-data/2022_招聘台账.xlsx", "--rows", "1"]);
    let (code, stdout, stderr) = output(c);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("with group row"), "{stdout}");
    assert!(stdout.contains("基础信息/姓名 → name"), "{stdout}");
    assert!(
        stdout.contains("面试评分/技术 → score_technical"),
        "{stdout}"
    );
    assert!(stdout.contains("下拉选项 (hidden worksheet)"), "{stdout}");
}

/// Survey exports are described as survey answers with their layout and
/// the cells that would be quarantined; a form export whose first column is
/// a timestamp stays a table rather than a chat log.
#[test]
fn inspect_recognises_survey_exports_and_tabular_form_exports() {
    let run = |file: &str| {
        let mut c = hrflow(&repo());
        c.args(["inspect", file]);
        let (code, stdout, stderr) = output(c);
        assert_eq!(code, 0, "{stderr}");
        stdout
    };
    let wide = run("sample-data/surveys/candidate_survey_2024_gbk.csv");
    assert!(
        wide.contains("Read as: candidate survey answers (role = \"survey\", layout = \"wide\")"),
        "{wide}"
    );
    assert!(
        wide.contains("`11`: not a score on the 0–10 scale"),
        "{wide}"
    );
    let long = run("sample-data/surveys/notice_feedback_long.xlsx");
    assert!(long.contains("layout = \"long\""), "{long}");
    assert!(
        long.contains("is not a question of the survey question bank"),
        "{long}"
    );
    let form = run("sample-data/wechat_form_signups_utf16.csv");
    assert!(form.contains("Kind: delimited text"), "{form}");
    assert!(form.contains("Delimiter: tab (sniffed)"), "{form}");
    let candidates = run("sample-data/old_hr_system_export_gbk.csv");
    assert!(!candidates.contains("survey"), "{candidates}");
}
