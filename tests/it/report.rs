//! The monthly management report end to end on the sample company
//! (`pipelines/monthly.toml`): both files are written, say the same thing as
//! the report model (`report.json`), are self-contained and escaped, come
//! out byte-identical on a second run, and look right when a browser renders
//! the page (headless Chromium) and when LibreOffice opens the workbook.
//! See issue 6, "Survey statistics and the monthly management report".

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use calamine::{Data, Reader, Xlsx, open_workbook};
use serde_json::Value as Json;

use crate::common::{hrflow, output, read_csv, repo};

const AS_OF: &str = "2024-12-01";

fn run_monthly(out: &Path) {
    let mut c = hrflow(&repo());
    c.args(["run", "pipelines/monthly.toml", "--as-of", AS_OF, "--out"])
        .arg(out);
    let (code, stdout, stderr) = output(c);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
}

/// One run shared by the read-only tests, in the test target's scratch folder.
fn monthly() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report-monthly");
        let _ = std::fs::remove_dir_all(&dir);
        run_monthly(&dir);
        dir
    })
}

fn model() -> Json {
    let text = std::fs::read_to_string(monthly().join("report.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn html() -> String {
    std::fs::read_to_string(monthly().join("report.html")).unwrap()
}

/// HTML text escaping as minijinja's auto-escape writes it.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
        .replace('/', "&#x2f;")
}

fn tables(m: &Json) -> Vec<(&Json, &Json)> {
    m["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["tables"].as_array().unwrap().iter().map(move |t| (s, t)))
        .collect()
}

fn table<'a>(m: &'a Json, id: &str) -> &'a Json {
    tables(m)
        .into_iter()
        .map(|(_, t)| t)
        .find(|t| t["id"] == id)
        .unwrap_or_else(|| panic!("no table {id}"))
}

