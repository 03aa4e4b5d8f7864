//! The pipeline, top to bottom: ingest every file, normalize every table,
//! check the row accounting, build the canonical tables, write them and the
//! manifest.
//!
//! Files are read in parallel (rayon) and the results collected in plan
//! order, so parallelism never changes the output. A file that cannot be
//! opened is recorded as a failure and the run goes on with the others; the
//! command then exits 1 after writing everything it could.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::Error;
use crate::ingest::header::{Expect, HeaderOptions};
use crate::ingest::{RawTable, Skipped, decode, delimited, excel};
use crate::manifest::{InputFile, Manifest, SkippedEntry, SourceCounts};
use crate::model::{Dataset, Level, MessageRecord, Origin, QuarantineEntry, stable_id};
use crate::normalize;
use crate::plan::{Plan, PlannedSource, Role, SourceKind};

/// What a finished run reports.
#[derive(Debug, Clone)]
pub struct RunSummary {
    pub out_dir: PathBuf,
    pub manifest: Manifest,
    pub elapsed_ms: u64,
}

impl RunSummary {
    /// Whether any source failed (the command exits 1).
    pub fn failed(&self) -> bool {
        !self.manifest.failures.is_empty()
    }
}

/// One file as ingest left it.
struct FileRead {
    source: usize,
    /// The path as shown (relative to the pipeline root).
    path: String,
    input: InputRead,
    tables: Vec<RawTable>,
    skipped: Vec<Skipped>,
    chat: Option<ChatRead>,
    /// Survey grids read from a `role = "survey"` source, with their sheet.
    surveys: Vec<(Option<String>, crate::ingest::survey::SurveyRead)>,
}

/// A table once normalized: its raw rows are freed, what the accounting
/// needs (counts, rejected rows, file and sheet) stays.
struct NormalizedTable {
    table: RawTable,
    normalized: normalize::Normalized,
}

impl NormalizedTable {
    fn new(mut table: RawTable, normalized: normalize::Normalized) -> NormalizedTable {
        table.rows = Vec::new();
        NormalizedTable { table, normalized }
    }
}

/// A parsed chat export: its messages and the lines that were not messages.
struct ChatRead {
    messages: Vec<MessageRecord>,
    parsed: Vec<crate::chat::Message>,
    rejected: Vec<crate::chat::RejectedLine>,
}

/// One stage of a run as [`Meter`] saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct Stage {
    pub name: &'static str,
    pub secs: f64,
    /// Peak resident memory during the stage, MiB (when measured).
    pub peak_mib: Option<f64>,
    /// Resident memory when the stage ended, MiB (when measured).
    pub end_mib: Option<f64>,
}

/// Wall time of the run's stages, in order, and with `memory` their peak
/// resident memory: the peak (`VmHWM`) is reset when a stage starts
/// ([`crate::bench::reset_peak_rss`], Linux), so each stage's peak is its
/// own. A stage started again (the writing around the report) adds its time
/// and keeps the larger peak.
#[derive(Debug, Clone)]
pub struct Meter {
    memory: bool,
    pub stages: Vec<Stage>,
    /// Steps within a stage: (stage, step, seconds), in order.
    pub steps: Vec<(&'static str, &'static str, f64)>,
}

impl Meter {
    /// Times only.
    pub fn new() -> Meter {
        Meter {
            memory: false,
            stages: Vec::new(),
            steps: Vec::new(),
        }
    }

    /// Times and per-stage peak memory (for `hrflow bench run`).
    pub fn with_memory() -> Meter {
        Meter {
            memory: true,
            stages: Vec::new(),
            steps: Vec::new(),
        }
    }

    /// Starts a stage.
    pub fn start(&self) -> Instant {
        if self.memory {
            crate::bench::reset_peak_rss();
        }
        Instant::now()
    }

    /// Ends the stage started at `t`.
    pub fn stop(&mut self, name: &'static str, t: Instant) {
        let secs = t.elapsed().as_secs_f64();
        let (peak_mib, end_mib) = if self.memory {
            (crate::bench::peak_rss_mib(), crate::bench::rss_mib())
        } else {
            (None, None)
        };
        match self.stages.iter_mut().find(|s| s.name == name) {
            Some(s) => {
                s.secs += secs;
                s.peak_mib = match (s.peak_mib, peak_mib) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    (a, b) => a.or(b),
                };
                s.end_mib = end_mib;
            }
            None => self.stages.push(Stage {
                name,
                secs,
                peak_mib,
                end_mib,
            }),
        }
    }

    /// Milliseconds per stage, for the manifest.
    pub fn timings_ms(&self) -> BTreeMap<String, u64> {
        self.stages
            .iter()
            .map(|s| (s.name.to_string(), (s.secs * 1000.0) as u64))
            .collect()
    }
}

impl Default for Meter {
    fn default() -> Meter {
        Meter::new()
    }
}

/// Runs the plan, writing into `out` (or the plan's output folder).
pub fn run(plan: &Plan, out: Option<&Path>, as_of: chrono::NaiveDate) -> Result<RunSummary, Error> {
    run_metered(plan, out, as_of, &mut Meter::new())
}

