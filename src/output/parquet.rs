//! Parquet output through polars (zstd-compressed, statistics on).

use std::path::Path;

use polars::prelude::{DataFrame, ParquetWriter};

use super::write_atomic;

/// Writes `df` as a Parquet file at `path`.
pub fn write(path: &Path, df: &mut DataFrame) -> std::io::Result<()> {
    write_atomic(path, |w| {
        ParquetWriter::new(w)
            .finish(df)
            .map_err(std::io::Error::other)?;
        Ok(())
    })
}