#[test]
fn monthly_pipeline_writes_the_report_with_every_section_and_real_numbers() {
    let out = monthly();
    for f in ["report.xlsx", "report.html", "report.json", "manifest.json"] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    let m = model();
    let sections: Vec<&str> = m["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        sections,
        [
            "funnel",
            "trend",
            "sources",
            "rejections",
            "recall",
            "interviewers",
            "survey",
            "quality"
        ]
    );
    for (_, t) in tables(&m) {
        let id = t["id"].as_str().unwrap();
        assert!(
            !t["rows"].as_array().unwrap().is_empty(),
            "table {id} is empty"
        );
    }
    let figure = |id: &str| -> Json {
        m["figures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == id)
            .unwrap()["value"]
            .clone()
    };
    // The sample company: 156 applications, two of them WeChat sign-ups of
    // 2024-12-09 and 2024-12-18, after November's last day: they count in
    // no span, not even the cumulative one. 10 hires.
    assert_eq!(figure("applications")["number"], 154.0);
    assert_eq!(figure("hires")["number"], 10.0);
    // November: 3 WeChat sign-ups and 2 English-sheet applications.
    assert_eq!(figure("month_applications")["number"], 5.0);
    // 2023-12 to 2024-11: 32 applications, one hire (周浩, onboarded
    // 2024-03-04, 49 days after applying on 2024-01-15).
    assert_eq!(figure("window_applications")["number"], 32.0);
    assert_eq!(figure("window_hires")["number"], 1.0);
    assert_eq!(figure("time_to_hire")["number"], 49.0);
    assert!(figure("nps")["number"].is_number());
    assert!(figure("response_rate")["number"].is_number());
    // Every figure names its span, and the spans their dates.
    let scopes: Vec<(&str, &str)> = m["scopes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["id"].as_str().unwrap(), s["label"].as_str().unwrap()))
        .collect();
    assert_eq!(
        scopes,
        [
            ("month", "本月（2024-11）"),
            ("window", "近12个月（2023-12 至 2024-11）"),
            ("all", "累计（截至 2024-11-30，含没有日期的记录）"),
        ]
    );
    for f in m["figures"].as_array().unwrap() {
        assert!(
            scopes.iter().any(|(id, _)| f["scope"] == *id),
            "figure {} has no span",
            f["id"]
        );
    }
    // Time to hire covers every hire: each of the ten has an onboarding
    // date (the register's and the ledger's notes, the old system's 备注,
    // the English sheet's Start Date). Days from application to
    // onboarding, counted by hand: 35 37 44 46 46 49 53 58 61 62 —
    // median (46 + 49) / 2 = 47.5, P90 61 + 0.1 × (62 − 61) = 61.1.
    let offers = table(&m, "offers");
    let offer_row = |label: &str| -> Vec<String> {
        offers["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r[0]["display"] == label)
            .unwrap_or_else(|| panic!("no row {label}"))
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["display"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        offer_row("有入职日期的录用"),
        ["有入职日期的录用", "0", "1", "10"]
    );
    assert_eq!(
        offer_row("招聘周期中位数（天）"),
        ["招聘周期中位数（天）", "–", "49.0", "47.5"]
    );
    assert_eq!(
        offer_row("招聘周期 P90（天）"),
        ["招聘周期 P90（天）", "–", "49.0", "61.1"]
    );
    // The funnel's columns: month, window, cumulative, by application date.
    let funnel = table(&m, "funnel_total");
    let applied: Vec<&str> = funnel["rows"][0]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["display"].as_str().unwrap())
        .collect();
    assert_eq!(applied, ["投递", "5", "32", "–", "154", "–", "100.0%"]);
    let hired: Vec<&str> = funnel["rows"][4]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["display"].as_str().unwrap())
        .collect();
    assert_eq!(hired, ["录用", "0", "1", "50.0%", "10", "50.0%", "6.5%"]);
    // Survey groups below five are suppressed and say so.
    let groups = table(&m, "survey_groups")["rows"].as_array().unwrap();
    assert!(groups.iter().any(|r| r[2]["display"] == "<5"));
    assert!(groups.iter().any(|r| r[2]["number"].as_f64() >= Some(5.0)));
}

/// The displayed cells of every row of a table.
fn shown(m: &Json, id: &str) -> Vec<Vec<String>> {
    table(m, id)["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r.as_array()
                .unwrap()
                .iter()
                .map(|v| v["display"].as_str().unwrap().to_string())
                .collect()
        })
        .collect()
}

#[test]
fn the_recall_funnel_follows_the_returned_lists_on_sample_data() {
    let m = model();
    // sample-data/recall-returns/ holds two lists of the 2024-07-01 demo
    // run, filled in by HR. Counted by hand, in people:
    // - listed: 张三, 李海明, 唐洋 (销售经理) and 唐洋, 刘晨秀 (the
    //   data-engineering list; 李海明 is on it too, left empty) = 4 people;
    // - contacted after 2024-07-01: 张三 (joined), 李海明 (agreed), 唐洋
    //   (declined; his `回头再说` on the second list is quarantined),
    //   刘晨秀 (未接通 = no answer) = 4;
    // - re-interviewed: 张三 (joined, re-interviewed 2024-07-09) and 李海明
    //   (re-interview agreed for 2024-07-11, before 2024-11-30) = 2;
    // - hired: 张三 = 1.
    let funnel: Vec<(String, String)> = shown(&m, "recall_funnel")
        .into_iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect();
    let want = [
        ("在交回的召回名单上", "4"),
        ("列入名单后联系过", "4"),
        ("再次面试", "2"),
        ("录用", "1"),
    ];
    assert_eq!(funnel, want.map(|(a, b)| (a.to_string(), b.to_string())));
    // Each stage says what it counts.
    for r in shown(&m, "recall_funnel") {
        assert!(r[3].chars().count() > 20, "{r:?}");
    }
    let results: Vec<(String, String)> = shown(&m, "recall_results")
        .into_iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect();
    let want = [
        ("已入职", "1"),
        ("同意复试", "1"),
        ("拒绝", "1"),
        ("未接通", "1"),
    ];
    assert_eq!(results, want.map(|(a, b)| (a.to_string(), b.to_string())));
    let figures: std::collections::BTreeMap<String, String> = shown(&m, "recall_figures")
        .into_iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect();
    // Hires from the pool: three candidates hired after an earlier
    // application closed without a hire (周浩 2022 → 2024, 刘鑫峰
    // 2016 → 2020, 陈晓虹 2018 → 2019), plus 张三 through recall; all
    // hires: ten hired applications plus 张三, whose hire only the returned
    // list records. 4 / 11 = 36.4 %.
    assert_eq!(figures["人才库录用（含召回录用）"], "4");
    assert_eq!(figures["全部录用"], "11");
    assert_eq!(figures["人才库复用率"], "36.4%");
    // One recall hire at the cost per hire (139,000 CNY over five hires
    // from channels with a cost = 27,800).
    assert_eq!(figures["通过召回录用"], "1");
    assert_eq!(figures["单位录用成本（元）"], "27,800");
    assert_eq!(figures["召回录用节省的费用（元）"], "27,800");
}

#[test]
fn survey_sources_are_accounted_for_and_bad_answers_quarantined_with_location() {
    let out = monthly();
    let manifest: Json =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    for s in manifest["sources"].as_array().unwrap() {
        let n = |k: &str| s[k].as_u64().unwrap();
        assert_eq!(
            n("rows_read"),
            n("rows_kept") + n("rows_quarantined") + n("rows_non_data") + n("rows_merged"),
            "{s}"
        );
    }
    let wide = &manifest["sources"][5];
    let long = &manifest["sources"][6];
    // 45 surveys + header; three bad cells quarantined as values.
    assert_eq!(wide["rows_read"], 46);
    assert_eq!(wide["rows_kept"], 45);
    assert_eq!(wide["values_quarantined"], 3);
    // Title + header + answers; three unusable answer rows.
    assert_eq!(long["rows_quarantined"], 3);
    let (h, rows) = read_csv(&out.join("csv/quarantine.csv"));
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let survey: Vec<Vec<&str>> = rows
        .iter()
        .filter(|r| r[col("file")].starts_with("sample-data/surveys/"))
        .map(|r| {
            ["sheet", "row", "column", "value", "reason"]
                .iter()
                .map(|c| r[col(c)].as_str())
                .collect()
        })
        .collect();
    assert!(
        survey.contains(&vec![
            "",
            "4",
            "F (Q1. 总体而言，我的面试体验是积极的)",
            "7",
            "not a score on the 1–5 scale"
        ]),
        "{survey:#?}"
    );
    assert!(
        survey.contains(&vec![
            "通知反馈",
            "79",
            "B (问题)",
            "通知长度",
            "`通知长度` is not a question of the survey question bank"
        ]),
        "{survey:#?}"
    );
    assert_eq!(survey.len(), 6, "{survey:#?}");
}

/// A cell as the workbook holds it: (number, text).
fn cell(d: &Data) -> (Option<f64>, String) {
    match d {
        Data::Float(f) => (Some(*f), String::new()),
        Data::Int(i) => (Some(*i as f64), String::new()),
        Data::String(s) => (None, s.clone()),
        Data::DateTime(dt) => (None, dt.as_datetime().unwrap().date().to_string()),
        Data::Empty => (None, String::new()),
        other => (None, other.to_string()),
    }
}

#[test]
fn xlsx_holds_the_model_figures_and_native_charts() {
    let path = monthly().join("report.xlsx");
    let m = model();
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    let names = wb.sheet_names();
    assert_eq!(names[0], m["summary_title"].as_str().unwrap());
    // Summary: figures from row 6 on, label in A, value in B, the span
    // with its dates in C.
    let summary = wb.worksheet_range(&names[0]).unwrap();
    for (i, f) in m["figures"].as_array().unwrap().iter().enumerate() {
        let row = 5 + i as u32;
        let label = summary.get_value((row, 0)).unwrap();
        assert_eq!(cell(label).1, f["label"].as_str().unwrap());
        let scope = m["scopes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == f["scope"])
            .unwrap();
        assert_eq!(
            cell(summary.get_value((row, 2)).unwrap()).1,
            scope["label"].as_str().unwrap()
        );
        let (num, text) = cell(summary.get_value((row, 1)).unwrap_or(&Data::Empty));
        match f["value"]["number"].as_f64() {
            Some(v) => assert!(
                num.is_some_and(|n| (n - v).abs() <= 1e-12 * v.abs().max(1.0)),
                "figure {}: {num:?} vs {v}",
                f["id"]
            ),
            None => assert_eq!(text, f["value"]["display"].as_str().unwrap()),
        }
    }
    // Every table: find its title in its section's sheet, then compare
    // every cell under the header with the model.
    let mut cells = 0;
    for (s, t) in tables(&m) {
        let range = wb.worksheet_range(s["sheet"].as_str().unwrap()).unwrap();
        let title = t["title"].as_str().unwrap();
        // Row 1 holds the section title, which a table title may repeat.
        let start = (1..range.height() as u32)
            .find(|&r| range.get_value((r, 0)).is_some_and(|v| cell(v).1 == title))
            .unwrap_or_else(|| panic!("table {title} not in sheet {}", s["sheet"]));
        let header = start + 1 + u32::from(!t["note"].is_null());
        for (c, col) in t["columns"].as_array().unwrap().iter().enumerate() {
            let v = range.get_value((header, c as u32)).unwrap();
            assert_eq!(cell(v).1, col["label"].as_str().unwrap());
        }
        for (i, r) in t["rows"].as_array().unwrap().iter().enumerate() {
            for (c, v) in r.as_array().unwrap().iter().enumerate() {
                let got = cell(
                    range
                        .get_value((header + 1 + i as u32, c as u32))
                        .unwrap_or(&Data::Empty),
                );
                let shown = v["display"].as_str().unwrap();
                match (v["number"].as_f64(), v["date"].as_str()) {
                    // JSON parsing may be one unit in the last place off.
                    (Some(n), _) => assert!(
                        got.0
                            .is_some_and(|g| (g - n).abs() <= 1e-12 * n.abs().max(1.0)),
                        "{title} row {i} col {c}: {got:?} vs {n}"
                    ),
                    (None, Some(d)) => assert_eq!(got.1, d),
                    // Formula-looking text is neutralized with a quote.
                    (None, None) => assert_eq!(
                        got.1,
                        hrflow::output::safe_text(shown),
                        "{title} row {i} col {c}"
                    ),
                }
                cells += 1;
            }
        }
    }
    assert!(cells > 1000, "only {cells} cells compared");
    // The sample comment `=HYPERLINK(…` is text in the workbook, not a formula.
    let survey = m["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "survey")
        .unwrap();
    let range = wb
        .worksheet_range(survey["sheet"].as_str().unwrap())
        .unwrap();
    assert!(
        range
            .used_cells()
            .any(|(_, _, v)| cell(v).1.starts_with("'=HYPERLINK(")),
        "the formula-looking comment is not neutralized"
    );
    assert!(
        wb.worksheet_formula(survey["sheet"].as_str().unwrap())
            .unwrap()
            .used_cells()
            .count()
            == 0
    );
    // One native chart per charted table, in the package.
    let charts = tables(&m)
        .iter()
        .filter(|(_, t)| !t["chart"].is_null())
        .count();
    let bytes = std::fs::read(&path).unwrap();
    let found = (1..=charts + 1)
        .filter(|i| {
            let name = format!("xl/charts/chart{i}.xml");
            bytes.windows(name.len()).any(|w| w == name.as_bytes())
        })
        .count();
    assert_eq!(found, charts);
    assert!(charts >= 8, "{charts} charts");
}

#[test]
fn html_shows_the_same_figures_and_tables_as_the_model() {
    let page = html();
    let m = model();
    // The summary's cards come under their span's heading, in order.
    let mut at = 0;
    for s in m["scopes"].as_array().unwrap() {
        let heading = format!(
            "<h3 class=\"scope\" id=\"scope-{}\">{}</h3>",
            s["id"].as_str().unwrap(),
            esc(s["label"].as_str().unwrap())
        );
        let pos = page[at..]
            .find(&heading)
            .unwrap_or_else(|| panic!("missing {heading}"));
        at += pos;
        for f in m["figures"].as_array().unwrap() {
            if f["scope"] != s["id"] {
                continue;
            }
            let card = format!("data-figure=\"{}\"", f["id"].as_str().unwrap());
            let next = page[at + heading.len()..]
                .find("<h3 class=\"scope\"")
                .map_or(page.len(), |p| at + heading.len() + p);
            assert!(
                page[at..next].contains(&card),
                "{} not under {}",
                f["id"],
                s["id"]
            );
        }
    }
    for f in m["figures"].as_array().unwrap() {
        let card = format!(
            "<div class=\"card\" data-figure=\"{}\"><div class=\"label\">{}</div><div class=\"value\">{}</div></div>",
            f["id"].as_str().unwrap(),
            esc(f["label"].as_str().unwrap()),
            esc(f["value"]["display"].as_str().unwrap())
        );
        assert!(page.contains(&card), "missing {card}");
    }
    for (_, t) in tables(&m) {
        let id = t["id"].as_str().unwrap();
        let rows = t["rows"].as_array().unwrap();
        if rows.is_empty() {
            continue;
        }
        let start = page
            .find(&format!("<table data-table=\"{id}\">"))
            .unwrap_or_else(|| panic!("no table {id}"));
        let body = &page[start..start + page[start..].find("</table>").unwrap()];
        for r in rows {
            let tr: String = r
                .as_array()
                .unwrap()
                .iter()
                .map(|v| {
                    let class = if v["number"].is_null() {
                        ""
                    } else {
                        " class=\"num\""
                    };
                    format!("<td{class}>{}</td>", esc(v["display"].as_str().unwrap()))
                })
                .collect();
            assert!(body.contains(&format!("<tr>{tr}</tr>")), "{id}: {tr}");
        }
        if !t["chart"].is_null() {
            assert!(
                page.contains(t["chart"]["svg"].as_str().unwrap()),
                "{id} chart"
            );
        }
    }
}

#[test]
fn html_is_self_contained_and_escapes_candidate_text() {
    let page = html();
    for banned in [
        "src=",
        "<link",
        "<script",
        "@import",
        "url(",
        "href=\"http",
        "href='http",
    ] {
        assert!(!page.contains(banned), "the page contains `{banned}`");
    }
    assert!(page.contains("<meta name=\"viewport\""));
    assert!(page.contains("@media print"));
    // The sample survey comment `<script>alert('面试')</script>整体还行`.
    assert!(page.contains("&lt;script&gt;alert(&#x27;面试&#x27;)&lt;&#x2f;script&gt;整体还行"));
}

#[test]
fn a_second_run_writes_byte_identical_reports() {
    let again = tempfile::tempdir().unwrap();
    run_monthly(again.path());
    for f in ["report.xlsx", "report.html", "report.json"] {
        let a = std::fs::read(monthly().join(f)).unwrap();
        let b = std::fs::read(again.path().join(f)).unwrap();
        assert!(a == b, "{f} differs between two runs");
    }
}

#[test]
fn english_pipelines_get_an_english_report() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo().join("pipelines/monthly.toml"))
        .unwrap()
        .replace(
            "root = \"..\"",
            &format!("root = {:?}", repo().display().to_string()),
        )
        .replace(
            "language = \"zh\"\nmin_group_size",
            "language = \"en\"\nmin_group_size",
        );
    let pipeline = dir.path().join("monthly-en.toml");
    std::fs::write(&pipeline, text).unwrap();
    let out = dir.path().join("out");
    let mut c = hrflow(&repo());
    c.arg("run")
        .arg(&pipeline)
        .args(["--as-of", AS_OF, "--out"])
        .arg(&out);
    let (code, stdout, stderr) = output(c);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let page = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(page.contains("<html lang=\"en\">"));
    assert!(page.contains("Monthly recruiting report"));
    assert!(page.contains("Candidate survey"));
    let mut wb: Xlsx<_> = open_workbook(out.join("report.xlsx")).unwrap();
    assert_eq!(wb.sheet_names()[0], "Summary");
    assert!(wb.worksheet_range("Data quality").is_ok());
}

/// Runs a command to completion, failing the test if it exits non-zero or
/// is still running after `seconds` (a hung browser must not hang CI).
fn run_with_timeout(mut cmd: Command, seconds: u64) {
    use std::process::Stdio;
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the program starts");
    let started = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "{cmd:?} exited with {status}");
            return;
        }
        if started.elapsed().as_secs() >= seconds {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{cmd:?} did not finish within {seconds} s");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|n| {
        std::env::split_paths(&path)
            .map(|d| d.join(n))
            .find(|p| p.is_file())
    })
}

