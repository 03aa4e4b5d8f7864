//! Synthetic recruiting history for demos, tests and benchmarks: the records
//! of one imaginary Hangzhou company over about ten years, spread over the
//! kinds of files a small Chinese HR department accumulates (a legacy .xls
//! register, a ledger with a two-row merged header, an English sheet, a GBK
//! export of the old HR system, a UTF-16 form export, positions and
//! interview evaluations), with the noise that makes them hard to merge, and
//! the ground truth of which rows are the same person.
//!
//! Output depends only on the seed: the generator has its own PRNG, never
//! iterates hash-ordered collections into output, and pins workbook
//! timestamps, so the same seed gives byte-identical files.
//!
//! `candidates: None` writes the small committed sample (with a scripted
//! storyline and exactly documented defects, see `sample`); `Some(n)` writes
//! a large data set for benchmarks (see `scale`).

mod cells;
mod chats;
mod company;
mod english;
mod evals;
mod history;
mod ident;
mod ledger;
mod legacy;
mod names;
mod notation;
mod oldsys;
mod people;
mod plan;
mod positions;
mod readme;
mod reasons;
mod rng;
mod sample;
mod scale;
mod story;
mod surveys;
mod truth;
mod wechat;

#[cfg(test)]
mod tests;

use std::path::PathBuf;

use anyhow::Result;

/// The seed the committed sample is generated with.
pub const DEFAULT_SEED: u64 = 20_240_601;

/// Directory under `out` where the .xlsx to be converted to .xls is staged.
pub const XLS_STAGING_DIR: &str = ".xls-staging";

#[derive(Debug, Clone)]
pub struct GenOptions {
    pub out: PathBuf,
    /// `None` = the small committed sample layout; `Some(n)` = about `n`
    /// true persons in the scale layout.
    pub candidates: Option<usize>,
    pub seed: u64,
}

/// One file written.
#[derive(Debug, Clone)]
pub struct FileSummary {
    pub path: PathBuf,
    /// Data rows (person rows for candidate files, positions for the
    /// positions file, lines for the ground truth; 0 for README/config).
    pub rows: usize,
    pub description: String,
}

/// A workbook staged as .xlsx that must be converted to legacy .xls by
/// `sample-data/tools/xlsx_to_xls.py` (rust_xlsxwriter writes only .xlsx).
#[derive(Debug, Clone)]
pub struct XlsConversion {
    pub xlsx: PathBuf,
    pub xls: PathBuf,
}

#[derive(Debug, Clone)]
pub struct GenSummary {
    pub files: Vec<FileSummary>,
    /// True persons that appear in at least one file.
    pub entities: usize,
    /// Rows in `ground_truth.csv`.
    pub data_rows: usize,
    pub xls_conversions: Vec<XlsConversion>,
}

/// Writes the data set described by `opts` into `opts.out`.
pub fn generate(opts: &GenOptions) -> Result<GenSummary> {
    match opts.candidates {
        None => sample::generate(opts).map(|(summary, _)| summary),
        Some(n) if n > ident::UNIQUE_PERSONS as usize => anyhow::bail!(
            "--candidates {n} is more than the generator can give unique identifiers to ({})",
            ident::UNIQUE_PERSONS
        ),
        Some(n) => scale::generate(opts, n),
    }
}
