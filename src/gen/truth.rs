//! Ground truth and the record of deliberate defects.
//!
//! `ground_truth.csv` maps every generated data row to the true person:
//! `file,sheet,row,entity_id`, where `row` is the 1-based Excel row, or for
//! delimited text the 1-based physical line on which the record starts. It
//! is streamed so scale mode never holds it in memory. `Notes` collects the
//! exact locations of the defects planted in the committed sample, from
//! which the README lists them.

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

use anyhow::{Context, Result};

pub const GROUND_TRUTH: &str = "ground_truth.csv";

pub struct Truth {
    out: csv::Writer<BufWriter<File>>,
    pub rows: usize,
}

impl Truth {
    pub fn create(dir: &Path) -> Result<Truth> {
        let path = dir.join(GROUND_TRUTH);
        let file = File::create(&path).with_context(|| format!("creating {}", path.display()))?;
        let mut out = csv::WriterBuilder::new().from_writer(BufWriter::new(file));
        out.write_record(["file", "sheet", "row", "entity_id"])?;
        Ok(Truth { out, rows: 0 })
    }

    pub fn add(&mut self, file: &str, sheet: &str, row: u64, entity: &str) -> Result<()> {
        self.out
            .write_record([file, sheet, &row.to_string(), entity])?;
        self.rows += 1;
        Ok(())
    }

    pub fn finish(mut self) -> Result<usize> {
        self.out.flush()?;
        Ok(self.rows)
    }
}

/// Ground truth of the rows that are not person records (scale mode): chat
/// messages about a candidate and survey answers, with the true entity.
pub const MENTIONS: &str = "ground_truth_mentions.csv";

/// `ground_truth_mentions.csv`: `file,sheet,row,entity_id,kind`, where `row`
/// is the line of a chat message's header (or the 1-based sheet row / CSV
/// line of a survey answer) and `kind` what the row states about the
/// person: `mention` (a résumé posted), `evaluation` (interview remarks), a
/// decision code (`rejected`, `declined`, `passed`, `hired`,
/// `talent_pool`), or `survey`.
pub struct Mentions {
    out: csv::Writer<BufWriter<File>>,
    pub rows: usize,
}

impl Mentions {
    pub fn create(dir: &Path) -> Result<Mentions> {
        let path = dir.join(MENTIONS);
        let file = File::create(&path).with_context(|| format!("creating {}", path.display()))?;
        let mut out = csv::WriterBuilder::new().from_writer(BufWriter::new(file));
        out.write_record(["file", "sheet", "row", "entity_id", "kind"])?;
        Ok(Mentions { out, rows: 0 })
    }

    pub fn add(
        &mut self,
        file: &str,
        sheet: &str,
        row: u64,
        entity: &str,
        kind: &str,
    ) -> Result<()> {
        self.out
            .write_record([file, sheet, &row.to_string(), entity, kind])?;
        self.rows += 1;
        Ok(())
    }

    pub fn finish(mut self) -> Result<usize> {
        self.out.flush()?;
        Ok(self.rows)
    }
}

/// A defect planted at a known place.
#[derive(Debug, Clone)]
pub struct Note {
    pub file: String,
    pub sheet: String,
    /// 1-based Excel row or physical line; `None` for whole-file remarks.
    pub row: Option<u64>,
    pub text: String,
}

#[derive(Debug, Default)]
pub struct Notes {
    pub items: Vec<Note>,
}

impl Notes {
    pub fn at(&mut self, file: &str, sheet: &str, row: u64, text: impl Into<String>) {
        self.items.push(Note {
            file: file.into(),
            sheet: sheet.into(),
            row: Some(row),
            text: text.into(),
        });
    }

    pub fn general(&mut self, file: &str, sheet: &str, text: impl Into<String>) {
        self.items.push(Note {
            file: file.into(),
            sheet: sheet.into(),
            row: None,
            text: text.into(),
        });
    }

    pub fn for_file(&self, file: &str) -> impl Iterator<Item = &Note> {
        self.items.iter().filter(move |n| n.file == file)
    }
}