/// [`run`], with the stages timed (and measured) into `meter`: ingest,
/// normalize, resolve, chat, contacts, score+recall (side by side), tables, write, report.
pub fn run_metered(
    plan: &Plan,
    out: Option<&Path>,
    as_of: chrono::NaiveDate,
    meter: &mut Meter,
) -> Result<RunSummary, Error> {
    let started = Instant::now();
    let out_dir = out
        .map(Path::to_path_buf)
        .unwrap_or_else(|| plan.out_dir.clone());
    crate::output::remove_stale_temporaries(&out_dir);
    let cache = plan.use_cache.then(|| crate::cache::Cache::open(&out_dir));

    let Loaded {
        mut data,
        mut counts,
        inputs,
        skipped,
        failures,
        timings: _,
        chats,
        contacts,
        listings,
        surveys,
    } = load_metered(plan, cache.as_ref(), meter);
    let cache = match cache {
        Some(cache) => crate::cache::CacheSummary {
            enabled: true,
            files_reused: inputs.iter().filter(|i| i.reused).count(),
            files_read: inputs.iter().filter(|i| !i.reused).count(),
            sources_reused: counts
                .iter()
                .filter(|c| c.files > 0 && c.files_reused == c.files)
                .count(),
            entries_removed: cache.prune(),
            problems: cache.problems(),
        },
        None => crate::cache::CacheSummary {
            files_read: inputs.len(),
            ..Default::default()
        },
    };

    let t = meter.start();
    let previous = crate::entities::read_previous(&out_dir);
    let previous_run = crate::since::read_previous_run(&out_dir);
    meter
        .steps
        .push(("resolve", "previous run", t.elapsed().as_secs_f64()));
    let verdicts = crate::review::read(&out_dir);
    let resolved = crate::entities::apply_reviewed(
        &mut data,
        previous.as_ref(),
        &verdicts.list,
        &plan.resolve,
        &mut counts,
    );
    meter.stop("resolve", t);
    meter.steps.extend(
        resolved
            .steps
            .iter()
            .map(|&(step, secs)| ("resolve", step, secs)),
    );
    let t = meter.start();
    let chat = crate::chatlink::link(
        &mut data,
        &chats,
        &plan.chat_phrases,
        &plan.normalize.region,
    );
    // Nothing reads the parsed chat files after extraction: the messages
    // kept are in the dataset.
    drop(chats);
    meter.stop("chat", t);
    let t = meter.start();
    let contacts = crate::contacts::link(
        &mut data,
        contacts,
        listings,
        &plan.chat_phrases,
        &mut counts,
    );
    meter.stop("contacts", t);
    let t = meter.start();
    crate::matching::annotate(&mut data);
    let annotated = t.elapsed().as_secs_f64();
    // Match scores and recall lists read the annotated data and nothing of
    // each other: they are found side by side, each keeping the cores the
    // other leaves idle.
    let ((matches, score_secs), (recall, recall_secs)) = rayon::join(
        || {
            let t = Instant::now();
            let matches = crate::matching::score(&data, &plan.score, as_of);
            (matches, t.elapsed().as_secs_f64())
        },
        || {
            let t = Instant::now();
            let recall = match &plan.recall {
                Some(settings) => crate::recall::recall(&data, settings, as_of),
                None => Ok(Vec::new()),
            };
            (recall, t.elapsed().as_secs_f64())
        },
    );
    let recall = recall.map_err(Error::Run)?;
    meter.stop("score+recall", t);
    meter.steps.extend([
        ("score+recall", "evaluation composites", annotated),
        ("score+recall", "match scores", score_secs),
        ("score+recall", "recall lists", recall_secs),
    ]);

    for c in &counts {
        if !c.balances() {
            return Err(Error::Run(format!(
                "Row accounting does not balance for `{}`: read {} ≠ kept {} + quarantined {} + non-data {} + merged {}.",
                c.source,
                c.rows_read,
                c.rows_kept,
                c.rows_quarantined,
                c.rows_non_data,
                c.rows_merged
            )));
        }
    }

    std::fs::create_dir_all(&out_dir)
        .map_err(|e| Error::io(format!("creating `{}`", out_dir.display()), e))?;
    // Nothing after this reads the lineage but its table, which is built
    // from the store part by part as it is written.
    let lineage = std::mem::take(&mut data.lineage);
    // The dataset is built and written one table at a time, each frame
    // dropped once its files are written (the workbook, when asked for,
    // keeps them); the review and recall lists are independent files,
    // written beside it. Both come back in the same order every run.
    let lists_started = Instant::now();
    let (dataset, (lists_written, lists_secs)) = rayon::join(
        || {
            write_dataset_tables(
                &data,
                &lineage,
                &resolved.merges,
                &matches,
                &out_dir,
                plan.formats,
                meter,
            )
        },
        || {
            let lists = write_review_and_recall(
                &out_dir,
                (&resolved.review, &verdicts.list, plan.resolve.review_limit),
                plan.recall.is_some().then_some(&recall[..]),
            );
            (lists, lists_started.elapsed().as_secs_f64())
        },
    );
    let (written, table_rows, dataset_done, steps) = dataset?;
    meter
        .steps
        .extend(steps.into_iter().map(|(step, secs)| ("write", step, secs)));
    // Written beside the dataset's tables.
    meter.steps.push(("write", "review and recall", lists_secs));
    // The lists outlasting the dataset count as writing too.
    meter.stop("write", dataset_done);
    let t = meter.start();
    let mut outputs = written;
    outputs.extend(lists_written?);
    drop(lineage);
    let mut lists = crate::manifest::ListsSummary::default();
    for r in &recall {
        lists
            .recall
            .entry(r.position_id.clone())
            .or_default()
            .push(r.candidate_id.clone());
    }
    if let Some(cfg) = &plan.notices {
        let already = crate::notify::read_state(&out_dir);
        let rows = crate::notify::notices(&data, cfg, &already, as_of).map_err(Error::Run)?;
        for r in &rows {
            match &r.notice {
                Ok(_) => lists.notices_written.push(r.application_id.clone()),
                Err(e) => lists
                    .notices_held
                    .push((r.application_id.clone(), e.clone())),
            }
        }
        let path = out_dir.join("notices.csv");
        crate::output::write_atomic(&path, |w| {
            use std::io::Write;
            w.write_all(b"\xEF\xBB\xBF")?;
            let mut c = csv::Writer::from_writer(w);
            c.write_record([
                "application_id",
                "candidate_id",
                "name",
                "position",
                "reason_code",
                "interview_date",
                "days_since_interview",
                "ready_at",
                "channel",
                "address",
                "subject",
                "body",
                "problem",
            ])?;
            for r in &rows {
                let opt =
                    |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
                let (channel, address, subject, body, problem) = match &r.notice {
                    Ok(n) => (
                        n.channel.code().to_string(),
                        n.address.clone(),
                        n.subject.clone().unwrap_or_default(),
                        n.body.clone(),
                        String::new(),
                    ),
                    Err(e) => (
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                        e.clone(),
                    ),
                };
                // Every field is neutralized, not only the names: a
                // template may start a subject or body with a candidate's
                // own words.
                c.write_record(
                    [
                        r.application_id.as_str(),
                        &r.candidate_id,
                        &r.name,
                        &r.position,
                        &r.reason_code,
                        &opt(r.interview_date),
                        &r.days_since_interview
                            .map(|d| d.to_string())
                            .unwrap_or_default(),
                        &opt(r.ready_at),
                        &channel,
                        &address,
                        &subject,
                        &body,
                        &problem,
                    ]
                    .iter()
                    .map(|f| crate::output::safe_text(f).into_owned()),
                )?;
            }
            c.flush()
        })
        .map_err(|e| Error::io(format!("writing `{}`", path.display()), e))?;
        outputs.push(crate::output::Written {
            path: "notices.csv".into(),
            rows: rows.len(),
        });
        for r in &rows {
            if let Ok(n) = &r.notice
                && n.channel == crate::notices::Channel::Email
            {
                let name = format!("notices/{}.eml", n.application_id);
                let text = crate::notify::eml(
                    n,
                    &cfg.sender,
                    cfg.from_email.as_deref(),
                    r.ready_at.unwrap_or(as_of).max(as_of),
                );
                let path = out_dir.join(&name);
                crate::output::write_atomic(&path, |w| {
                    use std::io::Write;
                    w.write_all(text.as_bytes())
                })
                .map_err(|e| Error::io(format!("writing `{}`", path.display()), e))?;
                outputs.push(crate::output::Written {
                    path: name,
                    rows: 1,
                });
            }
        }
        let mut sent = already.clone();
        sent.extend(
            rows.iter()
                .filter(|r| r.notice.is_ok())
                .map(|r| r.application_id.clone()),
        );
        let path = out_dir.join(crate::notify::STATE);
        crate::output::write_atomic(&path, |w| {
            use std::io::Write;
            writeln!(w, "application_id")?;
            for id in &sent {
                writeln!(w, "{id}")?;
            }
            Ok(())
        })
        .map_err(|e| Error::io(format!("writing `{}`", path.display()), e))?;
    }
    meter.stop("write", t);
    if let Some(settings) = &plan.report {
        let t = meter.start();
        let model = crate::report::build(&crate::report::ReportInput {
            data: &data,
            surveys: &surveys,
            recall: &recall,
            counts: &counts,
            resolution: &resolved.summary,
            settings,
            pipeline: &plan.pipeline,
            as_of,
        });
        let rows = model.tables().map(|(_, t)| t.rows.len()).sum();
        // Three independent renderings of one model, written in parallel.
        let names = [
            crate::report::XLSX_FILE,
            crate::report::HTML_FILE,
            crate::report::JSON_FILE,
        ];
        let written: Vec<Result<(), Error>> = names
            .par_iter()
            .map(|&name| {
                let path = out_dir.join(name);
                match name {
                    crate::report::XLSX_FILE => crate::report::xlsx::write(&path, &model),
                    crate::report::HTML_FILE => crate::report::html::write(&path, &model),
                    _ => {
                        let json = serde_json::to_string_pretty(&model)
                            .expect("the report model serializes");
                        crate::output::write_atomic(&path, |w| {
                            use std::io::Write;
                            w.write_all(json.as_bytes())?;
                            w.write_all(b"\n")
                        })
                    }
                }
                .map_err(|e| Error::io(format!("writing `{}`", path.display()), e))
            })
            .collect();
        for (name, w) in names.into_iter().zip(written) {
            w?;
            outputs.push(crate::output::Written {
                path: name.into(),
                rows,
            });
        }
        meter.stop("report", t);
    }
    let t = meter.start();
    let since_previous = match (&previous_run, &previous) {
        (Some(run), Some(map)) => Some(crate::since::compare(
            run,
            &inputs,
            map,
            &resolved.record_map,
            &resolved.summary.id_changes,
        )),
        _ => None,
    };
    let changes_path = out_dir.join(crate::since::CHANGES_FILE);
    match &since_previous {
        Some(since) => {
            let rows = since.rows();
            crate::output::write_atomic(&changes_path, |w| {
                use std::io::Write;
                w.write_all(b"\xEF\xBB\xBF")?;
                let mut csv = csv::Writer::from_writer(w);
                csv.write_record(["change", "id", "detail"])?;
                for (change, id, detail) in &rows {
                    csv.write_record([
                        *change,
                        &crate::output::safe_text(id),
                        &crate::output::safe_text(detail),
                    ])?;
                }
                csv.flush()
            })
            .map_err(|e| Error::io(format!("writing `{}`", changes_path.display()), e))?;
            outputs.push(crate::output::Written {
                path: crate::since::CHANGES_FILE.into(),
                rows: rows.len(),
            });
        }
        // A first run (or one after the folder was cleared) has nothing to
        // compare with; a list from an older run would mislead.
        None => {
            let _ = std::fs::remove_file(&changes_path);
        }
    }
    let id_map_path = out_dir.join(crate::entities::ID_MAP);
    crate::output::write_atomic(&id_map_path, |w| {
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record(["record_id", "candidate_id"])?;
        for (record, candidate) in resolved.record_map.iter() {
            csv.write_record([record, candidate])?;
        }
        csv.flush()
    })
    .map_err(|e| Error::io(format!("writing `{}`", id_map_path.display()), e))?;
    outputs.push(crate::output::Written {
        path: crate::entities::ID_MAP.into(),
        rows: resolved.record_map.len(),
    });
    let mut quarantine_by_reason = BTreeMap::new();
    for q in &data.quarantine {
        let key = q
            .reason
            .split(':')
            .next()
            .unwrap_or(&q.reason)
            .trim()
            .to_string();
        *quarantine_by_reason.entry(key).or_default() += 1;
    }
    meter.stop("write", t);
    let t = meter.start();
    let mut timings = meter.timings_ms();
    timings.insert("total".to_string(), started.elapsed().as_millis() as u64);
    let manifest = Manifest {
        hrflow_version: env!("CARGO_PKG_VERSION"),
        pipeline: plan.pipeline.clone(),
        name: plan.name.clone(),
        inputs,
        sources: counts,
        tables: table_rows,
        quarantine_by_reason,
        skipped,
        as_of: as_of.to_string(),
        resolution: resolved.summary,
        review_verdicts: verdicts,
        chat,
        contacts,
        lists,
        since_previous,
        outputs,
        failures,
        cache,
        timings_ms: timings,
    };
    let json = serde_json::to_string_pretty(&manifest).expect("manifest serializes");
    let path = out_dir.join("manifest.json");
    crate::output::write_atomic(&path, |w| {
        use std::io::Write;
        w.write_all(json.as_bytes())?;
        w.write_all(b"\n")
    })
    .map_err(|e| Error::io(format!("writing `{}`", path.display()), e))?;
    meter.stop("write", t);
    let elapsed_ms = started.elapsed().as_millis() as u64;
    // Every file is written. Freeing millions of records one by one takes
    // seconds at a million candidates; it happens on a thread of its own
    // so the run returns without waiting for it.
    drop_later((data, recall, matches, surveys, resolved.record_map));
    drop_later((resolved.merges, resolved.review, previous, previous_run));
    Ok(RunSummary {
        out_dir,
        manifest,
        elapsed_ms,
    })
}

