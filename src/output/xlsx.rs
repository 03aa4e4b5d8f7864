//! The dataset as one XLSX workbook, a sheet per table, for people who live
//! in Excel: typed cells (numbers stay numbers, dates are dates), a bold
//! frozen header with filters, and column widths that fit Chinese text.
//!
//! The workbook's creation time is pinned so the same data gives the same
//! bytes; the run time is in the manifest instead.

use std::io::Write;
use std::path::Path;

use polars::prelude::{AnyValue, DataFrame};
use rayon::prelude::*;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::{Cell, Rows, date_from_days, datetime_from_ms, safe_text, value_text, write_atomic};

/// Fixed document timestamp: output bytes must not depend on the clock.
pub fn pinned_properties() -> DocProperties {
    let when = ExcelDateTime::from_ymd(2020, 1, 1).expect("valid date");
    DocProperties::new().set_creation_datetime(&when)
}

/// A list workbook (dataset sheets, recall and review lists): pinned
/// properties and deflate level 3. These workbooks hold up to hundreds of
/// thousands of rows, and deflate is much of their writing: level 3 takes
/// about 40 % less time than the default 6 for files 10-17 % larger
/// (level 1 is barely faster again, for files 60 % larger).
pub fn list_workbook() -> Workbook {
    let mut wb = Workbook::new();
    wb.set_properties(&pinned_properties());
    wb.set_zip_compression_level(3);
    wb
}

/// Display width of text in Excel character units: CJK and other wide
/// characters take two.
pub fn display_width(s: &str) -> usize {
    s.lines()
        .map(|l| l.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum())
        .max()
        .unwrap_or(0)
}

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF |
        0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// The most text an Excel cell holds, in UTF-16 code units. rust_xlsxwriter
/// refuses a longer string, and one refused cell would fail the workbook.
const MAX_CELL_UNITS: usize = 32_767;

/// Marks a cell whose text was cut to fit (the CSV, Parquet and JSON
/// outputs keep the whole text).
const CUT_MARK: &str = "…[cut to fit an Excel cell]";

/// Text as an XLSX cell gets it: neutralized like every output (see
/// [`safe_text`]) and, when longer than a cell holds, cut with a mark.
pub fn cell_text(s: &str) -> std::borrow::Cow<'_, str> {
    let s = safe_text(s);
    if s.len() <= MAX_CELL_UNITS || s.encode_utf16().count() <= MAX_CELL_UNITS {
        return s;
    }
    let room = MAX_CELL_UNITS - CUT_MARK.encode_utf16().count();
    let mut units = 0;
    let mut end = 0;
    for (i, c) in s.char_indices() {
        units += c.len_utf16();
        if units > room {
            break;
        }
        end = i + c.len_utf8();
    }
    std::borrow::Cow::Owned(format!("{}{CUT_MARK}", &s[..end]))
}

/// Writes a frame into a worksheet with the house style.
pub fn fill_sheet(ws: &mut Worksheet, df: &DataFrame) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let datetime = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let columns = df.columns();
    let mut widths: Vec<usize> = columns.iter().map(|c| display_width(c.name())).collect();
    for (j, c) in columns.iter().enumerate() {
        ws.write_string_with_format(0, j as u16, c.name().as_str(), &bold)?;
    }
    let mut rows = Rows::new(df);
    let mut cells: Vec<Cell> = Vec::with_capacity(columns.len());
    let mut text = String::new();
    let mut row = 0u32;
    while rows.next_into(&mut cells) {
        row += 1;
        for (j, v) in cells.iter().enumerate() {
            let col = j as u16;
            let shown = match v {
                Cell::Null => continue,
                Cell::Int(x) => {
                    ws.write_number(row, col, *x as f64)?;
                    number_width(v, &mut text)
                }
                Cell::Float(x) => {
                    ws.write_number(row, col, *x)?;
                    number_width(v, &mut text)
                }
                Cell::Bool(b) => {
                    ws.write_boolean(row, col, *b)?;
                    if *b { 4 } else { 5 }
                }
                Cell::Date(d) => {
                    ws.write_datetime_with_format(row, col, date_from_days(*d), &date)?;
                    10
                }
                Cell::DateTime(ms) => {
                    ws.write_datetime_with_format(row, col, datetime_from_ms(*ms), &datetime)?;
                    16
                }
                Cell::Str(s) => {
                    ws.write_string(row, col, cell_text(s).as_ref())?;
                    display_width(s)
                }
                Cell::Other(any) => other_cell(ws, row, col, any, &date, &datetime)?,
            };
            widths[j] = widths[j].max(shown);
        }
    }
    for (j, w) in widths.iter().enumerate() {
        ws.set_column_width(j as u16, (*w as f64 + 2.0).min(60.0))?;
    }
    ws.set_freeze_panes(1, 0)?;
    if !columns.is_empty() {
        ws.autofilter(0, 0, df.height() as u32, (columns.len() - 1) as u16)?;
    }
    Ok(())
}

/// Width of a number as text (digits, sign and point are one unit each).
fn number_width(v: &Cell, text: &mut String) -> usize {
    text.clear();
    v.push_text(text);
    text.len()
}

