//! Incremental runs (issue 7): a run into the folder of an earlier run
//! takes every unchanged input file from `.cache/` instead of reading it
//! again, and writes exactly what a run that reads everything writes.
//!
//! Each test runs a twin: the same steps into a second folder with
//! `--no-cache`, so state a run keeps on purpose (notices already sent,
//! `changes.csv`) is the same on both sides and every output file can be
//! compared byte for byte. The manifest is compared without the few fields
//! that say what the cache did; those are asserted on instead, so a cache
//! that silently stops being used fails as surely as a stale one.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{files_under, hrflow, output, repo};

const AS_OF: &str = "2024-07-01";

/// Runs `pipeline` into `out` (from `dir`) and returns stdout.
fn run(dir: &Path, pipeline: &Path, out: &Path, cache: bool) -> String {
    let mut c = hrflow(dir);
    c.arg("run")
        .arg(pipeline)
        .args(["--as-of", AS_OF, "--out"])
        .arg(out);
    if !cache {
        c.arg("--no-cache");
    }
    let (code, stdout, stderr) = output(c);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    stdout
}

fn manifest(out: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap()
}

/// Input path → whether the last run into `out` took it from the cache.
fn reused(out: &Path) -> Vec<(String, bool)> {
    manifest(out)["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["path"].as_str().unwrap().to_string(),
                i["reused"].as_bool().expect("every input says `reused`"),
            )
        })
        .collect()
}

/// Every file under `dir` but the cache, relative to `dir`.
fn outputs(dir: &Path) -> Vec<PathBuf> {
    files_under(dir, &[".cache"])
}

/// The manifest without what differs by design between a run that used
/// the cache and one that did not: timings and the cache's own account.
fn comparable_manifest(out: &Path) -> Value {
    let mut m = manifest(out);
    let o = m.as_object_mut().unwrap();
    o.remove("timings_ms");
    o.remove("cache");
    for i in o["inputs"].as_array_mut().unwrap() {
        i.as_object_mut().unwrap().remove("reused");
    }
    for s in o["sources"].as_array_mut().unwrap() {
        s.as_object_mut().unwrap().remove("files_reused");
    }
    m
}

/// Asserts that two output folders hold the same files, byte for byte
/// (the manifest up to [`comparable_manifest`]).
fn assert_same_outputs(a: &Path, b: &Path) {
    let files = outputs(a);
    assert_eq!(files, outputs(b), "the two runs wrote different files");
    assert!(files.len() > 20, "{files:?}");
    for f in &files {
        if f == Path::new("manifest.json") {
            continue;
        }
        let (x, y) = (
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
        );
        assert!(x == y, "{} differs", f.display());
    }
    assert_eq!(comparable_manifest(a), comparable_manifest(b));
}

/// A generated data set (`hrflow gen`) in `dir/data`; returns its pipeline.
fn generated(dir: &Path) -> PathBuf {
    let data = dir.join("data");
    let mut c = hrflow(dir);
    c.args(["gen", "--candidates", "300", "--seed", "7", "--out"])
        .arg(&data);
    let (code, stdout, stderr) = output(c);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    data.join("pipeline.toml")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn a_second_run_on_unchanged_inputs_reuses_every_file_and_writes_the_same_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let (cached, twin) = (dir.path().join("cached"), dir.path().join("twin"));
    let pipeline = Path::new("pipelines/demo.toml");
    let stdout = run(&repo(), pipeline, &cached, true);
    assert!(
        stdout.contains("Cache: reused 0 of 7 sources (0 of 13 files); read 13 files."),
        "{stdout}"
    );
    assert!(reused(&cached).iter().all(|(_, r)| !r));
    run(&repo(), pipeline, &twin, false);
    assert_same_outputs(&cached, &twin);

    let stdout = run(&repo(), pipeline, &cached, true);
    assert!(
        stdout.contains("Cache: reused 7 of 7 sources (13 of 13 files); read 0 files."),
        "{stdout}"
    );
    let files = reused(&cached);
    assert_eq!(files.len(), 13);
    assert!(files.iter().all(|(_, r)| *r), "{files:?}");
    let m = manifest(&cached);
    assert_eq!(m["cache"]["files_reused"], 13);
    assert!(
        m["sources"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["files_reused"] == s["files"])
    );
    let stdout = run(&repo(), pipeline, &twin, false);
    assert!(
        stdout.contains("Cache: not used (`--no-cache`)"),
        "{stdout}"
    );
    assert!(reused(&twin).iter().all(|(_, r)| !r));
    assert_same_outputs(&cached, &twin);
    // One entry per input file, and `--no-cache` leaves none behind.
    assert_eq!(
        std::fs::read_dir(cached.join(".cache")).unwrap().count(),
        13
    );
    assert!(!twin.join(".cache").exists());
}

