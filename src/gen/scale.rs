//! Scale mode (`candidates: Some(n)`): the same kinds of files for ~n persons,
//! for benchmarks, plus HR group chats about some of the applications
//! (`chats`), candidate surveys (`surveys`), `ground_truth.csv` (person
//! rows), `ground_truth_mentions.csv` (chat messages and survey answers) and
//! a `pipeline.toml` that reads everything.
//!
//! Memory stays flat in n: persons are regenerated from `(seed, id)` for
//! every file instead of being kept, CSV is streamed, and a workbook is saved
//! and dropped once it holds `BOOK_SHEETS` sheets of `SHEET_ROWS` rows
//! (rust_xlsxwriter keeps a whole workbook in memory until it is saved).
//! Each file visits persons in its own pseudo-random order (an affine
//! permutation of `0..n`), so one person's appearances are not adjacent
//! across files.

use std::fs::{self, File};
use std::io::BufWriter;
use std::path::Path;

use anyhow::{Context, Result};
use rust_xlsxwriter::Workbook;

use super::cells::{self, Cell, Formats, Sheet, TextEncoding, TextSink};
use super::chats::Chats;
use super::people::Person;
use super::plan::{self, Appearance, Forced, Source};
use super::rng::Rng;
use super::surveys::{self, Surveys};
use super::truth::{Mentions, Truth};
use super::{
    FileSummary, GenOptions, GenSummary, chats, english, evals, ledger, oldsys, positions, wechat,
};

/// Data rows per worksheet.
pub const SHEET_ROWS: usize = 100_000;
/// Worksheets per workbook before it is saved and a new part begins.
pub const BOOK_SHEETS: usize = 2;

const SCALE_SOURCES: &[(Source, u32)] = &[
    (Source::OldSystem, 25),
    (Source::Ledger, 35),
    (Source::English, 25),
    (Source::Wechat, 15),
];
const SCALE_STREAM: u64 = 0x0053_4341_4C45; // "SCALE"
const RENDER_STREAM: u64 = 0x0052_454E_4453; // "RENDS"
const CHAT_STREAM: u64 = 0x0043_4841_5453; // "CHATS"
const SURVEY_STREAM: u64 = 0x0053_5256_5953; // "SRVYS"

struct Run<'a> {
    out: &'a Path,
    seed: u64,
    n: usize,
    width: usize,
    truth: Truth,
    /// Chat messages and survey answers: their truth, and the surveys being
    /// written (filled while the English sheet is written).
    mentions: Mentions,
    surveys: Option<Surveys>,
    /// Bit per person: appears in at least one file.
    seen: Vec<u64>,
    files: Vec<FileSummary>,
}

impl Run<'_> {
    /// Person `id` and their appearances; identical on every call.
    fn person(&self, id: u32) -> (Person, Vec<Appearance>) {
        let mut p = Person::generate(self.seed, id);
        p.make_identifiers_unique();
        let mut rng = Rng::derive(self.seed, SCALE_STREAM, u64::from(id));
        let wanted = plan::appearance_count(&mut rng);
        let apps = plan::draw_appearances(&mut rng, &p, SCALE_SOURCES, wanted)
            .into_iter()
            .map(|(source, app)| Appearance {
                person: 0,
                source,
                app,
                forced: Forced::default(),
            })
            .collect();
        (p, apps)
    }

    /// Visiting order of file `k`: i ↦ (a·i + b) mod n with gcd(a, n) = 1.
    fn order(&self, k: u64) -> impl Iterator<Item = u32> + use<> {
        let n = self.n as u64;
        let mut a = (0x9E37_79B9_7F4A_7C15u64.rotate_left(k as u32 * 7) % n.max(2)) | 1;
        while gcd(a, n) != 1 {
            a += 2;
        }
        let b = Rng::derive(self.seed, k, 0).below(n);
        (0..n).map(move |i| {
            ((u128::from(a) * u128::from(i) + u128::from(b)) % u128::from(n)) as u32 + 1
        })
    }

    fn record(&mut self, file: &str, sheet: &str, row: u64, p: &Person) -> Result<()> {
        let i = p.id as usize - 1;
        self.seen[i / 64] |= 1 << (i % 64);
        self.truth.add(file, sheet, row, &p.entity_id(self.width))
    }

    fn render_rng(&self, file: u64, id: u32) -> Rng {
        Rng::derive(self.seed, RENDER_STREAM ^ file, u64::from(id))
    }

    /// A stream per (person, appearance) for chats and surveys, so that
    /// they do not disturb the rows of the candidate files.
    fn app_rng(&self, stream: u64, id: u32, app: usize) -> Rng {
        Rng::derive(self.seed, stream, u64::from(id) << 8 | app as u64)
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Ledger,
    English,
    Evals,
}

