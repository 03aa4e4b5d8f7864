//! hrflow: recruiting history from legacy Excel sheets, CSV exports of old HR
//! systems and chat logs, turned into one clean candidate dataset.
//!
//! ```text
//! pipelines/x.toml ─parse─▶ PipelineSpec ─check─▶ Plan   (every problem at once)
//!                                                   │
//!  sources ─▶ ingest ─▶ normalize ─▶ tables ─▶ output (parquet, csv, xlsx) + manifest
//!  (excel,    (grids,    (typed records,  (polars frames,
//!   csv)       headers)   quarantine,      sorted)
//!                         lineage)
//! ```
//!
//! - [`spec`] is the pipeline file's shape; [`plan`] checks it and is all the
//!   stages ever see.
//! - [`ingest`] reads files into raw tables: encodings, delimiters, sheets,
//!   header rows, and non-data rows, all counted.
//! - [`rules`] holds the pure, table-driven cell rules (names, phones, dates,
//!   salaries, id numbers…); [`normalize`] applies them row by row.
//! - [`tables`] builds the canonical polars frames; [`output`] writes them.
//! - [`run`] strings the stages together and checks the row accounting.

#![forbid(unsafe_code)]

pub mod bench;
pub mod cache;
pub mod chat;
pub mod chatlink;
pub mod cli;
pub mod columns;
pub mod commands;
pub mod contacts;
pub mod entities;
pub mod error;
#[path = "gen/mod.rs"]
pub mod generator;
pub mod ingest;
pub mod inspect;
pub mod lineage;
pub mod manifest;
pub mod matching;
pub mod model;
pub mod normalize;
pub mod notices;
pub mod notify;
pub mod output;
pub mod plan;
pub mod progress;
pub mod recall;
pub mod report;
pub mod resolve;
pub mod review;
pub mod rules;
pub mod run;
pub mod score;
pub mod show;
pub mod since;
pub mod spec;
pub mod stats;
pub mod summary;
pub mod tables;
