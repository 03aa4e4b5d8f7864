//! CSV output: UTF-8 with a byte-order mark, because Excel on Windows opens
//! BOM-less UTF-8 as the local code page and shows Chinese as mojibake.

use std::io::Write;
use std::path::Path;

use polars::prelude::DataFrame;

use super::{Cell, Rows, safe_text, write_atomic};

/// Writes `df` as CSV at `path` (header row, then rows in frame order).
///
/// Cells are read from the typed columns and formatted into one reused
/// buffer, so a row costs no allocation beyond what the text needs.
pub fn write(path: &Path, df: &DataFrame) -> std::io::Result<()> {
    write_atomic(path, |w| {
        w.write_all(b"\xEF\xBB\xBF")?;
        let mut out = ::csv::WriterBuilder::new().from_writer(w);
        out.write_record(df.columns().iter().map(|c| c.name().as_str()))?;
        let mut rows = Rows::new(df);
        let mut row: Vec<Cell> = Vec::with_capacity(df.width());
        let mut text = String::new();
        while rows.next_into(&mut row) {
            for cell in &row {
                text.clear();
                cell.push_text(&mut text);
                out.write_field(safe_text(&text).as_bytes())?;
            }
            out.write_record(None::<&[u8]>)?;
        }
        out.flush()?;
        Ok(())
    })
}
