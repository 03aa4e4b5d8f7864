//! Chat exports as a pipeline source: every fixture is detected, parsed into
//! the messages table with its file and line, and accounted for.

use crate::common::{column, hrflow, output, repo};

/// (file, detected format, messages)
const FIXTURES: &[(&str, &str, usize)] = &[
    ("qq_txt_minimal.txt", "qq_txt", 2),
    ("signal_bracket_iso_date.txt", "signal_txt", 2),
    ("whatsapp_android_ddmmyy_24h.txt", "whatsapp_txt", 9),
    (
        "whatsapp_android_mmddyyyy_12h_es_ampm.txt",
        "whatsapp_txt",
        9,
    ),
    ("whatsapp_android_yyyymmdd_24h.txt", "whatsapp_txt", 9),
    ("whatsapp_ios_brackets_mmddyy_24h.txt", "whatsapp_txt", 9),
    (
        "whatsapp_android_short_chat_system_msgs.txt",
        "whatsapp_txt",
        5,
    ),
    ("telegram_single_chat_export.json", "telegram_json", 2),
    ("telegram_full_export_chats_list.json", "telegram_json", 2),
    ("hrflow_wechat_txt.txt", "wechat_txt", 10),
    ("hrflow_wechat_csv.csv", "wechat_csv", 9),
    ("hrflow_wechatexporter.txt", "wechat_exporter_txt", 9),
    ("hrflow_weflow.json", "weflow_json", 10),
    ("hrflow_wecom.jsonl", "wecom_jsonl", 8),
    ("hrflow_dingtalk_paste.txt", "generic", 7),
];

#[test]
fn every_chat_fixture_runs_through_a_pipeline() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut pipeline =
        String::from("name = \"chats\"\n[output]\ndir = \"out\"\nformats = [\"csv\"]\n");
    for (file, _, _) in FIXTURES {
        std::fs::copy(
            repo().join("tests/fixtures/chatlogs").join(file),
            d.join(file),
        )
        .unwrap();
        pipeline.push_str(&format!("[[source]]\nkind = \"chat\"\npath = \"{file}\"\n"));
    }
    std::fs::write(d.join("p.toml"), pipeline).unwrap();
    let mut c = hrflow(d);
    c.args(["run", "p.toml"]);
    let (code, stdout, stderr) = output(c);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let files = column(&d.join("out/csv/messages.csv"), "file");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("out/manifest.json")).unwrap()).unwrap();
    for (i, (file, format, count)) in FIXTURES.iter().enumerate() {
        assert_eq!(files.iter().filter(|f| f == file).count(), *count, "{file}");
        let input = &manifest["inputs"][i];
        assert_eq!(input["chat_format"], *format, "{file}");
        let s = &manifest["sources"][i];
        assert_eq!(s["rows_kept"], *count as u64, "{file}");
        assert_eq!(
            s["rows_read"],
            s["rows_kept"].as_u64().unwrap() + s["rows_quarantined"].as_u64().unwrap(),
            "{file}"
        );
    }
}

#[test]
fn chat_format_can_be_forced_and_bad_formats_are_plan_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy(
        repo().join("tests/fixtures/chatlogs/hrflow_dingtalk_paste.txt"),
        d.join("paste.txt"),
    )
    .unwrap();
    std::fs::write(d.join("p.toml"), "name = \"c\"\n[[source]]\nkind = \"chat\"\npath = \"paste.txt\"\nformat = \"dingtalk\"\nsheets = [\"x\"]\n").unwrap();
    let mut c = hrflow(d);
    c.args(["validate", "p.toml"]);
    let (code, _, stderr) = output(c);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("p.toml:6: source[1] (chat): `sheets` applies only to excel sources"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "p.toml:5: source[1] (chat): unknown chat format `dingtalk`; expected one of qq_txt, "
        ),
        "{stderr}"
    );
}

#[test]
fn inspect_shows_a_chat_export_as_parsed() {
    let mut c = hrflow(&repo());
    c.args([
        "inspect",
        "tests/fixtures/chatlogs/whatsapp_android_short_chat_system_msgs.txt",
        "--rows",
        "3",
    ]);
    let (code, stdout, stderr) = output(c);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Format: whatsapp_txt"), "{stdout}");
    assert!(
        stdout.contains("Messages: 5 (0 unreadable lines)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Note: day/month order: month-first"),
        "{stdout}"
    );
    assert!(
        stdout.contains("line    3  2017-06-03 00:45:00  Sample User: This is a test message"),
        "{stdout}"
    );
}