/// Drops `value` on a thread of its own. A process that exits before the
/// thread is done leaves the rest to the operating system, which takes
/// back the whole address space at once.
fn drop_later<T: Send + 'static>(value: T) {
    // When no thread can be made, `spawn` drops the closure, and with it
    // the value, in line.
    let _ = std::thread::Builder::new()
        .name("hrflow-free".into())
        .spawn(move || drop(value));
}

/// The files of the dataset, the rows of each table, when the writing
/// finished, and the steps of the writing (see
/// [`crate::output::DatasetWriter::steps`]).
type DatasetWritten = (
    Vec<crate::output::Written>,
    BTreeMap<String, usize>,
    Instant,
    Vec<(&'static str, f64)>,
);

/// Builds and writes the dataset's tables one at a time (see
/// [`crate::output::DatasetWriter`]), timing the building as `tables` and
/// the writing as `write`. Returns the files written, the rows of each
/// table, and when it finished.
fn write_dataset_tables(
    data: &Dataset,
    lineage: &crate::lineage::Lineage,
    merges: &crate::entities::Merges,
    matches: &[crate::matching::MatchEntry],
    out_dir: &Path,
    formats: crate::plan::Formats,
    meter: &mut Meter,
) -> Result<DatasetWritten, Error> {
    use crate::output::Table;
    let mut writer = crate::output::DatasetWriter::new(out_dir, formats);
    let mut rows: BTreeMap<String, usize> = BTreeMap::new();
    let mut write = |meter: &mut Meter, name: &'static str, table: Table| {
        rows.insert(name.to_string(), table.height());
        let t = meter.start();
        writer.write(name, table).map_err(Error::Run)?;
        meter.stop("write", t);
        Ok::<_, Error>(())
    };
    for (name, build) in crate::tables::DATASET {
        let t = meter.start();
        let table = build(data).map_err(|e| Error::Run(format!("Building tables failed: {e}")))?;
        meter.stop("tables", t);
        write(meter, name, Table::Parts(&*table))?;
    }
    let t = meter.start();
    let lineage_table = crate::tables::LineageTable::new(lineage);
    meter.stop("tables", t);
    write(
        meter,
        crate::columns::table::LINEAGE,
        Table::Parts(&lineage_table),
    )?;
    drop(lineage_table);
    let t = meter.start();
    let merges = crate::tables::merges(merges)
        .map_err(|e| Error::Run(format!("Building the merges table failed: {e}")))?;
    meter.stop("tables", t);
    write(meter, crate::columns::table::MERGES, Table::Parts(&merges))?;
    drop(merges);
    let t = meter.start();
    let matches = crate::tables::matches(matches)
        .map_err(|e| Error::Run(format!("Building the matches table failed: {e}")))?;
    meter.stop("tables", t);
    write(meter, crate::columns::table::MATCHES, Table::Frame(matches))?;
    let mut steps = writer.steps();
    let t = meter.start();
    let written = writer.finish().map_err(Error::Run)?;
    meter.stop("write", t);
    if formats.xlsx {
        steps.push(("dataset.xlsx", t.elapsed().as_secs_f64()));
    }
    Ok((written, rows, Instant::now(), steps))
}

