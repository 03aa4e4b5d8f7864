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
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SheetInfo {
    pub name: String,
    /// `worksheet`, `chart`, `dialog`, `macro` or `vba`.
    #[serde(deserialize_with = "crate::cache::shared")]
    pub kind: crate::model::Code,
    /// `visible`, `hidden` or `very hidden`.
    #[serde(deserialize_with = "crate::cache::shared")]
    pub visibility: crate::model::Code,
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
    // For .xlsx, merged regions come from a byte scan of each sheet's part
    // after its cells (`XlsxMerges`); calamine's own lookup parses all the
    // sheet's XML a second time.
    let mut xlsx_merges = match &wb {
        Sheets::Xlsx(_) => XlsxMerges::open(path),
        _ => None,
    };
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
        let (rows, start) = sheet_rows(&mut wb, &sheet.name)
            .map_err(|e| format!("sheet `{}`: {}", sheet.name, describe_open_error(&e)))?;
        let merges = match xlsx_merges.as_mut().and_then(|x| x.sheet(&sheet.name)) {
            Some(m) => m,
            None => merged_regions(&mut wb, &sheet.name),
        };
        let grid = match start {
            Some((row0, col0)) => grid_of(rows, row0, col0, &merges),
            None => Grid {
                first_row: 1,
                ..Grid::default()
            },
        };
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

/// The merged regions of an .xlsx workbook's sheets, read from the zip
/// directly: the sheet name → part map from `xl/workbook.xml` and its
/// relationships, then per sheet a streaming byte search for `mergeCell`
/// elements after the end of `sheetData` (where the schema puts them), so
/// the cells are not tokenized again. `None` whenever the layout is not the
/// usual one; the caller then asks calamine.
struct XlsxMerges {
    zip: zip::ZipArchive<std::io::BufReader<std::fs::File>>,
    /// Sheet name → part path inside the zip.
    parts: Vec<(String, String)>,
}

impl XlsxMerges {
    fn open(path: &Path) -> Option<XlsxMerges> {
        let file = std::fs::File::open(path).ok()?;
        let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file)).ok()?;
        let workbook = read_part(&mut zip, "xl/workbook.xml")?;
        let rels = read_part(&mut zip, "xl/_rels/workbook.xml.rels")?;
        let targets = xml_elements(&rels, "Relationship", |attr| match attr {
            "Id" => Some(0),
            "Target" => Some(1),
            _ => None,
        });
        let sheets = xml_elements(&workbook, "sheet", |attr| match attr {
            "name" => Some(0),
            // `r:id`, whatever the relationships prefix is.
            a if a.ends_with(":id") => Some(1),
            _ => None,
        });
        let parts = sheets
            .into_iter()
            .filter_map(|[name, id]| {
                let target = &targets.iter().find(|[rid, _]| *rid == id)?[1];
                let part = match target.strip_prefix('/') {
                    Some(absolute) => absolute.to_string(),
                    None => format!("xl/{target}"),
                };
                Some((name, part))
            })
            .collect();
        Some(XlsxMerges { zip, parts })
    }

    /// The merged regions of sheet `name`, or `None` to fall back.
    fn sheet(&mut self, name: &str) -> Option<Vec<calamine::Dimensions>> {
        let part = &self.parts.iter().find(|(n, _)| n == name)?.1;
        let entry = self.zip.by_name(part).ok()?;
        scan_merge_cells(entry).ok()
    }
}

fn read_part<R: std::io::Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut entry = zip.by_name(name).ok()?;
    let mut bytes = Vec::new();
    entry.read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