/// The demo's HR group chats: the boss's verdict on 张三 becomes decision,
/// reason and evaluation events on his one resolved candidate, with the chat
/// file and line; chat-only people with a phone become leads; an opt-out
/// marks the candidate; ambiguous short forms are quarantined, not guessed.
#[test]
fn demo_chats_become_events_on_the_right_candidates() {
    let out = tempfile::tempdir().unwrap();
    let mut c = hrflow(&repo());
    c.args(["run", "pipelines/demo.toml", "--out"])
        .arg(out.path());
    let (code, stdout, stderr) = output(c);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let cands = out.path().join("csv/candidates.csv");
    let (header, rows) = crate::common::read_csv(&cands);
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    let zhang = rows
        .iter()
        .find(|r| r[col("phones")].split("; ").any(|p| p == "+8613800138000"))
        .unwrap();
    let zhang_id = &zhang[col("candidate_id")];

    let ev = out.path().join("csv/events.csv");
    let (eh, events) = crate::common::read_csv(&ev);
    let e = |n: &str| eh.iter().position(|h| h == n).unwrap();
    let verdict: Vec<&Vec<String>> = events
        .iter()
        .filter(|r| {
            r[e("candidate_id")] == *zhang_id
                && r[e("file")] == "sample-data/chats/qq_招聘群.txt"
                && r[e("row")] == "63"
        })
        .collect();
    let kinds: Vec<&str> = verdict.iter().map(|r| r[e("kind")].as_str()).collect();
    for k in ["chat_decision", "chat_rejection_reason", "chat_evaluation"] {
        assert!(kinds.contains(&k), "{k} missing: {kinds:?}");
    }
    let reason = verdict
        .iter()
        .find(|r| r[e("kind")] == "chat_rejection_reason")
        .unwrap();
    assert!(
        reason[e("detail")].contains("\"reason\":\"headcount_filled\""),
        "{}",
        reason[e("detail")]
    );
    assert_eq!(reason[e("said_by")], "王总");
    assert_eq!(
        reason[e("text")],
        "张三逻辑清晰，沟通能力强，但岗位已满，先放人才库"
    );

    let leads: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| r[col("latest_status")] == "lead")
        .collect();
    assert!(
        leads
            .iter()
            .any(|r| r[col("name")] == "徐子航" && r[col("phone")] == "+8613957012468"),
        "{leads:?}"
    );
    let luo = rows.iter().find(|r| r[col("name")] == "罗辉").unwrap();
    assert_eq!(luo[col("do_not_contact")], "true");

    let q = out.path().join("csv/quarantine.csv");
    let reasons = column(&q, "reason");
    assert!(
        reasons
            .iter()
            .any(|r| r.starts_with("ambiguous mention: `小张` could be 张三")),
        "{reasons:?}"
    );
}

/// A pipeline extends the chat phrase tables: a company's own shorthand
/// (`拉黑`, "blacklist") becomes an opt-out; an unknown table is a plan error.
#[test]
fn pipelines_extend_the_chat_phrase_tables() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("people.csv"), "姓名,手机号\n郑明,13812345678\n").unwrap();
    std::fs::write(
        d.join("chat.txt"),
        "2024-03-01 10:00:00 王总\n郑明这个人拉黑吧\n\n2024-03-01 10:01:00 李婷\n好的\n",
    )
    .unwrap();
    let base = "name = \"x\"\n[output]\ndir = \"out\"\nformats = [\"csv\"]\n[[source]]\nkind = \"csv\"\npath = \"people.csv\"\n[[source]]\nkind = \"chat\"\npath = \"chat.txt\"\nformat = \"wechat_txt\"\n";
    let events = |pipeline: &str| {
        std::fs::write(d.join("p.toml"), pipeline).unwrap();
        let mut c = hrflow(d);
        c.args(["run", "p.toml"]);
        let (code, stdout, stderr) = output(c);
        assert_eq!(code, 0, "{stdout}\n{stderr}");
        column(&d.join("out/csv/events.csv"), "kind")
    };
    assert!(!events(base).contains(&"chat_opt_out".to_string()));
    let extended = format!("{base}[chat.phrases.opt_out]\n\"拉黑\" = \"opt_out\"\n");
    assert!(events(&extended).contains(&"chat_opt_out".to_string()));
    assert_eq!(
        column(&d.join("out/csv/candidates.csv"), "do_not_contact"),
        ["true"]
    );

    std::fs::write(
        d.join("p.toml"),
        format!("{base}[chat.phrases.nonsense]\n\"x\" = \"y\"\n"),
    )
    .unwrap();
    let mut c = hrflow(d);
    c.args(["validate", "p.toml"]);
    let (code, _, stderr) = output(c);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("chat.phrases.nonsense: unknown phrase table 'nonsense'"),
        "{stderr}"
    );
}

