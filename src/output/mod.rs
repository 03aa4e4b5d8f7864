//! Writing the dataset: Parquet, CSV and one XLSX workbook per run, each file
//! written under a temporary name and renamed into place.
//!
//! The rename is what keeps a crashed or killed run from leaving half a file:
//! a reader sees either the previous complete file or the new complete one.
//! Every writer renders from the same sorted rows, so the formats agree;
//! a big table is written part by part without being built whole.

pub mod csv;
pub mod parquet;
pub mod xlsx;

use std::io::Write;
use std::path::Path;

use polars::prelude::{AnyValue, DataFrame};

/// One file written by the run, for the manifest.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Written {
    pub path: String,
    pub rows: usize,
}

/// Writes `path` through a temporary file in the same directory and renames
/// it into place once `fill` succeeded and the data is flushed.
pub fn write_atomic<F>(path: &Path, fill: F) -> std::io::Result<()>
where
    F: FnOnce(&mut std::io::BufWriter<&mut std::fs::File>) -> std::io::Result<()>,
{
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".hrflow-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    {
        let mut w = std::io::BufWriter::new(tmp.as_file_mut());
        fill(&mut w)?;
        w.flush()?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Removes temporary files a killed run left behind in `dir` and its
/// subfolders (`.hrflow-*.tmp`); complete outputs are never touched.
pub fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let name = e.file_name().to_string_lossy().to_string();
        if p.is_dir() {
            remove_stale_temporaries(&p);
        } else if name.starts_with(".hrflow-") && name.ends_with(".tmp") {
            let _ = std::fs::remove_file(&p);
        }
    }
}