/// The review list's pairs, the verdicts known, and how many pairs the
/// workbook shows.
type ReviewList<'a> = (
    &'a [crate::entities::ReviewPair],
    &'a [crate::resolve::Verdict],
    usize,
);

/// Writes the review list (see [`crate::review::write`]) and, when the plan
/// has a recall section, `recall.csv` and one `recall-<position>.xlsx` per
/// position (one after another); returns what was written, in that order.
fn write_review_and_recall(
    out_dir: &Path,
    (pairs, verdicts, limit): ReviewList<'_>,
    recall: Option<&[crate::recall::RecallEntry]>,
) -> Result<Vec<crate::output::Written>, Error> {
    let mut outputs = crate::review::write(out_dir, pairs, verdicts, limit).map_err(|e| {
        Error::io(
            format!("writing the review list into `{}`", out_dir.display()),
            e,
        )
    })?;
    let Some(recall) = recall else {
        return Ok(outputs);
    };
    let frame = |rows: &[crate::recall::RecallEntry]| {
        crate::tables::recall(rows)
            .map_err(|e| Error::Run(format!("Building the recall list failed: {e}")))
    };
    let workbook = |rows: &[crate::recall::RecallEntry], df: &polars::prelude::DataFrame| {
        let name = format!(
            "recall-{}.xlsx",
            crate::output::file_safe(&rows[0].position_id)
        );
        let path = out_dir.join(&name);
        crate::output::xlsx::write_recall(&path, df)
            .map_err(|e| Error::io(format!("writing `{}`", path.display()), e))?;
        Ok(crate::output::Written {
            path: name,
            rows: df.height(),
        })
    };
    let path = out_dir.join("recall.csv");
    let csv_error = |e| Error::io(format!("writing `{}`", path.display()), e);
    // The recall stage lists rows by position (a list that is not is put
    // so, keeping each position's order), so a position's rows are next
    // to each other: one frame per position gives its rows of recall.csv
    // and its workbook, and no frame of every row is held (at a million
    // candidates, hundreds of megabytes of messages). One workbook at a
    // time, as the dataset's tables keep the other core busy.
    let recall: std::borrow::Cow<'_, [crate::recall::RecallEntry]> =
        if recall.is_sorted_by(|a, b| a.position_id <= b.position_id) {
            std::borrow::Cow::Borrowed(recall)
        } else {
            let mut sorted = recall.to_vec();
            sorted.sort_by(|a, b| a.position_id.cmp(&b.position_id));
            std::borrow::Cow::Owned(sorted)
        };
    let mut per_position: Vec<Result<crate::output::Written, Error>> = Vec::new();
    crate::output::csv::write_with(&path, |sink| {
        if recall.is_empty() {
            // The header row alone.
            return sink.rows(&frame(&[]).map_err(std::io::Error::other)?);
        }
        for rows in recall.chunk_by(|a, b| a.position_id == b.position_id) {
            let df = frame(rows).map_err(std::io::Error::other)?;
            sink.rows(&df)?;
            per_position.push(workbook(rows, &df));
        }
        Ok(())
    })
    .map_err(csv_error)?;
    outputs.push(crate::output::Written {
        path: "recall.csv".into(),
        rows: recall.len(),
    });
    for w in per_position {
        outputs.push(w?);
    }
    Ok(outputs)
}

