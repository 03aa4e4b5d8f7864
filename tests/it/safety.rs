//! Output safety, end to end: what candidates wrote cannot run as a formula
//! in any CSV or XLSX file a run writes, and the management report masks
//! phones, e-mails and id numbers when asked to (`[report] mask`).

use std::path::{Path, PathBuf};

use calamine::{Data, Reader, open_workbook_auto};

use crate::common::{column, files_under, hrflow, output, repo};

const AS_OF: &str = "2024-12-01";

/// The monthly pipeline, reading from the repository, with `edit` applied
/// to its text, written to `dir`.
fn monthly_pipeline(dir: &Path, edit: impl Fn(String) -> String) -> PathBuf {
    let text = std::fs::read_to_string(repo().join("pipelines/monthly.toml"))
        .unwrap()
        .replace(
            "root = \"..\"",
            &format!(
                "root = {:?}\nallow_outside_root = true",
                repo().display().to_string()
            ),
        );
    let path = dir.join("monthly.toml");
    std::fs::write(&path, edit(text)).unwrap();
    path
}

fn run(pipeline: &Path, out: &Path) {
    let mut c = hrflow(&repo());
    c.arg("run")
        .arg(pipeline)
        .args(["--as-of", AS_OF, "--out"])
        .arg(out);
    let (code, stdout, stderr) = output(c);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
}

/// Every text cell of a workbook, with its sheet.
fn xlsx_strings(path: &Path) -> Vec<(String, String)> {
    let mut wb = open_workbook_auto(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = Vec::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        for cell in range.used_cells() {
            if let Data::String(s) = cell.2 {
                out.push((name.clone(), s.clone()));
            }
        }
    }
    out
}

