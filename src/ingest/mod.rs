//! Reading sources into raw tables: cells with their origin, a recognised
//! header, and every row accounted for.
//!
//! Ingest owns file formats and layout (encodings, delimiters, sheets, header
//! rows, title/note/total rows). It does not interpret values: a phone stays
//! the text or number the sheet holds until [`crate::normalize`] cleans it.
//! Each reader turns its input into a [`Grid`] and hands it to
//! [`header::detect`], so Excel and CSV share one notion of "header" and
//! "data row".

pub mod decode;
pub mod delimited;
pub mod excel;
pub mod header;
pub mod survey;

use std::collections::BTreeMap;

use chrono::NaiveDateTime;

use header::{Header, RowKind};

/// One cell value, independent of the file format it came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    /// An Excel date cell, already converted from its serial (1900 or 1904
    /// system) to a calendar date and time.
    Date(NaiveDateTime),
    /// An Excel duration cell, in days.
    Duration(f64),
    /// An Excel error value such as `#N/A`.
    Error(String),
}

impl Cell {
    /// True for empty cells and text that is only whitespace.
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text: trimmed strings, integers without `.0`, dates as
    /// `YYYY-MM-DD` (with the time when it is not midnight).
    pub fn as_text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.trim().to_string(),
            Cell::Number(n) => format_number(*n),
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Cell::Date(d) => {
                if d.time() == chrono::NaiveTime::MIN {
                    d.format("%Y-%m-%d").to_string()
                } else {
                    d.format("%Y-%m-%d %H:%M:%S").to_string()
                }
            }
            Cell::Duration(days) => format!("{days} days"),
            Cell::Error(e) => e.clone(),
        }
    }
}

/// Formats a number the way a person typed it: `13800138000`, not
/// `13800138000.0` or `1.38e10`.
pub fn format_number(n: f64) -> String {
    if n.is_finite() && n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A size for messages: `512 bytes`, `64.0 KiB`, `1.0 MiB`, `2.0 GiB`.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    for (size, unit) in UNITS {
        if n >= size {
            return format!("{:.1} {unit}", n as f64 / size as f64);
        }
    }
    format!("{n} bytes")
}

/// A merged region, in grid-relative indices (inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    pub top: usize,
    pub left: usize,
    pub bottom: usize,
    pub right: usize,
}

/// A rectangle of cells as the reader found it, before any interpretation.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    /// 1-based sheet row (or CSV record) number of `rows[0]`.
    pub first_row: u32,
    /// 0-based sheet column of column 0 (tables that start off A1).
    pub first_col: u32,
    pub rows: Vec<Vec<Cell>>,
    pub merges: Vec<Merge>,
    /// For CSV: the line each record starts on (records may span lines).
    pub lines: Option<Vec<u32>>,
}

static EMPTY: Cell = Cell::Empty;

impl Grid {
    pub fn width(&self) -> usize {
        self.rows.iter().map(Vec::len).max().unwrap_or(0)
    }

    pub fn cell(&self, row: usize, col: usize) -> &Cell {
        self.rows
            .get(row)
            .and_then(|r| r.get(col))
            .unwrap_or(&EMPTY)
    }

    /// The value shown at (row, col): for a cell inside a merged region, the
    /// region's top-left value (Excel stores it only there).
    pub fn merged_value(&self, row: usize, col: usize) -> &Cell {
        for m in &self.merges {
            if (m.top..=m.bottom).contains(&row) && (m.left..=m.right).contains(&col) {
                return self.cell(m.top, m.left);
            }
        }
        self.cell(row, col)
    }

    /// The sheet's name for a grid column: `A`, `B`, … `AA`.
    pub fn column_name(&self, col: usize) -> String {
        column_letters(self.first_col as usize + col)
    }

    /// The 1-based sheet row of a grid row.
    pub fn sheet_row(&self, row: usize) -> u32 {
        match &self.lines {
            Some(lines) => lines.get(row).copied().unwrap_or(0),
            None => self.first_row + row as u32,
        }
    }
}

/// Spreadsheet column letters for a 0-based index.
pub fn column_letters(mut index: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII letters")
}

/// A data row handed to normalization.
#[derive(Debug, Clone)]
pub struct RawRow {
    /// 1-based sheet row or CSV record line.
    pub row: u32,
    pub cells: Vec<Cell>,
}

