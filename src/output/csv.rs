//! CSV output: UTF-8 with a byte-order mark, because Excel on Windows opens
//! BOM-less UTF-8 as the local code page and shows Chinese as mojibake.

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
            out: ::csv::WriterBuilder::new().from_writer(w),
            header: false,
            text: String::new(),
        };
        fill(&mut sink)?;
        sink.out.flush()?;
        Ok(())
    })
}

/// CSV rows being written, frame by frame.
pub struct Sink<W: Write> {
    out: ::csv::Writer<W>,
    /// Whether the header row is written.
    header: bool,
    text: String,
}

impl<W: Write> Sink<W> {
    /// Writes the rows of `df` (after its column names, for the first).
    ///
    /// Cells are read from the typed columns: text is written as it is
    /// held, numbers and dates are formatted into one reused buffer, so a
    /// row costs no allocation beyond what a neutralized text needs.
    pub fn rows(&mut self, df: &DataFrame) -> std::io::Result<()> {
        if !self.header {
            self.out
                .write_record(df.columns().iter().map(|c| c.name().as_str()))?;
            self.header = true;
        }
        let mut rows = Rows::new(df);
        let mut row: Vec<Cell> = Vec::with_capacity(df.width());
        while rows.next_into(&mut row) {
            for cell in &row {
                match cell {
                    // Text goes out as it is held, without a copy.
                    Cell::Str(s) => self.out.write_field(safe_text(s).as_bytes())?,
                    Cell::Null => self.out.write_field(b"")?,
                    other => {
                        self.text.clear();
                        other.push_text(&mut self.text);
                        self.out.write_field(safe_text(&self.text).as_bytes())?;
                    }
                }
            }
            self.out.write_record(None::<&[u8]>)?;
        }
        Ok(())
    }
}
