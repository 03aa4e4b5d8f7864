//! Cell values and the low-level writers: an in-memory sheet model written
//! to .xlsx with rust_xlsxwriter, and delimited text encoded as GBK or
//! UTF-16LE.
//!
//! Layouts build rows of `Cell`s; the committed sample keeps whole sheets as
//! `Sheet` models (small, and the tests inspect them), while scale mode
//! streams rows straight into a worksheet with `write_cells`. Output must be
//! byte-identical for a seed, so the workbook creation date is pinned and no
//! hash-ordered collection reaches the output.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet,
};

use super::company::COMPANY;

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// Whole number shown without decimals or exponent (phones typed as
    /// numbers, ages, scores).
    Int(i64),
    Num(f64),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
    /// A formula with its cached result (e.g. a VLOOKUP cached as `#N/A`).
    Formula {
        formula: String,
        cached: String,
    },
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        let s = s.into();
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s)
        }
    }

    pub fn opt(s: Option<impl Into<String>>) -> Cell {
        s.map_or(Cell::Empty, Cell::text)
    }

    /// Text content as a reader would see it (used by tests and notes).
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Int(i) => i.to_string(),
            Cell::Num(f) => f.to_string(),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
            Cell::DateTime(d) => d.format("%Y-%m-%d %H:%M").to_string(),
            Cell::Formula { cached, .. } => cached.clone(),
        }
    }
}

/// Formats shared by all sheets of one workbook.
pub struct Formats {
    pub date: Format,
    pub datetime: Format,
    pub int: Format,
    pub header: Format,
    pub title: Format,
    pub group: Format,
}

impl Formats {
    pub fn new(date_format: &str) -> Formats {
        Formats {
            date: Format::new().set_num_format(date_format),
            datetime: Format::new().set_num_format("yyyy-mm-dd hh:mm"),
            int: Format::new().set_num_format("0"),
            header: Format::new().set_bold().set_border(FormatBorder::Thin),
            title: Format::new()
                .set_bold()
                .set_font_size(14)
                .set_align(FormatAlign::Center),
            group: Format::new()
                .set_bold()
                .set_border(FormatBorder::Thin)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
        }
    }
}

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime> {
    Ok(ExcelDateTime::from_ymd(
        d.year() as u16,
        d.month() as u8,
        d.day() as u8,
    )?)
}

fn excel_datetime(d: NaiveDateTime) -> Result<ExcelDateTime> {
    Ok(excel_date(d.date())?.and_hms(d.hour() as u16, d.minute() as u8, d.second())?)
}

/// Writes one row of cells starting at (`row`, `col`), 0-based.
pub fn write_cells(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    cells: &[Cell],
    f: &Formats,
) -> Result<()> {
    for (i, cell) in cells.iter().enumerate() {
        let c = col + i as u16;
        match cell {
            Cell::Empty => {}
            Cell::Text(s) => {
                ws.write_string(row, c, s)?;
            }
            Cell::Int(n) => {
                ws.write_number_with_format(row, c, *n as f64, &f.int)?;
            }
            Cell::Num(n) => {
                ws.write_number(row, c, *n)?;
            }
            Cell::Date(d) => {
                ws.write_datetime_with_format(row, c, excel_date(*d)?, &f.date)?;
            }
            Cell::DateTime(d) => {
                ws.write_datetime_with_format(row, c, excel_datetime(*d)?, &f.datetime)?;
            }
            Cell::Formula { formula, cached } => {
                ws.write_formula(row, c, Formula::new(formula).set_result(cached))?;
            }
        }
    }
    Ok(())
}

/// A row placed at a 0-based sheet row and first column.
#[derive(Debug, Clone)]
pub struct Row {
    pub row: u32,
    pub col: u16,
    pub cells: Vec<Cell>,
}

/// A merged range with its text (0-based, inclusive).
#[derive(Debug, Clone)]
pub struct Merge {
    pub first: (u32, u16),
    pub last: (u32, u16),
    pub text: String,
    pub title: bool,
}

/// An in-memory worksheet of the committed sample.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Row>,
    pub merges: Vec<Merge>,
    /// 0-based rows written in bold with borders.
    pub header_rows: Vec<u32>,
    pub widths: Vec<(u16, f64)>,
    pub hidden: bool,
}

impl Sheet {
    pub fn new(name: &str) -> Sheet {
        Sheet {
            name: name.to_string(),
            ..Sheet::default()
        }
    }

    pub fn push(&mut self, row: u32, col: u16, cells: Vec<Cell>) {
        self.rows.push(Row { row, col, cells });
    }