/// Everything ingest and normalize produce, before resolution.
pub struct Loaded {
    pub data: Dataset,
    pub counts: Vec<SourceCounts>,
    pub inputs: Vec<InputFile>,
    pub skipped: Vec<SkippedEntry>,
    pub failures: Vec<String>,
    pub timings: BTreeMap<String, u64>,
    /// Parsed chat files, for extraction once candidates are resolved.
    pub chats: Vec<crate::chatlink::ChatFile>,
    /// Contact-log and returned-recall rows with their source index, for
    /// linking once candidates are resolved.
    pub contacts: Vec<(usize, normalize::ContactRow)>,
    /// Returned recall rows that are not contacts but show who was listed.
    pub listings: Vec<normalize::Listing>,
    /// Candidate survey answers from `role = "survey"` sources, in plan order.
    pub surveys: Vec<crate::stats::SurveyResponse>,
}

/// Reads every source of the plan and normalizes it (files in parallel,
/// results in plan order), without the reuse cache.
pub fn load(plan: &Plan) -> Loaded {
    let mut meter = Meter::new();
    let mut loaded = load_metered(plan, None, &mut meter);
    loaded.timings = meter.timings_ms();
    loaded
}

/// What one input file contributes to a run once read and normalized, in
/// the order the run appends it: all a run takes from the file, and so all
/// that a reuse cache entry keeps (see [`crate::cache`]; bump
/// [`crate::cache::FORMAT`] when this or anything it holds changes shape).
#[derive(Serialize, Deserialize)]
struct FileLoad {
    input: InputRead,
    counts: FileCounts,
    skipped: Vec<Skipped>,
    /// Records: the file's own (chat messages, rejected chat lines and
    /// survey problems) first, then one part per table.
    data: Vec<Dataset>,
    /// A chat file's parsed messages, for extraction after resolution.
    chat: Option<Vec<crate::chat::Message>>,
    contacts: Vec<normalize::ContactRow>,
    listings: Vec<normalize::Listing>,
    surveys: Vec<crate::stats::SurveyResponse>,
}

/// What reading learned about a file: [`InputFile`] without what the plan
/// says (source, kind, path) or how this run got it (`reused`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct InputRead {
    size: u64,
    sha256: String,
    encoding: Option<String>,
    #[serde(deserialize_with = "crate::cache::shared")]
    encoding_evidence: Option<crate::model::Code>,
    delimiter: Option<String>,
    sheets: Vec<crate::ingest::excel::SheetInfo>,
    chat_format: Option<String>,
    notes: Vec<String>,
    error: Option<String>,
}

impl InputRead {
    fn into_input(self, src: &PlannedSource, display: &str, reused: bool) -> InputFile {
        InputFile {
            source: src.label.clone(),
            kind: src.kind.name(),
            path: display.to_string(),
            size: self.size,
            sha256: self.sha256,
            encoding: self.encoding,
            encoding_evidence: self.encoding_evidence,
            delimiter: self.delimiter,
            sheets: self.sheets,
            chat_format: self.chat_format,
            notes: self.notes,
            error: self.error,
            reused,
        }
    }
}

/// One file's share of its source's row accounting.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct FileCounts {
    rows_read: u64,
    rows_kept: u64,
    rows_quarantined: u64,
    rows_non_data: u64,
    values_quarantined: u64,
    non_data: BTreeMap<String, u64>,
}

impl FileCounts {
    fn non_data(&mut self, kind: &str, rows: u64) {
        self.rows_non_data += rows;
        *self.non_data.entry(kind.to_string()).or_default() += rows;
    }

    fn add_to(&self, c: &mut SourceCounts) {
        c.rows_read += self.rows_read;
        c.rows_kept += self.rows_kept;
        c.rows_quarantined += self.rows_quarantined;
        c.rows_non_data += self.rows_non_data;
        c.values_quarantined += self.values_quarantined;
        for (k, v) in &self.non_data {
            *c.non_data.entry(k.clone()).or_default() += v;
        }
    }
}

/// A file as the ingest stage left it: reused whole from the cache, or
/// read (its tables still to normalize) with the key to store it under.
enum Ingested {
    Reused(FileLoad),
    Read(FileRead, Option<crate::cache::Key>),
}

/// Everything that determines what reading and normalizing a source's
/// files gives, apart from each file's own bytes, path and the executable
/// (see [`crate::cache`]): the source's settings (all but its file list,
/// since files are normalized one by one) and `[normalize]`. Nothing else
/// reaches the ingest and normalize stages: they get no as-of date, clock
/// or environment, only the plan, so resolution, scoring, recall, notices
/// and report settings, and `--as-of`, never invalidate an entry.
fn source_keys(plan: &Plan) -> Vec<String> {
    let normalize = format!("{:?}", plan.normalize_spec);
    plan.sources
        .iter()
        .map(|s| {
            let mut settings = s.clone();
            settings.files.clear();
            format!("{settings:?}\n{normalize}")
        })
        .collect()
}

