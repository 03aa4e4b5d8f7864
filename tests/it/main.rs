//! Integration tests, compiled as one binary to keep link time down (each
//! test binary links polars). They drive the real `hrflow` executable built
//! for this test run (`CARGO_BIN_EXE_hrflow`), never a second build.

mod common;

mod chat;
mod cli;
mod contacts;
mod encodings;
mod failures;
mod fixtures;
mod generated;
mod golden;
mod incremental;
mod kill;
mod matches;
mod notices;
mod recall;
mod report;
mod resolution;
mod safety;
mod show;