    /// The cell at 1-based Excel row `row` and 0-based column `col`.
    #[cfg(test)]
    pub fn cell(&self, row: u32, col: u16) -> Option<&Cell> {
        let r = self.rows.iter().find(|r| r.row + 1 == row)?;
        r.cells.get(usize::from(col.checked_sub(r.col)?))
    }
}

/// Document properties with a pinned creation date: without it every run
/// stamps the current time into docProps/core.xml and the bytes change.
pub fn properties(title: &str) -> Result<DocProperties> {
    let created = ExcelDateTime::from_ymd(2024, 12, 31)?.and_hms(9, 0, 0)?;
    Ok(DocProperties::new()
        .set_title(title)
        .set_author("人力资源部")
        .set_company(COMPANY)
        .set_creation_datetime(&created))
}

pub fn new_workbook(title: &str) -> Result<Workbook> {
    let mut wb = Workbook::new();
    wb.set_properties(&properties(title)?);
    Ok(wb)
}

/// Adds a modelled sheet to a workbook.
pub fn add_sheet(wb: &mut Workbook, sheet: &Sheet, f: &Formats) -> Result<()> {
    let ws = wb.add_worksheet();
    ws.set_name(&sheet.name)?;
    for &(col, width) in &sheet.widths {
        ws.set_column_width(col, width)?;
    }
    for m in &sheet.merges {
        let fmt = if m.title { &f.title } else { &f.group };
        ws.merge_range(m.first.0, m.first.1, m.last.0, m.last.1, &m.text, fmt)?;
    }
    for r in &sheet.rows {
        if sheet.header_rows.contains(&r.row) {
            for (i, cell) in r.cells.iter().enumerate() {
                if let Cell::Text(s) = cell {
                    ws.write_string_with_format(r.row, r.col + i as u16, s, &f.header)?;
                }
            }
        } else {
            write_cells(ws, r.row, r.col, &r.cells, f)?;
        }
    }
    if sheet.hidden {
        ws.set_hidden(true);
    }
    Ok(())
}

pub fn save_sheets(path: &Path, title: &str, sheets: &[Sheet], date_format: &str) -> Result<()> {
    let mut wb = new_workbook(title)?;
    let f = Formats::new(date_format);
    for s in sheets {
        add_sheet(&mut wb, s, &f)?;
    }
    wb.save(path)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// Quotes a delimited-text field the way Excel and most exporters do: only
/// when it contains the delimiter, a quote or a line break.
pub fn quote_field(field: &str, delimiter: char) -> String {
    if field.contains(delimiter)
        || field.contains('"')
        || field.contains('\n')
        || field.contains('\r')
    {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// One record as a line (CRLF-terminated). Fields are quoted as needed;
/// `raw` fields are emitted as-is, which is how a ragged row is produced.
pub fn record_line(fields: &[(String, bool)], delimiter: char) -> String {
    let mut line = String::new();
    for (i, (f, raw)) in fields.iter().enumerate() {
        if i > 0 {
            line.push(delimiter);
        }
        if *raw {
            line.push_str(f);
        } else {
            line.push_str(&quote_field(f, delimiter));
        }
    }
    line.push_str("\r\n");
    line
}

/// Text encodings of the delimited exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Gbk,
    Utf16LeBom,
}

/// Streams delimited text in a legacy encoding and counts physical lines,
/// which is what ground truth row numbers refer to for CSV files.
pub struct TextSink<W: Write> {
    out: W,
    encoding: TextEncoding,
    /// Physical lines written so far.
    pub lines: u64,
}

impl<W: Write> TextSink<W> {
    pub fn new(mut out: W, encoding: TextEncoding) -> Result<TextSink<W>> {
        if encoding == TextEncoding::Utf16LeBom {
            out.write_all(&[0xFF, 0xFE])?;
        }
        Ok(TextSink {
            out,
            encoding,
            lines: 0,
        })
    }

    /// Writes `text` and returns the 1-based line on which it starts.
    pub fn write(&mut self, text: &str) -> Result<u64> {
        let start = self.lines + 1;
        match self.encoding {
            TextEncoding::Gbk => {
                let (bytes, _, had_errors) = encoding_rs::GBK.encode(text);
                if had_errors {
                    bail!("text not representable in GBK: {text:?}");
                }
                self.out.write_all(&bytes)?;
            }
            TextEncoding::Utf16LeBom => {
                let mut buf = Vec::with_capacity(text.len() * 2);
                for unit in text.encode_utf16() {
                    buf.extend_from_slice(&unit.to_le_bytes());
                }
                self.out.write_all(&buf)?;
            }
        }
        self.lines += text.matches('\n').count() as u64;
        Ok(start)
    }

    pub fn finish(mut self) -> Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}