/// [`load`] with the `ingest` and `normalize` stages timed into `meter`,
/// reusing what `cache` holds for unchanged files and storing the rest.
pub fn load_metered(plan: &Plan, cache: Option<&crate::cache::Cache>, meter: &mut Meter) -> Loaded {
    let t = meter.start();
    let jobs: Vec<(usize, &PlannedSource, &PathBuf, &String)> = plan
        .sources
        .iter()
        .enumerate()
        .flat_map(|(i, s)| {
            s.files
                .iter()
                .map(move |(abs, display)| (i, s, abs, display))
        })
        .collect();
    let keys = source_keys(plan);
    let progress = crate::progress::bar(jobs.len() as u64, "Reading");
    let ingested: Vec<Ingested> = jobs
        .par_iter()
        .map(|(i, src, abs, display)| {
            let r = read_file(*i, src, abs, display, plan, cache.map(|c| (c, &keys[*i])));
            progress.inc(1);
            r
        })
        .collect();
    progress.finish_and_clear();
    meter.stop("ingest", t);

    let t = meter.start();
    // Every table of every file read is normalized in one parallel pass (a
    // big file's sheets are not left to wait for the next file), and a
    // table's raw rows are freed as soon as it is done.
    let contexts: Vec<normalize::Context> = plan
        .sources
        .iter()
        .map(|src| normalize::Context {
            source: Arc::from(src.label.as_str()),
            priority: src.priority,
            role: src.role,
            settings: &plan.normalize,
        })
        .collect();
    let mut ingested = ingested;
    let tables: Vec<(usize, usize, RawTable)> = ingested
        .iter_mut()
        .enumerate()
        .flat_map(|(r, job)| match job {
            Ingested::Read(read, _) => std::mem::take(&mut read.tables)
                .into_iter()
                .map(|t| (r, read.source, t))
                .collect(),
            Ingested::Reused(_) => Vec::new(),
        })
        .collect();
    let normalized: Vec<(usize, NormalizedTable)> = tables
        .into_par_iter()
        .map(|(r, source, mut table)| {
            let n = normalize::table_freeing(&mut table, &contexts[source]);
            (r, NormalizedTable::new(table, n))
        })
        .collect();
    let mut normalized = normalized.into_iter().peekable();
    let mut loads: Vec<(FileLoad, bool, Option<crate::cache::Key>)> = Vec::new();
    for (r, job) in ingested.into_iter().enumerate() {
        match job {
            Ingested::Reused(load) => loads.push((load, true, None)),
            Ingested::Read(read, key) => {
                let mut tables = Vec::new();
                while let Some((_, t)) = normalized.next_if(|(of, _)| *of == r) {
                    tables.push(t);
                }
                let ctx = &contexts[read.source];
                loads.push((contribution(read, tables, ctx), false, key));
            }
        }
    }
    if let Some(cache) = cache {
        // A file that could not be read is not stored: the next run tries
        // it again (the problem may be gone without the bytes changing).
        loads
            .par_iter()
            .zip(&jobs)
            .for_each(|((load, _, key), (_, _, _, display))| {
                if let Some(key) = key
                    && load.input.error.is_none()
                {
                    cache.put(key, display, load);
                }
            });
    }

    let mut parts = Vec::new();
    let mut counts: Vec<SourceCounts> = plan
        .sources
        .iter()
        .map(|s| SourceCounts {
            source: s.label.clone(),
            kind: s.kind.name(),
            files: s.files.len(),
            ..Default::default()
        })
        .collect();
    let mut failures = Vec::new();
    let mut inputs = Vec::new();
    let mut skipped = Vec::new();
    let mut chats = Vec::new();
    let mut contacts = Vec::new();
    let mut listings = Vec::new();
    let mut surveys = Vec::new();
    for ((load, reused, _), (source, src, _, display)) in loads.into_iter().zip(&jobs) {
        let c = &mut counts[*source];
        if let Some(err) = &load.input.error {
            failures.push(format!("{}: `{}`: {err}", src.label, display));
            c.files_failed += 1;
        }
        c.files_reused += usize::from(reused);
        load.counts.add_to(c);
        skipped.extend(load.skipped.into_iter().map(|s| SkippedEntry {
            source: src.label.clone(),
            file: s.file,
            sheet: s.sheet,
            reason: s.reason,
            rows: s.rows,
        }));
        if let Some(messages) = load.chat {
            chats.push(crate::chatlink::ChatFile {
                source: Arc::from(src.label.as_str()),
                file: Arc::from(display.as_str()),
                messages,
            });
        }
        parts.extend(load.data);
        contacts.extend(load.contacts.into_iter().map(|row| (*source, row)));
        listings.extend(load.listings);
        surveys.extend(load.surveys);
        inputs.push(load.input.into_input(src, display, reused));
    }
    let mut data = Dataset::concat(parts);
    normalize::link_positions(&mut data);
    meter.stop("normalize", t);
    Loaded {
        data,
        counts,
        inputs,
        skipped,
        failures,
        timings: BTreeMap::new(),
        chats,
        contacts,
        listings,
        surveys,
    }
}

