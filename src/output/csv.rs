//! CSV output: UTF-8 with a byte-order mark, because Excel on Windows opens
//! BOM-less UTF-8 as the local code page and shows Chinese as mojibake.
//!
//! Fields are written as the `csv` crate writes them by default (comma
//! separated, `\n` after each record, a field quoted only when it holds a
//! comma, a quote, `\r` or `\n`, its quotes doubled), rendered straight
//! into a byte buffer so that parts of a table can be rendered side by
//! side and written in order.

use std::io::Write;
use std::path::Path;

use polars::prelude::{
    BooleanType, DataFrame, DataType, Float64Type, Int32Type, Int64Type, PolarsDataType,
    StaticArray, StringType,
};

use super::{Cell, Rows, safe_text, write_atomic};

/// Writes `df` as CSV at `path` (header row, then rows in frame order).
pub fn write(path: &Path, df: &DataFrame) -> std::io::Result<()> {
    write_with(path, |sink| sink.rows(df))
}

/// Writes CSV at `path` from the frames `fill` hands to its [`Sink`] one
/// after another: the header row from the first, then every frame's rows.
pub fn write_with<F>(path: &Path, fill: F) -> std::io::Result<()>
where
    F: FnOnce(&mut Sink<&mut std::io::BufWriter<&mut std::fs::File>>) -> std::io::Result<()>,
{
    write_atomic(path, |w| {
        w.write_all(b"\xEF\xBB\xBF")?;
        let mut sink = Sink {
            out: w,
            header: false,
            buf: Vec::new(),
        };
        fill(&mut sink)?;
        sink.out.flush()?;
        Ok(())
    })
}

/// Rows of a frame rendered by one task in [`Sink::rows`].
const PART: usize = 1 << 15;

/// CSV rows being written, frame by frame.
pub struct Sink<W: Write> {
    out: W,
    /// Whether the header row is written.
    header: bool,
    buf: Vec<u8>,
}

impl<W: Write> Sink<W> {
    /// Writes the header row from `df`'s column names, unless written.
    pub fn header(&mut self, df: &DataFrame) -> std::io::Result<()> {
        if !self.header {
            self.buf.clear();
            header(df, &mut self.buf);
            self.out.write_all(&self.buf)?;
            self.header = true;
        }
        Ok(())
    }

    /// Writes the rows of `df` (after its column names, for the first); a
    /// long frame is rendered [`PART`] rows per task, side by side.
    pub fn rows(&mut self, df: &DataFrame) -> std::io::Result<()> {
        use rayon::prelude::*;
        self.header(df)?;
        if df.height() <= PART {
            self.buf.clear();
            render(df, &mut self.buf);
            return self.out.write_all(&self.buf);
        }
        let parts: Vec<Vec<u8>> = (0..df.height().div_ceil(PART))
            .into_par_iter()
            .map(|i| {
                let mut rows = Vec::new();
                render(&df.slice((i * PART) as i64, PART), &mut rows);
                rows
            })
            .collect();
        for rows in &parts {
            self.out.write_all(rows)?;
        }
        Ok(())
    }

    /// Writes rows [`render`]ed before (after the header row).
    pub fn rendered(&mut self, rows: &[u8]) -> std::io::Result<()> {
        debug_assert!(self.header, "the header row comes first");
        self.out.write_all(rows)
    }
}

/// Appends the header row of `df` (its column names) to `out`.
pub fn header(df: &DataFrame, out: &mut Vec<u8>) {
    let start = out.len();
    for (i, c) in df.columns().iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        field(c.name().as_bytes(), out);
    }
    end_record(start, out);
}

/// Appends the rows of `df` as CSV records to `out`.
///
/// Cells are read straight from the typed arrays of the columns: text is
/// written as it is held (neutralized when a spreadsheet would run it),
/// numbers and dates are formatted in place. A frame with a column of
/// another type, or of more than one chunk, is rendered cell by cell
/// through [`Rows`] instead; both give the same bytes.
pub fn render(df: &DataFrame, out: &mut Vec<u8>) {
    match typed_columns(df) {
        Some(columns) => render_typed(&columns, df.height(), out),
        None => render_cells(df, out),
    }
}

