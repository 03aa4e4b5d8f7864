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

/// Writes `frames` as one Parquet file at `path`, each single-chunk frame a
/// row group: what [`write`] gives for the frames' concatenation split at
/// the same rows, without holding it whole.
pub fn write_frames(
    path: &Path,
    frames: impl Iterator<Item = std::io::Result<DataFrame>>,
) -> std::io::Result<()> {
    write_atomic(path, |w| {
        let mut frames = frames;
        let Some(first) = frames.next() else {
            return Ok(());
        };
        let first = first?;
        let mut batched = ParquetWriter::new(w)
            .batched(first.schema())
            .map_err(std::io::Error::other)?;
        batched.write_batch(&first).map_err(std::io::Error::other)?;
        drop(first);
        for df in frames {
            batched.write_batch(&df?).map_err(std::io::Error::other)?;
        }
        batched.finish().map_err(std::io::Error::other)?;
        Ok(())
    })
}