impl Kind {
    fn prefix(self) -> (&'static str, &'static str) {
        match self {
            Kind::Ledger => ("台账", "台账"),
            Kind::English => ("candidates_EN", "Candidates"),
            Kind::Evals => ("面试评估", "面试评估"),
        }
    }

    /// 0-based row and column where data starts.
    fn origin(self) -> (u32, u16) {
        match self {
            Kind::Ledger => (ledger::FIRST_DATA_ROW, 0),
            Kind::English => (english::HEADER_ROW + 1, english::FIRST_COL),
            Kind::Evals => (1, 0),
        }
    }

    fn header(self, sheet: &mut Sheet) {
        match self {
            Kind::Ledger => ledger::header(sheet, "招聘台账"),
            Kind::English => english::header(sheet),
            Kind::Evals => evals::header(sheet),
        }
    }
}

/// Splits rows over sheets and workbooks (`台账_001.xlsx` …).
struct Parts {
    kind: Kind,
    book: Option<Workbook>,
    formats: Formats,
    part: usize,
    sheet_no: usize,
    sheets_in_book: usize,
    rows_in_sheet: usize,
    rows_in_book: usize,
    file: String,
    sheet: String,
}

impl Parts {
    fn new(kind: Kind) -> Parts {
        Parts {
            kind,
            book: None,
            formats: Formats::new("yyyy-mm-dd"),
            part: 0,
            sheet_no: 0,
            sheets_in_book: 0,
            rows_in_sheet: 0,
            rows_in_book: 0,
            file: String::new(),
            sheet: String::new(),
        }
    }

    /// Closes the current sheet (a ledger sheet gets its 合计 row).
    fn close_sheet(&mut self) -> Result<()> {
        if let Some(book) = self.book.as_mut()
            && self.kind == Kind::Ledger
        {
            let ws = book.worksheet_from_index(self.sheets_in_book - 1)?;
            let row = ledger::FIRST_DATA_ROW + self.rows_in_sheet as u32;
            cells::write_cells(
                ws,
                row,
                0,
                &ledger::total_row(self.rows_in_sheet),
                &self.formats,
            )?;
        }
        Ok(())
    }

    fn save(&mut self, run: &mut Run) -> Result<()> {
        self.close_sheet()?;
        if let Some(mut book) = self.book.take() {
            let path = run.out.join(&self.file);
            book.save(&path)
                .with_context(|| format!("writing {}", path.display()))?;
            run.files.push(FileSummary {
                path,
                rows: self.rows_in_book,
                description: format!(
                    "{} sheet(s) of up to {SHEET_ROWS} rows",
                    self.sheets_in_book
                ),
            });
        }
        Ok(())
    }

    /// Makes room for one more row, starting a sheet or workbook if needed.
    fn room(&mut self, run: &mut Run) -> Result<()> {
        if self.book.is_some() && self.rows_in_sheet < SHEET_ROWS {
            return Ok(());
        }
        if self.book.is_some() && self.sheets_in_book < BOOK_SHEETS {
            self.close_sheet()?;
        } else {
            self.save(run)?;
            self.part += 1;
            let (prefix, _) = self.kind.prefix();
            self.file = format!("{prefix}_{:03}.xlsx", self.part);
            self.book = Some(cells::new_workbook(prefix)?);
            self.sheets_in_book = 0;
            self.rows_in_book = 0;
        }
        self.sheet_no += 1;
        self.sheet = format!("{}{}", self.kind.prefix().1, self.sheet_no);
        let mut model = Sheet::new(&self.sheet);
        self.kind.header(&mut model);
        let book = self.book.as_mut().expect("workbook just ensured");
        cells::add_sheet(book, &model, &self.formats)?;
        self.sheets_in_book += 1;
        self.rows_in_sheet = 0;
        Ok(())
    }

