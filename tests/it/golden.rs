//! The demo pipeline end to end: its outputs compared as text with the
//! reviewed copies in `tests/golden/demo/`, and two runs compared byte for
//! byte.
//!
//! After an intended change, regenerate the golden files with
//! `HRFLOW_BLESS=1 cargo test --release golden` and review the diff.

use std::path::{Path, PathBuf};

use crate::common::{hrflow, output, repo};

const TABLES: &[&str] = &[
    "candidates",
    "applications",
    "evaluations",
    "events",
    "positions",
    "quarantine",
    "lineage",
    "merges",
    "matches",
];

fn run_demo(out: &Path) -> String {
    let mut c = hrflow(&repo());
    // The as-of date is pinned: recency in the match scores depends on it.
    c.args([
        "run",
        "pipelines/demo.toml",
        "--as-of",
        "2024-07-01",
        "--out",
    ])
    .arg(out);
    let (code, stdout, stderr) = output(c);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    stdout
}

/// The manifest without its timings (the one part that may differ).
fn manifest_without_timings(dir: &Path) -> String {
    let mut m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    m.as_object_mut().unwrap().remove("timings_ms");
    serde_json::to_string_pretty(&m).unwrap() + "\n"
}

fn golden_dir() -> PathBuf {
    repo().join("tests/golden/demo")
}

#[test]
fn demo_run_matches_the_golden_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let stdout = run_demo(dir.path());
    assert!(stdout.starts_with("Pipeline `demo`:"), "{stdout}");
    let mut actual: Vec<(String, String)> = TABLES
        .iter()
        .map(|t| {
            let bytes = std::fs::read(dir.path().join("csv").join(format!("{t}.csv"))).unwrap();
            (format!("{t}.csv"), String::from_utf8(bytes).unwrap())
        })
        .collect();
    let manifest =
        manifest_without_timings(dir.path()).replace(&dir.path().display().to_string(), "<out>");
    actual.push(("manifest.json".to_string(), manifest));
    let golden = golden_dir();
    if std::env::var_os("HRFLOW_BLESS").is_some() {
        std::fs::create_dir_all(&golden).unwrap();
        for (name, text) in &actual {
            std::fs::write(golden.join(name), text).unwrap();
        }
        return;
    }
    for (name, text) in &actual {
        let want = std::fs::read_to_string(golden.join(name))
            .unwrap_or_else(|e| panic!("{name}: {e}; run with HRFLOW_BLESS=1 to create it"));
        if *text != want {
            let diff: Vec<String> = want
                .lines()
                .zip(text.lines())
                .enumerate()
                .filter(|(_, (a, b))| a != b)
                .take(5)
                .map(|(i, (a, b))| format!("line {}:\n  want: {a}\n  got:  {b}", i + 1))
                .collect();
            panic!(
                "{name} differs from tests/golden/demo/{name} ({} vs {} lines):\n{}",
                want.lines().count(),
                text.lines().count(),
                diff.join("\n")
            );
        }
    }
}

#[test]
fn two_runs_give_byte_identical_files() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    run_demo(a.path());
    run_demo(b.path());
    let mut files = Vec::new();
    collect(a.path(), a.path(), &mut files);
    assert!(
        files.len() >= 15,
        "expected every table in every format: {files:?}"
    );
    for rel in files {
        if rel == Path::new("manifest.json") {
            let strip =
                |d: &Path| manifest_without_timings(d).replace(&d.display().to_string(), "<out>");
            assert_eq!(strip(a.path()), strip(b.path()));
            continue;
        }
        let x = std::fs::read(a.path().join(&rel)).unwrap();
        let y = std::fs::read(b.path().join(&rel)).unwrap();
        assert!(x == y, "{} differs between two runs", rel.display());
    }
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(root, &p, out);
        } else {
            out.push(p.strip_prefix(root).unwrap().to_path_buf());
        }
    }
    out.sort();
}