/// A whole row that ingest could not accept (a ragged CSV record).
#[derive(Debug, Clone)]
pub struct RejectedRow {
    pub row: u32,
    pub raw: String,
    pub reason: String,
}

/// One table read from a source: a sheet, or a CSV file.
#[derive(Debug, Clone)]
pub struct RawTable {
    /// Path as given to the user (relative to the pipeline root).
    pub file: String,
    pub sheet: Option<String>,
    pub header: Header,
    /// Column names (`A`, `B`…) for each header column, for messages.
    pub column_names: Vec<String>,
    /// How lineage and quarantine name each header column: `C (手机号)` in
    /// a sheet, the header label in a CSV file. Shared, not copied, by the
    /// lineage entries of every value read from the column.
    pub column_labels: Vec<std::sync::Arc<str>>,
    pub rows: Vec<RawRow>,
    pub rejected: Vec<RejectedRow>,
    /// Rows that are not data, by kind (header and rows above it included).
    pub non_data: BTreeMap<&'static str, u64>,
    /// Every row of the table's range, whatever it turned out to be.
    pub rows_read: u64,
}

impl RawTable {
    /// Splits a grid at a detected header into data rows and counted
    /// non-data rows. Rows above the header count as `title`.
    pub fn from_grid(file: String, sheet: Option<String>, grid: Grid, header: Header) -> RawTable {
        let mut non_data: BTreeMap<&'static str, u64> = BTreeMap::new();
        let header_top = header.group_row.unwrap_or(header.row);
        for r in 0..header_top {
            let kind = if grid.rows[r].iter().all(Cell::is_empty) {
                RowKind::Blank.name()
            } else {
                "title"
            };
            *non_data.entry(kind).or_default() += 1;
        }
        *non_data.entry(RowKind::RepeatedHeader.name()).or_default() +=
            (header.row - header_top + 1) as u64;
        let column_names: Vec<String> = header
            .columns
            .iter()
            .map(|c| grid.column_name(c.index))
            .collect();
        let column_labels = header
            .columns
            .iter()
            .zip(&column_names)
            .map(|(c, letter)| match sheet {
                Some(_) => std::sync::Arc::from(format!("{letter} ({})", c.label)),
                None => std::sync::Arc::from(c.label.as_str()),
            })
            .collect();
        let mut rows = Vec::new();
        let rows_read = grid.rows.len() as u64;
        let numbers: Vec<u32> = (0..grid.rows.len()).map(|i| grid.sheet_row(i)).collect();
        for (i, cells) in grid.rows.into_iter().enumerate().skip(header.row + 1) {
            match header::classify(&cells, &header) {
                RowKind::Data => rows.push(RawRow {
                    row: numbers[i],
                    cells,
                }),
                kind => *non_data.entry(kind.name()).or_default() += 1,
            }
        }
        RawTable {
            file,
            sheet,
            header,
            column_names,
            column_labels,
            rows,
            rejected: Vec::new(),
            non_data,
            rows_read,
        }
    }

    /// Non-data rows in total.
    pub fn non_data_total(&self) -> u64 {
        self.non_data.values().sum()
    }
}

/// A sheet or file that was looked at and deliberately not read as data.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Skipped {
    pub file: String,
    pub sheet: Option<String>,
    pub reason: String,
    /// Rows in the skipped sheet (counted as non-data so accounting balances).
    pub rows: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_follow_spreadsheet_naming() {
        for (i, s) in [
            (0, "A"),
            (25, "Z"),
            (26, "AA"),
            (27, "AB"),
            (701, "ZZ"),
            (702, "AAA"),
        ] {
            assert_eq!(column_letters(i), s);
        }
    }

    #[test]
    fn sizes_print_in_binary_units() {
        assert_eq!(human_bytes(512), "512 bytes");
        assert_eq!(human_bytes(1 << 20), "1.0 MiB");
        assert_eq!(human_bytes(100 << 20), "100.0 MiB");
        assert_eq!(human_bytes((2 << 30) + 1), "2.0 GiB");
    }

    #[test]
    fn numbers_print_as_typed() {
        assert_eq!(format_number(13800138000.0), "13800138000");
        assert_eq!(format_number(7.5), "7.5");
        assert_eq!(Cell::Number(1.0).as_text(), "1");
    }
}
