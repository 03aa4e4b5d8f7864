//! `hrflow bench`: measurements on generated data with ground truth.
//!
//! `bench resolve` generates a messy multi-source dataset of N persons
//! (`hrflow gen`), reads and normalizes it through the generated pipeline,
//! times entity resolution, and scores it against the generator's true
//! entity ids with pairwise precision, recall and F1. Pairwise counts come
//! from the contingency table of (true entity, predicted entity), so no pair
//! list is ever built: a cluster of k records holds k·(k−1)/2 pairs.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use chrono::NaiveDate;

use crate::generator::{GenOptions, generate};
use crate::plan::Plan;

/// Pairwise quality of a clustering against the truth.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairScores {
    pub true_pairs: u64,
    pub predicted_pairs: u64,
    pub correct_pairs: u64,
}

impl PairScores {
    pub fn precision(&self) -> f64 {
        if self.predicted_pairs == 0 {
            1.0
        } else {
            self.correct_pairs as f64 / self.predicted_pairs as f64
        }
    }
    pub fn recall(&self) -> f64 {
        if self.true_pairs == 0 {
            1.0
        } else {
            self.correct_pairs as f64 / self.true_pairs as f64
        }
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn pairs(k: u64) -> u64 {
    k * k.saturating_sub(1) / 2
}

/// Pairwise scores of `predicted` against `truth` (one label per record).
pub fn pair_scores<T: std::hash::Hash + Eq, P: std::hash::Hash + Eq>(
    truth: &[T],
    predicted: &[P],
) -> PairScores {
    let mut t: HashMap<&T, u64> = HashMap::new();
    let mut p: HashMap<&P, u64> = HashMap::new();
    let mut both: HashMap<(&T, &P), u64> = HashMap::new();
    for (a, b) in truth.iter().zip(predicted) {
        *t.entry(a).or_default() += 1;
        *p.entry(b).or_default() += 1;
        *both.entry((a, b)).or_default() += 1;
    }
    PairScores {
        true_pairs: t.values().map(|&k| pairs(k)).sum(),
        predicted_pairs: p.values().map(|&k| pairs(k)).sum(),
        correct_pairs: both.values().map(|&k| pairs(k)).sum(),
    }
}

/// Peak resident memory of this process so far, in MiB (Linux).
pub fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Heap bytes a block of `n` requested bytes takes in the allocator: the
/// size class it is rounded up to (mimalloc's: multiples of 8 up to 64
/// bytes, then four classes per power of two).
fn size_class(n: usize) -> usize {
    if n == 0 {
        0
    } else if n <= 64 {
        n.div_ceil(8) * 8
    } else {
        let p = usize::BITS - 1 - (n - 1).leading_zeros();
        let step = 1usize << (p - 2);
        n.div_ceil(step) * step
    }
}

/// Where the memory of a set of person records goes: for each group of
/// fields, the number of heap blocks and their bytes rounded to the
/// allocator's size classes; the records themselves (their inline size) come
/// first. Shared strings (`Arc<str>`: origins, position keys) are counted
/// once per distinct allocation.
pub fn person_memory(persons: &[crate::model::PersonRecord]) -> Vec<(&'static str, u64, u64)> {
    use std::collections::HashSet;
    let mut rows: Vec<(&'static str, u64, u64)> = Vec::new();
    let mut add =
        |group: &'static str, blocks: u64, bytes: u64| match rows.iter_mut().find(|r| r.0 == group)
        {
            Some(r) => {
                r.1 += blocks;
                r.2 += bytes;
            }
            None => rows.push((group, blocks, bytes)),
        };
    add("records (inline)", 1, std::mem::size_of_val(persons) as u64);
    let block = |n: usize| (u64::from(n > 0), size_class(n) as u64);
    let mut shared: HashSet<*const u8> = HashSet::new();
    for p in persons {
        p.heap_blocks(&mut |group, n| {
            let (b, s) = block(n);
            add(group, b, s);
        });
        p.shared_blocks(&mut |ptr, n| {
            if shared.insert(ptr) {
                let (b, s) = block(n);
                add("shared strings", b, s);
            }
        });
    }
    rows
}

/// How `bench resolve` runs.
#[derive(Debug, Clone, Default)]
pub struct ResolveBench {
    /// True persons to generate.
    pub candidates: usize,
    pub seed: u64,
    /// Use the data already generated in the folder (same `candidates` and
    /// `seed`, as recorded in its `bench.txt`) instead of generating again.
    pub reuse: bool,
    /// Print up to this many wrongly merged and missed pairs, with their
    /// field levels and values.
    pub explain: usize,
}

/// Current resident memory of this process, in MiB (Linux).
pub fn rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Resets the peak resident memory (`VmHWM`) to the current value, so a
/// later [`peak_rss_mib`] measures one stage (Linux ≥ 4.0; false elsewhere).
pub fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// What the generator writes changes with this number; `--reuse` only
/// reuses data written by the same version.
const GENERATOR_VERSION: u32 = 2;

/// Generates `n` persons with `seed` into `dir`, or with `reuse` keeps what
/// an earlier run generated there with the same settings (recorded in
/// `bench.txt`); says which in `out`.
fn generate_or_reuse(
    out: &mut String,
    dir: &Path,
    n: usize,
    seed: u64,
    reuse: bool,
) -> Result<(), String> {
    let stamp = format!("candidates {n}\nseed {seed}\ngenerator {GENERATOR_VERSION}\n");
    let marker = dir.join("bench.txt");
    let reusable = std::fs::read_to_string(&marker).is_ok_and(|s| s == stamp);
    if reuse && reusable {
        writeln!(out, "generate      (reusing {})", dir.display()).ok();
        return Ok(());
    }
    let t = Instant::now();
    generate(&GenOptions {
        out: dir.to_path_buf(),
        candidates: Some(n),
        seed,
    })
    .map_err(|e| format!("{e:#}"))?;
    std::fs::write(&marker, &stamp).map_err(|e| e.to_string())?;
    writeln!(
        out,
        "generate      {:>8.2} s  ({n} persons, seed {seed})",
        t.elapsed().as_secs_f64()
    )
    .ok();
    Ok(())
}

fn load_plan(path: &Path) -> Result<Plan, String> {
    let mut plan = Plan::load(path).map_err(|e| {
        e.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    })?;
    // A benchmark times the whole work; its output folder is kept between
    // runs, and reusing that folder's cache would time the cache instead.
    plan.use_cache = false;
    Ok(plan)
}

/// The process's peak resident memory across stages. Each stage's own peak
/// is read from `VmHWM` after resetting it when the stage starts; the
/// kernel's maximum (what `getrusage` and `/usr/bin/time` report at exit)
/// is reset with it, so it only covers the last stage. This keeps the
/// maximum over all stages.
#[derive(Debug, Default)]
struct Peaks {
    process: Option<f64>,
    /// Whether resetting works here (Linux ≥ 4.0).
    resets: bool,
}

impl Peaks {
    fn start() -> Peaks {
        let mut p = Peaks::default();
        p.next();
        p
    }

    /// The peak since the previous call (or since the process started),
    /// then a reset for the next stage.
    fn next(&mut self) -> Option<f64> {
        let peak = peak_rss_mib();
        if let Some(m) = peak {
            self.process = Some(self.process.map_or(m, |p| p.max(m)));
        }
        self.resets = reset_peak_rss();
        peak
    }
}

/// Lets the allocator give memory freed by the previous stage back to the
/// system before the next stage is measured. mimalloc returns ("purges")
/// freed pages only once they have been free for its purge delay (1 s by
/// default), only when a page is later freed, and then in a quarter of its
/// arenas at most once per tenth of the delay: this waits out the delay,
/// then frees a large block every tenth of it, enough times to visit every
/// arena.
fn return_freed_memory() {
    std::thread::sleep(std::time::Duration::from_millis(1100));
    for _ in 0..12 {
        drop(std::hint::black_box(vec![0u8; 64 << 20]));
        std::thread::sleep(std::time::Duration::from_millis(110));
    }
}

/// Generates `n` persons into `dir`, resolves them, and reports quality and time.
pub fn resolve(bench: &ResolveBench, dir: &Path) -> Result<String, String> {
    let (n, seed) = (bench.candidates, bench.seed);
    let mut out = String::new();
    generate_or_reuse(&mut out, dir, n, seed, bench.reuse)?;
    let plan = load_plan(&dir.join("pipeline.toml"))?;
    let mut peaks = Peaks::start();
    // Reading and normalizing run on threads of their own, ended before
    // resolution: the allocator keeps the pages a thread allocated with
    // that thread until it allocates again or ends, so memory freed from
    // an idle pool's pages (the raw rows, lineage and events dropped
    // below) would otherwise stay resident and be counted as resolution's.
    let (exited, exits) = std::sync::mpsc::channel::<()>();
    let pool = rayon::ThreadPoolBuilder::new()
        .exit_handler(move |_| {
            exited.send(()).ok();
        })
        .build()
        .map_err(|e| e.to_string())?;
    let threads = pool.current_num_threads();
    let t = Instant::now();
    let mut loaded = pool.install(|| crate::run::load(&plan));
    writeln!(
        out,
        "read+normalize{:>8.2} s  ({} person records)",
        t.elapsed().as_secs_f64(),
        loaded.data.persons.len()
    )
    .ok();
    let load_peak = peaks.next();
    let load_end = rss_mib();
    let (rows_bytes, tables_bytes) = loaded.data.lineage.heap_bytes();
    writeln!(
        out,
        "  lineage {} values: {:.1} MiB in rows and value text, {:.1} MiB in places and ids",
        loaded.data.lineage.len(),
        rows_bytes as f64 / 1048576.0,
        tables_bytes as f64 / 1048576.0
    )
    .ok();
    // Resolution sees the person records only: the rest of the dataset is
    // dropped so the stage's own memory can be measured.
    let t = Instant::now();
    crate::entities::fill_applied(&mut loaded.data);
    let fill_secs = t.elapsed().as_secs_f64();
    let mut persons = std::mem::take(&mut loaded.data.persons);
    drop(pool);
    for _ in 0..threads {
        exits.recv().ok();
    }
    drop(loaded);
    return_freed_memory();
    // Where each record came from, compactly, to look up its true entity
    // once resolution is measured: (table, row) with the tables interned.
    let mut tables: Vec<(String, String)> = Vec::new();
    let mut table_of: HashMap<(&str, &str), u32> = HashMap::new();
    let places: Vec<Option<(u32, u32)>> = persons
        .iter()
        .map(|p| {
            let o = p.origin.as_ref()?;
            let key = (&*o.file, o.sheet.as_deref().unwrap_or(""));
            let t = *table_of.entry(key).or_insert_with(|| {
                tables.push((key.0.to_string(), key.1.to_string()));
                (tables.len() - 1) as u32
            });
            Some((t, o.row))
        })
        .collect();
    drop(table_of);
    let memory = person_memory(&persons);
    let records = persons.len();
    let fill_peak = peaks.next();
    let before = rss_mib();
    let t = Instant::now();
    let mut res = crate::resolve::resolve(&persons, None, &plan.resolve);
    let secs = t.elapsed().as_secs_f64();
    let resolve_peak = peaks.next();
    // The surviving records, as the pipeline builds them: taking the
    // person records, moving the single-member ones (a copy when the
    // error analysis below still needs them).
    let input = if bench.explain > 0 {
        persons.clone()
    } else {
        std::mem::take(&mut persons)
    };
    let t = Instant::now();
    let survivors = crate::resolve::survivors(
        std::mem::take(&mut res.entities),
        input,
        &plan.resolve.survivorship,
    );
    let secs = secs + t.elapsed().as_secs_f64();
    let survivors_peak = peaks.next();
    let stage_peak = match (resolve_peak, survivors_peak) {
        (Some(r), Some(s)) => Some(r.max(s)),
        (r, s) => r.or(s),
    };
    let entities = survivors.len();
    drop(survivors);
    let truth_text =
        std::fs::read_to_string(dir.join("ground_truth.csv")).map_err(|e| e.to_string())?;
    let mut truth_of: HashMap<(String, String, u32), String> = HashMap::new();
    let mut r = csv::Reader::from_reader(truth_text.as_bytes());
    for rec in r.records().flatten() {
        if let (Some(f), Some(s), Some(row), Some(e)) = (
            rec.get(0),
            rec.get(1),
            rec.get(2).and_then(|x| x.parse().ok()),
            rec.get(3),
        ) {
            truth_of.insert((f.to_string(), s.to_string(), row), e.to_string());
        }
    }
    drop(truth_text);
    let mut truth = Vec::new();
    let mut predicted = Vec::new();
    let mut unmatched = 0;
    for (i, place) in places.iter().enumerate() {
        let Some((t, row)) = *place else { continue };
        let (file, sheet) = &tables[t as usize];
        match truth_of.get(&(file.clone(), sheet.clone(), row)) {
            Some(e) => {
                truth.push(e.as_str());
                predicted.push(res.entity_of[i]);
            }
            None => unmatched += 1,
        }
    }
    let s = pair_scores(&truth, &predicted);
    writeln!(
        out,
        "applications  {fill_secs:>8.2} s  (positions and dates per record)"
    )
    .ok();
    writeln!(
        out,
        "resolve       {secs:>8.2} s  ({} candidate pairs, {} entities)",
        res.merges.len(),
        entities
    )
    .ok();
    let steps: Vec<String> = res
        .step_ms
        .iter()
        .map(|(s, ms)| format!("{s} {:.2}", *ms as f64 / 1000.0))
        .collect();
    writeln!(out, "  steps (s): {}", steps.join(", ")).ok();
    let records_mib = memory.iter().map(|r| r.2).sum::<u64>() as f64 / 1048576.0;
    if let (true, Some(before), Some(peak)) = (peaks.resets, before, stage_peak) {
        writeln!(
            out,
            "resolve RSS   {peak:>8.0} MiB peak ({before:.0} MiB resident before, of which the person records {records_mib:.0} MiB)"
        )
        .ok();
        if let (Some(r), Some(s)) = (resolve_peak, survivors_peak) {
            writeln!(
                out,
                "  peak of resolving {r:.0} MiB, of building the surviving records {s:.0} MiB"
            )
            .ok();
        }
    }
    writeln!(
        out,
        "pairs: true {}, predicted {}, correct {}  →  precision {:.4}, recall {:.4}, F1 {:.4}",
        s.true_pairs,
        s.predicted_pairs,
        s.correct_pairs,
        s.precision(),
        s.recall(),
        s.f1()
    )
    .ok();
    if unmatched > 0 {
        writeln!(out, "records without a ground-truth row: {unmatched}").ok();
    }
    if bench.explain > 0 {
        explain(&mut out, &persons, &truth_of, &res, bench.explain);
    }
    writeln!(
        out,
        "person records in memory ({} records of {} bytes, heap blocks in allocator size classes):",
        records,
        std::mem::size_of::<crate::model::PersonRecord>()
    )
    .ok();
    for (group, blocks, bytes) in &memory {
        writeln!(
            out,
            "  {group:<32}{:>9.1} MiB  {blocks:>10} blocks",
            *bytes as f64 / 1048576.0
        )
        .ok();
    }
    writeln!(out, "  {:<32}{records_mib:>9.1} MiB", "total").ok();
    if let (true, Some(load), Some(end)) = (peaks.resets, load_peak, load_end) {
        writeln!(
            out,
            "read+normalize RSS {load:.0} MiB peak ({end:.0} MiB resident after)"
        )
        .ok();
    }
    if let (true, Some(fill)) = (peaks.resets, fill_peak) {
        writeln!(out, "applications RSS {fill:.0} MiB peak").ok();
    }
    if let Some(p) = peaks.process {
        writeln!(
            out,
            "process RSS   {p:>8.0} MiB peak (all stages; the peak is reset at each stage, so the kernel's own maximum, as /usr/bin/time shows it, covers the last stage only)"
        )
        .ok();
    }
    Ok(out)
}

/// How `bench run` runs.
#[derive(Debug, Clone, Default)]
pub struct RunBench {
    /// True persons to generate.
    pub candidates: usize,
    pub seed: u64,
    /// Use the data already generated in the folder (see [`ResolveBench`]).
    pub reuse: bool,
}

/// What the parse-only baseline read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParseOnly {
    pub secs: f64,
    pub files: usize,
    pub bytes: u64,
    /// Non-empty workbook cells.
    pub cells: u64,
    /// CSV records.
    pub records: u64,
    /// Chat lines.
    pub lines: u64,
}

/// The plain cost of reading the plan's inputs: every worksheet through
/// calamine's `worksheet_range`, every CSV decoded (with the pipeline's
/// encoding, else UTF-8) and split into records by the `csv` crate, every
/// chat file decoded and split into lines; nothing interpreted, nothing
/// kept. Files are read in parallel (rayon), as the pipeline reads them.
pub fn parse_only(plan: &Plan) -> Result<ParseOnly, String> {
    use crate::plan::SourceKind;
    use calamine::Reader;
    use rayon::prelude::*;
    let jobs: Vec<(&crate::plan::PlannedSource, &std::path::PathBuf)> = plan
        .sources
        .iter()
        .flat_map(|s| s.files.iter().map(move |(abs, _)| (s, abs)))
        .collect();
    let t = Instant::now();
    let parts: Vec<Result<ParseOnly, String>> = jobs
        .par_iter()
        .map(|(src, path)| {
            let mut r = ParseOnly {
                files: 1,
                bytes: std::fs::metadata(path).map_or(0, |m| m.len()),
                ..Default::default()
            };
            let decode = |bytes: &[u8]| -> String {
                let enc = src.encoding.map_or(encoding_rs::UTF_8, |e| e.encoding());
                enc.decode(bytes).0.into_owned()
            };
            match src.kind {
                SourceKind::Excel => {
                    let mut wb = calamine::open_workbook_auto(path)
                        .map_err(|e| format!("{}: {e}", path.display()))?;
                    for name in wb.sheet_names() {
                        let range = wb
                            .worksheet_range(&name)
                            .map_err(|e| format!("{}: {e}", path.display()))?;
                        r.cells += range.used_cells().count() as u64;
                    }
                }
                SourceKind::Csv => {
                    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
                    let text = decode(&bytes);
                    let mut reader = csv::ReaderBuilder::new()
                        .has_headers(false)
                        .flexible(true)
                        .delimiter(src.delimiter.map_or(b',', |d| d.0))
                        .from_reader(text.as_bytes());
                    let mut record = csv::StringRecord::new();
                    while reader.read_record(&mut record).map_err(|e| e.to_string())? {
                        r.records += 1;
                    }
                }
                SourceKind::Chat => {
                    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
                    r.lines += decode(&bytes).lines().count() as u64;
                }
            }
            Ok(r)
        })
        .collect();
    let mut total = ParseOnly {
        secs: t.elapsed().as_secs_f64(),
        ..Default::default()
    };
    for p in parts {
        let p = p?;
        total.files += p.files;
        total.bytes += p.bytes;
        total.cells += p.cells;
        total.records += p.records;
        total.lines += p.lines;
    }
    Ok(total)
}

/// Generates (or reuses) the data set, times the parse-only baseline, then
/// runs the whole pipeline in this process with every stage timed and its
/// peak resident memory measured, into `dir/out`.
pub fn run(bench: &RunBench, dir: &Path) -> Result<String, String> {
    let (n, seed) = (bench.candidates, bench.seed);
    let mut out = String::new();
    generate_or_reuse(&mut out, dir, n, seed, bench.reuse)?;
    let plan = load_plan(&dir.join("pipeline.toml"))?;
    let base = parse_only(&plan)?;
    writeln!(
        out,
        "parse-only    {:>8.2} s  ({} files, {:.0} MiB: {} cells, {} CSV records, {} chat lines)",
        base.secs,
        base.files,
        base.bytes as f64 / 1048576.0,
        base.cells,
        base.records,
        base.lines
    )
    .ok();
    let as_of = NaiveDate::from_ymd_opt(2025, 1, 1).expect("valid date");
    let before = rss_mib();
    let mut meter = crate::run::Meter::with_memory();
    let measured = reset_peak_rss();
    let t = Instant::now();
    let summary = crate::run::run_metered(&plan, Some(&dir.join("out")), as_of, &mut meter)
        .map_err(|e| e.to_string())?;
    let total = t.elapsed().as_secs_f64();
    let mib = |v: Option<f64>| v.map_or("-".to_string(), |m| format!("{m:.0}"));
    writeln!(out, "\nstage         wall s   peak RSS MiB   RSS after MiB").ok();
    for s in &meter.stages {
        writeln!(
            out,
            "{:<12}{:>8.2}   {:>12}   {:>13}",
            s.name,
            s.secs,
            mib(s.peak_mib),
            mib(s.end_mib)
        )
        .ok();
    }
    for s in &meter.stages {
        let steps: Vec<String> = meter
            .steps
            .iter()
            .filter(|(stage, _, _)| *stage == s.name)
            .map(|(_, step, secs)| format!("{step} {secs:.2}"))
            .collect();
        if !steps.is_empty() {
            writeln!(out, "  {} steps (s): {}", s.name, steps.join(", ")).ok();
        }
    }
    let staged: f64 = meter.stages.iter().map(|s| s.secs).sum();
    let peak = meter
        .stages
        .iter()
        .filter_map(|s| s.peak_mib)
        .fold(None, |m: Option<f64>, p| Some(m.map_or(p, |m| m.max(p))));
    writeln!(
        out,
        "{:<12}{:>8.2}   {:>12}   {:>13}  (RSS before the run {})",
        "total",
        total,
        mib(peak.filter(|_| measured)),
        mib(rss_mib()),
        mib(before)
    )
    .ok();
    if total - staged > 0.05 {
        writeln!(
            out,
            "  of which outside the stages (freeing the data set at the end): {:.2} s",
            total - staged
        )
        .ok();
    }
    let m = &summary.manifest;
    let table = |name: &str| m.tables.get(name).copied().unwrap_or(0);
    writeln!(
        out,
        "\nend-to-end / parse-only = {:.2} / {:.2} = {:.2}×",
        total,
        base.secs,
        total / base.secs.max(1e-9)
    )
    .ok();
    let read: u64 = m.sources.iter().map(|c| c.rows_read).sum();
    let balanced = m.sources.iter().all(|c| c.balances());
    writeln!(
        out,
        "rows read {read} (accounting {}), {} applications, {} candidates, {} chat messages, {} survey rows kept",
        if balanced { "balances" } else { "DOES NOT BALANCE" },
        table("applications"),
        table("candidates"),
        m.chat.messages,
        m.sources
            .iter()
            .filter(|c| plan.sources.iter().any(|s| s.label == c.source && s.role == crate::plan::Role::Survey))
            .map(|c| c.rows_kept)
            .sum::<u64>(),
    )
    .ok();
    Ok(out)
}

/// The ground-truth key of a record's origin: `(file, sheet, row)`.
fn truth_key(o: &crate::model::Origin) -> (String, String, u32) {
    (
        o.file.to_string(),
        o.sheet.as_deref().unwrap_or("").to_string(),
        o.row,
    )
}

/// Error analysis: wrongly merged pairs (joined by a merge decision although
/// the truth differs) by rule, and missed true pairs split into pairs never
/// compared (blocking) and pairs compared but not merged, with examples.
fn explain(
    out: &mut String,
    persons: &[crate::model::PersonRecord],
    truth_of: &HashMap<(String, String, u32), String>,
    res: &crate::resolve::Resolution,
    examples: usize,
) {
    use crate::resolve::Decision;
    use std::collections::BTreeMap;
    let mut by_id: HashMap<&str, (usize, &str)> = HashMap::new();
    for (i, p) in persons.iter().enumerate() {
        let Some(o) = &p.origin else { continue };
        let key = truth_key(o);
        if let Some(t) = truth_of.get(&key) {
            by_id.insert(p.record_id.as_str(), (i, t.as_str()));
        }
    }
    let describe = |i: usize| {
        let p = &persons[i];
        let file = p
            .origin
            .as_ref()
            .map(|o| o.file.to_string())
            .unwrap_or_default();
        let file = file.rsplit('/').next().unwrap_or("").to_string();
        format!(
            "{} [{}] {} | {} | {} | {} | birth {} | id {} | {} | {} | {} | {} | {}",
            p.record_id,
            by_id.get(p.record_id.as_str()).map(|x| x.1).unwrap_or("?"),
            file,
            p.name.as_deref().unwrap_or("-"),
            p.phones.join(","),
            p.emails.join(","),
            p.birth_date.map(|d| d.to_string()).unwrap_or_default(),
            p.id_number.as_deref().unwrap_or(""),
            p.city.as_deref().unwrap_or(""),
            p.school.as_deref().unwrap_or(""),
            p.current_company.as_deref().unwrap_or(""),
            p.wechat.as_deref().unwrap_or(""),
            p.applied
                .iter()
                .map(|(k, d)| format!("{k}@{d}"))
                .collect::<Vec<_>>()
                .join(","),
        )
    };
    let levels = |r: &crate::resolve::MergeRow| {
        r.level_names()
            .filter(|(_, l)| *l != "missing")
            .map(|(f, l)| format!("{f}={l}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut wrong: BTreeMap<&str, Vec<&crate::resolve::MergeRow>> = BTreeMap::new();
    let mut missed: BTreeMap<String, Vec<&crate::resolve::MergeRow>> = BTreeMap::new();
    let mut compared_true: std::collections::HashSet<(usize, usize)> =
        std::collections::HashSet::new();
    let ids_of = |r: &crate::resolve::MergeRow| {
        let (a, b) = res.records_of(r);
        (persons[a].record_id.as_str(), persons[b].record_id.as_str())
    };
    for r in &res.merges {
        let (ra, rb) = ids_of(r);
        let (Some(&(a, ta)), Some(&(b, tb))) = (by_id.get(ra), by_id.get(rb)) else {
            continue;
        };
        if ta == tb {
            compared_true.insert((a.min(b), a.max(b)));
        }
        if r.decision == Decision::Merge && ta != tb {
            wrong.entry(r.rule.unwrap_or("score")).or_default().push(r);
        } else if r.decision != Decision::Merge && ta == tb && res.entity_of[a] != res.entity_of[b]
        {
            let key = format!("{} {}", r.decision.name(), r.rule.unwrap_or("score"));
            missed.entry(key).or_default().push(r);
        }
    }
    // The review list by rule, and whether an identifier both records have
    // disagrees: how many of each are one person by the ground truth.
    let mut review: BTreeMap<(&str, bool), (u64, u64)> = BTreeMap::new();
    for r in res.merges.iter().filter(|r| r.decision == Decision::Review) {
        let (ra, rb) = ids_of(r);
        let (Some(&(_, ta)), Some(&(_, tb))) = (by_id.get(ra), by_id.get(rb)) else {
            continue;
        };
        let disagrees = r.level_names().any(|(f, l)| {
            matches!(f, "phone" | "email" | "id_number" | "wechat") && l == "different"
        });
        let e = review
            .entry((r.rule.unwrap_or("score"), disagrees))
            .or_default();
        if ta == tb {
            e.0 += 1;
        } else {
            e.1 += 1;
        }
    }
    writeln!(
        out,
        "\nreview pairs by rule (one person / two people by the truth):"
    )
    .ok();
    for ((rule, disagrees), (same, other)) in &review {
        let how = if *disagrees {
            "an identifier both have disagrees"
        } else {
            "no identifier on both sides"
        };
        writeln!(out, "  {rule}, {how}: {same} / {other}").ok();
    }
    let mut section = |title: &str, groups: Vec<(&str, &Vec<&crate::resolve::MergeRow>)>| {
        writeln!(out, "\n{title}:").ok();
        for (key, rows) in groups {
            writeln!(out, "  {key}: {}", rows.len()).ok();
            for r in rows.iter().take(examples) {
                writeln!(out, "    score {:.1}  {}", r.score, levels(r)).ok();
                let (a, b) = res.records_of(r);
                writeln!(out, "      {}", describe(a)).ok();
                writeln!(out, "      {}", describe(b)).ok();
            }
        }
    };
    section(
        "wrong merge decisions (truth differs)",
        wrong.iter().map(|(k, v)| (*k, v)).collect(),
    );
    section(
        "compared true pairs left apart",
        missed.iter().map(|(k, v)| (k.as_str(), v)).collect(),
    );
    // True pairs never compared: records of one true entity in different
    // predicted entities with no compared pair between them.
    let mut groups: HashMap<&str, Vec<usize>> = HashMap::new();
    for &(i, t) in by_id.values() {
        groups.entry(t).or_default().push(i);
    }
    let mut never: Vec<(usize, usize)> = Vec::new();
    let mut count = 0u64;
    let mut keys: Vec<&&str> = groups.keys().collect();
    keys.sort();
    for t in keys {
        let mut g = groups[*t].clone();
        g.sort_unstable();
        for (x, &a) in g.iter().enumerate() {
            for &b in &g[x + 1..] {
                if res.entity_of[a] != res.entity_of[b] && !compared_true.contains(&(a, b)) {
                    count += 1;
                    if never.len() < examples {
                        never.push((a, b));
                    }
                }
            }
        }
    }
    writeln!(
        out,
        "\ntrue pairs in different entities, never compared: {count}"
    )
    .ok();
    for (a, b) in never {
        writeln!(out, "      {}", describe(a)).ok();
        writeln!(out, "      {}\n", describe(b)).ok();
    }
    let mut unreachable = HashMap::new();
    let (linkable, total) = linkable_pairs(persons, &groups, &mut unreachable);
    let reach = linkable as f64 / total.max(1) as f64;
    writeln!(
        out,
        "true pairs joined by identifying evidence at all (directly or through other records of the person): {linkable} of {total} ({reach:.4}), the recall within reach; with no wrong merge, F1 could reach {:.4}",
        2.0 * reach / (1.0 + reach)
    )
    .ok();
    let mut unreachable: Vec<(String, u64)> = unreachable.into_iter().collect();
    unreachable.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    writeln!(
        out,
        "true pairs out of reach, by how their records compare (fields missing on either side left out):"
    )
    .ok();
    for (pattern, n) in unreachable.iter().take(12) {
        writeln!(out, "  {n:>8}  {pattern}").ok();
    }
}

/// The true pairs a resolver could join on evidence, the recall within
/// reach: within each true entity, records are connected when their
/// comparison has identifying evidence
/// ([`crate::resolve::Comparison::identifier_agrees`]: a shared phone,
/// e-mail, id number, WeChat id or birth date, or the same name on the same
/// application); pairs inside one connected part count. Pairs held together
/// by a name alone are out of reach by design; their comparison patterns
/// are counted into `unreachable`. Returns (linkable pairs, true pairs).
fn linkable_pairs(
    persons: &[crate::model::PersonRecord],
    groups: &HashMap<&str, Vec<usize>>,
    unreachable: &mut HashMap<String, u64>,
) -> (u64, u64) {
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    let (mut linkable, mut total) = (0u64, 0u64);
    for members in groups.values() {
        let k = members.len();
        total += pairs(k as u64);
        let mut parent: Vec<usize> = (0..k).collect();
        let keys: Vec<crate::resolve::keys::RecordKeys> = members
            .iter()
            .map(|&i| crate::resolve::keys::RecordKeys::from_record(&persons[i]))
            .collect();
        for x in 0..k {
            for y in x + 1..k {
                if crate::resolve::compare::compare(&keys[x], &keys[y]).identifier_agrees() {
                    let (rx, ry) = (find(&mut parent, x), find(&mut parent, y));
                    parent[rx] = ry;
                }
            }
        }
        let mut sizes: HashMap<usize, u64> = HashMap::new();
        for x in 0..k {
            *sizes.entry(find(&mut parent, x)).or_default() += 1;
        }
        for x in 0..k {
            for y in x + 1..k {
                if find(&mut parent, x) != find(&mut parent, y) {
                    let c = crate::resolve::compare::compare(&keys[x], &keys[y]);
                    let pat = crate::resolve::compare::Field::ALL
                        .iter()
                        .filter(|f| c.level(**f) != crate::resolve::compare::Level::Missing)
                        .map(|f| format!("{}={}", f.name(), c.level(*f).name()))
                        .collect::<Vec<_>>()
                        .join(" ");
                    *unreachable.entry(pat).or_default() += 1;
                }
            }
        }
        linkable += sizes.values().map(|&s| pairs(s)).sum::<u64>();
    }
    (linkable, total)
}

/// Scores `n` synthetic candidates against `positions` open positions, with
/// rayon on one thread and on all threads, and reports both times. The
/// candidates are built deterministically (a small LCG) from realistic
/// skill spellings, experience, education and salary expectations.
pub fn score(n: usize, positions: usize) -> Result<String, String> {
    use crate::model::PositionRecord;
    use crate::score::{CandidateProfile, ScoreWeights, SkillSet, SkillTable, score_all};
    use std::sync::Arc;
    const SKILLS: &[&str] = &[
        "Go",
        "Golang",
        "SQL",
        "MySQL",
        "Python",
        "Excel",
        "销售",
        "大客户",
        "React",
        "Java",
        "Linux",
        "Docker",
        "Tableau",
        "统计学",
        "英语",
        "沟通",
        "Spark",
        "Kafka",
        "TypeScript",
        "财务",
    ];
    const EDU: &[&str] = &["associate", "bachelor", "bachelor", "master", "doctorate"];
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move |m: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % m
    };
    let table = Arc::new(SkillTable::builtin());
    let as_of = NaiveDate::from_ymd_opt(2024, 7, 1).expect("valid date");
    let t = Instant::now();
    let candidates: Vec<CandidateProfile> = (0..n)
        .map(|i| {
            let k = 1 + next(5) as usize;
            let skills: Vec<&str> = (0..k)
                .map(|_| SKILLS[next(SKILLS.len() as u64) as usize])
                .collect();
            let salary = 6000.0 + next(30) as f64 * 1000.0;
            CandidateProfile {
                candidate_id: format!("C{i:09}"),
                skills: SkillSet::new(&table, &skills),
                years_experience: Some(next(15) as f64),
                education: crate::rules::education::Education::from_code(
                    EDU[next(EDU.len() as u64) as usize],
                ),
                salary_min: Some(salary),
                salary_max: Some(salary + 5000.0),
                salary_negotiable: next(10) == 0,
                evaluation: (next(3) > 0).then(|| next(11) as f64),
                last_activity: NaiveDate::from_ymd_opt(
                    2016 + next(9) as i32,
                    1 + next(12) as u32,
                    1,
                ),
            }
        })
        .collect();
    let positions: Vec<PositionRecord> = (0..positions)
        .map(|i| PositionRecord {
            position_id: format!("P{i:03}"),
            title: format!("position {i}"),
            required_skills: (0..2)
                .map(|_| SKILLS[next(SKILLS.len() as u64) as usize].to_string())
                .collect(),
            nice_skills: vec![SKILLS[next(SKILLS.len() as u64) as usize].to_string()],
            min_years: Some(next(6) as f64),
            education_min: Some(EDU[next(3) as usize]),
            budget_min: Some(10000.0),
            budget_max: Some(10000.0 + next(20) as f64 * 1000.0),
            status: Some("open"),
            ..Default::default()
        })
        .collect();
    let mut out = String::new();
    writeln!(
        out,
        "profiles      {:>8.2} s  ({n} candidates, {} positions)",
        t.elapsed().as_secs_f64(),
        positions.len()
    )
    .ok();
    let weights = ScoreWeights::default();
    let mut times = Vec::new();
    for threads in [1, rayon::current_num_threads()] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| e.to_string())?;
        let t = Instant::now();
        let rows = pool.install(|| score_all(&candidates, &positions, &weights, as_of));
        let secs = t.elapsed().as_secs_f64();
        writeln!(
            out,
            "score_all     {secs:>8.2} s  ({} pairs, {threads} thread{})",
            rows.len(),
            if threads == 1 { "" } else { "s" }
        )
        .ok();
        times.push(secs);
    }
    if let [one, all] = times[..] {
        writeln!(out, "speed-up      {:>8.2}×", one / all).ok();
    }
    if let Some(mib) = peak_rss_mib() {
        writeln!(out, "peak RSS {mib:.0} MiB").ok();
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pair_scores_from_contingency_counts() {
        // Truth: {a,b,c} {d}; predicted: {a,b} {c,d}.
        let truth = ["x", "x", "x", "y"];
        let predicted = [1, 1, 2, 2];
        let s = pair_scores(&truth, &predicted);
        assert_eq!(
            s,
            PairScores {
                true_pairs: 3,
                predicted_pairs: 2,
                correct_pairs: 1
            }
        );
        assert_eq!(s.precision(), 0.5);
        assert!((s.recall() - 1.0 / 3.0).abs() < 1e-12);
        assert!((s.f1() - 0.4).abs() < 1e-12);
    }
}
