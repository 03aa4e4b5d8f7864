//! Contact history end to end on the sample company: the contact log
//! (`sample-data/联系记录.xlsx`) and recall workbooks returned by HR with
//! their outcome columns filled in.

use std::path::{Path, PathBuf};

use calamine::{Data, Reader, open_workbook_auto};

use crate::common::{hrflow, output, read_csv, repo, run_demo};

/// (position_id, name) of every row of a recall list.
fn listed(out: &Path) -> Vec<(String, String)> {
    let (h, rows) = read_csv(&out.join("recall.csv"));
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    rows.iter()
        .map(|r| (r[col("position_id")].clone(), r[col("name")].clone()))
        .collect()
}

fn names_on(list: &[(String, String)], position: &str) -> Vec<String> {
    list.iter()
        .filter(|(p, _)| p == position)
        .map(|(_, n)| n.clone())
        .collect()
}

/// The manifest's accounting entry of the source whose files include `file`.
fn source_counts(out: &Path, source: &str) -> serde_json::Value {
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let s = m["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["source"] == source)
        .unwrap_or_else(|| panic!("no {source} in the manifest"))
        .clone();
    let n = |k: &str| s[k].as_u64().unwrap();
    assert_eq!(
        n("rows_read"),
        n("rows_kept") + n("rows_quarantined") + n("rows_non_data") + n("rows_merged"),
        "accounting of {source}: {s}"
    );
    s
}

#[test]
fn contact_log_contacts_within_the_cooldown_and_opt_outs_leave_the_recall_lists() {
    let out = tempfile::tempdir().unwrap();
    run_demo("2024-07-01", out.path());
    let list = listed(out.path());
    // Chen Chen was messaged on 2024-06-21 (log row 11, under his Hanzi name
    // 陈晨, found by his phone), 冯云 called without answer on 2024-06-27
    // (row 13): both inside the 30-day cooldown. 陈艳佳 said 要求不再联系
    // in the notes of row 12. None of them is on any list.
    for name in ["Chen Chen", "冯云", "陈艳佳"] {
        assert!(
            !list.iter().any(|(_, n)| n == name),
            "{name} must not be recalled: {list:?}"
        );
    }
    assert_eq!(names_on(&list, "XH-SA-001")[0], "张三");
    // The last contact outside the cooldown is among the facts: 李海明 was
    // called without answer on 2024-03-02 (log row 5).
    let (h, rows) = read_csv(&out.path().join("recall.csv"));
    let rc = |n: &str| h.iter().position(|x| x == n).unwrap();
    let li = rows.iter().find(|r| r[rc("name")] == "李海明").unwrap();
    assert_eq!(li[rc("last_contact_at")], "2024-03-02");

    // Each linked row is a `contact` event with its file, sheet and row.
    let (h, events) = read_csv(&out.path().join("csv/events.csv"));
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let chen = events
        .iter()
        .find(|e| e[col("kind")] == "contact" && e[col("row")] == "11")
        .expect("the contact with 陈晨 is an event");
    assert_eq!(chen[col("candidate_id")], "Cc69902bd6e45");
    assert_eq!(chen[col("file")], "sample-data/联系记录.xlsx");
    assert_eq!(chen[col("sheet")], "2024联系记录");
    assert_eq!(chen[col("at")], "2024-06-21 14:30:00");
    assert_eq!(chen[col("said_by")], "小李");
    assert!(chen[col("detail")].contains(r#""result":"considering""#));
    assert!(chen[col("detail")].contains(r#""channel":"wechat""#));

    let (h, cands) = read_csv(&out.path().join("csv/candidates.csv"));
    let c = |n: &str| h.iter().position(|x| x == n).unwrap();
    let person = |name: &str| cands.iter().find(|r| r[c("name")] == name).unwrap();
    assert_eq!(person("陈艳佳")[c("do_not_contact")], "true");
    let mut show = hrflow(&repo());
    show.args(["show", "陈艳佳", "--out"]).arg(out.path());
    let (code, stdout, stderr) = output(show);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("Contact: last contacted 2024-06-25 · asked not to be contacted again"),
        "{stdout}"
    );
    assert!(
        stdout.contains("↳ sample-data/联系记录.xlsx › 2024联系记录 › row 12"),
        "{stdout}"
    );
    assert_eq!(person("Chen Chen")[c("last_contact_at")], "2024-06-21");

    // Ambiguous and unknown people are quarantined with the reason, never
    // guessed; so is a row without a readable time.
    let (h, q) = read_csv(&out.path().join("csv/quarantine.csv"));
    let qc = |n: &str| h.iter().position(|x| x == n).unwrap();
    let reason_at = |row: &str| {
        q.iter()
            .find(|r| {
                r[qc("file")] == "sample-data/联系记录.xlsx"
                    && r[qc("row")] == row
                    && r[qc("level")] == "row"
            })
            .map(|r| r[qc("reason")].clone())
            .unwrap_or_else(|| panic!("row {row} of the contact log is not quarantined"))
    };
    let zhang_wei = reason_at("7");
    assert!(
        zhang_wei.starts_with("ambiguous contact: could be 张伟 ("),
        "{zhang_wei}"
    );
    assert_eq!(zhang_wei.matches("张伟 (C").count(), 3, "{zhang_wei}");
    assert!(reason_at("8").starts_with("unknown candidate:"));
    assert!(reason_at("9").contains("`下周三`"));
    assert!(
        q.iter().any(|r| r[qc("row")] == "6"
            && r[qc("column")] == "G (联系结果)"
            && r[qc("level")] == "value"),
        "an unreadable result is a quarantined value"
    );

    // Every row of the log is accounted for.
    let s = source_counts(out.path(), "source[6]");
    assert_eq!(s["rows_kept"], 7);
    assert_eq!(s["rows_quarantined"], 3);

    // Once the cooldown is over they are back; the opt-out stays.
    let later = tempfile::tempdir().unwrap();
    run_demo("2024-08-15", later.path());
    let list = listed(later.path());
    assert!(list.iter().any(|(_, n)| n == "Chen Chen"), "cooldown over");
    assert!(list.iter().any(|(_, n)| n == "冯云"), "cooldown over");
    assert!(
        !list.iter().any(|(_, n)| n == "陈艳佳"),
        "opted out for good"
    );
}

/// Copies a produced recall workbook, filling the outcome cells of the rows
/// given as (candidate_id, [(column, value)]).
fn fill_outcomes(produced: &Path, returned: &Path, fills: &[(&str, &[(&str, &str)])]) {
    let mut wb = open_workbook_auto(produced).unwrap();
    let range = wb.worksheet_range("recall").unwrap();
    let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
    let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    let mut out = rust_xlsxwriter::Workbook::new();
    let ws = out.add_worksheet();
    ws.set_name("recall").unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell {
                Data::Empty => {}
                Data::Float(f) => {
                    ws.write_number(r, c, *f).unwrap();
                }
                Data::Int(i) => {
                    ws.write_number(r, c, *i as f64).unwrap();
                }
                Data::DateTime(d) => {
                    let f = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
                    ws.write_number_with_format(r, c, d.as_f64(), &f).unwrap();
                }
                other => {
                    ws.write_string(r, c, other.to_string()).unwrap();
                }
            }
        }
        let id = row[col("candidate_id")].to_string();
        if let Some((_, cells)) = fills.iter().find(|(c, _)| *c == id) {
            for (name, value) in cells.iter() {
                ws.write_string(r as u32, col(name) as u16, *value).unwrap();
            }
        }
    }
    out.save(returned).unwrap();
}

/// A copy of the demo pipeline that also reads returned recall workbooks
/// from `returns`.
fn pipeline_with_returns(dir: &Path, returns: &Path) -> PathBuf {
    let demo = std::fs::read_to_string(repo().join("pipelines/demo.toml")).unwrap();
    let glob = format!("{}/*.xlsx", returns.display());
    assert!(demo.contains(r#"path = "sample-data/recall-returns/*.xlsx""#));
    let text = demo
        .replace(
            r#"root = "..""#,
            &format!(
                "root = {:?}\nallow_outside_root = true",
                repo().display().to_string()
            ),
        )
        .replace(
            r#"path = "sample-data/recall-returns/*.xlsx""#,
            &format!("path = {glob:?}"),
        );
    let path = dir.join("with-returns.toml");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn filled_recall_outcomes_become_events_and_leave_the_next_list() {
    let first = tempfile::tempdir().unwrap();
    run_demo("2024-07-01", first.path());
    let before = listed(first.path());
    let sales = names_on(&before, "XH-SA-001");
    assert_eq!(sales[0], "张三");
    let (h, rows) = read_csv(&first.path().join("recall.csv"));
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let id_of = |name: &str| {
        rows.iter()
            .find(|r| r[col("name")] == name && r[col("position_id")] == "XH-SA-001")
            .map(|r| r[col("candidate_id")].clone())
            .unwrap()
    };
    let zhang = id_of("张三");
    let second_name = sales[1].clone();
    let second = id_of(&second_name);

    // HR called 张三: he agreed to a re-interview. The second row holds an
    // outcome nobody can read; the others were left empty.
    let work = tempfile::tempdir().unwrap();
    let returns = work.path().join("returns");
    std::fs::create_dir(&returns).unwrap();
    let returned = returns.join("recall-XH-SA-001.xlsx");
    fill_outcomes(
        &first.path().join("recall-XH-SA-001.xlsx"),
        &returned,
        &[
            (
                zhang.as_str(),
                &[
                    ("outcome", "agreed_to_reinterview"),
                    ("outcome_at", "2024-07-01 16:20"),
                    ("outcome_by", "小王"),
                    ("reinterview_at", "2024-07-05 14:00"),
                    ("reinterview_by", "王总"),
                    ("outcome_notes", "下周五下午来公司复试"),
                ],
            ),
            (second.as_str(), &[("outcome", "回头再说")]),
        ],
    );
    let pipeline = pipeline_with_returns(work.path(), &returns);
    let next = tempfile::tempdir().unwrap();
    let mut c = hrflow(&repo());
    c.arg("run")
        .arg(&pipeline)
        .args(["--as-of", "2024-07-01", "--out"])
        .arg(next.path());
    let (code, stdout, stderr) = output(c);
    assert_eq!(code, 0, "{stdout}\n{stderr}");

    // The outcome is an event with its time, caller and interviewer, traced
    // to the workbook's row and cells.
    let returned_display = returned.display().to_string();
    let (h, events) = read_csv(&next.path().join("csv/events.csv"));
    let ec = |n: &str| h.iter().position(|x| x == n).unwrap();
    let outcomes: Vec<&Vec<String>> = events
        .iter()
        .filter(|e| e[ec("kind")] == "recall_outcome")
        .collect();
    assert_eq!(outcomes.len(), 1, "one filled, readable outcome");
    let e = outcomes[0];
    assert_eq!(e[ec("candidate_id")], zhang);
    assert_eq!(e[ec("at")], "2024-07-01 16:20:00");
    assert_eq!(e[ec("said_by")], "小王");
    assert_eq!(e[ec("file")], returned_display);
    assert_eq!(e[ec("sheet")], "recall");
    assert_eq!(e[ec("row")], "2");
    let detail: serde_json::Value = serde_json::from_str(&e[ec("detail")]).unwrap();
    assert_eq!(detail["result"], "agreed_to_interview");
    assert_eq!(detail["result_raw"], "agreed_to_reinterview");
    assert_eq!(detail["reinterview_at"], "2024-07-05 14:00");
    assert_eq!(detail["reinterview_by"], "王总");
    assert_eq!(detail["position_id"], "XH-SA-001");
    assert_eq!(detail["notes"], "下周五下午来公司复试");
    let (h, lineage) = read_csv(&next.path().join("csv/lineage.csv"));
    let lc = |n: &str| h.iter().position(|x| x == n).unwrap();
    assert!(
        lineage
            .iter()
            .any(|l| l[lc("entity_id")] == e[ec("event_id")]
                && l[lc("field")] == "contact_result"
                && l[lc("value")] == "agreed_to_interview"
                && l[lc("column")].ends_with("(outcome)")),
        "the outcome cell is in the lineage"
    );

    // 张三 is off the new lists; the rest of the sales list is unchanged.
    let after = listed(next.path());
    assert!(!after.iter().any(|(_, n)| n == "张三"), "{after:?}");
    let expected: Vec<String> = sales.iter().skip(1).cloned().collect();
    assert_eq!(names_on(&after, "XH-SA-001"), expected);

    // The unreadable outcome is quarantined with its cell and value; the
    // person stays on the list.
    let (h, q) = read_csv(&next.path().join("csv/quarantine.csv"));
    let qc = |n: &str| h.iter().position(|x| x == n).unwrap();
    let bad = q
        .iter()
        .find(|r| r[qc("file")] == returned_display)
        .expect("the unknown outcome is quarantined");
    assert_eq!(bad[qc("row")], "3");
    assert_eq!(bad[qc("value")], "回头再说");
    assert!(bad[qc("column")].ends_with("(outcome)"), "{bad:?}");
    assert!(bad[qc("reason")].starts_with("unknown recall outcome"));
    assert!(names_on(&after, "XH-SA-001").contains(&second_name));

    // Every row of the returned workbook is accounted for: the header and
    // the rows left empty are not data.
    let s = source_counts(next.path(), "source[7]");
    assert_eq!(s["rows_kept"], 1);
    assert_eq!(s["rows_quarantined"], 1);
    assert_eq!(
        s["non_data"]["no outcome filled in"].as_u64().unwrap() as usize,
        sales.len() - 2
    );
}

#[test]
fn inspect_recognises_contact_logs_and_returned_recall_workbooks() {
    let mut c = hrflow(&repo());
    c.args(["inspect", "sample-data/联系记录.xlsx"]);
    let (code, stdout, stderr) = output(c);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains(r#"read as a contact log (role = "contacts")"#),
        "{stdout}"
    );
    assert!(stdout.contains("联系日期 → contact_at"), "{stdout}");
    assert!(stdout.contains("跟进人 → contacted_by"), "{stdout}");

    let out = tempfile::tempdir().unwrap();
    run_demo("2024-07-01", out.path());
    let mut c = hrflow(&repo());
    c.arg("inspect")
        .arg(out.path().join("recall-XH-SA-001.xlsx"));
    let (code, stdout, stderr) = output(c);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains(r#"read as a returned recall workbook (role = "recall_outcomes")"#),
        "{stdout}"
    );
    assert!(stdout.contains("outcome → contact_result"), "{stdout}");
    // The facts about the earlier interview are not taken for the outcome.
    assert!(stdout.contains("interviewer → extra"), "{stdout}");
}

#[test]
fn an_english_csv_contact_log_links_by_phone_and_email_and_reads_opt_out_results() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("calls.csv");
    std::fs::write(
        &log,
        "Name,Phone,Email,Contact time,Channel,Contacted by,Result,Notes\n\
         Li Haiming,+86 157 0634 2670,,2024-06-20 09:15,Phone,Amy,Opt out,asked us to stop calling\n\
         ,,zhangsan@qq.com,2024-06-30,WeChat,Amy,Reached,\n\
         Nobody,,,2024-06-30,Phone,Amy,Reached,\n",
    )
    .unwrap();
    let demo = std::fs::read_to_string(repo().join("pipelines/demo.toml")).unwrap();
    let demo = demo.replace(
        r#"root = "..""#,
        &format!(
            "root = {:?}\nallow_outside_root = true",
            repo().display().to_string()
        ),
    );
    // Sources go before the first settings section (`[recall]`); after it
    // a `[[source]]` would belong to that section.
    let (head, tail) = demo.split_at(demo.find("\n[recall]").unwrap());
    let text = format!(
        "{head}\n[[source]]\nkind = \"csv\"\npath = {:?}\nrole = \"contacts\"\n{tail}",
        log.display().to_string()
    );
    let pipeline = dir.path().join("p.toml");
    std::fs::write(&pipeline, text).unwrap();
    let out = dir.path().join("out");
    let mut c = hrflow(&repo());
    c.arg("run")
        .arg(&pipeline)
        .args(["--as-of", "2024-07-01", "--out"])
        .arg(&out);
    let (code, stdout, stderr) = output(c);
    assert_eq!(code, 0, "{stdout}\n{stderr}");

    let (h, events) = read_csv(&out.join("csv/events.csv"));
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let from_log: Vec<&Vec<String>> = events
        .iter()
        .filter(|e| e[col("kind")] == "contact" && e[col("file")].ends_with("calls.csv"))
        .collect();
    assert_eq!(from_log.len(), 2, "{from_log:?}");
    assert_eq!(from_log.iter().filter(|e| e[col("row")] == "2").count(), 1);
    let (h, cands) = read_csv(&out.join("csv/candidates.csv"));
    let c = |n: &str| h.iter().position(|x| x == n).unwrap();
    let li = cands.iter().find(|r| r[c("name")] == "李海明").unwrap();
    assert_eq!(li[c("do_not_contact")], "true", "an opt-out result");
    let zhang = cands.iter().find(|r| r[c("name")] == "张三").unwrap();
    // Found by email: the log's row 3 is a contact on 张三. (His latest
    // contact is the sample's returned recall outcome of 2024-08-05.)
    let by_email = from_log.iter().find(|e| e[col("row")] == "3").unwrap();
    assert_eq!(by_email[col("candidate_id")], zhang[c("candidate_id")]);
    assert_eq!(by_email[col("at")], "2024-06-30 00:00:00");
    // 张三 was reached yesterday: off the list for the cooldown.
    let list = listed(&out);
    assert!(
        !list.iter().any(|(_, n)| n == "张三" || n == "李海明"),
        "{list:?}"
    );
    let s = source_counts(&out, "source[8]");
    assert_eq!(s["rows_kept"], 2);
    assert_eq!(s["rows_quarantined"], 1);
}