/// What a file read and its normalized tables contribute, in the order
/// the run appends it (the same whether it comes from here or a cache).
fn contribution(
    read: FileRead,
    tables: Vec<NormalizedTable>,
    ctx: &normalize::Context,
) -> FileLoad {
    let mut counts = FileCounts::default();
    for s in &read.skipped {
        counts.rows_read += s.rows;
        if s.rows > 0 {
            counts.non_data("skipped sheet", s.rows);
        }
    }
    let file: Arc<str> = Arc::from(read.path.as_str());
    let mut own = Dataset::default();
    let mut chat = None;
    if let Some(c) = read.chat {
        counts.rows_read += (c.messages.len() + c.rejected.len()) as u64;
        counts.rows_kept += c.messages.len() as u64;
        counts.rows_quarantined += c.rejected.len() as u64;
        for r in c.rejected {
            own.quarantine.push(QuarantineEntry {
                source: ctx.source.clone(),
                file: file.clone(),
                sheet: None,
                row: r.line as u32,
                column: String::new(),
                level: Level::Row,
                value: r.raw,
                reason: r.reason,
            });
        }
        own.messages = c.messages;
        chat = Some(c.parsed);
    }
    let mut surveys = Vec::new();
    for (sheet, s) in read.surveys {
        counts.rows_read += s.rows_read;
        counts.rows_kept += s.rows_kept;
        counts.rows_quarantined += s.rows_quarantined;
        counts.values_quarantined += s.values_quarantined;
        for (k, v) in &s.non_data {
            counts.non_data(k, *v);
        }
        for p in s.problems {
            own.quarantine.push(QuarantineEntry {
                source: ctx.source.clone(),
                file: file.clone(),
                sheet: sheet.as_deref().map(Arc::from),
                row: p.row,
                column: p.column,
                level: p.level,
                value: p.value,
                reason: p.reason,
            });
        }
        surveys.extend(s.responses);
    }
    let mut data = vec![own];
    let (mut contacts, mut listings) = (Vec::new(), Vec::new());
    for NormalizedTable {
        table,
        normalized: mut n,
    } in tables
    {
        counts.rows_read += table.rows_read;
        for (k, v) in &table.non_data {
            counts.non_data(k, *v);
        }
        counts.rows_quarantined += table.rejected.len() as u64 + n.rows_quarantined;
        counts.rows_kept += n.rows_kept;
        counts.values_quarantined += n.values_quarantined;
        if n.rows_no_outcome > 0 {
            counts.non_data("no outcome filled in", n.rows_no_outcome);
        }
        contacts.append(&mut n.contacts);
        listings.append(&mut n.listings);
        // Rows ingest rejected come before the values normalization did.
        let table_file: Arc<str> = Arc::from(table.file.as_str());
        let sheet: Option<Arc<str>> = table.sheet.as_deref().map(Arc::from);
        let mut quarantine: Vec<QuarantineEntry> = table
            .rejected
            .into_iter()
            .map(|r| QuarantineEntry {
                source: ctx.source.clone(),
                file: table_file.clone(),
                sheet: sheet.clone(),
                row: r.row,
                column: String::new(),
                level: Level::Row,
                value: r.raw,
                reason: r.reason,
            })
            .collect();
        if !quarantine.is_empty() {
            quarantine.append(&mut n.data.quarantine);
            n.data.quarantine = quarantine;
        }
        data.push(n.data);
    }
    FileLoad {
        input: read.input,
        counts,
        skipped: read.skipped,
        data,
        chat,
        contacts,
        listings,
        surveys,
    }
}

/// Reads one file, or takes what an earlier run made of it from `cache`
/// (with the source's key, see [`source_keys`]) when its bytes hash to a
/// stored entry.
fn read_file(
    index: usize,
    src: &PlannedSource,
    abs: &Path,
    display: &str,
    plan: &Plan,
    cache: Option<(&crate::cache::Cache, &String)>,
) -> Ingested {
    let mut input = InputRead::default();
    let mut out = FileRead {
        source: index,
        path: display.to_string(),
        input: input.clone(),
        tables: Vec::new(),
        skipped: Vec::new(),
        chat: None,
        surveys: Vec::new(),
    };
    // Checked before reading: the file would be read whole into memory.
    match std::fs::metadata(abs) {
        Ok(m) if m.len() > plan.max_input_bytes => {
            input.size = m.len();
            let size = match crate::ingest::human_bytes(m.len()) {
                exact if m.len() < 1024 => exact,
                rounded => format!("{rounded} ({} bytes)", m.len()),
            };
            input.error = Some(format!(
                "the file is {size}, larger than the {} limit; raise `max_input_bytes` in the pipeline to read it",
                crate::ingest::human_bytes(plan.max_input_bytes)
            ));
            out.input = input;
            return Ingested::Read(out, None);
        }
        _ => {}
    }
    let bytes = match std::fs::read(abs) {
        Ok(b) => b,
        Err(e) => {
            input.error = Some(format!("cannot read: {e}"));
            out.input = input;
            return Ingested::Read(out, None);
        }
    };
    input.size = bytes.len() as u64;
    input.sha256 = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let key = cache.and_then(|(cache, settings)| {
        cache.key(&[
            input.sha256.as_bytes(),
            abs.as_os_str().as_encoded_bytes(),
            display.as_bytes(),
            settings.as_bytes(),
        ])
    });
    if let (Some((cache, _)), Some(key)) = (cache, &key)
        && let Some(load) = cache.get(key, display)
    {
        return Ingested::Reused(load);
    }
    if src.role == Role::Survey {
        read_survey_file(src, abs, display, &bytes, &mut input, &mut out);
        out.input = input;
        return Ingested::Read(out, key);
    }
    let header = HeaderOptions {
        table: match src.role {
            Role::RecallOutcomes => crate::ingest::header::HeaderTable::recall_outcomes(),
            _ => &plan.normalize.headers,
        },
        overrides: &src.columns,
        expect: match src.role {
            Role::Candidates => Expect::Candidates,
            Role::Positions => Expect::Positions,
            Role::Contacts => Expect::Contacts,
            Role::RecallOutcomes => Expect::RecallOutcomes,
            Role::Survey => unreachable!("survey sources returned above"),
        },
        forced_row: None,
    };
    match src.kind {
        SourceKind::Excel => {
            // calamine reads the file itself; the bytes were for the hash.
            drop(bytes);
            let opts = excel::ExcelOptions {
                sheets: src.sheets.as_deref(),
                include_hidden: src.include_hidden,
                header_row: src.header_row,
                header,
            };
            match excel::read_workbook(abs, display, &opts) {
                Ok(wb) => {
                    input.sheets = wb.sheets;
                    out.tables = wb.tables;
                    out.skipped = wb.skipped;
                }
                Err(e) => input.error = Some(e),
            }
        }
        SourceKind::Chat => {
            if bytes.is_empty() {
                input.error = Some("the file is empty (0 bytes)".to_string());
            } else {
                let decoded = decode::decode_owned(bytes, src.encoding);
                input.encoding = Some(decoded.encoding.to_string());
                input.encoding_evidence = Some(decoded.evidence.describe());
                input.notes.extend(decoded.problem());
                match read_chat(&decoded.text, src, display) {
                    Ok((chat, format, notes)) => {
                        input.chat_format = Some(format);
                        input.notes.extend(notes);
                        out.chat = Some(chat);
                    }
                    Err(e) => input.error = Some(e),
                }
            }
        }
        SourceKind::Csv => {
            if bytes.is_empty() {
                input.error = Some("the file is empty (0 bytes)".to_string());
            } else {
                let decoded = decode::decode_owned(bytes, src.encoding);
                input.encoding = Some(decoded.encoding.to_string());
                input.encoding_evidence = Some(decoded.evidence.describe());
                input.notes.extend(decoded.problem());
                match delimited::read_table(
                    &decoded.text,
                    display,
                    src.delimiter,
                    src.header_row,
                    header,
                ) {
                    Ok((table, delimiter)) => {
                        input.delimiter = Some(delimiter.to_string());
                        out.tables.push(table);
                    }
                    Err((reason, rows)) => out.skipped.push(Skipped {
                        file: display.to_string(),
                        sheet: None,
                        reason,
                        rows,
                    }),
                }
            }
        }
    }
    out.input = input;
    Ingested::Read(out, key)
}

