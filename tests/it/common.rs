//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `hrflow` binary under test, run from `dir`.
pub fn hrflow(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_hrflow"));
    c.current_dir(dir);
    c
}

/// Runs and returns (exit code, stdout, stderr).
pub fn output(mut c: Command) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = c.output().expect("hrflow runs");
    (
        status.code().unwrap_or(-1),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

/// Reads a CSV output (BOM stripped) into header + rows.
pub fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "{} has no UTF-8 BOM",
        path.display()
    );
    let mut r = csv::ReaderBuilder::new().from_reader(&bytes[3..]);
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// The values of one column of a CSV output.
pub fn column(path: &Path, name: &str) -> Vec<String> {
    let (header, rows) = read_csv(path);
    let i = header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {}", path.display()));
    rows.into_iter().map(|r| r[i].clone()).collect()
}

/// Runs the demo pipeline with a pinned as-of date into `out`; panics with
/// the output if it fails.
pub fn run_demo(as_of: &str, out: &Path) {
    let mut c = hrflow(&repo());
    c.args(["run", "pipelines/demo.toml", "--as-of", as_of, "--out"])
        .arg(out);
    let (code, stdout, stderr) = output(c);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
}

/// Every file under `dir`, relative to it and sorted; folders named in
/// `skip` are not entered.
pub fn files_under(dir: &Path, skip: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                if !skip.iter().any(|s| e.file_name() == *s) {
                    stack.push(p);
                }
            } else {
                out.push(p.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

/// Writes into `dir` a CSV of two 陈晨 with nothing but a name, a city and
/// an application each (rejected in March, passed in May), so they go to
/// review, and a pipeline `p.toml` reading it into `out` as CSV and
/// Parquet. Returns the pipeline's path.
pub fn namesakes_for_review(dir: &Path) -> PathBuf {
    std::fs::write(
        dir.join("people.csv"),
        "姓名,应聘岗位,投递日期,状态,城市\n\
         陈晨,数据分析师,2024-03-02,淘汰,北京\n\
         陈晨,数据分析师,2024-05-01,通过,北京\n",
    )
    .unwrap();
    let pipeline = dir.join("p.toml");
    std::fs::write(
        &pipeline,
        "name = \"v\"\n[output]\ndir = \"out\"\nformats = [\"csv\", \"parquet\"]\n\
         [[source]]\nkind = \"csv\"\npath = \"people.csv\"\n",
    )
    .unwrap();
    pipeline
}