/// Neutralizes text that a spreadsheet would run as a formula (OWASP CSV
/// injection): a leading `=`, `+`, `-`, `@`, tab or carriage return gets a
/// `'` in front. Values that are only a number (`-5`, `+8613800138000`) are
/// left alone: they cannot form a formula and phones must stay readable.
pub fn safe_text(s: &str) -> std::borrow::Cow<'_, str> {
    // All six are ASCII: the first byte tells.
    let risky = matches!(
        s.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    );
    if !risky {
        return std::borrow::Cow::Borrowed(s);
    }
    let numeric = s.strip_prefix(['+', '-']).is_some_and(|rest| {
        !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit() || c == '.')
    });
    if !numeric {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// A name usable as part of a file name on every system.
pub fn file_safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Formats a float without noise: `15000`, `7.25`, `0.333333`.
pub fn format_float(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        let s = format!("{v:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// A frame value as text, the way CSV shows it; `None` for nulls.
pub fn value_text(v: &AnyValue) -> Option<String> {
    match v {
        AnyValue::Null => None,
        AnyValue::String(s) => Some((*s).to_string()),
        AnyValue::StringOwned(s) => Some(s.to_string()),
        AnyValue::Boolean(b) => Some(b.to_string()),
        AnyValue::Int32(i) => Some(i.to_string()),
        AnyValue::Int64(i) => Some(i.to_string()),
        AnyValue::UInt32(i) => Some(i.to_string()),
        AnyValue::UInt64(i) => Some(i.to_string()),
        AnyValue::Float64(f) => Some(format_float(*f)),
        AnyValue::Float32(f) => Some(format_float(*f as f64)),
        AnyValue::Date(d) => Some(date_from_days(*d).format("%Y-%m-%d").to_string()),
        AnyValue::Datetime(ms, _, _) => Some(
            datetime_from_ms(*ms)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string(),
        ),
        other => Some(other.to_string()),
    }
}

/// One cell of a frame, read straight from its typed column: text is
/// borrowed, numbers and dates stay numbers until a writer formats them.
#[derive(Debug, Clone)]
pub enum Cell<'a> {
    Null,
    Str(&'a str),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// Days since 1970-01-01.
    Date(i32),
    /// Milliseconds since 1970-01-01 00:00:00.
    DateTime(i64),
    /// A type the tables do not build; shown through [`value_text`].
    Other(AnyValue<'a>),
}

impl Cell<'_> {
    /// Appends the text [`value_text`] gives for this cell to `out`
    /// (nothing for a null).
    pub fn push_text(&self, out: &mut String) {
        use std::fmt::Write as _;
        match self {
            Cell::Null => {}
            Cell::Str(s) => out.push_str(s),
            Cell::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Cell::Float(f) => push_float(out, *f),
            Cell::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Cell::Date(d) => push_date(out, date_from_days(*d)),
            Cell::DateTime(ms) => {
                let t = datetime_from_ms(*ms);
                push_date(out, t.date());
                let _ = write!(out, " {}", t.time().format("%H:%M:%S"));
            }
            Cell::Other(v) => {
                if let Some(t) = value_text(v) {
                    out.push_str(&t);
                }
            }
        }
    }
}

/// `YYYY-MM-DD`, as chrono's `%Y-%m-%d` writes it.
fn push_date(out: &mut String, d: chrono::NaiveDate) {
    use chrono::Datelike;
    use std::fmt::Write as _;
    if (0..=9999).contains(&d.year()) {
        let _ = write!(out, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
    } else {
        let _ = write!(out, "{}", d.format("%Y-%m-%d"));
    }
}

/// The cells of every column of `df`, row by row: one iterator per column,
/// advanced together.
pub struct Rows<'a> {
    columns: Vec<Box<dyn Iterator<Item = Cell<'a>> + 'a>>,
}

impl<'a> Rows<'a> {
    pub fn new(df: &'a DataFrame) -> Rows<'a> {
        Rows {
            columns: df.columns().iter().map(column_cells).collect(),
        }
    }

    /// Fills `row` with the next row's cells; `false` once the frame is done.
    pub fn next_into(&mut self, row: &mut Vec<Cell<'a>>) -> bool {
        row.clear();
        for c in &mut self.columns {
            match c.next() {
                Some(v) => row.push(v),
                None => return false,
            }
        }
        !self.columns.is_empty()
    }
}

fn column_cells<'a>(c: &'a polars::prelude::Column) -> Box<dyn Iterator<Item = Cell<'a>> + 'a> {
    use polars::prelude::DataType;
    fn opt<T>(v: Option<T>, f: impl Fn(T) -> Cell<'static>) -> Cell<'static> {
        v.map_or(Cell::Null, f)
    }
    match c.dtype() {
        DataType::String => {
            let ca = c.str().expect("string column");
            Box::new(ca.iter().map(|v| v.map_or(Cell::Null, Cell::Str)))
        }
        DataType::Int64 => Box::new(c.i64().expect("i64").iter().map(|v| opt(v, Cell::Int))),
        DataType::Float64 => Box::new(c.f64().expect("f64").iter().map(|v| opt(v, Cell::Float))),
        DataType::Boolean => Box::new(c.bool().expect("bool").iter().map(|v| opt(v, Cell::Bool))),
        DataType::Date => Box::new(
            c.date()
                .expect("date")
                .phys
                .iter()
                .map(|v| opt(v, Cell::Date)),
        ),
        DataType::Datetime(_, _) => Box::new(
            c.datetime()
                .expect("datetime")
                .phys
                .iter()
                .map(|v| opt(v, Cell::DateTime)),
        ),
        _ => {
            let series = c.as_materialized_series();
            Box::new(series.iter().map(|v| match v {
                AnyValue::Null => Cell::Null,
                other => Cell::Other(other),
            }))
        }
    }
}

/// [`format_float`], appended to `out`.
pub fn push_float(out: &mut String, v: f64) {
    use std::fmt::Write as _;
    if v.fract() == 0.0 && v.abs() < 1e15 {
        let _ = write!(out, "{}", v as i64);
    } else {
        let start = out.len();
        let _ = write!(out, "{v:.6}");
        let kept = out[start..]
            .trim_end_matches('0')
            .trim_end_matches('.')
            .len();
        out.truncate(start + kept);
    }
}

pub fn date_from_days(days: i32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid")
        + chrono::Duration::days(days as i64)
}

pub fn datetime_from_ms(ms: i64) -> chrono::NaiveDateTime {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|d| d.naive_utc())
        .unwrap_or_default()
}

/// A table built part by part while it is written, so that it is never
/// held whole (the lineage, by far the largest table).
pub trait Parts: Sync {
    /// Rows in the whole table.
    fn height(&self) -> usize;
    /// Rows `rows` of the table, in order, as a frame of one chunk.
    fn frame(&self, rows: std::ops::Range<usize>) -> polars::prelude::PolarsResult<DataFrame>;
    /// Column `index` of rows `rows`: by default taken from
    /// [`Parts::frame`]; a table that can make one column alone does so.
    fn column(
        &self,
        index: usize,
        rows: std::ops::Range<usize>,
    ) -> polars::prelude::PolarsResult<polars::prelude::Column> {
        Ok(self.frame(rows)?.columns()[index].clone())
    }
}

/// A table to write: a whole frame, or one built as it is written.
pub enum Table<'a> {
    Frame(DataFrame),
    Parts(&'a dyn Parts),
}

impl Table<'_> {
    pub fn height(&self) -> usize {
        match self {
            Table::Frame(df) => df.height(),
            Table::Parts(p) => p.height(),
        }
    }
}

/// The row ranges that polars' Parquet writer makes row groups of in a
/// frame of `height` rows (of one chunk): its default of 512² rows, as
/// that many equal parts with the remainder in the last. A table written
/// part by part in these ranges gives the same file.
fn row_groups(height: usize) -> Vec<std::ops::Range<usize>> {
    const ROW_GROUP: usize = 512 * 512;
    let n = height / ROW_GROUP;
    if n <= 1 {
        return std::iter::once(0..height).collect();
    }
    let size = height / n;
    (0..n)
        .map(|i| i * size..if i + 1 == n { height } else { (i + 1) * size })
        .collect()
}

/// Rows of a table rendered as CSV by one task.
const CSV_PART: usize = 1 << 15;

/// Seconds spent on one kind of step, summed over the tasks doing it (so
/// it can exceed the wall time of steps done side by side).
#[derive(Default)]
pub struct Busy(std::sync::atomic::AtomicU64);

impl Busy {
    /// Adds the time since `t`.
    pub fn add(&self, t: std::time::Instant) {
        let nanos = u64::try_from(t.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.0
            .fetch_add(nanos, std::sync::atomic::Ordering::Relaxed);
    }

    pub fn seconds(&self) -> f64 {
        self.0.load(std::sync::atomic::Ordering::Relaxed) as f64 / 1e9
    }
}

/// Where the writing of tables built in parts spends its time.
#[derive(Default)]
pub struct WriteTimes {
    /// Building the row groups' frames from the records (wall time: each
    /// frame's columns are built side by side).
    pub frames: Busy,
    /// Encoding and compressing Parquet pages.
    pub parquet: Busy,
    /// Rendering CSV rows.
    pub csv: Busy,
    /// Handing the encoded pages and rendered rows to the files.
    pub files: Busy,
}

/// Writes `parts` as Parquet at `parquet` and as CSV at `csv` (when
/// asked), a Parquet row group's rows at a time (see
/// [`parquet::GroupFile`]): each group's frame is built once, its Parquet
/// pages are encoded and its CSV rows rendered from it (in parts of
/// [`CSV_PART`] rows) side by side. Three things happen at once: the
/// next group's frame is built, this group is encoded and rendered, and
/// the group before is written to the files by a thread of its own.
/// Neither file depends on the size of the parts or on the overlap: they
/// are those of the whole frame.
fn write_parts(
    parts: &dyn Parts,
    parquet: Option<&Path>,
    csv: Option<&Path>,
    times: &WriteTimes,
) -> std::io::Result<()> {
    write_parts_timed(parts, parquet, csv, CSV_PART, times)
}

/// [`write_parts`] with CSV parts of `part` rows, untimed.
#[cfg(test)]
pub(crate) fn write_parts_by(
    parts: &dyn Parts,
    parquet: Option<&Path>,
    csv: Option<&Path>,
    part: usize,
) -> std::io::Result<()> {
    write_parts_timed(parts, parquet, csv, part, &WriteTimes::default())
}

fn write_parts_timed(
    parts: &dyn Parts,
    parquet: Option<&Path>,
    csv: Option<&Path>,
    part: usize,
    times: &WriteTimes,
) -> std::io::Result<()> {
    // The types of the files left out.
    type NoParquet = std::io::Sink;
    type NoCsv<'a> = &'a mut csv::Sink<std::io::Sink>;
    match (parquet, csv) {
        (None, None) => Ok(()),
        (Some(p), None) => {
            write_atomic(p, |w| pipeline(parts, Some(w), None::<NoCsv>, part, times))
        }
        (None, Some(c)) => csv::write_with(c, |sink| {
            pipeline(parts, None::<NoParquet>, Some(sink), part, times)
        }),
        (Some(p), Some(c)) => csv::write_with(c, |sink| {
            write_atomic(p, |w| pipeline(parts, Some(w), Some(sink), part, times))
        }),
    }
}

/// A row group encoded and rendered, to be written.
struct Encoded {
    rows: usize,
    /// Each column's compressed pages (when Parquet is written).
    pages: Option<Vec<Vec<polars_parquet::write::CompressedPage>>>,
    /// The CSV rows, part by part (empty without CSV).
    csv: Vec<Vec<u8>>,
}

/// The work of [`write_parts`], into the open files.
fn pipeline<P: Write + Send, C: Write + Send>(
    parts: &dyn Parts,
    parquet_out: Option<P>,
    csv_out: Option<&mut csv::Sink<C>>,
    part: usize,
    times: &WriteTimes,
) -> std::io::Result<()> {
    let io = std::io::Error::other;
    let empty = parts.frame(0..0).map_err(io)?;
    let (mut file, encoder) = match parquet_out {
        Some(w) => {
            let (file, encoder) = parquet::GroupFile::new(w, empty.schema()).map_err(io)?;
            (Some(file), Some(encoder))
        }
        None => (None, None),
    };
    let mut csv_out = csv_out;
    if let Some(sink) = &mut csv_out {
        sink.header(&empty)?;
    }
    let with_csv = csv_out.is_some();
    drop(empty);
    let groups: Vec<std::ops::Range<usize>> = row_groups(parts.height())
        .into_iter()
        .filter(|rows| !rows.is_empty())
        .collect();
    let build = |rows: &std::ops::Range<usize>| {
        parquet::group_frame(parts, rows.clone(), &times.frames).map_err(io)
    };
    // One group waits while another is written: at most three groups'
    // frames, pages or rows are held at once.
    let (send, receive) = std::sync::mpsc::sync_channel::<Encoded>(1);
    let (give_back, taken_back) = std::sync::mpsc::channel::<Vec<Vec<u8>>>();
    std::thread::scope(|scope| {
        let writer = scope.spawn(move || -> std::io::Result<()> {
            for group in receive {
                let t = std::time::Instant::now();
                if let (Some(file), Some(pages)) = (&mut file, &group.pages) {
                    file.write(group.rows, pages).map_err(io)?;
                }
                if let Some(sink) = &mut csv_out {
                    for rows in &group.csv {
                        sink.rendered(rows)?;
                    }
                }
                times.files.add(t);
                // The buffers are filled again for a later group.
                let _ = give_back.send(group.csv);
            }
            if let Some(file) = file {
                let t = std::time::Instant::now();
                file.finish().map_err(io)?;
                times.files.add(t);
            }
            Ok(())
        });
        let made = (|| -> std::io::Result<()> {
            let mut next = groups.first().map(build).transpose()?;
            for i in 0..groups.len() {
                let frame = next.take().expect("each group is built before its turn");
                let buffers = taken_back.try_recv().unwrap_or_default();
                let (following, encoded) = rayon::join(
                    || groups.get(i + 1).map(build).transpose(),
                    || encode_and_render(&frame, encoder.as_ref(), with_csv, part, buffers, times),
                );
                drop(frame);
                next = following?;
                if send.send(encoded?).is_err() {
                    // The writer stopped on an error, which it returns.
                    break;
                }
            }
            Ok(())
        })();
        drop(send);
        let written = writer.join().expect("the file writer does not panic");
        // A failed write stops the groups; otherwise a failed group stops
        // the writer with the files incomplete, and is the error.
        written.and(made)
    })
}

/// Encodes `frame` as Parquet pages (with an encoder) and renders its CSV
/// rows into `buffers` (with `csv`), the two side by side.
fn encode_and_render(
    frame: &DataFrame,
    encoder: Option<&parquet::Encoder>,
    csv: bool,
    part: usize,
    mut buffers: Vec<Vec<u8>>,
    times: &WriteTimes,
) -> std::io::Result<Encoded> {
    let (pages, ()) = rayon::join(
        || encoder.map(|e| e.encode(frame, &times.parquet)).transpose(),
        || {
            if csv {
                render_parts(frame, part, &mut buffers, &times.csv);
            } else {
                buffers.clear();
            }
        },
    );
    Ok(Encoded {
        rows: frame.height(),
        pages: pages.map_err(std::io::Error::other)?,
        csv: buffers,
    })
}

/// Renders the rows of `df` as CSV, `part` rows per task, into as many of
/// `buffers` (cleared first; reused, or added when too few).
fn render_parts(df: &DataFrame, part: usize, buffers: &mut Vec<Vec<u8>>, busy: &Busy) {
    use rayon::prelude::*;
    let part = part.max(1);
    buffers.resize_with(df.height().div_ceil(part), Vec::new);
    buffers.par_iter_mut().enumerate().for_each(|(i, out)| {
        let t = std::time::Instant::now();
        out.clear();
        csv::render(&df.slice((i * part) as i64, part), out);
        busy.add(t);
    });
}

/// Writes the dataset one table at a time: each table's Parquet and CSV
/// files as soon as it is handed over, so that a table's frame can be
/// dropped before the next one is built. Only the workbook, when the
/// formats ask for one, keeps every frame until [`DatasetWriter::finish`]
/// writes it.
pub struct DatasetWriter<'a> {
    out_dir: &'a Path,
    formats: crate::plan::Formats,
    written: Vec<Written>,
    /// The frames of the workbook's sheets, in order (only with `xlsx`).
    sheets: Vec<(&'static str, DataFrame)>,
    /// Seconds each table took to write, in order.
    walls: Vec<(&'static str, f64)>,
    times: WriteTimes,
}

impl<'a> DatasetWriter<'a> {
    pub fn new(out_dir: &'a Path, formats: crate::plan::Formats) -> DatasetWriter<'a> {
        DatasetWriter {
            out_dir,
            formats,
            written: Vec::new(),
            sheets: Vec::new(),
            walls: Vec::new(),
            times: WriteTimes::default(),
        }
    }

    fn rel(&self, p: &Path) -> String {
        p.strip_prefix(self.out_dir)
            .unwrap_or(p)
            .to_string_lossy()
            .to_string()
    }

    /// Writes `table` as `parquet/<name>.parquet` and `csv/<name>.csv` (the
    /// two side by side) in the formats asked for. A whole frame is
    /// dropped once written unless the workbook needs it; a table built in
    /// parts is only built whole for the workbook.
    pub fn write(&mut self, name: &'static str, table: Table) -> Result<(), String> {
        let formats = self.formats;
        let parquet_path = self.out_dir.join("parquet").join(format!("{name}.parquet"));
        let csv_path = self.out_dir.join("csv").join(format!("{name}.csv"));
        let rows = table.height();
        let t = std::time::Instant::now();
        match table {
            Table::Frame(mut df) => {
                let for_csv = df.clone();
                let (parquet_done, csv_done) = rayon::join(
                    || {
                        if formats.parquet {
                            parquet::write(&parquet_path, &mut df).map_err(|e| {
                                format!("writing `{}`: {e}", parquet_path.display())
                            })?;
                        }
                        Ok::<_, String>(df)
                    },
                    || {
                        if formats.csv {
                            csv::write(&csv_path, &for_csv)
                                .map_err(|e| format!("writing `{}`: {e}", csv_path.display()))?;
                        }
                        drop(for_csv);
                        Ok::<_, String>(())
                    },
                );
                let df = parquet_done?;
                csv_done?;
                if formats.xlsx {
                    self.sheets.push((name, df));
                }
            }
            Table::Parts(parts) => {
                write_parts(
                    parts,
                    formats.parquet.then_some(&*parquet_path),
                    formats.csv.then_some(&*csv_path),
                    &self.times,
                )
                .map_err(|e| format!("writing the `{name}` table: {e}"))?;
                if formats.xlsx {
                    let df = parts
                        .frame(0..parts.height())
                        .map_err(|e| format!("building the `{name}` table: {e}"))?;
                    self.sheets.push((name, df));
                }
            }
        }
        self.walls.push((name, t.elapsed().as_secs_f64()));
        if formats.parquet {
            self.written.push(Written {
                path: self.rel(&parquet_path),
                rows,
            });
        }
        if formats.csv {
            self.written.push(Written {
                path: self.rel(&csv_path),
                rows,
            });
        }
        Ok(())
    }

    /// Writes the workbook (when asked for) and returns every file
    /// written: each table's Parquet and CSV files in the order the tables
    /// came, then the workbook.
    pub fn finish(mut self) -> Result<Vec<Written>, String> {
        if self.formats.xlsx {
            let path = self.out_dir.join("dataset.xlsx");
            xlsx::write_dataset(&path, &self.sheets)
                .map_err(|e| format!("writing `{}`: {e}", path.display()))?;
            let file = Written {
                path: self.rel(&path),
                rows: self.sheets.iter().map(|(_, d)| d.height()).sum(),
            };
            self.written.push(file);
        }
        Ok(self.written)
    }

    /// Where the writing of the tables took its time, in seconds: each
    /// table's wall time in order, then, for the tables written in parts,
    /// the time spent building frames, encoding Parquet, rendering CSV and
    /// writing files (see [`WriteTimes`]), each summed over the tasks
    /// doing it side by side.
    pub fn steps(&self) -> Vec<(&'static str, f64)> {
        let t = &self.times;
        let mut steps = self.walls.clone();
        steps.extend([
            ("frames", t.frames.seconds()),
            ("parquet", t.parquet.seconds()),
            ("csv", t.csv.seconds()),
            ("files", t.files.seconds()),
        ]);
        steps
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table of `n` rows with text, numbers and nulls, whole or in parts.
    struct Numbers(usize);

    impl Numbers {
        fn frame(&self, rows: std::ops::Range<usize>) -> DataFrame {
            use polars::prelude::Column;
            let ids: Vec<i64> = rows.clone().map(|i| i as i64 * 7 % 1000).collect();
            let text: Vec<Option<String>> = rows
                .clone()
                .map(|i| (i % 5 != 0).then(|| format!("值{}", i % 313)))
                .collect();
            let flag: Vec<Option<bool>> =
                rows.map(|i| (i % 3 != 0).then_some(i % 2 == 0)).collect();
            DataFrame::new_infer_height(vec![
                Column::new("id".into(), ids),
                Column::new("text".into(), text),
                Column::new("flag".into(), flag),
            ])
            .unwrap()
        }
    }

    impl Parts for Numbers {
        fn height(&self) -> usize {
            self.0
        }
        fn frame(&self, rows: std::ops::Range<usize>) -> polars::prelude::PolarsResult<DataFrame> {
            Ok(Numbers::frame(self, rows))
        }
    }

    #[test]
    fn row_groups_split_like_polars() {
        let whole = |n: usize| std::iter::once(0..n).collect::<Vec<_>>();
        assert_eq!(row_groups(0), whole(0));
        assert_eq!(row_groups(10), whole(10));
        assert_eq!(row_groups(300_000), whole(300_000));
        assert_eq!(row_groups(600_000), [0..300_000, 300_000..600_000]);
        assert_eq!(
            row_groups(800_000),
            [0..266_666, 266_666..533_332, 533_332..800_000]
        );
    }

    #[test]
    fn a_table_written_in_parts_gives_the_files_of_the_whole_frame() {
        let dir = tempfile::tempdir().unwrap();
        for n in [0, 1_000, 800_000] {
            let table = Numbers(n);
            let mut whole = table.frame(0..n);
            let p = dir.path().join(format!("whole-{n}.parquet"));
            let c = dir.path().join(format!("whole-{n}.csv"));
            parquet::write(&p, &mut whole).unwrap();
            csv::write(&c, &whole).unwrap();
            let pp = dir.path().join(format!("parts-{n}.parquet"));
            let cp = dir.path().join(format!("parts-{n}.csv"));
            write_parts(&table, Some(&pp), Some(&cp), &WriteTimes::default()).unwrap();
            assert!(
                std::fs::read(&p).unwrap() == std::fs::read(&pp).unwrap(),
                "{n} rows: Parquet"
            );
            assert!(
                std::fs::read(&c).unwrap() == std::fs::read(&cp).unwrap(),
                "{n} rows: CSV"
            );
            let only = dir.path().join(format!("only-{n}.csv"));
            write_parts(&table, None, Some(&only), &WriteTimes::default()).unwrap();
            assert!(
                std::fs::read(&c).unwrap() == std::fs::read(&only).unwrap(),
                "{n} rows: CSV alone"
            );
            let only = dir.path().join(format!("only-{n}.parquet"));
            write_parts(&table, Some(&only), None, &WriteTimes::default()).unwrap();
            assert!(
                std::fs::read(&p).unwrap() == std::fs::read(&only).unwrap(),
                "{n} rows: Parquet alone"
            );
        }
    }

    /// [`Numbers`] whose rows from `fails_at` on cannot be made.
    struct Failing {
        rows: Numbers,
        fails_at: usize,
    }

    impl Parts for Failing {
        fn height(&self) -> usize {
            self.rows.0
        }
        fn frame(&self, rows: std::ops::Range<usize>) -> polars::prelude::PolarsResult<DataFrame> {
            if rows.end > self.fails_at {
                polars::prelude::polars_bail!(ComputeError: "row {} cannot be made", rows.end);
            }
            Ok(self.rows.frame(rows))
        }
    }

    #[test]
    fn a_group_that_cannot_be_made_stops_the_writing_and_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        // Three row groups: the first is written before the third fails;
        // the first alone fails before anything is written.
        for fails_at in [600_000, 1] {
            let table = Failing {
                rows: Numbers(800_000),
                fails_at,
            };
            let p = dir.path().join("t.parquet");
            let c = dir.path().join("t.csv");
            let times = WriteTimes::default();
            let err = write_parts(&table, Some(&p), Some(&c), &times).unwrap_err();
            assert!(err.to_string().contains("cannot be made"), "{err}");
            let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
            assert!(left.is_empty(), "{fails_at}: no file, whole or partial");
        }
    }

    #[test]
    fn the_steps_of_writing_in_parts_are_timed() {
        let dir = tempfile::tempdir().unwrap();
        let times = WriteTimes::default();
        let p = dir.path().join("t.parquet");
        let c = dir.path().join("t.csv");
        write_parts(&Numbers(300_000), Some(&p), Some(&c), &times).unwrap();
        for (step, busy) in [
            ("frames", &times.frames),
            ("parquet", &times.parquet),
            ("csv", &times.csv),
            ("files", &times.files),
        ] {
            assert!(busy.seconds() > 0.0, "{step}");
        }
    }

    #[test]
    fn a_dataset_written_table_by_table_gives_the_files_of_the_whole_frames() {
        use calamine::Reader;
        let formats = |xlsx| crate::plan::Formats {
            parquet: true,
            csv: true,
            xlsx,
        };
        for xlsx in [true, false] {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("out");
            let mut writer = DatasetWriter::new(&out, formats(xlsx));
            writer
                .write("first", Table::Frame(Numbers(3_000).frame(0..3_000)))
                .unwrap();
            let parts = Numbers(1_200);
            writer.write("second", Table::Parts(&parts)).unwrap();
            writer
                .write("third", Table::Frame(Numbers(0).frame(0..0)))
                .unwrap();
            assert_eq!(
                writer.sheets.len(),
                if xlsx { 3 } else { 0 },
                "frames are kept only for the workbook"
            );
            let written = writer.finish().unwrap();
            let listed: Vec<(String, usize)> =
                written.iter().map(|w| (w.path.clone(), w.rows)).collect();
            let mut want: Vec<(String, usize)> =
                [("first", 3_000), ("second", 1_200), ("third", 0)]
                    .iter()
                    .flat_map(|&(name, rows)| {
                        [
                            (format!("parquet/{name}.parquet"), rows),
                            (format!("csv/{name}.csv"), rows),
                        ]
                    })
                    .collect();
            if xlsx {
                want.push(("dataset.xlsx".to_string(), 4_200));
            }
            assert_eq!(listed, want);
            for (name, n) in [("first", 3_000), ("second", 1_200), ("third", 0)] {
                let mut whole = Numbers(n).frame(0..n);
                let p = dir.path().join(format!("{name}.parquet"));
                let c = dir.path().join(format!("{name}.csv"));
                parquet::write(&p, &mut whole).unwrap();
                csv::write(&c, &whole).unwrap();
                let got = |rel: String| std::fs::read(out.join(rel)).unwrap();
                assert!(
                    got(format!("parquet/{name}.parquet")) == std::fs::read(&p).unwrap(),
                    "{name}: Parquet"
                );
                assert!(
                    got(format!("csv/{name}.csv")) == std::fs::read(&c).unwrap(),
                    "{name}: CSV"
                );
            }
            let workbook = out.join("dataset.xlsx");
            assert_eq!(workbook.exists(), xlsx);
            if xlsx {
                let mut wb = calamine::open_workbook_auto(&workbook).unwrap();
                assert_eq!(wb.sheet_names(), ["first", "second", "third"]);
                for (sheet, rows) in [("first", 3_000), ("second", 1_200)] {
                    let range = wb.worksheet_range(sheet).unwrap();
                    assert_eq!(range.height(), rows + 1, "{sheet}: header and rows");
                }
            }
        }
    }

    #[test]
    fn formula_like_text_is_neutralized_numbers_are_not() {
        const CASES: &[(&str, &str)] = &[
            ("=1+1", "'=1+1"),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("+8613800138000", "+8613800138000"),
            ("-5", "-5"),
            ("张三", "张三"),
            ("a=b", "a=b"),
        ];
        for (input, want) in CASES {
            assert_eq!(safe_text(input), *want, "{input:?}");
        }
    }

    #[test]
    fn floats_print_without_noise() {
        assert_eq!(format_float(15000.0), "15000");
        assert_eq!(format_float(7.25), "7.25");
        assert_eq!(format_float(1.0 / 3.0), "0.333333");
    }

    #[test]
    fn atomic_write_leaves_no_partial_file_on_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.csv");
        std::fs::write(&path, "old").unwrap();
        let r = write_atomic(&path, |w| {
            w.write_all(b"half")?;
            Err(std::io::Error::other("boom"))
        });
        assert!(r.is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "temporary file must be removed");
    }
}