/// Reads a survey source: every sheet of a workbook (or the pipeline's
/// `sheets`), or the one grid of a CSV file.
fn read_survey_file(
    src: &PlannedSource,
    abs: &Path,
    display: &str,
    bytes: &[u8],
    input: &mut InputRead,
    out: &mut FileRead,
) {
    use crate::ingest::survey;
    let bank = crate::stats::QuestionBank::builtin();
    let mut grids: Vec<(Option<String>, crate::ingest::Grid)> = Vec::new();
    match src.kind {
        SourceKind::Excel => {
            let names = match &src.sheets {
                Some(s) => Ok(s.clone()),
                None => excel::sheet_names(abs),
            };
            match names {
                Ok(names) => {
                    for name in names {
                        match excel::sheet_grid(abs, &name) {
                            Ok(g) => grids.push((Some(name), g)),
                            Err(e) => out.skipped.push(Skipped {
                                file: display.to_string(),
                                sheet: Some(name),
                                reason: e,
                                rows: 0,
                            }),
                        }
                    }
                }
                Err(e) => input.error = Some(e),
            }
        }
        SourceKind::Csv | SourceKind::Chat => {
            if bytes.is_empty() {
                input.error = Some("the file is empty (0 bytes)".to_string());
                return;
            }
            let decoded = decode::decode(bytes, src.encoding);
            input.encoding = Some(decoded.encoding.to_string());
            input.encoding_evidence = Some(decoded.evidence.describe());
            input.notes.extend(decoded.problem());
            let delimiter = src
                .delimiter
                .unwrap_or_else(|| delimited::sniff(&decoded.text));
            input.delimiter = Some(delimiter.to_string());
            let (grid, rejected) = delimited::read_grid(&decoded.text, delimiter);
            if !rejected.is_empty() {
                let mut read = survey::SurveyRead {
                    rows_read: rejected.len() as u64,
                    rows_quarantined: rejected.len() as u64,
                    ..Default::default()
                };
                read.problems = rejected
                    .into_iter()
                    .map(|r| survey::SurveyProblem {
                        row: r.row,
                        column: String::new(),
                        level: Level::Row,
                        value: r.raw,
                        reason: r.reason,
                    })
                    .collect();
                out.surveys.push((None, read));
            }
            grids.push((None, grid));
        }
    }
    for (sheet, grid) in grids {
        let name = match &sheet {
            Some(s) => format!("{display}#{s}"),
            None => display.to_string(),
        };
        match survey::read_grid(&grid, &name, src.survey_layout, src.header_row, bank) {
            Ok(read) => {
                if !read.unmatched_columns.is_empty() {
                    input.notes.push(format!(
                        "{}: columns ignored (no survey question): {}",
                        sheet.as_deref().unwrap_or("survey"),
                        read.unmatched_columns.join(", ")
                    ));
                }
                out.surveys.push((sheet, read));
            }
            Err((reason, rows)) => out.skipped.push(Skipped {
                file: display.to_string(),
                sheet,
                reason,
                rows,
            }),
        }
    }
}

/// Parses a decoded chat export into message records; the format is the
/// pipeline's or detected from the content.
fn read_chat(
    text: &str,
    src: &PlannedSource,
    display: &str,
) -> Result<(ChatRead, String, Vec<String>), String> {
    let (format, why) = match src.chat_format {
        Some(f) => (f, "set in the pipeline"),
        None => crate::chat::detect(text, display).ok_or_else(|| {
            "not a chat export hrflow recognises; set `format` in the pipeline (see `hrflow inspect`)".to_string()
        })?,
    };
    let parsed = crate::chat::parse(text, format, &src.chat_options);
    let at = crate::model::Location::new(Arc::from(src.label.as_str()), Arc::from(display), None);
    let messages = parsed
        .messages
        .iter()
        .map(|m| {
            let line = m.line.to_string();
            MessageRecord {
                message_id: stable_id("M", &[display, &line]),
                origin: Some(Origin {
                    at: at.clone(),
                    row: m.line as u32,
                }),
                platform: snake(&m.platform),
                chat_name: m.chat_name.clone().or_else(|| parsed.chat_name.clone()),
                chat_kind: snake(&m.chat_kind),
                at: Some(m.at),
                sender: m.sender.clone(),
                sender_id: m.sender_id.clone(),
                is_system: m.is_system,
                kind: snake(&m.kind),
                text: m.text.clone(),
            }
        })
        .collect();
    let mut notes = parsed.notes.clone();
    notes.insert(0, format!("format {} ({why})", format.name()));
    Ok((
        ChatRead {
            messages,
            parsed: parsed.messages,
            rejected: parsed.rejected,
        },
        format.name().to_string(),
        notes,
    ))
}

/// The snake_case name serde gives a unit enum variant.
fn snake<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|j| j.as_str().map(str::to_string))
        .unwrap_or_default()
}