/// One column's single chunk, typed.
enum Typed<'a> {
    Str(&'a <StringType as PolarsDataType>::Array),
    Int(&'a <Int64Type as PolarsDataType>::Array),
    Float(&'a <Float64Type as PolarsDataType>::Array),
    Bool(&'a <BooleanType as PolarsDataType>::Array),
    Date(&'a <Int32Type as PolarsDataType>::Array),
    DateTime(&'a <Int64Type as PolarsDataType>::Array),
}

/// The columns of `df` as typed arrays, when each is of one chunk and of a
/// type [`render_typed`] formats.
fn typed_columns(df: &DataFrame) -> Option<Vec<Typed<'_>>> {
    fn one<A>(mut chunks: impl Iterator<Item = A>) -> Option<A> {
        let first = chunks.next()?;
        chunks.next().is_none().then_some(first)
    }
    df.columns()
        .iter()
        .map(|c| {
            Some(match c.dtype() {
                DataType::String => Typed::Str(one(c.str().ok()?.downcast_iter())?),
                DataType::Int64 => Typed::Int(one(c.i64().ok()?.downcast_iter())?),
                DataType::Float64 => Typed::Float(one(c.f64().ok()?.downcast_iter())?),
                DataType::Boolean => Typed::Bool(one(c.bool().ok()?.downcast_iter())?),
                DataType::Date => Typed::Date(one(c.date().ok()?.phys.downcast_iter())?),
                DataType::Datetime(_, _) => {
                    Typed::DateTime(one(c.datetime().ok()?.phys.downcast_iter())?)
                }
                _ => return None,
            })
        })
        .collect()
}

/// [`render`] from typed arrays of `height` rows.
fn render_typed(columns: &[Typed], height: usize, out: &mut Vec<u8>) {
    let mut text = String::new();
    for i in 0..height {
        let start = out.len();
        for (j, column) in columns.iter().enumerate() {
            if j > 0 {
                out.push(b',');
            }
            match column {
                Typed::Str(a) => {
                    if let Some(s) = a.get(i) {
                        field(safe_text(s).as_bytes(), out);
                    }
                }
                Typed::Int(a) => {
                    if let Some(v) = a.get(i) {
                        // Digits and a leading minus: never quoted, never
                        // neutralized.
                        push_int(out, v);
                    }
                }
                Typed::Float(a) => {
                    if let Some(v) = a.get(i) {
                        if v.fract() == 0.0 && v.abs() < 1e15 {
                            push_int(out, v as i64);
                        } else {
                            other(&Cell::Float(v), &mut text, out);
                        }
                    }
                }
                Typed::Bool(a) => {
                    if let Some(b) = a.get(i) {
                        out.extend_from_slice(if b { b"true" } else { b"false" });
                    }
                }
                Typed::Date(a) => {
                    if let Some(d) = a.get(i)
                        && !push_day(out, i64::from(d))
                    {
                        other(&Cell::Date(d), &mut text, out);
                    }
                }
                Typed::DateTime(a) => {
                    if let Some(ms) = a.get(i) {
                        const DAY: i64 = 86_400_000;
                        let (day, in_day) = (ms.div_euclid(DAY), ms.rem_euclid(DAY) / 1000);
                        if push_day(out, day) {
                            out.push(b' ');
                            let (h, m, s) = (in_day / 3600, in_day / 60 % 60, in_day % 60);
                            for (k, part) in [h, m, s].into_iter().enumerate() {
                                if k > 0 {
                                    out.push(b':');
                                }
                                push_two(out, part as u32);
                            }
                        } else {
                            other(&Cell::DateTime(ms), &mut text, out);
                        }
                    }
                }
            }
        }
        end_record(start, out);
    }
}

/// A cell as [`Cell::push_text`] writes it, neutralized and quoted as a
/// field.
fn other(cell: &Cell, text: &mut String, out: &mut Vec<u8>) {
    text.clear();
    cell.push_text(text);
    field(safe_text(text).as_bytes(), out);
}

/// Appends `v` in decimal.
fn push_int(out: &mut Vec<u8>, v: i64) {
    let mut digits = [0u8; 20];
    let mut n = v.unsigned_abs();
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if v < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(&digits[at..]);
}

/// Appends `v` (below 100) as two digits.
fn push_two(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&[b'0' + (v / 10) as u8, b'0' + (v % 10) as u8]);
}

/// Appends the day `days` after 1970-01-01 as `YYYY-MM-DD` when its year
/// is 0 to 9999 (as chrono's `%Y-%m-%d` writes it); `false`, with nothing
/// appended, for other years.
fn push_day(out: &mut Vec<u8>, days: i64) -> bool {
    let (y, m, d) = civil_from_days(days);
    if !(0..=9999).contains(&y) {
        return false;
    }
    let y = y as u32;
    push_two(out, y / 100);
    push_two(out, y % 100);
    out.push(b'-');
    push_two(out, m);
    out.push(b'-');
    push_two(out, d);
    true
}

/// The proleptic Gregorian year, month and day of the day `days` after
/// 1970-01-01 (negative before).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// [`render`] cell by cell, for frames of any column types and chunks.
fn render_cells(df: &DataFrame, out: &mut Vec<u8>) {
    let mut rows = Rows::new(df);
    let mut row: Vec<Cell> = Vec::with_capacity(df.width());
    let mut text = String::new();
    while rows.next_into(&mut row) {
        let start = out.len();
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            match cell {
                Cell::Str(s) => field(safe_text(s).as_bytes(), out),
                Cell::Null => {}
                other => {
                    text.clear();
                    other.push_text(&mut text);
                    field(safe_text(&text).as_bytes(), out);
                }
            }
        }
        end_record(start, out);
    }
}

/// Ends the record begun at `start`: `\n`, after `""` when the record is
/// still empty (one empty field), as the `csv` crate writes it so that the
/// record is not read as a blank line.
fn end_record(start: usize, out: &mut Vec<u8>) {
    if out.len() == start {
        out.extend_from_slice(b"\"\"");
    }
    out.push(b'\n');
}

/// Appends one field, quoted when it holds a comma, a quote, `\r` or `\n`.
fn field(value: &[u8], out: &mut Vec<u8>) {
    // Every byte is looked at (no early exit), which the compiler turns
    // into wide compares.
    let special = value.iter().fold(false, |any, &b| {
        any | (b == b',') | (b == b'"') | (b == b'\r') | (b == b'\n')
    });
    if !special {
        out.extend_from_slice(value);
        return;
    }
    out.push(b'"');
    let mut rest = value;
    while let Some(at) = memchr::memchr(b'"', rest) {
        out.extend_from_slice(&rest[..=at]);
        out.push(b'"');
        rest = &rest[at + 1..];
    }
    out.extend_from_slice(rest);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use polars::prelude::{Column, DataType};

    /// What the `csv` crate writes for the same cells.
    fn by_the_csv_crate(df: &DataFrame) -> Vec<u8> {
        let mut w = ::csv::WriterBuilder::new().from_writer(Vec::new());
        w.write_record(df.columns().iter().map(|c| c.name().as_str()))
            .unwrap();
        let mut rows = Rows::new(df);
        let mut row = Vec::new();
        while rows.next_into(&mut row) {
            let fields: Vec<String> = row
                .iter()
                .map(|cell| {
                    let mut text = String::new();
                    cell.push_text(&mut text);
                    safe_text(&text).into_owned()
                })
                .collect();
            w.write_record(&fields).unwrap();
        }
        w.into_inner().unwrap()
    }

    #[test]
    fn rows_are_rendered_as_the_csv_crate_writes_them() {
        let text = [
            Some("plain"),
            Some("a,b"),
            Some("say \"hi\""),
            Some("two\nlines"),
            Some("cr\rhere"),
            Some(""),
            None,
            Some("=1+1"),
            Some("-5"),
            Some("\"\""),
            Some("张三, 李四"),
            Some("trailing "),
        ];
        let n = text.len();
        let df = DataFrame::new_infer_height(vec![
            Column::new("text, quoted \"name\"".into(), text.to_vec()),
            Column::new(
                "number".into(),
                (0..n)
                    .map(|i| (i % 4 != 0).then_some(i as f64 / 3.0 - 2.0))
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "day".into(),
                (0..n)
                    .map(|i| (i % 3 != 0).then_some(19_000 + i as i32))
                    .collect::<Vec<_>>(),
            )
            .cast(&DataType::Date)
            .unwrap(),
        ])
        .unwrap();
        let mut out = Vec::new();
        header(&df, &mut out);
        render(&df, &mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            String::from_utf8(by_the_csv_crate(&df)).unwrap()
        );
        // One column: an empty record is written as `""`.
        let one = DataFrame::new_infer_height(vec![Column::new(
            "only".into(),
            vec![Some("x"), None, Some(""), Some("y,z")],
        )])
        .unwrap();
        let mut out = Vec::new();
        header(&one, &mut out);
        render(&one, &mut out);
        assert_eq!(out, by_the_csv_crate(&one));
        assert_eq!(out, b"only\nx\n\"\"\n\"\"\n\"y,z\"\n");
    }

    #[test]
    fn typed_rows_are_the_rows_rendered_cell_by_cell() {
        const DAY: i64 = 86_400_000;
        let ints = [0i64, 7, -5, i64::MAX, i64::MIN, 1_000_000];
        let floats = [
            0.0,
            -0.0,
            15000.0,
            7.25,
            -2.5,
            1.0 / 3.0,
            1e15,
            -1e16,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            123_456.789_012_3,
        ];
        let days = [
            0i32, -1, 19_000, -719_528, -719_529, 2_932_896, 2_932_897, 11_016,
        ];
        let times = [
            0i64,
            -1,
            1_700_000_000_123,
            -DAY - 1,
            -62_167_219_200_000,
            -62_167_219_200_001,
            253_402_300_799_999,
            253_402_300_800_000,
        ];
        let n = 24;
        let at = |i: usize, k: usize| (i * 7 + k) % n;
        let df = DataFrame::new_infer_height(vec![
            Column::new(
                "text".into(),
                (0..n)
                    .map(|i| match i % 6 {
                        0 => None,
                        1 => Some("=cmd".to_string()),
                        2 => Some(format!("a,\"{i}\"")),
                        3 => Some(String::new()),
                        4 => Some("张三\n李四".to_string()),
                        _ => Some(format!("row {i}")),
                    })
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "int".into(),
                (0..n)
                    .map(|i| (i % 5 != 0).then_some(ints[at(i, 1) % ints.len()]))
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "float".into(),
                (0..n)
                    .map(|i| (i % 7 != 0).then_some(floats[at(i, 2) % floats.len()]))
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "flag".into(),
                (0..n)
                    .map(|i| (i % 3 != 0).then_some(i % 2 == 0))
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "day".into(),
                (0..n)
                    .map(|i| (i % 4 != 0).then_some(days[at(i, 3) % days.len()]))
                    .collect::<Vec<_>>(),
            )
            .cast(&DataType::Date)
            .unwrap(),
            Column::new(
                "at".into(),
                (0..n)
                    .map(|i| (i % 6 != 1).then_some(times[at(i, 4) % times.len()]))
                    .collect::<Vec<_>>(),
            )
            .cast(&DataType::Datetime(
                polars::prelude::TimeUnit::Milliseconds,
                None,
            ))
            .unwrap(),
        ])
        .unwrap();
        assert!(typed_columns(&df).is_some(), "every column is typed");
        let mut typed = Vec::new();
        render(&df, &mut typed);
        let mut cells = Vec::new();
        render_cells(&df, &mut cells);
        assert_eq!(
            String::from_utf8(typed).unwrap(),
            String::from_utf8(cells).unwrap()
        );
        // Columns of two chunks are rendered cell by cell.
        let mut twice = df.clone();
        twice.vstack_mut(&df).unwrap();
        assert!(typed_columns(&twice).is_none());
        let mut whole = Vec::new();
        render(&twice, &mut whole);
        let mut halves = Vec::new();
        render(&df, &mut halves);
        render(&df, &mut halves);
        assert_eq!(whole, halves);
    }

    #[test]
    fn days_are_the_dates_chrono_gives() {
        for days in (-800_000..3_000_000).step_by(97).chain(-1_000..1_000) {
            let mut out = Vec::new();
            let date = crate::output::date_from_days(days);
            if push_day(&mut out, i64::from(days)) {
                assert_eq!(
                    String::from_utf8(out).unwrap(),
                    date.format("%Y-%m-%d").to_string(),
                    "{days}"
                );
            } else {
                use chrono::Datelike;
                assert!(!(0..=9999).contains(&date.year()), "{days}");
            }
        }
    }
}