/// What a chat says about a candidate feeds the dataset: a salary
/// expectation fills the candidate's empty salary (with the chat line as its
/// lineage), and the boss's verdict becomes an evaluation with its speaker.
#[test]
fn chat_salary_and_verdicts_feed_the_candidate() {
    let dir = run_people_and_chat(
        "姓名,手机号\n郑明,13812345678\n",
        "2024-03-01 10:00:00 李婷\n郑明期望20k\n\n2024-03-02 18:00:00 王总\n郑明逻辑清晰，沟通能力强\n",
    );
    let d = dir.path();
    let cands = d.join("out/csv/candidates.csv");
    assert_eq!(column(&cands, "expected_salary_min"), ["20000"]);
    assert_eq!(column(&cands, "expected_salary_raw"), ["20k"]);
    let lineage = d.join("out/csv/lineage.csv");
    let fields = column(&lineage, "field");
    let cols = column(&lineage, "column");
    let rows = column(&lineage, "row");
    let i = fields.iter().position(|f| f == "expected_salary").unwrap();
    assert_eq!(
        (cols[i].as_str(), rows[i].as_str()),
        ("chat", "1"),
        "the message starting on line 1"
    );
    let evals = d.join("out/csv/evaluations.csv");
    assert_eq!(column(&evals, "interviewer"), ["王总"]);
    assert_eq!(column(&evals, "comment"), ["郑明逻辑清晰，沟通能力强"]);
}

/// A mention that fits many candidates names the first ten in its
/// quarantine entry and counts the rest.
#[test]
fn an_ambiguous_mention_names_ten_candidates_and_counts_the_rest() {
    let mut people = String::from("姓名,手机号\n");
    for (i, given) in "一二三四五六七八九十甲乙".chars().enumerate() {
        people.push_str(&format!("张{given}明,138123456{i:02}\n"));
    }
    let dir = run_people_and_chat(&people, "2024-03-01 10:00:00 王总\n张总这个人不合适\n");
    let d = dir.path();
    let reasons = column(&d.join("out/csv/quarantine.csv"), "reason");
    let reason = reasons
        .iter()
        .find(|r| r.starts_with("ambiguous mention: `张总`"))
        .unwrap_or_else(|| panic!("{reasons:?}"));
    assert_eq!(reason.matches(" (C").count(), 10, "{reason}");
    assert!(reason.ends_with(" or 2 others"), "{reason}");
}

/// Runs a pipeline of a CSV of people and a WeChat TXT chat in a new
/// folder, which it returns (outputs in `out/`); the run must succeed.
fn run_people_and_chat(people: &str, chat: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("people.csv"), people).unwrap();
    std::fs::write(d.join("chat.txt"), chat).unwrap();
    std::fs::write(
        d.join("p.toml"),
        "name = \"x\"\n[output]\ndir = \"out\"\nformats = [\"csv\"]\n[[source]]\nkind = \"csv\"\npath = \"people.csv\"\n[[source]]\nkind = \"chat\"\npath = \"chat.txt\"\nformat = \"wechat_txt\"\n",
    )
    .unwrap();
    let mut c = hrflow(d);
    c.args(["run", "p.toml"]);
    let (code, stdout, stderr) = output(c);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    dir
}
