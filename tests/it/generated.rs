//! The generated benchmark data set (`hrflow gen --candidates N`): its
//! pipeline validates and runs end to end, reading every kind of source, and
//! `hrflow bench run` reports stages and the parse-only baseline.

use crate::common::{hrflow, output};

#[test]
fn generated_pipeline_runs_end_to_end_with_chats_and_surveys() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut c = hrflow(dir.path());
    c.args(["gen", "--candidates", "300", "--seed", "5", "--out"])
        .arg(&data);
    let (code, stdout, stderr) = output(c);
    assert_eq!(code, 0, "{stdout}\n{stderr}");

    let pipeline = data.join("pipeline.toml");
    let mut c = hrflow(dir.path());
    c.arg("validate").arg(&pipeline);
    let (code, stdout, stderr) = output(c);
    assert_eq!(code, 0, "validate: {stdout}\n{stderr}");

    let mut c = hrflow(dir.path());
    c.arg("run").arg(&pipeline).args(["--as-of", "2025-01-01"]);
    let (code, stdout, stderr) = output(c);
    assert_eq!(code, 0, "run: {stdout}\n{stderr}");

    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(data.join("out/manifest.json")).unwrap())
            .unwrap();
    let sources = manifest["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 9, "{sources:#?}");
    let n = |s: &serde_json::Value, k: &str| s[k].as_u64().unwrap();
    for s in sources {
        assert_eq!(
            n(s, "rows_read"),
            n(s, "rows_kept")
                + n(s, "rows_quarantined")
                + n(s, "rows_non_data")
                + n(s, "rows_merged"),
            "accounting of {s}"
        );
        assert_eq!(n(s, "files_failed"), 0, "{s}");
        assert!(n(s, "rows_kept") > 0, "nothing kept from {s}");
    }
    let chat = sources.iter().find(|s| s["kind"] == "chat").unwrap();
    assert_eq!(n(chat, "files"), 3);
    assert!(n(chat, "rows_kept") > 50, "{chat}");
    assert!(
        manifest["chat"]["events_on_known_candidates"]
            .as_u64()
            .unwrap()
            > 50
    );
    let inputs = manifest["inputs"].as_array().unwrap();
    let formats: Vec<&str> = inputs
        .iter()
        .filter_map(|i| i["chat_format"].as_str())
        .collect();
    assert_eq!(formats.len(), 3, "{formats:?}");
    let surveys: u64 = sources
        .iter()
        .filter(|s| {
            inputs.iter().any(|i| {
                i["source"] == s["source"] && i["path"].as_str().unwrap().starts_with("surveys/")
            })
        })
        .map(|s| n(s, "rows_kept"))
        .sum();
    assert!(surveys > 10, "survey rows kept: {surveys}");
    assert!(data.join("out/report.html").exists());
}

#[test]
fn bench_run_prints_stages_and_the_parse_only_baseline() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = hrflow(dir.path());
    c.args(["bench", "run", "--candidates", "200", "--keep"])
        .arg(dir.path().join("b"));
    let (code, stdout, stderr) = output(c);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    for want in [
        "parse-only",
        "ingest",
        "normalize",
        "resolve",
        "chat",
        "write",
        "total",
        "end-to-end / parse-only",
        "accounting balances",
    ] {
        assert!(stdout.contains(want), "no `{want}` in\n{stdout}");
    }
    // A second run reuses the data.
    let mut c = hrflow(dir.path());
    c.args(["bench", "run", "--candidates", "200", "--reuse", "--keep"])
        .arg(dir.path().join("b"));
    let (code, stdout, stderr) = output(c);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stdout.contains("reusing"), "{stdout}");
}
