//! Workbooks through calamine: xlsx, xlsm, xls, xlsb and ods.
//!
//! Each worksheet becomes a [`Grid`] (with its merged regions, so two-row
//! headers with merged group cells can be combined), then a [`RawTable`] once
//! [`header::detect`] finds its header. Which sheets are read: the ones the
//! pipeline names, or every visible worksheet. Hidden sheets are reported and
//! read only when asked for, because in HR workbooks they are almost always
//! drop-down lookup lists. Chart sheets have no cells and are reported.
//!
//! Formula cells come through as their cached values (calamine reads the
//! value Excel stored); error values stay [`Cell::Error`] so normalization
//! can quarantine them with their location.

use std::path::Path;

use calamine::{Data, Range, Reader, SheetType, SheetVisible, Sheets, open_workbook_auto};

use super::header::{self, HeaderOptions};
use super::{Cell, Grid, Merge, RawTable, Skipped};

/// Which sheets to read and how to find their headers.
#[derive(Debug, Clone)]
pub struct ExcelOptions<'a> {
    /// Sheet names to read; `None` means every visible worksheet.
    pub sheets: Option<&'a [String]>,
    pub include_hidden: bool,
    /// 1-based sheet row of the header, when the pipeline fixes it.
    pub header_row: Option<u32>,
    pub header: HeaderOptions<'a>,
}

/// What a workbook yielded.
#[derive(Debug, Clone, Default)]
pub struct WorkbookRead {
    pub tables: Vec<RawTable>,
    pub skipped: Vec<Skipped>,
    /// Every sheet in workbook order, with its state, for the manifest.
    pub sheets: Vec<SheetInfo>,
}

/// One sheet as listed in the workbook.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SheetInfo {
    pub name: String,
    /// `worksheet`, `chart`, `dialog`, `macro` or `vba`.
    pub kind: &'static str,
    /// `visible`, `hidden` or `very hidden`.
    pub visibility: &'static str,
    /// `read`, or why not.
    pub outcome: String,
}

/// Lists the sheets of a workbook without reading cells.
pub fn sheet_names(path: &Path) -> Result<Vec<String>, String> {
    let wb = open(path)?;
    Ok(wb.sheet_names())
}

fn open(path: &Path) -> Result<Sheets<std::io::BufReader<std::fs::File>>, String> {
    if std::fs::metadata(path)
        .map(|m| m.len() == 0)
        .unwrap_or(false)
    {
        return Err("the file is empty (0 bytes)".to_string());
    }
    if let Some(problem) = compound_file_problem(path) {
        return Err(problem);
    }
    open_workbook_auto(path).map_err(|e| describe_open_error(&e.to_string()))
}

/// The signature of a Compound File Binary container (OLE2): the old `.xls`
/// format, and also Office's wrapper around an encrypted workbook.
const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// A `.xlsx`/`.xlsm`/`.xlsb` should be a zip. When it is a compound file
/// instead, calamine only says "invalid Zip archive", which sends users
/// looking for corruption. Two real causes: the workbook is
/// password-protected (Office encrypts the whole package into an
/// `EncryptedPackage` stream of a compound file, MS-OFFCRYPTO), or it is an
/// old `.xls` saved under a new name.
fn compound_file_problem(path: &Path) -> Option<String> {
    use std::io::Read;
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    if !matches!(ext.as_str(), "xlsx" | "xlsm" | "xlsb" | "xltx" | "xltm") {
        return None;
    }
    let mut magic = [0u8; 8];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .ok()?;
    if magic != CFB_MAGIC {
        return None;
    }
    // Reached only for a file that cannot be opened anyway, so reading it
    // whole to look for the stream name (UTF-16LE in the directory) is fine.
    let bytes = std::fs::read(path).ok()?;
    let name: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    Some(if bytes.windows(name.len()).any(|w| w == name) {
        "the workbook is password-protected (encrypted); save a copy without a password to read it"
            .to_string()
    } else {
        format!(
            "the file is an old-format .xls workbook (a compound file), not a .{ext}; rename it to .xls"
        )
    })
}

/// calamine's messages for encrypted and truncated files are technical;
/// say what the user can do about them.
fn describe_open_error(msg: &str) -> String {
    let lower = msg.to_lowercase();
    if lower.contains("password") || lower.contains("encrypt") || lower.contains("cfb") {
        format!(
            "cannot open the workbook; it may be password-protected or not an Excel file ({msg})"
        )
    } else if lower.contains("zip") || lower.contains("eof") || lower.contains("end of") {
        format!("cannot open the workbook; it looks truncated or corrupt ({msg})")
    } else {
        format!("cannot open the workbook ({msg})")
    }
}

/// The cells of one sheet as a grid, with its merged regions.
pub fn sheet_grid(path: &Path, sheet: &str) -> Result<Grid, String> {
    let mut wb = open(path)?;
    let range = wb
        .worksheet_range(sheet)
        .map_err(|e| format!("sheet `{sheet}`: {e}"))?;
    let merges = merged_regions(&mut wb, sheet);
    Ok(to_grid(&range, &merges))
}

