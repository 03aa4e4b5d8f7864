//! Parquet output through polars (zstd-compressed, statistics on).

use std::path::Path;

use polars::prelude::{CompatLevel, DataFrame, ParquetCompression, ParquetWriter};
use polars_parquet::write::{
    CompressedPage, StatisticsOptions, Version, WriteOptions, array_to_columns, compress,
    get_dtype_encoding,
};
use rayon::prelude::*;

use super::{Parts, row_groups, write_atomic};

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

/// Writes `parts` as one Parquet file at `path`, a row group at a time:
/// the row groups, pages and metadata of [`write`] for the whole frame
/// (the same row groups as polars makes, the same encoding and
/// compression of each column), while only one row group's frame and
/// encoded pages are held. Each row group's frame is built once, its
/// columns side by side, and handed to `each_group` once encoded (the CSV
/// of the same rows is rendered from it).
pub fn write_parts(
    path: &Path,
    parts: &dyn Parts,
    each_group: &mut dyn FnMut(&DataFrame) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let io = std::io::Error::other;
    let schema = parts.frame(0..0).map_err(io)?.schema().clone();
    // What `ParquetWriter` encodes with by default (see its `batched`).
    let options = WriteOptions {
        statistics: StatisticsOptions::default(),
        compression: ParquetCompression::default().into(),
        version: Version::V1,
        data_page_size: None,
    };
    write_atomic(path, |w| {
        let mut batched = ParquetWriter::new(w).batched(&schema).map_err(io)?;
        let types = batched.parquet_schema().fields().to_vec();
        for rows in row_groups(parts.height()) {
            if rows.is_empty() {
                continue;
            }
            let group = group_frame(parts, rows.clone()).map_err(io)?;
            let pages: Vec<Vec<Vec<CompressedPage>>> = group
                .columns()
                .par_iter()
                .zip(&types)
                .map(
                    |(column, parquet_type)| -> polars::prelude::PolarsResult<Vec<Vec<CompressedPage>>> {
                        let series = column.as_materialized_series().rechunk();
                        let array = series.to_arrow(0, CompatLevel::newest());
                        let encoding = get_dtype_encoding(array.dtype());
                        let leaves =
                            array_to_columns(array, parquet_type.clone(), options, &encoding)?;
                        leaves
                            .into_iter()
                            .map(|pages| {
                                pages
                                    .map(|page| {
                                        Ok(compress(page?, Vec::new(), options.compression)?)
                                    })
                                    .collect()
                            })
                            .collect()
                    },
                )
                .collect::<polars::prelude::PolarsResult<_>>()
                .map_err(io)?;
            let pages: Vec<Vec<CompressedPage>> = pages.into_iter().flatten().collect();
            batched
                .write_row_group(rows.len() as u64, &pages)
                .map_err(io)?;
            drop(pages);
            each_group(&group)?;
        }
        batched.finish().map_err(io)?;
        Ok(())
    })
}

/// Rows `rows` of `parts` as one frame, its columns built side by side.
pub fn group_frame(
    parts: &dyn Parts,
    rows: std::ops::Range<usize>,
) -> polars::prelude::PolarsResult<DataFrame> {
    let width = parts.frame(0..0)?.width();
    let columns: Vec<polars::prelude::Column> = (0..width)
        .into_par_iter()
        .map(|i| parts.column(i, rows.clone()))
        .collect::<polars::prelude::PolarsResult<_>>()?;
    DataFrame::new_infer_height(columns)
}