/// A cell of a type the tables do not build: numbers as numbers, dates as
/// dates, anything else as its text. Returns the width it shows at.
fn other_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    v: &AnyValue,
    date: &Format,
    datetime: &Format,
) -> Result<usize, XlsxError> {
    match v {
        AnyValue::Int32(_) | AnyValue::UInt32(_) => {
            let n = match v {
                AnyValue::Int32(x) => *x as f64,
                AnyValue::UInt32(x) => *x as f64,
                _ => unreachable!("matched numeric variants"),
            };
            ws.write_number(row, col, n)?;
        }
        AnyValue::Date(d) => {
            ws.write_datetime_with_format(row, col, date_from_days(*d), date)?;
            return Ok(10);
        }
        AnyValue::Datetime(ms, _, _) => {
            ws.write_datetime_with_format(row, col, datetime_from_ms(*ms), datetime)?;
            return Ok(16);
        }
        _ => {
            let text = value_text(v).unwrap_or_default();
            ws.write_string(row, col, cell_text(&text).as_ref())?;
        }
    }
    Ok(display_width(&value_text(v).unwrap_or_default()))
}

/// Data rows that fit on one sheet: Excel's 1,048,576 rows less the header.
pub const SHEET_ROWS: usize = 1_048_575;

/// Adds the frames as sheets; a table longer than a sheet continues on
/// `name (2)`, `name (3)` … instead of failing the run. The sheets are
/// added in order and filled in parallel.
fn add_tables(
    wb: &mut Workbook,
    tables: &[(&str, &DataFrame)],
    per_sheet: usize,
) -> Result<(), XlsxError> {
    let mut parts: Vec<DataFrame> = Vec::new();
    let first = wb.worksheets_mut().len();
    for (name, df) in tables {
        if df.height() <= per_sheet {
            wb.add_worksheet().set_name(*name)?;
            parts.push((*df).clone());
            continue;
        }
        for (k, start) in (0..df.height()).step_by(per_sheet).enumerate() {
            let ws = wb.add_worksheet();
            if k == 0 {
                ws.set_name(*name)?;
            } else {
                ws.set_name(format!("{name} ({})", k + 1))?;
            }
            parts.push(df.slice(start as i64, per_sheet));
        }
    }
    wb.worksheets_mut()[first..]
        .par_iter_mut()
        .zip(parts.par_iter())
        .try_for_each(|(ws, df)| fill_sheet(ws, df))
}

/// Writes the given frames as sheets of one workbook at `path`.
pub fn write_sheets(path: &Path, sheets: &[(&str, &DataFrame)]) -> std::io::Result<()> {
    let mut wb = list_workbook();
    add_tables(&mut wb, sheets, SHEET_ROWS).map_err(std::io::Error::other)?;
    let bytes = wb.save_to_buffer().map_err(std::io::Error::other)?;
    write_atomic(path, |w| w.write_all(&bytes))
}

/// Writes a recall list: the house style plus a drop-down on the `outcome`
/// column so HR records results in words the next run understands.
pub fn write_recall(path: &Path, df: &DataFrame) -> std::io::Result<()> {
    let mut wb = list_workbook();
    let ws = wb.add_worksheet();
    ws.set_name("recall").map_err(std::io::Error::other)?;
    fill_sheet(ws, df).map_err(std::io::Error::other)?;
    if let Some(col) = df
        .get_column_names()
        .iter()
        .position(|c| c.as_str() == crate::columns::col::OUTCOME)
    {
        let rows = (df.height().max(1)) as u32;
        let v = rust_xlsxwriter::DataValidation::new()
            .allow_list_strings(crate::rules::contact::RECALL_OUTCOMES)
            .map_err(std::io::Error::other)?;
        ws.add_data_validation(1, col as u16, rows, col as u16, &v)
            .map_err(std::io::Error::other)?;
    }
    let bytes = wb.save_to_buffer().map_err(std::io::Error::other)?;
    write_atomic(path, |w| w.write_all(&bytes))
}

/// Writes all tables into one workbook at `path`.
pub fn write_dataset(path: &Path, tables: &[(&'static str, DataFrame)]) -> std::io::Result<()> {
    let sheets: Vec<(&str, &DataFrame)> = tables.iter().map(|(n, df)| (*n, df)).collect();
    write_sheets(path, &sheets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_longer_than_a_sheet_continues_on_the_next() {
        use calamine::Reader;
        use polars::prelude::Column;
        let df = DataFrame::new_infer_height(vec![Column::new("x".into(), vec![1i32, 2, 3, 4, 5])])
            .unwrap();
        let mut wb = Workbook::new();
        add_tables(&mut wb, &[("events", &df)], 2).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.xlsx");
        wb.save(&path).unwrap();
        let mut wb = calamine::open_workbook_auto(&path).unwrap();
        assert_eq!(wb.sheet_names(), ["events", "events (2)", "events (3)"]);
        let last = wb.worksheet_range("events (3)").unwrap();
        assert_eq!(last.height(), 2, "header + the fifth row");
    }

    #[test]
    fn chinese_counts_double_in_column_widths() {
        assert_eq!(display_width("张三"), 4);
        assert_eq!(display_width("Zhang San"), 9);
        assert_eq!(display_width("短\n很长的一行"), 10);
    }

    #[test]
    fn text_longer_than_a_cell_is_cut_with_a_mark() {
        assert_eq!(cell_text("=1+1"), "'=1+1");
        let long = "长".repeat(40_000);
        let cut = cell_text(&long);
        assert_eq!(cut.encode_utf16().count(), MAX_CELL_UNITS);
        assert!(cut.ends_with(CUT_MARK));
        // A character outside the BMP takes two units and is never split.
        let wide = "𠀀".repeat(20_000);
        let cut = cell_text(&wide);
        assert!(cut.encode_utf16().count() <= MAX_CELL_UNITS);
        assert!(cut.ends_with(CUT_MARK));
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, cell_text(&long).as_ref()).unwrap();
        ws.write_string(1, 0, cell_text(&wide).as_ref()).unwrap();
    }
}