/// The attributes `slot` picks (by attribute name) of every element whose
/// local name is `element`, unescaped.
fn xml_elements(
    xml: &[u8],
    element: &str,
    slot: impl Fn(&str) -> Option<usize>,
) -> Vec<[String; 2]> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut out = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == element => {
                let mut found: [Option<String>; 2] = [None, None];
                for a in e.attributes().flatten() {
                    if let Some(i) = slot(a.key.as_ref())
                        && let Ok(v) = a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    {
                        found[i] = Some(v.into_owned());
                    }
                }
                if let [Some(a), Some(b)] = found {
                    out.push([a, b]);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

/// Streams a worksheet part and returns the `ref`s of the `mergeCell`
/// elements after the last `sheetData` (the end tag of the cells, or an
/// empty `<sheetData/>`).
fn scan_merge_cells(mut part: impl std::io::Read) -> std::io::Result<Vec<calamine::Dimensions>> {
    const END_OF_CELLS: &[u8] = b"sheetData";
    let finder = memchr::memmem::FinderRev::new(END_OF_CELLS);
    let mut chunk = vec![0u8; 1 << 16];
    // Bytes since the last end of `sheetData` (or the last few bytes, for a
    // match across chunks, before one is seen).
    let mut tail: Vec<u8> = Vec::new();
    let mut seen = false;
    loop {
        let n = part.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        let keep_from = tail.len().saturating_sub(END_OF_CELLS.len() - 1);
        let overlap = tail.split_off(keep_from);
        let mut window = overlap;
        window.extend_from_slice(&chunk[..n]);
        match finder.rfind(&window) {
            Some(at) => {
                seen = true;
                tail = window.split_off(at + END_OF_CELLS.len());
            }
            None if seen => {
                tail.extend_from_slice(&window);
            }
            None => tail = window,
        }
        if seen && tail.len() > 64 << 20 {
            // Not a sheet as Excel writes it; let calamine decide.
            return Err(std::io::Error::other("unexpected worksheet layout"));
        }
    }
    if !seen {
        return Err(std::io::Error::other("no sheetData"));
    }
    Ok(merge_refs(&tail))
}

/// `ref="A1:C2"` of every `mergeCell` element (any namespace prefix).
fn merge_refs(xml: &[u8]) -> Vec<calamine::Dimensions> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(at) = memchr::memmem::find(rest, b"mergeCell") {
        let before = at.checked_sub(1).map(|i| rest[i]);
        let after = rest.get(at + b"mergeCell".len()).copied();
        rest = &rest[at + b"mergeCell".len()..];
        let opens = matches!(before, Some(b'<' | b':'))
            && matches!(after, Some(b' ' | b'\t' | b'\r' | b'\n' | b'/' | b'>'));
        if !opens {
            continue;
        }
        let end = memchr::memchr(b'>', rest).unwrap_or(rest.len());
        let tag = &rest[..end];
        let Some(r) = memchr::memmem::find(tag, b"ref=") else {
            continue;
        };
        let value = &tag[r + 4..];
        let Some(&quote) = value.first() else {
            continue;
        };
        let value = &value[1..];
        let Some(close) = memchr::memchr(quote, value) else {
            continue;
        };
        if let Some(d) = std::str::from_utf8(&value[..close])
            .ok()
            .and_then(parse_range_ref)
        {
            out.push(d);
        }
    }
    out
}

/// `B2:D3` (or `B2`) → 0-based (row, column) corners.
fn parse_range_ref(text: &str) -> Option<calamine::Dimensions> {
    let cell = |c: &str| -> Option<(u32, u32)> {
        let c = c.trim().replace('$', "");
        let split = c.find(|ch: char| ch.is_ascii_digit())?;
        let (letters, digits) = c.split_at(split);
        if letters.is_empty() || !letters.chars().all(|ch| ch.is_ascii_alphabetic()) {
            return None;
        }
        let col = letters
            .chars()
            .try_fold(0u32, |acc, ch| {
                acc.checked_mul(26)?
                    .checked_add(ch.to_ascii_uppercase() as u32 - 'A' as u32 + 1)
            })?
            .checked_sub(1)?;
        let row = digits.parse::<u32>().ok()?.checked_sub(1)?;
        Some((row, col))
    };
    let (a, b) = text.split_once(':').unwrap_or((text, text));
    Some(calamine::Dimensions::new(cell(a)?, cell(b)?))
}

/// A sheet's rows and the 0-based (row, column) of its first cell.
type SheetRows = (Vec<Vec<Cell>>, Option<(u32, u32)>);

/// The cells of a sheet as rows, with the 0-based (row, column) of the
/// first. An .xlsx sheet is read with shared strings borrowed
/// (`worksheet_range_ref`), so each text cell is copied once, into its
/// [`Cell`], rather than into calamine's `Data` first.
fn sheet_rows<RS: std::io::Read + std::io::Seek>(
    wb: &mut Sheets<RS>,
    name: &str,
) -> Result<SheetRows, String> {
    use calamine::ReaderRef;
    match wb {
        Sheets::Xlsx(x) => {
            let range = x.worksheet_range_ref(name).map_err(|e| e.to_string())?;
            let rows = range
                .rows()
                .map(|r| r.iter().map(ref_cell).collect())
                .collect();
            Ok((rows, range.start()))
        }
        _ => {
            let range = wb.worksheet_range(name).map_err(|e| e.to_string())?;
            let rows = range
                .rows()
                .map(|r| r.iter().map(to_cell).collect())
                .collect();
            Ok((rows, range.start()))
        }
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
    grid_of(rows, row0, col0, merges)
}

fn grid_of(rows: Vec<Vec<Cell>>, row0: u32, col0: u32, merges: &[calamine::Dimensions]) -> Grid {
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

fn ref_cell(d: &calamine::DataRef) -> Cell {
    use calamine::DataRef;
    match d {
        DataRef::SharedString(s) => Cell::Text((*s).to_string()),
        DataRef::String(s) => Cell::Text(s.clone()),
        DataRef::Empty => Cell::Empty,
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) => to_cell(&Data::DateTime(*dt)),
        DataRef::DateTimeIso(s) => to_cell(&Data::DateTimeIso(s.clone())),
        DataRef::DurationIso(s) => Cell::Text(s.clone()),
        DataRef::Error(e) => Cell::Error(e.to_string()),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte scan finds the same merged regions as calamine's parser, on
    /// every sheet of every .xlsx the repository has.
    #[test]
    fn merge_scan_agrees_with_calamine() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files: Vec<std::path::PathBuf> = Vec::new();
        for dir in ["sample-data", "sample-data/surveys", "tests/fixtures/excel"] {
            for e in std::fs::read_dir(root.join(dir)).unwrap() {
                let p = e.unwrap().path();
                if p.extension().is_some_and(|x| x == "xlsx") {
                    files.push(p);
                }
            }
        }
        files.sort();
        let mut merged_sheets = 0;
        for path in files {
            // Workbooks calamine cannot open (the encrypted fixture) have
            // nothing to compare against.
            let Ok(mut wb) = open(&path) else {
                continue;
            };
            let mut scan = XlsxMerges::open(&path).expect("zip layout understood");
            let worksheets: Vec<String> = wb
                .sheets_metadata()
                .iter()
                .filter(|s| s.typ == SheetType::WorkSheet)
                .map(|s| s.name.clone())
                .collect();
            for name in worksheets {
                let Sheets::Xlsx(x) = &mut wb else {
                    unreachable!()
                };
                let Ok(want) = x.merge_cells_by_sheet_name(&name) else {
                    continue;
                };
                let got = scan
                    .sheet(&name)
                    .unwrap_or_else(|| panic!("{}: sheet {name} not scanned", path.display()));
                assert_eq!(got, want, "{} › {name}", path.display());
                merged_sheets += usize::from(!want.is_empty());
            }
        }
        assert!(
            merged_sheets >= 2,
            "no workbook with merged cells was compared"
        );
    }

    #[test]
    fn range_refs_parse() {
        assert_eq!(
            parse_range_ref("B2:D3"),
            Some(calamine::Dimensions::new((1, 1), (2, 3)))
        );
        assert_eq!(
            parse_range_ref("AA10"),
            Some(calamine::Dimensions::new((9, 26), (9, 26)))
        );
        assert_eq!(parse_range_ref("A0:B1"), None);
        assert_eq!(
            merge_refs(br#"<mergeCells count="2"><mergeCell ref="A1:C1"/><x:mergeCell ref='A2:A3'/></mergeCells>"#),
            vec![
                calamine::Dimensions::new((0, 0), (0, 2)),
                calamine::Dimensions::new((1, 0), (2, 0))
            ]
        );
    }
}
