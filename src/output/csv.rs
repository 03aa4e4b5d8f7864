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

use polars::prelude::DataFrame;

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

    /// Writes the rows of `df` (after its column names, for the first).
    pub fn rows(&mut self, df: &DataFrame) -> std::io::Result<()> {
        self.header(df)?;
        self.buf.clear();
        render(df, &mut self.buf);
        self.out.write_all(&self.buf)
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
/// Cells are read from the typed columns: text is written as it is held
/// (neutralized when a spreadsheet would run it), numbers and dates are
/// formatted into one reused buffer.
pub fn render(df: &DataFrame, out: &mut Vec<u8>) {
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
    let special = |b: &u8| matches!(b, b',' | b'"' | b'\r' | b'\n');
    if !value.iter().any(special) {
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
}