/// Every field of a CSV output (BOM skipped; header row included).
fn csv_fields(path: &Path) -> Vec<String> {
    let bytes = std::fs::read(path).unwrap();
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    r.records()
        .flat_map(|rec| {
            rec.unwrap_or_else(|e| panic!("{}: {e}", path.display()))
                .iter()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// What a spreadsheet would run as a formula (OWASP CSV injection): a
/// first character `=`, `+`, `-`, `@`, tab or carriage return, except a
/// plain signed number. Written out here rather than calling the code
/// under test.
fn runs_as_formula(s: &str) -> bool {
    let Some(rest) = s.strip_prefix(['=', '+', '-', '@', '\t', '\r']) else {
        return false;
    };
    let number = s.starts_with(['+', '-'])
        && !rest.is_empty()
        && rest.chars().all(|c| c.is_ascii_digit() || c == '.');
    !number
}

/// A candidate, a chat and a survey answer full of text that starts like a
/// formula, read with the sample company's data: no CSV or XLSX file of the
/// run (dataset tables, recall lists, notices, review, report) has a cell
/// that would run, and the hostile values did reach those files, shown
/// with a leading `'`.
#[test]
fn no_csv_or_xlsx_output_has_a_cell_that_runs_as_a_formula() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("hostile.csv"),
        "姓名,手机号,邮箱,应聘岗位,投递日期,状态,拒绝原因,面试官,面试评价,备注\n\
         @张三丰,13812345678,zsf@example.com,=HYPERLINK(\"http://evil\"),2024-11-20,已拒绝,\"=cmd|' /C calc'!A0\",\"-2+3\",\"+SUM(A1:A9)\",\"\tTAB=1+1\"\n\
         =1+1,13812345679,,销售经理,2024-11-21,待定,,,,\"\r=2+2\"\n",
    )
    .unwrap();
    std::fs::write(
        d.join("hostile_chat.txt"),
        "2024-11-25 10:00:00 王总(10001)\n=HYPERLINK(\"http://evil\",\"张三丰\")\n\n2024-11-25 10:01:00 =李娜(10002)\n@张三丰 13812345678 -已拒绝\n\n",
    )
    .unwrap();
    std::fs::write(
        d.join("hostile_survey.csv"),
        "回答编号,提交时间,问题,分数,备注\nSVX-1,2024-11-26,通知语气,4,\"=WEBSERVICE(\"\"http://evil\"\")\"\nSVX-2,2024-11-26,通知语气,5,-请删除我的信息\n",
    )
    .unwrap();
    let hostile = |d: &Path| {
        format!(
            "[[source]]\nkind = \"csv\"\npath = {:?}\n[[source]]\nkind = \"chat\"\nformat = \"qq_txt\"\npath = {:?}\n[[source]]\nkind = \"csv\"\nrole = \"survey\"\nlayout = \"long\"\npath = {:?}\n",
            d.join("hostile.csv").display().to_string(),
            d.join("hostile_chat.txt").display().to_string(),
            d.join("hostile_survey.csv").display().to_string(),
        )
    };
    let pipeline = monthly_pipeline(d, |text| {
        text.replace("\n[recall]\n", &format!("\n{}\n[recall]\n", hostile(d)))
    });
    let out = d.join("out");
    run(&pipeline, &out);

    let files: Vec<PathBuf> = files_under(&out, &[])
        .into_iter()
        .map(|f| out.join(f))
        .collect();
    let mut scanned = Vec::new();
    let mut neutralized: Vec<(String, String)> = Vec::new();
    for f in &files {
        let name = f.strip_prefix(&out).unwrap().display().to_string();
        let cells: Vec<String> = match f.extension().and_then(|e| e.to_str()) {
            Some("csv") => csv_fields(f),
            Some("xlsx") => xlsx_strings(f).into_iter().map(|c| c.1).collect(),
            _ => continue,
        };
        for c in &cells {
            assert!(
                !runs_as_formula(c),
                "{name}: a cell runs as a formula: {c:?}"
            );
            if c.starts_with("'=")
                || c.starts_with("'@")
                || c.starts_with("'+")
                || c.starts_with("'\t")
                || c.starts_with("'\r")
                || c.starts_with("'-")
            {
                neutralized.push((name.clone(), c.clone()));
            }
        }
        scanned.push(name);
    }
    for expected in [
        "csv/candidates.csv",
        "dataset.xlsx",
        "review.xlsx",
        "recall.csv",
        "notices.csv",
        "report.xlsx",
    ] {
        assert!(
            scanned.iter().any(|s| s == expected),
            "{expected} not written: {scanned:?}"
        );
    }
    assert!(
        scanned.iter().any(|s| s.starts_with("recall-")),
        "{scanned:?}"
    );
    // The hostile values were written, neutralized, to the dataset tables,
    // the notices and both workbooks the report and dataset make. (They do
    // not reach a recall list or review.xlsx, which are scanned all the
    // same.)
    let seen = |file: &str, value: &str| {
        neutralized
            .iter()
            .any(|(f, c)| f == file && c == &format!("'{value}"))
    };
    for (file, value) in [
        ("csv/applications.csv", "=HYPERLINK(\"http://evil\")"),
        ("csv/messages.csv", "=HYPERLINK(\"http://evil\",\"张三丰\")"),
        ("csv/messages.csv", "=李娜"),
        ("csv/quarantine.csv", "=1+1"),
        ("csv/evaluations.csv", "+SUM(A1:A9)"),
        ("csv/evaluations.csv", "-2+3"),
        ("csv/lineage.csv", "=2+2"),
        ("notices.csv", "=HYPERLINK(\"http://evil\")"),
        ("dataset.xlsx", "=HYPERLINK(\"http://evil\")"),
        ("report.xlsx", "=WEBSERVICE(\"http://evil\")"),
    ] {
        assert!(
            seen(file, value),
            "{file}: {value:?} not found neutralized; neutralized cells: {neutralized:#?}"
        );
    }
    // The page shows the same text, escaped, and never as markup.
    let page = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(!page.contains("=WEBSERVICE(\"http://evil\")"));
}

/// Candidates wrote their phone, e-mail and id number (the sample
/// company's own, in several notations) into survey comments. With
/// `mask` set, none of them appears in report.json, report.html or
/// report.xlsx, and their masked forms do.
#[test]
fn the_report_masks_phones_emails_and_id_numbers_wherever_they_stand() {
    let golden = repo().join("tests/golden/demo/candidates.csv");
    let nonempty =
        |v: Vec<String>| -> Vec<String> { v.into_iter().filter(|s| !s.is_empty()).collect() };
    let phones: Vec<String> = nonempty(column(&golden, "phone"))
        .into_iter()
        .filter_map(|p| p.strip_prefix("+86").map(str::to_string))
        .collect();
    let emails = nonempty(column(&golden, "email"));
    let ids = nonempty(column(&golden, "id_number"));
    assert!(phones.len() >= 10 && emails.len() >= 3 && ids.len() >= 2);
    let (p0, p1, p2) = (&phones[0], &phones[1], &phones[2]);
    let comments = [
        format!("结果通知太晚了，有问题请打 {p0} 联系我"),
        format!("电话 +86 {} {} {}", &p1[..3], &p1[3..7], &p1[7..]),
        format!(
            "手机{}-{}-{}，邮箱{}",
            &p2[..3],
            &p2[3..7],
            &p2[7..],
            emails[0]
        ),
        format!("Email: {}.", emails[1]),
        format!("身份证号{}，请核对", ids[0]),
        format!("{} / {}", ids[1], emails[2]),
    ];
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Answered in the report month: comments are listed for the trailing
    // window.
    let mut survey = String::from("回答编号,提交时间,问题,分数,备注\n");
    for (i, c) in comments.iter().enumerate() {
        survey.push_str(&format!("SVM-{i},2024-11-26,通知语气,4,\"{c}\"\n"));
    }
    std::fs::write(d.join("pii_survey.csv"), survey).unwrap();
    let source = format!(
        "[[source]]\nkind = \"csv\"\nrole = \"survey\"\nlayout = \"long\"\npath = {:?}\n",
        d.join("pii_survey.csv").display().to_string()
    );
    let pipeline = monthly_pipeline(d, |text| {
        assert!(text.contains("mask = [\"phone\", \"email\", \"id_number\"]"));
        text.replace("\n[recall]\n", &format!("\n{source}\n[recall]\n"))
    });
    let out = d.join("out");
    run(&pipeline, &out);

    let json = std::fs::read_to_string(out.join("report.json")).unwrap();
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let xlsx: String = xlsx_strings(&out.join("report.xlsx"))
        .into_iter()
        .map(|c| c.1 + "\n")
        .collect();
    let spaced = format!("{} {} {}", &p1[..3], &p1[3..7], &p1[7..]);
    let dashed = format!("{}-{}-{}", &p2[..3], &p2[3..7], &p2[7..]);
    for (file, text) in [
        ("report.json", &json),
        ("report.html", &html),
        ("report.xlsx", &xlsx),
    ] {
        for secret in phones
            .iter()
            .chain(&emails)
            .chain(&ids)
            .chain([&spaced, &dashed])
        {
            assert!(!text.contains(secret.as_str()), "{file} shows {secret}");
        }
        for masked in [
            format!("请打 {}****{} 联系我", &p0[..3], &p0[7..]),
            format!("+86 {} **** {}", &p1[..3], &p1[7..]),
            format!("{}***@", &emails[1][..1]),
            format!("身份证号{}********{}，请核对", &ids[0][..6], &ids[0][14..]),
        ] {
            assert!(text.contains(&masked), "{file} lacks {masked}");
        }
    }
}