/// Reads the workbook at `path`; `display` is the path shown to users.
pub fn read_workbook(
    path: &Path,
    display: &str,
    opts: &ExcelOptions,
) -> Result<WorkbookRead, String> {
    let mut wb = open(path)?;
    let mut out = WorkbookRead::default();
    let metadata: Vec<calamine::Sheet> = wb.sheets_metadata().to_vec();
    if let Some(wanted) = opts.sheets {
        for name in wanted {
            if !metadata.iter().any(|s| &s.name == name) {
                return Err(format!(
                    "no sheet named `{name}`; the workbook has {}",
                    metadata
                        .iter()
                        .map(|s| format!("`{}`", s.name))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
    }
    for sheet in &metadata {
        let kind = match sheet.typ {
            SheetType::WorkSheet => "worksheet",
            SheetType::ChartSheet => "chart",
            SheetType::DialogSheet => "dialog",
            SheetType::MacroSheet => "macro",
            SheetType::Vba => "vba",
        };
        let visibility = match sheet.visible {
            SheetVisible::Visible => "visible",
            SheetVisible::Hidden => "hidden",
            SheetVisible::VeryHidden => "very hidden",
        };
        let named = opts.sheets.is_some_and(|s| s.contains(&sheet.name));
        let skip_reason = if opts.sheets.is_some() && !named {
            Some("not listed in `sheets`".to_string())
        } else if sheet.typ != SheetType::WorkSheet {
            Some(format!("{kind} sheet, no cells"))
        } else if sheet.visible != SheetVisible::Visible && !named && !opts.include_hidden {
            Some(format!(
                "{visibility} sheet; name it in `sheets` or set `include_hidden = true` to read it"
            ))
        } else {
            None
        };
        if let Some(reason) = skip_reason {
            out.skipped.push(Skipped {
                file: display.to_string(),
                sheet: Some(sheet.name.clone()),
                reason: reason.clone(),
                rows: 0,
            });
            out.sheets.push(SheetInfo {
                name: sheet.name.clone(),
                kind,
                visibility,
                outcome: format!("skipped: {reason}"),
            });
            continue;
        }
        let range = wb.worksheet_range(&sheet.name).map_err(|e| {
            format!(
                "sheet `{}`: {}",
                sheet.name,
                describe_open_error(&e.to_string())
            )
        })?;
        let merges = merged_regions(&mut wb, &sheet.name);
        let grid = to_grid(&range, &merges);
        let mut header_opts = opts.header.clone();
        header_opts.forced_row = opts
            .header_row
            .map(|r| r.saturating_sub(grid.first_row) as usize);
        match header::detect(&grid, &header_opts) {
            Ok(h) => {
                out.sheets.push(SheetInfo {
                    name: sheet.name.clone(),
                    kind,
                    visibility,
                    outcome: "read".into(),
                });
                out.tables.push(RawTable::from_grid(
                    display.to_string(),
                    Some(sheet.name.clone()),
                    grid,
                    h,
                ));
            }
            Err(reason) => {
                let rows = grid.rows.len() as u64;
                out.sheets.push(SheetInfo {
                    name: sheet.name.clone(),
                    kind,
                    visibility,
                    outcome: format!("skipped: {reason}"),
                });
                out.skipped.push(Skipped {
                    file: display.to_string(),
                    sheet: Some(sheet.name.clone()),
                    reason,
                    rows,
                });
            }
        }
    }
    Ok(out)
}

fn merged_regions<RS: std::io::Read + std::io::Seek>(
    wb: &mut Sheets<RS>,
    sheet: &str,
) -> Vec<calamine::Dimensions> {
    match wb {
        Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
        Sheets::Xls(x) => x.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
        // calamine does not expose merges for xlsb and ods; two-row headers
        // there still work when the group label sits over every column.
        Sheets::Xlsb(_) | Sheets::Ods(_) => Vec::new(),
    }
}

/// Builds a grid from a calamine range; merges are made grid-relative.
pub fn to_grid(range: &Range<Data>, merges: &[calamine::Dimensions]) -> Grid {
    let Some((row0, col0)) = range.start() else {
        return Grid {
            first_row: 1,
            ..Grid::default()
        };
    };
    let rows = range
        .rows()
        .map(|r| r.iter().map(to_cell).collect())
        .collect();
    let merges = merges
        .iter()
        .filter(|m| m.end.0 >= row0 && m.end.1 >= col0)
        .map(|m| Merge {
            top: m.start.0.saturating_sub(row0) as usize,
            left: m.start.1.saturating_sub(col0) as usize,
            bottom: (m.end.0 - row0) as usize,
            right: (m.end.1 - col0) as usize,
        })
        .collect();
    Grid {
        first_row: row0 + 1,
        first_col: col0,
        rows,
        merges,
        lines: None,
    }
}

fn to_cell(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) if dt.is_duration() => Cell::Duration(dt.as_f64()),
        Data::DateTime(dt) => dt
            .as_datetime()
            .map_or(Cell::Number(dt.as_f64()), Cell::Date),
        Data::DateTimeIso(s) => chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
            .ok()
            .or_else(|| {
                chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .ok()
                    .map(|d| d.and_time(chrono::NaiveTime::MIN))
            })
            .map_or_else(|| Cell::Text(s.clone()), Cell::Date),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}
