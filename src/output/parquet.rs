//! Parquet output through polars (zstd-compressed, statistics on).

use std::io::Write;
use std::path::Path;

use polars::io::parquet::write::BatchedWriter;
use polars::prelude::{
    CompatLevel, DataFrame, ParquetCompression, ParquetWriter, PolarsResult, Schema,
};
use polars_parquet::write::{
    CompressedPage, ParquetType, StatisticsOptions, Version, WriteOptions, array_to_columns,
    compress, get_dtype_encoding,
};
use rayon::prelude::*;

use super::{Parts, write_atomic};

/// Writes `df` as a Parquet file at `path`.
pub fn write(path: &Path, df: &mut DataFrame) -> std::io::Result<()> {
    write_atomic(path, |w| {
        ParquetWriter::new(w)
            .finish(df)
            .map_err(std::io::Error::other)?;
        Ok(())
    })
}

/// A Parquet file being written a row group at a time: the row groups,
/// pages and metadata [`write`] gives for the whole frame when the row
/// groups are those polars makes (see [`super::row_groups`]) and each is
/// encoded by [`Encoder::encode`].
pub struct GroupFile<W: Write> {
    batched: BatchedWriter<W>,
}

impl<W: Write> GroupFile<W> {
    /// Starts the file for frames of `schema` in `w`, and gives the
    /// encoder of its row groups.
    pub fn new(w: W, schema: &Schema) -> PolarsResult<(GroupFile<W>, Encoder)> {
        let mut batched = ParquetWriter::new(w).batched(schema)?;
        let encoder = Encoder {
            types: batched.parquet_schema().fields().to_vec(),
            // What `ParquetWriter` encodes with by default (see its
            // `batched`).
            options: WriteOptions {
                statistics: StatisticsOptions::default(),
                compression: ParquetCompression::default().into(),
                version: Version::V1,
                data_page_size: None,
            },
        };
        Ok((GroupFile { batched }, encoder))
    }

    /// Appends a row group of `rows` rows, its columns' pages as
    /// [`Encoder::encode`] gave them.
    pub fn write(&mut self, rows: usize, pages: &[Vec<CompressedPage>]) -> PolarsResult<()> {
        self.batched.write_row_group(rows as u64, pages)
    }

    /// Writes the footer.
    pub fn finish(self) -> PolarsResult<()> {
        self.batched.finish().map(|_| ())
    }
}

/// Encodes and compresses row groups the way polars' `ParquetWriter`
/// does, needing nothing of the file being written: one row group can be
/// encoded while the one before is written.
pub struct Encoder {
    types: Vec<ParquetType>,
    options: WriteOptions,
}

impl Encoder {
    /// The compressed pages of `group`'s columns (one frame of one chunk),
    /// its columns encoded side by side; the seconds each column took are
    /// added to `busy`.
    pub fn encode(
        &self,
        group: &DataFrame,
        busy: &super::Busy,
    ) -> PolarsResult<Vec<Vec<CompressedPage>>> {
        let options = self.options;
        let pages: Vec<Vec<Vec<CompressedPage>>> = group
            .columns()
            .par_iter()
            .zip(&self.types)
            .map(
                |(column, parquet_type)| -> PolarsResult<Vec<Vec<CompressedPage>>> {
                    let t = std::time::Instant::now();
                    let series = column.as_materialized_series().rechunk();
                    let array = series.to_arrow(0, CompatLevel::newest());
                    let encoding = get_dtype_encoding(array.dtype());
                    let leaves = array_to_columns(array, parquet_type.clone(), options, &encoding)?;
                    let pages = leaves
                        .into_iter()
                        .map(|pages| {
                            pages
                                .map(|page| Ok(compress(page?, Vec::new(), options.compression)?))
                                .collect()
                        })
                        .collect();
                    busy.add(t);
                    pages
                },
            )
            .collect::<PolarsResult<_>>()?;
        Ok(pages.into_iter().flatten().collect())
    }
}

/// Rows `rows` of `parts` as one frame (its columns built side by side,
/// the records of the rows looked up once for all of them); the time it
/// took is added to `busy`.
pub fn group_frame(
    parts: &dyn Parts,
    rows: std::ops::Range<usize>,
    busy: &super::Busy,
) -> PolarsResult<DataFrame> {
    let t = std::time::Instant::now();
    let frame = parts.frame(rows);
    busy.add(t);
    frame
}
