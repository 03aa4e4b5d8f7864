//! The subcommands: each turns its arguments into library calls and prints
//! what a user needs to see. Returns the exit code for successful commands;
//! errors carry their own.

use std::path::{Path, PathBuf};

use crate::cli::Command;
use crate::error::Error;
use crate::plan::Plan;

/// The folder where pipeline names are looked up.
const PIPELINES_DIR: &str = "pipelines";

/// Runs one subcommand.
pub fn dispatch(command: Command) -> Result<u8, Error> {
    match command {
        Command::Run {
            pipeline,
            out,
            as_of,
            no_cache,
        } => run(&pipeline, out.as_deref(), as_of, no_cache),
        Command::Validate { pipelines } => validate(&pipelines),
        Command::Inspect { file, rows } => {
            let text = crate::inspect::inspect(&file, rows).map_err(Error::Run)?;
            print!("{text}");
            Ok(0)
        }
        Command::List => list(),
        Command::Bench {
            what,
            candidates,
            seed,
            keep,
            reuse,
            explain,
        } => {
            let report = match what.as_str() {
                "resolve" => {
                    let tmp = tempfile::tempdir()
                        .map_err(|e| Error::io("creating a temporary folder", e))?;
                    let dir = keep.unwrap_or_else(|| tmp.path().to_path_buf());
                    let bench = crate::bench::ResolveBench {
                        candidates,
                        seed,
                        reuse,
                        explain,
                    };
                    crate::bench::resolve(&bench, &dir).map_err(Error::Run)?
                }
                "run" => {
                    let tmp = tempfile::tempdir()
                        .map_err(|e| Error::io("creating a temporary folder", e))?;
                    let dir = keep.unwrap_or_else(|| tmp.path().to_path_buf());
                    let bench = crate::bench::RunBench {
                        candidates,
                        seed,
                        reuse,
                    };
                    crate::bench::run(&bench, &dir).map_err(Error::Run)?
                }
                "score" => crate::bench::score(candidates, 50).map_err(Error::Run)?,
                other => {
                    return Err(Error::Usage(format!(
                        "Unknown benchmark `{other}`; expected `run`, `resolve` or `score`."
                    )));
                }
            };
            print!("{report}");
            Ok(0)
        }
        Command::Show {
            query,
            out,
            pipeline,
        } => {
            let out = match out {
                Some(o) => o,
                None => {
                    Plan::load(&resolve(&pipeline)?)
                        .map_err(Error::Plan)?
                        .out_dir
                }
            };
            let text = crate::show::show(&out, &query).map_err(Error::Run)?;
            print!("{text}");
            Ok(0)
        }
        Command::Gen {
            out,
            candidates,
            seed,
        } => {
            let summary = crate::generator::generate(&crate::generator::GenOptions {
                out: out.clone(),
                candidates,
                seed,
            })
            .map_err(|e| {
                Error::Run(format!("Generating into `{}` failed: {e:#}", out.display()))
            })?;
            for f in &summary.files {
                println!(
                    "{:>8} rows  {}  {}",
                    f.rows,
                    f.path.display(),
                    f.description
                );
            }
            for x in &summary.xls_conversions {
                println!(
                    "Convert {} to {} with sample-data/tools/xlsx_to_xls.py (legacy .xls).",
                    x.xlsx.display(),
                    x.xls.display()
                );
            }
            println!(
                "{} true persons in {} data rows; ground truth in ground_truth.csv.",
                summary.entities, summary.data_rows
            );
            Ok(0)
        }
    }
}

/// A pipeline argument: a file path, or a name in `pipelines/`.
fn resolve(arg: &str) -> Result<PathBuf, Error> {
    let direct = PathBuf::from(arg);
    if direct.is_file() {
        return Ok(direct);
    }
    let named = Path::new(PIPELINES_DIR).join(format!("{arg}.toml"));
    if named.is_file() {
        return Ok(named);
    }
    Err(Error::Usage(format!(
        "No pipeline `{arg}`: not a file, and `{}` does not exist.",
        named.display()
    )))
}

fn run(
    arg: &str,
    out: Option<&Path>,
    as_of: Option<chrono::NaiveDate>,
    no_cache: bool,
) -> Result<u8, Error> {
    let path = resolve(arg)?;
    let mut plan = Plan::load(&path).map_err(Error::Plan)?;
    plan.use_cache = !no_cache;
    let as_of = as_of.unwrap_or_else(|| chrono::Local::now().date_naive());
    let summary = crate::run::run(&plan, out, as_of)?;
    print!("{}", crate::summary::render(&plan, &summary));
    if summary.failed() {
        for f in &summary.manifest.failures {
            eprintln!("error: {f}");
        }
        return Ok(1);
    }
    Ok(0)
}

fn validate(args: &[String]) -> Result<u8, Error> {
    let paths: Vec<PathBuf> = if args.is_empty() {
        pipeline_files()?
    } else {
        args.iter().map(|a| resolve(a)).collect::<Result<_, _>>()?
    };
    let mut bad = 0;
    for path in &paths {
        match Plan::load(path) {
            Ok(plan) => {
                let files: usize = plan.sources.iter().map(|s| s.files.len()).sum();
                println!(
                    "ok: {} ({} sources, {} files)",
                    path.display(),
                    plan.sources.len(),
                    files
                );
            }
            Err(errors) => {
                bad += 1;
                eprintln!("{}", Error::Plan(errors));
            }
        }
    }
    Ok(if bad > 0 { 2 } else { 0 })
}

fn pipeline_files() -> Result<Vec<PathBuf>, Error> {
    let dir = Path::new(PIPELINES_DIR);
    let entries =
        std::fs::read_dir(dir).map_err(|e| Error::io(format!("reading `{}`", dir.display()), e))?;
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    Ok(files)
}

fn list() -> Result<u8, Error> {
    for path in pipeline_files()? {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Error::io(format!("reading `{}`", path.display()), e))?;
        let table: toml::Table = text.parse().unwrap_or_default();
        let get = |k: &str| {
            table
                .get(k)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string()
        };
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        println!("{stem:<12} {}", get("description"));
    }
    Ok(0)
}
