//! The committed sample: runs the plan through every layout in a fixed
//! order, records ground truth and the planted defects, and writes the
//! README that documents them.
//!
//! Each file renders with its own random stream, so changing one layout does
//! not reshuffle the noise in the others.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use anyhow::{Context, Result};
use chrono::Datelike;

use super::cells::Sheet;
use super::people::Person;
use super::plan::{self, Appearance, Source};
use super::rng::Rng;
use super::truth::{Notes, Truth};
use super::{FileSummary, GenOptions, GenSummary};
use super::{english, evals, ledger, legacy, oldsys, positions, readme, wechat};

/// Shared state of one sample run.
pub struct Ctx<'a> {
    pub out: &'a Path,
    pub persons: &'a [Person],
    pub truth: Truth,
    pub notes: Notes,
    pub seen: BTreeSet<usize>,
    pub seed: u64,
    /// Where the scripted persons ended up: (person, file, sheet, row).
    pub story: Vec<(usize, String, String, u64)>,
    /// Persons with more than one appearance; name typos are planted on
    /// them, where they matter for matching.
    pub multi: BTreeSet<usize>,
}

/// Entity ids in the committed sample are `P0001`…
pub const ID_WIDTH: usize = 4;

const RENDER_STREAM: u64 = 0x5245_4E44; // "REND"

impl Ctx<'_> {
    pub fn record(&mut self, file: &str, sheet: &str, row: u64, person: usize) -> Result<()> {
        self.seen.insert(person);
        if person < plan::SCRIPTED {
            self.story
                .push((person, file.to_string(), sheet.to_string(), row));
        }
        let id = self.persons[person].entity_id(ID_WIDTH);
        self.truth.add(file, sheet, row, &id)
    }

    /// The random stream used to render file number `n`.
    pub fn rng(&self, n: u64) -> Rng {
        Rng::derive(self.seed, RENDER_STREAM, n)
    }
}

/// Sheets of each workbook as modelled before writing, for tests.
pub type Models = Vec<(String, Vec<Sheet>)>;

/// Appearances of one source, oldest first.
pub fn of_source(apps: &[Appearance], source: Source) -> Vec<&Appearance> {
    let mut v: Vec<&Appearance> = apps.iter().filter(|a| a.source == source).collect();
    v.sort_by_key(|a| (a.app.date, a.person));
    v
}

fn repeaters(apps: &[Appearance]) -> BTreeSet<usize> {
    let mut once = BTreeSet::new();
    let mut more = BTreeSet::new();
    for a in apps {
        if !once.insert(a.person) {
            more.insert(a.person);
        }
    }
    more
}

/// Persons found in more than one file (the evaluation sheet only details
/// English-sheet applications and is not counted).
fn in_several_files(apps: &[Appearance]) -> usize {
    let mut files: std::collections::BTreeMap<usize, BTreeSet<Source>> = Default::default();
    for a in apps {
        files.entry(a.person).or_default().insert(a.source);
    }
    files.values().filter(|s| s.len() > 1).count()
}

/// Persons whose phone or e-mail differs between their appearances.
fn identifier_changes(plan: &plan::Plan) -> Vec<String> {
    let mut out = Vec::new();
    for (i, p) in plan.persons.iter().enumerate() {
        let mut years: Vec<i32> = plan
            .appearances
            .iter()
            .filter(|a| a.person == i)
            .map(|a| a.app.date.year())
            .collect();
        years.sort();
        let (Some(&first), Some(&last)) = (years.first(), years.last()) else {
            continue;
        };
        let mut what = Vec::new();
        if p.phone_at(first) != p.phone_at(last) {
            what.push(format!(
                "phone {} → {} from {}",
                p.phones[0], p.phones[1], p.phone_change
            ));
        }
        if p.email_at(first) != p.email_at(last) {
            what.push(format!(
                "e-mail {} → {} from {}",
                p.emails[0], p.emails[1], p.email_change
            ));
        }
        if !what.is_empty() {
            out.push(format!(
                "{} {}: {}",
                p.entity_id(ID_WIDTH),
                p.name(),
                what.join("; ")
            ));
        }
    }
    out
}

pub fn generate(opts: &GenOptions) -> Result<(GenSummary, Models)> {
    let out = opts.out.as_path();
    fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let plan = plan::sample_plan(opts.seed);
    let mut ctx = Ctx {
        out,
        persons: &plan.persons,
        truth: super::truth::Truth::create(out)?,
        notes: Notes::default(),
        seen: BTreeSet::new(),
        seed: opts.seed,
        story: Vec::new(),
        multi: repeaters(&plan.appearances),
    };
    let apps = &plan.appearances;
    let mut files: Vec<FileSummary> = Vec::new();
    let mut models: Models = Vec::new();

    let (f, sheets, conversion) =
        legacy::write_sample(&mut ctx, &of_source(apps, Source::Register))?;
    files.push(f);
    models.push((legacy::FILE.to_string(), sheets));
    let (f, sheets) = ledger::write_sample(&mut ctx, &of_source(apps, Source::Ledger))?;
    files.push(f);
    models.push((ledger::FILE.to_string(), sheets));
    let english_apps = of_source(apps, Source::English);
    let (f, sheets) = english::write_sample(&mut ctx, &english_apps)?;
    files.push(f);
    models.push((english::FILE.to_string(), sheets));
    files.push(oldsys::write_sample(
        &mut ctx,
        &of_source(apps, Source::OldSystem),
    )?);
    files.push(wechat::write_sample(
        &mut ctx,
        &of_source(apps, Source::Wechat),
    )?);
    let (f, sheets) = positions::write(out)?;
    files.push(f);
    models.push((positions::FILE.to_string(), sheets));
    let (f, sheets) = evals::write_sample(&mut ctx, &english_apps)?;
    files.push(f);
    models.push((evals::FILE.to_string(), sheets));

    let entities = ctx.seen.len();
    let Ctx {
        truth,
        notes,
        story,
        ..
    } = ctx;
    let data_rows = truth.finish()?;
    files.push(FileSummary {
        path: out.join(super::truth::GROUND_TRUTH),
        rows: data_rows,
        description: "file,sheet,row,entity_id for every data row".into(),
    });
    let mut summary = GenSummary {
        files,
        entities,
        data_rows,
        xls_conversions: vec![conversion],
    };
    let changes = identifier_changes(&plan);
    let repeat = in_several_files(&plan.appearances);
    let readme = readme::write(out, &summary, &notes, &story, &changes, repeat)?;
    summary.files.push(FileSummary {
        path: readme,
        rows: 0,
        description: "what each file contains".into(),
    });
    Ok((summary, models))
}
