//! CSV and other delimited text: delimiter sniffing, records with their line
//! numbers, and ragged rows.
//!
//! The text arrives already decoded ([`super::decode`]). Quoted fields may
//! hold delimiters and newlines, so sniffing and reading both go through the
//! `csv` crate rather than splitting lines by hand.

use std::fmt;

use super::header::HeaderOptions;
use super::{Cell, Grid, RawTable, RejectedRow};

/// A validated delimiter: one of `,` `;` tab `|`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delimiter(pub u8);

impl Delimiter {
    /// The delimiters sniffing chooses among, in tie-break order.
    pub const CANDIDATES: [Delimiter; 4] = [
        Delimiter(b','),
        Delimiter(b'\t'),
        Delimiter(b';'),
        Delimiter(b'|'),
    ];

    /// Parses a pipeline value: `,` `;` `|` or `\t` / `tab`.
    pub fn parse(s: &str) -> Option<Delimiter> {
        match s {
            "," => Some(Delimiter(b',')),
            ";" => Some(Delimiter(b';')),
            "|" => Some(Delimiter(b'|')),
            "\t" | "\\t" | "tab" => Some(Delimiter(b'\t')),
            _ => None,
        }
    }
}

impl fmt::Display for Delimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            b'\t' => f.write_str("tab"),
            b => write!(f, "{}", b as char),
        }
    }
}

/// Picks the delimiter that splits the first records into the most
/// consistent number of fields (more than one).
pub fn sniff(text: &str) -> Delimiter {
    let mut best = (Delimiter(b','), 0usize);
    for d in Delimiter::CANDIDATES {
        let mut counts = std::collections::BTreeMap::<usize, usize>::new();
        let mut reader = reader(d, text);
        for record in reader.records().take(50).flatten() {
            if record.len() > 1 {
                *counts.entry(record.len()).or_default() += 1;
            }
        }
        // Score: records agreeing on the most common width, weighted by the
        // width so `a;b,c;d` does not lose to a stray comma.
        let score = counts
            .iter()
            .map(|(width, n)| n * 4 + width)
            .max()
            .unwrap_or(0);
        if score > best.1 {
            best = (d, score);
        }
    }
    best.0
}

fn reader(delimiter: Delimiter, text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter.0)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
}

/// Reads all records into a grid (every cell text), recording the line each
/// record starts on. A record the `csv` crate cannot read (an unterminated
/// quote at the end of the file) is returned as a rejected row.
pub fn read_grid(text: &str, delimiter: Delimiter) -> (Grid, Vec<RejectedRow>) {
    let mut grid = Grid {
        first_row: 1,
        lines: Some(Vec::new()),
        ..Grid::default()
    };
    let mut rejected = Vec::new();
    let mut reader = reader(delimiter, text);
    let mut record = csv::StringRecord::new();
    // Line numbers come from byte offsets: the csv crate's own line counter
    // is off by one for CRLF files, and users look rows up by line.
    let mut lines = LineCounter::new(text);
    let bytes = text.as_bytes();
    let mut end = 0usize;
    loop {
        // A record starts where the previous one ended, past any blank lines
        // the reader skips.
        let mut start = end;
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                grid.rows.push(
                    record
                        .iter()
                        .map(|f| {
                            if f.is_empty() {
                                Cell::Empty
                            } else {
                                Cell::Text(f.to_string())
                            }
                        })
                        .collect(),
                );
                grid.lines
                    .as_mut()
                    .expect("set above")
                    .push(lines.line_at(start));
                end = reader.position().byte() as usize;
            }
            Err(e) => {
                rejected.push(RejectedRow {
                    row: lines.line_at(start),
                    raw: String::new(),
                    reason: format!("unreadable CSV record: {e}"),
                });
                break;
            }
        }
    }
    (grid, rejected)
}

/// Turns increasing byte offsets into 1-based line numbers.
struct LineCounter<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: u32,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter {
            bytes: text.as_bytes(),
            pos: 0,
            line: 1,
        }
    }

    fn line_at(&mut self, byte: usize) -> u32 {
        let end = byte.min(self.bytes.len());
        if end > self.pos {
            self.line += self.bytes[self.pos..end]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u32;
            self.pos = end;
        }
        self.line
    }
}