#[test]
fn a_new_and_a_changed_file_are_the_only_ones_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let pipeline = generated(dir.path());
    let data = pipeline.parent().unwrap();
    let (cached, twin) = (dir.path().join("cached"), dir.path().join("twin"));
    run(dir.path(), &pipeline, &cached, true);
    copy_dir(&cached, &twin);

    // A new ledger file (the sheet of an existing one under a new name,
    // so its rows are new records of known people) and a changed export
    // (its last line cut off).
    std::fs::copy(data.join("台账_001.xlsx"), data.join("台账_002.xlsx")).unwrap();
    let export = data.join("old_hr_system_export_gbk.csv");
    let bytes = std::fs::read(&export).unwrap();
    let cut = bytes[..bytes.len() - 2]
        .iter()
        .rposition(|&b| b == b'\n')
        .unwrap();
    std::fs::write(&export, &bytes[..=cut]).unwrap();

    let stdout = run(dir.path(), &pipeline, &cached, true);
    let read: Vec<String> = reused(&cached)
        .into_iter()
        .filter(|(_, r)| !r)
        .map(|(p, _)| p)
        .collect();
    assert_eq!(
        read,
        ["台账_002.xlsx", "old_hr_system_export_gbk.csv"],
        "{stdout}"
    );
    assert_eq!(manifest(&cached)["cache"]["files_reused"], 10);
    // The old entry of the changed file is of no use any more.
    assert_eq!(manifest(&cached)["cache"]["entries_removed"], 1);
    assert_eq!(
        std::fs::read_dir(cached.join(".cache")).unwrap().count(),
        12
    );
    let changes = std::fs::read_to_string(cached.join("changes.csv")).unwrap();
    assert!(changes.contains("file_new,台账_002.xlsx"), "{changes}");
    assert!(
        changes.contains("file_changed,old_hr_system_export_gbk.csv"),
        "{changes}"
    );
    assert!(changes.contains("candidate_merged") || changes.contains("candidate_new_records"));

    run(dir.path(), &pipeline, &twin, false);
    assert_same_outputs(&cached, &twin);

    // A run continuing a folder keeps that folder's candidate ids, so the
    // twin above is the right comparison for it. A first run into an empty
    // folder that holds only the cache gives what a first run without it
    // gives, every file from the cache.
    let (fresh, fresh_twin) = (dir.path().join("fresh"), dir.path().join("fresh-twin"));
    copy_dir(&cached.join(".cache"), &fresh.join(".cache"));
    let stdout = run(dir.path(), &pipeline, &fresh, true);
    assert!(stdout.contains("(12 of 12 files)"), "{stdout}");
    run(dir.path(), &pipeline, &fresh_twin, false);
    assert_same_outputs(&fresh, &fresh_twin);
}

#[test]
fn damaged_cache_entries_are_ignored_and_the_files_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let (cached, twin) = (dir.path().join("cached"), dir.path().join("twin"));
    let pipeline = Path::new("pipelines/demo.toml");
    run(&repo(), pipeline, &cached, true);
    run(&repo(), pipeline, &twin, false);

    let mut entries: Vec<PathBuf> = std::fs::read_dir(cached.join(".cache"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    // Cut short, one bit flipped in the payload, and something else
    // entirely under an entry's name.
    let bytes = std::fs::read(&entries[0]).unwrap();
    std::fs::write(&entries[0], &bytes[..bytes.len() / 2]).unwrap();
    let mut bytes = std::fs::read(&entries[1]).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x10;
    std::fs::write(&entries[1], &bytes).unwrap();
    std::fs::write(&entries[2], "not an entry").unwrap();

    let stdout = run(&repo(), pipeline, &cached, true);
    assert_eq!(stdout.matches("was ignored").count(), 3, "{stdout}");
    assert!(stdout.contains("truncated"), "{stdout}");
    assert!(stdout.contains("checksum does not match"), "{stdout}");
    let m = manifest(&cached);
    assert_eq!(m["cache"]["problems"].as_array().unwrap().len(), 3);
    assert_eq!(m["cache"]["files_reused"], 10);
    run(&repo(), pipeline, &twin, false);
    assert_same_outputs(&cached, &twin);

    // The entries were written again whole.
    let stdout = run(&repo(), pipeline, &cached, true);
    assert!(stdout.contains("(13 of 13 files)"), "{stdout}");
    assert!(!stdout.contains("ignored"), "{stdout}");
}

#[test]
fn settings_that_change_normalization_invalidate_exactly_their_entries() {
    let dir = tempfile::tempdir().unwrap();
    let pipeline = generated(dir.path());
    let (cached, twin) = (dir.path().join("cached"), dir.path().join("twin"));
    run(dir.path(), &pipeline, &cached, true);
    copy_dir(&cached, &twin);
    let original = std::fs::read_to_string(&pipeline).unwrap();
    let step = |text: &str| {
        std::fs::write(&pipeline, text).unwrap();
        let stdout = run(dir.path(), &pipeline, &cached, true);
        run(dir.path(), &pipeline, &twin, false);
        assert_same_outputs(&cached, &twin);
        (stdout, reused(&cached))
    };

    // Settings read after normalization (report, recall, `--as-of`) keep
    // every entry.
    let text = original.replace("min_group_size = 5", "min_group_size = 3");
    assert_ne!(text, original);
    let (stdout, files) = step(&text);
    assert!(files.iter().all(|(_, r)| *r), "{stdout}");

    // A source's own setting invalidates that source's files only.
    let text = text.replace(
        "path = \"old_hr_system_export_gbk.csv\"\n",
        "path = \"old_hr_system_export_gbk.csv\"\npriority = 5\n",
    );
    let (stdout, files) = step(&text);
    let read: Vec<&str> = files
        .iter()
        .filter(|(_, r)| !r)
        .map(|(p, _)| p.as_str())
        .collect();
    assert_eq!(read, ["old_hr_system_export_gbk.csv"], "{stdout}");

    // `[normalize]` reaches every file: a different phone region reads
    // the same numbers differently, and no entry may be reused for it.
    let text = format!("{text}\n[normalize]\ndefault_region = \"HK\"\n");
    let (stdout, files) = step(&text);
    assert!(files.iter().all(|(_, r)| !r), "{stdout}");
    assert_ne!(
        std::fs::read(cached.join("csv/quarantine.csv")).unwrap(),
        {
            std::fs::write(&pipeline, &original).unwrap();
            let fresh = dir.path().join("fresh");
            run(dir.path(), &pipeline, &fresh, true);
            std::fs::read(fresh.join("csv/quarantine.csv")).unwrap()
        },
        "the region changes what is quarantined, so a stale entry would show"
    );
}
