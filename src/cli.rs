//! The command line. Doc comments on these types are the `--help` text.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Recruiting history from legacy Excel sheets, CSV exports and chat logs,
/// turned into one clean candidate dataset.
#[derive(Debug, Parser)]
#[command(name = "hrflow", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a pipeline: ingest, normalize and write the dataset and manifest.
    Run {
        /// Pipeline file, or the name of one in `pipelines/`.
        pipeline: String,
        /// Output folder (default: the pipeline's `[output] dir`).
        #[arg(long)]
        out: Option<PathBuf>,
        /// The date recency and other time-relative rules use (YYYY-MM-DD);
        /// default today. Pin it for reproducible reports.
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
        /// Read and normalize every input file, even those whose bytes and
        /// settings are unchanged since the last run into the output folder
        /// (which are otherwise taken from its `.cache/`).
        #[arg(long)]
        no_cache: bool,
    },
    /// Check pipelines and print every problem with its location (exit 2 if any).
    Validate {
        /// Pipeline files or names; default: every file in `pipelines/`.
        pipelines: Vec<String>,
    },
    /// Show how hrflow reads a file: encoding, delimiter or sheets, the header
    /// row it chose and why, the column mapping, and the first rows.
    Inspect {
        file: PathBuf,
        /// Rows to show.
        #[arg(long, default_value_t = 5)]
        rows: usize,
    },
    /// One candidate's whole history: applications, interviews with
    /// interviewer and date, decisions and reasons, salary expectation, and
    /// the file/sheet/row each fact came from.
    Show {
        /// A name (any script or romanization), phone, email or candidate id.
        query: String,
        /// The run's output folder (default: the pipeline's).
        #[arg(long)]
        out: Option<PathBuf>,
        /// The pipeline whose output to read.
        #[arg(long, default_value = "demo")]
        pipeline: String,
    },
    /// List the pipelines in `pipelines/` with their descriptions.
    List,
    /// Measure a stage on generated data with ground truth.
    Bench {
        /// What to measure: `run` (the whole pipeline on generated data: wall
        /// time and peak RSS per stage, and the time of merely parsing the same
        /// inputs), `resolve` (pairwise precision, recall, F1 and time on
        /// generated data) or `score` (candidates × 50 positions, 1 thread vs all).
        what: String,
        /// Number of true persons to generate.
        #[arg(long, default_value_t = 10_000)]
        candidates: usize,
        #[arg(long, default_value_t = crate::generator::DEFAULT_SEED)]
        seed: u64,
        /// Keep the generated data here instead of a temporary folder.
        #[arg(long)]
        keep: Option<PathBuf>,
        /// With `--keep`: use the data already there when it was generated
        /// with the same `--candidates` and `--seed`.
        #[arg(long, requires = "keep")]
        reuse: bool,
        /// `resolve`: print this many examples of wrong merges and missed
        /// pairs, grouped by the rule that decided them.
        #[arg(long, default_value_t = 0)]
        explain: usize,
    },
    /// Generate messy sample data with ground truth.
    Gen {
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
        /// Number of true persons; without it, the small committed sample layout.
        #[arg(long)]
        candidates: Option<usize>,
        /// Random seed; the same seed gives the same files.
        #[arg(long, default_value_t = crate::generator::DEFAULT_SEED)]
        seed: u64,
    },
}
