//! CSV output: UTF-8 with a byte-order mark, because Excel on Windows opens
//! BOM-less UTF-8 as the local code page and shows Chinese as mojibake.

use std::io::Write;
use std::path::Path;

use polars::prelude::DataFrame;

use super::{safe_text, value_text, write_atomic};

/// Writes `df` as CSV at `path` (header row, then rows in frame order).
pub fn write(path: &Path, df: &DataFrame) -> std::io::Result<()> {
    write_atomic(path, |w| {
        w.write_all(b"\xEF\xBB\xBF")?;
        let mut out = ::csv::WriterBuilder::new().from_writer(w);
        let columns = df.columns();
        out.write_record(columns.iter().map(|c| c.name().as_str()))?;
        let mut record: Vec<String> = Vec::with_capacity(columns.len());
        for i in 0..df.height() {
            record.clear();
            for c in columns {
                let v = c.get(i).map_err(std::io::Error::other)?;
                record.push(
                    value_text(&v)
                        .map(|t| safe_text(&t).into_owned())
                        .unwrap_or_default(),
                );
            }
            out.write_record(&record)?;
        }
        out.flush()?;
        Ok(())
    })
}