/// Moves data rows whose width differs from the header's into `rejected`.
/// Extra trailing fields that are empty are tolerated (spreadsheet exports
/// pad rows); anything else is a shifted row whose values would land in the
/// wrong columns.
pub fn reject_ragged(table: &mut RawTable, header_width: usize, delimiter: Delimiter) {
    let rows = std::mem::take(&mut table.rows);
    for row in rows {
        let width = row.cells.len();
        let extra_filled = row.cells.iter().skip(header_width).any(|c| !c.is_empty());
        if width < header_width || extra_filled {
            let raw = row
                .cells
                .iter()
                .map(Cell::as_text)
                .collect::<Vec<_>>()
                .join(&(delimiter.0 as char).to_string());
            table.rejected.push(RejectedRow {
                row: row.row,
                raw,
                reason: format!("ragged row: {width} fields where the header has {header_width}"),
            });
        } else {
            table.rows.push(row);
        }
    }
}

/// Reads decoded delimited text into a table, as a `csv` source is read:
/// the delimiter (sniffed unless given), the records with their lines, the
/// header (detected unless `header_row`, a 1-based line, fixes it), data and
/// non-data rows, and ragged rows rejected. `display` is the file name
/// users see. When no header is found, says why, with the number of
/// records so the accounting can still balance.
pub fn read_table(
    text: &str,
    display: &str,
    delimiter: Option<Delimiter>,
    header_row: Option<u32>,
    mut header: HeaderOptions,
) -> Result<(RawTable, Delimiter), (String, u64)> {
    let delimiter = delimiter.unwrap_or_else(|| sniff(text));
    let (grid, rejected) = read_grid(text, delimiter);
    header.forced_row = header_row.and_then(|r| {
        grid.lines
            .as_ref()
            .and_then(|l| l.iter().position(|&line| line == r))
    });
    let h = super::header::detect(&grid, &header)
        .map_err(|e| (e, grid.rows.len() as u64 + rejected.len() as u64))?;
    let width = grid.rows[h.row].len();
    let mut table = RawTable::from_grid(display.to_string(), None, grid, h);
    table.rows_read += rejected.len() as u64;
    table.rejected = rejected;
    reject_ragged(&mut table, width, delimiter);
    Ok((table, delimiter))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_each_delimiter() {
        const CASES: &[(&str, u8)] = &[
            ("姓名,手机\n张三,138\n李四,139\n", b','),
            ("姓名;手机\n张三;138\n李四;139\n", b';'),
            ("姓名\t手机\t备注\n张三\t138\t好, 很好\n", b'\t'),
            ("姓名|手机\n张三|138\n", b'|'),
            // Commas inside quotes do not fool it.
            (
                "name;note\n\"Zhang, San\";\"a, b, c\"\n\"Li, Si\";x\n",
                b';',
            ),
        ];
        for (text, d) in CASES {
            assert_eq!(sniff(text), Delimiter(*d), "{text:?}");
        }
    }

    #[test]
    fn quoted_newlines_stay_in_one_record_with_its_start_line() {
        let text = "姓名,评语\n张三,\"第一行\n第二行\"\n李四,好\n";
        let (grid, rejected) = read_grid(text, Delimiter(b','));
        assert!(rejected.is_empty());
        assert_eq!(grid.rows.len(), 3);
        assert_eq!(grid.rows[1][1], Cell::Text("第一行\n第二行".into()));
        assert_eq!(grid.lines.as_deref(), Some(&[1, 2, 4][..]));
        let crlf = "姓名,评语\r\n张三,\"第一行\r\n第二行\"\r\n李四,好\r\n王五,好\r\n";
        let (grid, _) = read_grid(crlf, Delimiter(b','));
        assert_eq!(grid.lines.as_deref(), Some(&[1, 2, 4, 5][..]));
    }

    #[test]
    fn delimiter_values_parse() {
        assert_eq!(Delimiter::parse("\\t"), Some(Delimiter(b'\t')));
        assert_eq!(Delimiter::parse("tab"), Some(Delimiter(b'\t')));
        assert_eq!(Delimiter::parse("::"), None);
        assert_eq!(Delimiter(b'\t').to_string(), "tab");
    }
}