/// Whether a missing external program fails the test (set in CI after
/// installing it) or skips it with a message.
fn required(var: &str, what: &str) -> bool {
    if std::env::var_os(var).is_some_and(|v| !v.is_empty()) {
        panic!("{what} is not installed but {var} is set");
    }
    eprintln!("Skipping: {what} is not installed (set {var}=1 to make this a failure).");
    false
}

#[test]
fn chromium_renders_the_page_with_sections_and_figures() {
    let Some(chromium) = find_program(&["chromium", "chromium-browser", "google-chrome"]) else {
        required("HRFLOW_REQUIRE_CHROMIUM", "Chromium");
        return;
    };
    let Some(pdftotext) = find_program(&["pdftotext"]) else {
        required("HRFLOW_REQUIRE_CHROMIUM", "pdftotext (poppler-utils)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = monthly().join("report.html");
    let url = format!("file://{}", page.display());
    let pdf = dir.path().join("report.pdf");
    let png = dir.path().join("report.png");
    let chrome = |extra: &[String]| {
        let mut cmd = Command::new(&chromium);
        cmd.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.path().join("profile").display()
        ))
        .args(extra)
        .arg(&url);
        run_with_timeout(cmd, 90);
    };
    chrome(&[
        format!("--print-to-pdf={}", pdf.display()),
        "--no-pdf-header-footer".into(),
    ]);
    chrome(&[
        format!("--screenshot={}", png.display()),
        "--window-size=390,2000".into(),
    ]);
    let text = Command::new(pdftotext)
        .args(["-layout"])
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(text.status.success());
    let text = String::from_utf8_lossy(&text.stdout);
    let m = model();
    for s in m["sections"].as_array().unwrap() {
        let title = s["title"].as_str().unwrap();
        assert!(
            text.contains(title),
            "section {title} not in the printed page"
        );
    }
    for f in m["figures"].as_array().unwrap() {
        let shown = f["value"]["display"].as_str().unwrap();
        assert!(
            text.contains(shown),
            "figure {} = {shown} not printed",
            f["id"]
        );
    }
    assert!(
        text.contains("<script>alert('面试')</script>整体还行"),
        "comment shown as text"
    );
    // The widest table, the funnel per position, fits the printed page:
    // between its title and the next table's, every row's last cell (the
    // cumulative hire rate, the rightmost column) is printed.
    let funnel = m["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "funnel")
        .unwrap();
    let titles: Vec<&str> = funnel["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap())
        .collect();
    let at = titles
        .iter()
        .position(|t| *t == table(&m, "funnel_positions")["title"])
        .unwrap();
    let from = text.find(titles[at]).expect("per-position table printed");
    let to = from
        + text[from..]
            .find(titles[at + 1])
            .expect("next table printed");
    let printed: Vec<&str> = text[from..to].split_whitespace().collect();
    let mut wanted: BTreeMap<&str, usize> = BTreeMap::new();
    for r in table(&m, "funnel_positions")["rows"].as_array().unwrap() {
        let last = r.as_array().unwrap().last().unwrap()["display"]
            .as_str()
            .unwrap();
        *wanted.entry(last).or_default() += 1;
    }
    assert!(wanted.values().sum::<usize>() >= 10);
    for (value, n) in wanted {
        let seen = printed.iter().filter(|w| **w == value).count();
        assert!(
            seen >= n,
            "per-position table cut at the page edge: {value} printed {seen} times, in {n} rows"
        );
    }
    // Printing starts every section on a new page: at least one page for
    // the summary and one per section.
    if let Some(pdfinfo) = find_program(&["pdfinfo"]) {
        let info = Command::new(pdfinfo).arg(&pdf).output().unwrap();
        let info = String::from_utf8_lossy(&info.stdout);
        let pages: usize = info
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(0);
        let sections = m["sections"].as_array().unwrap().len();
        assert!(
            pages > sections,
            "{pages} printed pages for {sections} sections"
        );
    }
    // A phone-width screenshot that is not blank: PNG header and far more
    // bytes than an empty white page compresses to.
    let shot = std::fs::read(&png).unwrap();
    assert!(shot.starts_with(b"\x89PNG"));
    assert!(
        shot.len() > 40_000,
        "screenshot of {} bytes looks blank",
        shot.len()
    );
}

#[test]
fn libreoffice_opens_and_converts_the_workbook() {
    let Some(soffice) = find_program(&["soffice", "libreoffice"]) else {
        eprintln!(
            "Skipping: LibreOffice is not installed; the workbook conversion check needs it."
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(soffice);
    cmd.arg(format!(
        "-env:UserInstallation=file://{}/lo",
        dir.path().display()
    ))
    .args(["--headless", "--convert-to", "pdf", "--outdir"])
    .arg(dir.path())
    .arg(monthly().join("report.xlsx"));
    run_with_timeout(cmd, 120);
    let pdf = std::fs::read(dir.path().join("report.pdf")).expect("LibreOffice wrote a PDF");
    assert!(pdf.starts_with(b"%PDF"), "not a PDF");
    assert!(
        pdf.len() > 10_000,
        "a {}-byte PDF is too small for the workbook",
        pdf.len()
    );
}