    /// Writes a row and returns its 1-based sheet row.
    fn push(&mut self, run: &mut Run, cells_row: &[Cell], p: &Person) -> Result<u64> {
        self.room(run)?;
        let (row0, col) = self.kind.origin();
        let row = row0 + self.rows_in_sheet as u32;
        let book = self.book.as_mut().expect("room() opened a workbook");
        let ws = book.worksheet_from_index(self.sheets_in_book - 1)?;
        cells::write_cells(ws, row, col, cells_row, &self.formats)?;
        run.record(&self.file, &self.sheet, u64::from(row) + 1, p)?;
        self.rows_in_sheet += 1;
        self.rows_in_book += 1;
        Ok(u64::from(row) + 1)
    }
}

fn write_excel(run: &mut Run, kind: Kind, k: u64) -> Result<()> {
    let mut parts = Parts::new(kind);
    let order: Vec<u32> = run.order(k).collect();
    for id in order {
        let (p, apps) = run.person(id);
        let mut rng = run.render_rng(k, id);
        for (i, a) in apps.iter().enumerate() {
            match kind {
                Kind::Ledger if a.source == Source::Ledger => {
                    let row = ledger::row(&mut rng, &p, a, None);
                    parts.push(run, &row, &p)?;
                }
                Kind::English if a.source == Source::English => {
                    let row = english::row(&mut rng, &p, a);
                    let at = parts.push(run, &row, &p)?;
                    let mut srng = run.app_rng(SURVEY_STREAM, id, i);
                    let entity = p.entity_id(run.width);
                    if let Some(s) = run.surveys.as_mut() {
                        s.consider(
                            &mut srng,
                            a,
                            &parts.file,
                            &parts.sheet,
                            at,
                            &entity,
                            &mut run.mentions,
                        )?;
                    }
                }
                Kind::Evals if a.source == Source::English && evals::eligible(a) => {
                    for row in evals::rows(&mut rng, &p, a) {
                        parts.push(run, &row, &p)?;
                    }
                }
                _ => {}
            }
        }
    }
    parts.save(run)
}

fn write_text(run: &mut Run, source: Source, k: u64) -> Result<()> {
    let (file, encoding, header) = match source {
        Source::OldSystem => (oldsys::FILE, TextEncoding::Gbk, oldsys::header_line()),
        _ => (
            wechat::FILE,
            TextEncoding::Utf16LeBom,
            wechat::header_line(),
        ),
    };
    let path = run.out.join(file);
    let out = BufWriter::with_capacity(1 << 20, File::create(&path)?);
    let mut sink = TextSink::new(out, encoding)?;
    sink.write(&header)?;
    let mut rows = 0;
    let order: Vec<u32> = run.order(k).collect();
    for id in order {
        let (p, apps) = run.person(id);
        let mut rng = run.render_rng(k, id);
        for a in apps.iter().filter(|a| a.source == source) {
            let text = if source == Source::OldSystem {
                let (f, _) = oldsys::fields(&mut rng, &p, a);
                let cells: Vec<(String, bool)> = f.into_iter().map(|f| (f, false)).collect();
                cells::record_line(&cells, ',')
            } else {
                let at = wechat::submitted(&mut rng, a);
                wechat::line(wechat::fields(&mut rng, &p, a, at))
            };
            let line = sink.write(&text)?;
            run.record(file, "", line, &p)?;
            rows += 1;
        }
    }
    sink.finish()?;
    run.files.push(FileSummary {
        path,
        rows,
        description: match encoding {
            TextEncoding::Gbk => "old HR system export, GBK CSV".to_string(),
            TextEncoding::Utf16LeBom => "WeChat form sign-ups, UTF-16LE tab-separated".to_string(),
        },
    });
    Ok(())
}

/// Threads about the applications in the group chats: one pass over all
/// persons in id order (each application has its own stream, so which are
/// talked about does not depend on the order).
fn write_chats(run: &mut Run) -> Result<()> {
    let mut chats = Chats::new(run.seed);
    for id in 1..=run.n as u32 {
        let (p, apps) = run.person(id);
        let entity = p.entity_id(run.width);
        for (i, a) in apps.iter().enumerate() {
            let mut rng = run.app_rng(CHAT_STREAM, id, i);
            chats.consider(&mut rng, &p, a, &entity);
        }
    }
    let files = chats.write(run.out, &mut run.mentions)?;
    run.files.extend(files);
    Ok(())
}

