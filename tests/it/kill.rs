//! A run killed with SIGKILL at any point leaves the previous outputs intact
//! (each file is either the previous complete file or the new complete one)
//! and the next run completes and cleans up after it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::common::{files_under, hrflow, output, repo};

fn files(dir: &Path) -> Vec<PathBuf> {
    files_under(dir, &[])
}

#[test]
fn sigkill_at_any_point_never_leaves_a_half_written_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let run = || {
        let mut c = hrflow(&repo());
        c.args(["run", "pipelines/demo.toml", "--out"]).arg(&out);
        c
    };
    assert_eq!(output(run()).0, 0);
    let baseline: Vec<(PathBuf, Vec<u8>)> = files(&out)
        .into_iter()
        .filter(|f| f != Path::new("manifest.json"))
        .map(|f| (f.clone(), std::fs::read(out.join(&f)).unwrap()))
        .collect();
    // Kill points spread over the whole run (about a quarter of a second on
    // the sample data), from a fixed linear congruential sequence so a
    // failure can be reproduced.
    let mut x: u64 = 12345;
    for _ in 0..12 {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let delay = Duration::from_micros((x >> 33) % 300_000);
        let mut child = run()
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        // Same inputs, deterministic outputs: every complete file equals the
        // baseline byte for byte; only temporaries may be extra.
        for (f, bytes) in &baseline {
            let now = std::fs::read(out.join(f)).unwrap_or_else(|e| {
                panic!("{} vanished after kill at {delay:?}: {e}", f.display())
            });
            assert!(
                now == *bytes,
                "{} changed after kill at {delay:?}",
                f.display()
            );
        }
        let manifest = std::fs::read(out.join("manifest.json")).unwrap();
        assert!(
            serde_json::from_slice::<serde_json::Value>(&manifest).is_ok(),
            "manifest is whole after kill at {delay:?}"
        );
    }
    assert_eq!(output(run()).0, 0, "the next run completes");
    let leftovers: Vec<PathBuf> = files(&out)
        .into_iter()
        .filter(|f| f.to_string_lossy().contains(".hrflow-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary files remain: {leftovers:?}"
    );
}