fn pipeline_toml(n: usize, seed: u64) -> String {
    format!(
        r#"name = "generated"
description = "Synthetic recruiting history of {company}: {n} persons, seed {seed}"
root = "."

# Parquet and CSV only: at this size a dataset.xlsx would be slow to write
# and its larger tables exceed Excel's 1,048,576 rows per sheet.
[output]
dir = "out"
formats = ["parquet", "csv"]

[[source]]
kind = "excel"
path = "台账_*.xlsx"
role = "candidates"

[[source]]
kind = "excel"
path = "candidates_EN_*.xlsx"
role = "candidates"

[[source]]
kind = "excel"
path = "面试评估_*.xlsx"
role = "candidates"

[[source]]
kind = "csv"
path = "{gbk}"
role = "candidates"
encoding = "gbk"
delimiter = ","

[[source]]
kind = "csv"
path = "{utf16}"
role = "candidates"
encoding = "utf-16le"
delimiter = "\t"

[[source]]
kind = "excel"
path = "{positions}"
role = "positions"

# HR group chats (QQ, WeChatMsg TXT, WhatsApp): formats are detected.
[[source]]
kind = "chat"
path = "{chats}/*.txt"

[[source]]
kind = "csv"
role = "survey"
path = "{wide}"
encoding = "gbk"
layout = "wide"

[[source]]
kind = "excel"
role = "survey"
path = "{long}"
layout = "long"

[recall]
company = "星河数据"
sender = "王总"
language = "zh"
channel = "wechat"
cooldown_days = 30
salary_tolerance = 0.1
min_score = 60

[[recall.rule]]
name = "岗位满员或预算不足被拒"
reasons = ["headcount_filled", "salary_mismatch"]
types = ["we_rejected"]

[[recall.rule]]
name = "面试评价优秀"
min_evaluation = 8.0

[report]
company = "{company}"
language = "zh"
min_group_size = 5
trend_months = 12
"#,
        company = super::company::COMPANY,
        gbk = oldsys::FILE,
        utf16 = wechat::FILE,
        positions = positions::FILE,
        chats = chats::DIR,
        wide = surveys::WIDE_FILE,
        long = surveys::LONG_FILE,
    )
}

pub fn generate(opts: &GenOptions, n: usize) -> Result<GenSummary> {
    anyhow::ensure!(
        n > 0 && n < u32::MAX as usize,
        "candidates must be between 1 and 2^32-2"
    );
    let out = opts.out.as_path();
    fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let mut run = Run {
        out,
        seed: opts.seed,
        n,
        width: n.to_string().len().max(4),
        truth: Truth::create(out)?,
        mentions: Mentions::create(out)?,
        surveys: Some(Surveys::create(out)?),
        seen: vec![0; n.div_ceil(64)],
        files: Vec::new(),
    };
    write_excel(&mut run, Kind::Ledger, 1)?;
    write_excel(&mut run, Kind::English, 2)?;
    write_text(&mut run, Source::OldSystem, 3)?;
    write_text(&mut run, Source::Wechat, 4)?;
    write_excel(&mut run, Kind::Evals, 5)?;
    let s = run.surveys.take().expect("surveys are written once");
    let files = s.finish(out, &mut run.mentions)?;
    run.files.extend(files);
    write_chats(&mut run)?;
    let (f, _) = positions::write(out)?;
    run.files.push(f);
    let toml = out.join("pipeline.toml");
    fs::write(&toml, pipeline_toml(n, opts.seed))?;
    run.files.push(FileSummary {
        path: toml,
        rows: 0,
        description: "pipeline reading all of the above".into(),
    });
    let entities = run.seen.iter().map(|w| w.count_ones() as usize).sum();
    let Run {
        truth,
        mentions,
        mut files,
        ..
    } = run;
    let mention_rows = mentions.finish()?;
    files.push(FileSummary {
        path: out.join(super::truth::MENTIONS),
        rows: mention_rows,
        description:
            "file,sheet,row,entity_id,kind for chat messages about candidates and survey answers"
                .into(),
    });
    let data_rows = truth.finish()?;
    files.push(FileSummary {
        path: out.join(super::truth::GROUND_TRUTH),
        rows: data_rows,
        description: "file,sheet,row,entity_id for every data row".into(),
    });
    Ok(GenSummary {
        files,
        entities,
        data_rows,
        xls_conversions: Vec::new(),
    })
}
