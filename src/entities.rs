//! Applying entity resolution to the dataset: one candidate per person, the
//! record rows mapped onto it, and the evidence for every merge.
//!
//! [`crate::resolve`] decides which person records are the same person; this
//! module rewrites the dataset accordingly. Applications, evaluations and
//! events move to their entity's candidate id; the candidates table holds
//! the survivors; lineage keeps every source value, marking the one that
//! survived, so conflicting values stay visible; the row accounting moves the
//! rows merged into another candidate from "kept" to "merged".
//!
//! The mapping record → candidate of each run is written to `id_map.csv` in
//! the output folder and read back by the next run into the same folder, so
//! a candidate keeps its id across nightly runs as new files arrive.

use std::path::Path;
use std::sync::Arc;

use foldhash::{HashMap as FastMap, HashMapExt, HashSet as FastSet};
use rayon::prelude::*;
use serde::Serialize;

use crate::lineage::Lineage;
use crate::manifest::SourceCounts;
use crate::model::{Dataset, PersonRecord};
use crate::resolve::{self, IdMap, ResolveOptions};

/// The file holding record id → candidate id between runs.
pub const ID_MAP: &str = "id_map.csv";

/// Every compared pair, as written to the `merges` table: the rows as
/// resolution made them, naming their records by position in the record
/// map, whose record ids and candidate ids they are written with. A pair
/// holds no strings of its own: at a million records there are millions
/// of pairs, alive until their table is written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Merges {
    pub rows: Vec<resolve::MergeRow>,
    /// The record map of the run (see [`Applied::record_map`]).
    pub ids: Arc<IdMap>,
}

impl Merges {
    /// The record ids of a row.
    pub fn records(&self, m: &resolve::MergeRow) -> (&str, &str) {
        (self.ids.record(m.a as usize), self.ids.record(m.b as usize))
    }

    /// The candidate ids of a row's records.
    pub fn candidates(&self, m: &resolve::MergeRow) -> (&str, &str) {
        (
            self.ids.candidate_at(m.a as usize),
            self.ids.candidate_at(m.b as usize),
        )
    }
}

/// One side of a borderline pair, for the human review sheet.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReviewSide {
    pub record_id: String,
    pub name: String,
    pub phones: String,
    pub emails: String,
    pub birth_date: String,
    pub id_number: String,
    pub city: String,
    pub school: String,
    pub company: String,
    /// The record's applications, earliest first: `position (id) date
    /// status`, `; `-separated. They decide the pairs that share a name
    /// and nothing else.
    pub applications: String,
    pub source: String,
}

/// A pair scored near the threshold, for a person to decide.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewPair {
    pub score: f64,
    pub rule: Option<&'static str>,
    pub a: ReviewSide,
    pub b: ReviewSide,
}

/// What resolution did, for the manifest and the run summary.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ResolutionSummary {
    pub records: usize,
    pub candidates: usize,
    pub records_merged: usize,
    pub pairs_compared: usize,
    pub pairs_merged: usize,
    pub pairs_for_review: usize,
    pub threshold: f64,
    pub review_band: f64,
    /// (lower bin edge in bits, pairs): pick a threshold where this dips.
    pub score_histogram: Vec<(f64, u64)>,
    /// (field, weight of exact, close, different in bits, where they came from).
    pub weights: Vec<(String, [f64; 3], String)>,
    pub em_ran: bool,
    pub em_iterations: u32,
    pub em_converged: bool,
    pub largest_block: usize,
    pub oversized_blocks: usize,
    /// What the verdicts read back from the review list did.
    pub verdicts: resolve::VerdictCounts,
    /// Previous candidate ids now merged into another: (old, new).
    pub id_changes: Vec<(String, String)>,
}

/// Fills every person record's `applied` list from its applications: the
/// position id (when the application is linked to a position) and the
/// title in matching form, each with the application, decision and
/// interview dates. Both, because an English sheet's `Data Analyst` meets
/// `数据分析师` only through the position's aliases, while a sheet without a
/// department column cannot always be linked to one of two same-titled
/// positions that a sheet with one can.
///
/// Records are found by position (the first record of each record id) and
/// position keys are numbered as they are met: a million records applied
/// to a few hundred positions share a few hundred key strings, cleaned
/// once per distinct title.
pub fn fill_applied(data: &mut Dataset) {
    const NONE: u32 = u32::MAX;
    let mut record_of: FastMap<&str, u32> = FastMap::with_capacity(data.persons.len());
    for (i, p) in data.persons.iter().enumerate() {
        record_of.entry(p.record_id.as_str()).or_insert(i as u32);
    }
    let mut keys: Vec<Arc<str>> = Vec::new();
    let mut key_of: FastMap<String, u32> = FastMap::new();
    let mut intern = |k: String, keys: &mut Vec<Arc<str>>| -> u32 {
        *key_of.entry(k).or_insert_with_key(|k| {
            keys.push(Arc::from(k.as_str()));
            (keys.len() - 1) as u32
        })
    };
    let mut by_id: FastMap<&str, u32> = FastMap::new();
    let mut by_title: FastMap<&str, Option<u32>> = FastMap::new();
    // Application id → (record, its keys): the last application of an id
    // with keys wins, as evaluations are looked up by it.
    let mut by_app: FastMap<&str, (u32, [u32; 2])> =
        FastMap::with_capacity(data.applications.len());
    // (record, key, date), sorted and grouped by record below.
    let mut seen: Vec<(u32, u32, chrono::NaiveDate)> = Vec::new();
    // Records with keys, even without dates: their list is replaced.
    let mut touched = vec![false; data.persons.len()];
    for a in &data.applications {
        let id = a.position_id.as_deref().map(|id| {
            *by_id
                .entry(id)
                .or_insert_with(|| intern(format!("id:{id}"), &mut keys))
        });
        let title = a.position.as_deref().and_then(|t| {
            *by_title.entry(t).or_insert_with(|| {
                let t = crate::rules::text::nfkc_clean(t)
                    .to_lowercase()
                    .replace(' ', "");
                (!t.is_empty()).then(|| intern(format!("title:{t}"), &mut keys))
            })
        });
        let ks = match (id, title) {
            (None, None) => continue,
            (Some(a), Some(b)) => [a, b],
            (Some(k), None) | (None, Some(k)) => [k, NONE],
        };
        let record = record_of.get(a.record_id.as_str()).copied().unwrap_or(NONE);
        if record != NONE {
            touched[record as usize] = true;
            for d in [a.applied_at, a.decided_at].into_iter().flatten() {
                seen.extend(ks.iter().filter(|&&k| k != NONE).map(|&k| (record, k, d)));
            }
        }
        by_app.insert(a.application_id.as_str(), (record, ks));
    }
    for e in &data.evaluations {
        if let (Some(at), Some(&(record, ks))) = (e.at, by_app.get(e.application_id.as_str()))
            && record != NONE
        {
            let d = at.date();
            seen.extend(ks.iter().filter(|&&k| k != NONE).map(|&k| (record, k, d)));
        }
    }
    drop(by_app);
    // Keys ranked by their text, so that sorting by rank sorts by text.
    let mut order: Vec<u32> = (0..keys.len() as u32).collect();
    order.sort_unstable_by(|&a, &b| keys[a as usize].cmp(&keys[b as usize]));
    let mut rank = vec![0u32; keys.len()];
    for (r, &k) in order.iter().enumerate() {
        rank[k as usize] = r as u32;
    }
    for s in &mut seen {
        s.1 = rank[s.1 as usize];
    }
    seen.par_sort_unstable();
    seen.dedup();
    // Each record's part of `seen`: `start[i]..start[i + 1]`.
    let mut start = vec![0u32; data.persons.len() + 1];
    for s in &seen {
        start[s.0 as usize + 1] += 1;
    }
    for i in 0..data.persons.len() {
        start[i + 1] += start[i];
    }
    data.persons
        .par_iter_mut()
        .enumerate()
        .filter(|(i, _)| touched[*i])
        .for_each(|(i, p)| {
            let mine = &seen[start[i] as usize..start[i + 1] as usize];
            let mut v = Vec::with_capacity(mine.len());
            v.extend(
                mine.iter()
                    .map(|&(_, r, d)| (keys[order[r as usize] as usize].clone(), d)),
            );
            p.applied = v;
        });
}

/// The survivorship field a candidate lineage field belongs to.
fn survivor_field(lineage_field: &str) -> Option<&'static str> {
    Some(match lineage_field {
        "name" => "name",
        "gender" => "gender",
        "birth_date" => "birth_date",
        "phone" => "phones",
        "email" => "emails",
        "wechat" => "wechat",
        "id_number" => "id_number",
        "city" | "province" => "city",
        "address" | "postcode" => "address",
        "education" => "education",
        "school" => "school",
        "major" => "major",
        "years_experience" => "years_experience",
        "current_company" => "current_company",
        "current_title" => "current_title",
        "skills" => "skills",
        "expected_salary" => "salary",
        "source_channel" => "source_channel",
        "status" => "latest_status",
        "notes" => "notes",
        _ => return None,
    })
}

/// Marks every candidate lineage entry with whether its value survived:
/// a value is lost when survivorship recorded a conflict for the same
/// candidate, field and source record (for list fields: that very value).
///
/// A row's source record is the person record read from the same file,
/// sheet and row. The work per row is a few array lookups: a row's place
/// says once per place whether it is a candidate field that survivorship
/// decides and which table (file and sheet) it is from, the table gives
/// the record by row number, and only rows of records that lost a value
/// look further.
fn mark_survivors(
    persons: &[PersonRecord],
    lineage: &mut Lineage,
    conflicts: &[crate::resolve::Conflict],
) {
    const NONE: u32 = u32::MAX;
    // The tables (file, sheet) person records come from, and per table the
    // record read from each row; of two records from the same row, the
    // later one counts.
    let mut table_of: FastMap<(&str, Option<&str>), u32> = FastMap::new();
    let mut rows: Vec<Vec<u32>> = Vec::new();
    // Records come sheet by sheet, sharing their sheet's location: the
    // table is looked up again only when the location changes.
    let mut last: Option<(&crate::model::Origin, u32)> = None;
    for (i, p) in persons.iter().enumerate() {
        let Some(o) = &p.origin else { continue };
        let t = match last {
            Some((l, t)) if Arc::ptr_eq(&l.at, &o.at) => t,
            _ => *table_of
                .entry((&*o.file, o.sheet.as_deref()))
                .or_insert_with(|| {
                    rows.push(Vec::new());
                    (rows.len() - 1) as u32
                }),
        };
        last = Some((o, t));
        let r = &mut rows[t as usize];
        let at = o.row as usize;
        if r.len() <= at {
            r.resize(at + 1, NONE);
        }
        r[at] = i as u32;
    }
    let record_at =
        |t: u32, row: u32| -> u32 { rows[t as usize].get(row as usize).copied().unwrap_or(NONE) };
    // What survivorship lost, by record id and field.
    let mut lost: FastMap<(&str, &str), Vec<(&str, &str)>> = FastMap::new();
    for c in conflicts {
        lost.entry((c.record_id.as_str(), c.field.as_str()))
            .or_default()
            .push((c.candidate_id.as_str(), c.value.as_str()));
    }
    let lost_records: FastSet<&str> = lost.keys().map(|&(r, _)| r).collect();
    let lost_any: Vec<bool> = persons
        .par_iter()
        .map(|p| lost_records.contains(p.record_id.as_str()))
        .collect();
    drop(lost_records);
    /// What a place's rows need.
    #[derive(Clone, Copy)]
    enum Kind {
        /// Not a candidate field: no mark.
        Other,
        /// Survives whatever the record: not decided by survivorship, or
        /// from a table no person record comes from.
        Kept,
        /// Survivorship field, table.
        Decided(&'static str, u32),
    }
    let kinds: Vec<Kind> = lineage
        .places()
        .iter()
        .map(|p| {
            if p.entity != "candidate" {
                return Kind::Other;
            }
            let Some(field) = survivor_field(p.field) else {
                return Kind::Kept;
            };
            match table_of.get(&(&*p.file, p.sheet.as_deref())) {
                Some(&t) => Kind::Decided(field, t),
                None => Kind::Kept,
            }
        })
        .collect();
    lineage.mark_survived(|place, entity_id, row, value| match kinds[place as usize] {
        Kind::Other => None,
        Kind::Kept => Some(true),
        Kind::Decided(field, t) => {
            let record = record_at(t, row);
            if record == NONE || !lost_any[record as usize] {
                return Some(true);
            }
            let record_id = persons[record as usize].record_id.as_str();
            let mut values = lost
                .get(&(record_id, field))
                .into_iter()
                .flatten()
                .filter(|(c, _)| *c == entity_id)
                .map(|(_, v)| *v)
                .peekable();
            if values.peek().is_none() {
                Some(true)
            } else {
                let multi = matches!(field, "phones" | "emails" | "skills" | "notes");
                Some(multi && !values.any(|v| v == value))
            }
        }
    });
}

/// The applications of the records `wanted`, as a review side shows them
/// (see [`ReviewSide::applications`]), by record id.
fn review_applications<'a>(
    data: &'a Dataset,
    wanted: impl Iterator<Item = &'a PersonRecord>,
) -> FastMap<&'a str, String> {
    let mut of: FastMap<&str, Vec<&crate::model::ApplicationRecord>> =
        wanted.map(|p| (p.record_id.as_str(), Vec::new())).collect();
    if of.is_empty() {
        return FastMap::default();
    }
    let mut interviews: FastMap<&str, Vec<chrono::NaiveDate>> = FastMap::default();
    for a in &data.applications {
        if let Some(list) = of.get_mut(a.record_id.as_str()) {
            list.push(a);
            interviews.insert(a.application_id.as_str(), Vec::new());
        }
    }
    for e in &data.evaluations {
        if let (Some(days), Some(at)) = (interviews.get_mut(e.application_id.as_str()), e.at) {
            days.push(at.date());
        }
    }
    for days in interviews.values_mut() {
        days.sort_unstable();
        days.dedup();
    }
    of.into_iter()
        .filter(|(_, list)| !list.is_empty())
        .map(|(record, mut list)| {
            // Undated ones last; ties in the order the source gave them.
            list.sort_by_key(|a| (a.applied_at.is_none(), a.applied_at));
            let text = list
                .iter()
                .map(|a| {
                    let days = interviews.get(a.application_id.as_str());
                    application_text(a, days.map_or(&[][..], Vec::as_slice))
                })
                .collect::<Vec<_>>()
                .join("; ");
            (record, text)
        })
        .collect()
}

/// One application as a review side shows it, leaving out what the
/// sources did not give: `销售经理 (XH-SA-001): applied 2024-03-02,
/// interviewed 2024-03-10, rejected 2024-03-20`.
fn application_text(
    a: &crate::model::ApplicationRecord,
    interviewed: &[chrono::NaiveDate],
) -> String {
    use std::fmt::Write;
    let mut text = match (a.position.as_deref(), a.position_id.as_deref()) {
        (Some(title), Some(id)) => format!("{title} ({id})"),
        (Some(one), None) | (None, Some(one)) => one.to_string(),
        (None, None) => "(no position)".to_string(),
    };
    let mut facts: Vec<String> = Vec::new();
    if let Some(d) = a.applied_at {
        facts.push(format!("applied {d}"));
    }
    if !interviewed.is_empty() {
        let days: Vec<String> = interviewed.iter().map(|d| d.to_string()).collect();
        facts.push(format!("interviewed {}", days.join(", ")));
    }
    match (a.status, a.decided_at) {
        (Some(status), Some(d)) => facts.push(format!("{status} {d}")),
        (Some(status), None) => facts.push(status.to_string()),
        (None, Some(d)) => facts.push(format!("decided {d}")),
        (None, None) => {}
    }
    if !facts.is_empty() {
        let _ = write!(text, ": {}", facts.join(", "));
    }
    text
}

/// Reads the previous run's record → candidate map from `out`, if any.
pub fn read_previous(out: &Path) -> Option<IdMap> {
    let bytes = std::fs::read(out.join(ID_MAP)).ok()?;
    let mut r = csv::ReaderBuilder::new()
        .from_reader(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes));
    let pairs: Vec<(String, String)> = r
        .records()
        .flatten()
        .filter_map(|rec| Some((rec.get(0)?.to_string(), rec.get(1)?.to_string())))
        .collect();
    drop(bytes);
    let map = IdMap::from_pairs(pairs);
    (!map.is_empty()).then_some(map)
}

/// Resolves the persons of `data` in place and returns the merge table, the
/// record → candidate map and the summary. `counts` gets its merged rows.
///
/// Records are addressed by their position in `data.persons` and entities
/// by theirs in the resolution: every id string is looked up once, and an
/// entity's candidate id is one shared string for all its uses.
pub fn apply(
    data: &mut Dataset,
    previous: Option<&IdMap>,
    opts: &ResolveOptions,
    counts: &mut [SourceCounts],
) -> Applied {
    apply_reviewed(data, previous, &[], opts, counts)
}

/// [`apply`], with a person's verdicts on pairs of records (see
/// [`resolve::resolve_reviewed`]).
pub fn apply_reviewed(
    data: &mut Dataset,
    previous: Option<&IdMap>,
    verdicts: &[resolve::Verdict],
    opts: &ResolveOptions,
    counts: &mut [SourceCounts],
) -> Applied {
    let mut steps = Steps::default();
    fill_applied(data);
    steps.lap("applications");
    let res = resolve::resolve_reviewed(&data.persons, previous, verdicts, opts);
    steps.lap("resolver");
    let resolve::Resolution {
        entity_of,
        order,
        entities,
        merges: rows,
        conflicts,
        histogram,
        id_changes,
        weights,
        em,
        blocking,
        verdicts: verdict_counts,
        ..
    } = res;
    let candidate: Vec<Arc<str>> = entities
        .par_iter()
        .map(|e| Arc::from(e.candidate_id.as_str()))
        .collect();
    let persons = &data.persons;
    // record id → candidate id in record-id order, as resolution ordered
    // the records: every record by position, the pairs name them so.
    let record_map = Arc::new(IdMap::from_sorted(
        order.iter().map(|&i| {
            let i = i as usize;
            (persons[i].record_id.as_str(), entity_of[i] as u32)
        }),
        candidate.clone(),
    ));
    steps.lap("record map");
    let for_review_rows = rows
        .iter()
        .filter(|m| m.decision == resolve::Decision::Review);
    let person_at =
        |position: u32| &persons[order[record_map.counting(position as usize)] as usize];
    let applications = review_applications(
        data,
        for_review_rows.flat_map(|m| [person_at(m.a), person_at(m.b)]),
    );
    // A review side is the record its id stands for (of two records with
    // one id, the later one, which sorts last).
    let side = |position: u32| -> ReviewSide {
        let p = person_at(position);
        ReviewSide {
            record_id: p.record_id.clone(),
            name: p.name.as_deref().unwrap_or_default().to_string(),
            phones: p.phones.join("; "),
            emails: p.emails.join("; "),
            birth_date: p.birth_date.map(|d| d.to_string()).unwrap_or_default(),
            id_number: p.id_number.as_deref().unwrap_or_default().to_string(),
            city: p.city.as_deref().unwrap_or_default().to_string(),
            school: p.school.as_deref().unwrap_or_default().to_string(),
            company: p.current_company.as_deref().unwrap_or_default().to_string(),
            applications: applications
                .get(p.record_id.as_str())
                .cloned()
                .unwrap_or_default(),
            source: p.origin.as_ref().map(|o| o.describe()).unwrap_or_default(),
        }
    };
    // Most likely one person first: a team that works down the list from
    // the top spends its time where a verdict most often merges. Rows are
    // in record-id order, so positions order ties as the ids do.
    let mut for_review: Vec<&resolve::MergeRow> = rows
        .iter()
        .filter(|m| m.decision == resolve::Decision::Review)
        .collect();
    for_review.sort_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then_with(|| (x.a, x.b).cmp(&(y.a, y.b)))
    });
    let review: Vec<ReviewPair> = for_review
        .into_iter()
        .map(|m| ReviewPair {
            score: m.score,
            rule: m.rule,
            a: side(m.a),
            b: side(m.b),
        })
        .collect();
    let (mut merged, mut for_review) = (0, 0);
    for m in &rows {
        match m.decision {
            resolve::Decision::Merge => merged += 1,
            resolve::Decision::Review => for_review += 1,
            resolve::Decision::Separate => {}
        }
    }
    let pairs_compared = rows.len();
    let merges = Merges {
        rows,
        ids: Arc::clone(&record_map),
    };
    drop(order);
    steps.lap("merge table");
    // Rows merged into another candidate: every member but the first.
    let source_index: FastMap<&str, usize> = counts
        .iter()
        .enumerate()
        .rev()
        .map(|(i, c)| (c.source.as_str(), i))
        .collect();
    let mut merged_rows = vec![0u64; counts.len()];
    let mut records_merged = 0;
    for e in &entities {
        for &m in e.members.iter().skip(1) {
            records_merged += 1;
            if let Some(origin) = &persons[m].origin
                && let Some(&c) = source_index.get(&*origin.source)
            {
                merged_rows[c] += 1;
            }
        }
    }
    drop(source_index);
    for (c, n) in counts.iter_mut().zip(merged_rows) {
        c.rows_kept -= n;
        c.rows_merged += n;
    }
    // The per-row candidate ids before resolution → entity.
    let mut remap: FastMap<&str, u32> = FastMap::with_capacity(persons.len());
    for (i, p) in persons.iter().enumerate() {
        remap.insert(p.candidate_id.as_str(), entity_of[i] as u32);
    }
    // Applications, evaluations and events move to their entity's id.
    let map = |id: &mut String| {
        if let Some(&e) = remap.get(id.as_str()) {
            let new = &*candidate[e as usize];
            if id.as_str() != new {
                id.clear();
                id.push_str(new);
            }
        }
    };
    data.applications
        .par_iter_mut()
        .for_each(|a| map(&mut a.candidate_id));
    data.evaluations
        .par_iter_mut()
        .for_each(|e| map(&mut e.candidate_id));
    data.events
        .par_iter_mut()
        .for_each(|e| map(&mut e.candidate_id));
    steps.lap("rename rows");
    // One shared id per surviving candidate for all its lineage rows.
    data.lineage.rename_ids("candidate", |id| {
        remap.get(id).map(|&e| candidate[e as usize].clone())
    });
    drop(remap);
    drop(candidate);
    steps.lap("rename lineage");
    mark_survivors(&data.persons, &mut data.lineage, &conflicts);
    conflicts.into_par_iter().for_each(drop);
    steps.lap("survival marks");
    let summary = ResolutionSummary {
        records: data.persons.len(),
        candidates: entities.len(),
        records_merged,
        pairs_compared,
        pairs_merged: merged,
        pairs_for_review: for_review,
        threshold: opts.threshold,
        review_band: opts.review_band,
        score_histogram: histogram,
        weights: weights
            .iter()
            .map(|w| {
                (
                    w.field.to_string(),
                    w.weights.map(|x| (x * 1000.0).round() / 1000.0),
                    format!("{:?}", w.source).to_lowercase(),
                )
            })
            .collect(),
        em_ran: em.ran,
        em_iterations: em.iterations,
        em_converged: em.converged,
        largest_block: blocking.largest_block,
        oversized_blocks: blocking.oversized_blocks,
        verdicts: verdict_counts,
        id_changes,
    };
    // The candidates table is by candidate id: the entities are put in
    // that order before their surviving records are built.
    let entities = by_candidate_id(entities);
    data.persons = resolve::survivors(
        entities,
        std::mem::take(&mut data.persons),
        &opts.survivorship,
    );
    steps.lap("survivors");
    Applied {
        merges,
        review,
        record_map,
        summary,
        steps: steps.done,
    }
}

/// The entities in candidate-id order. Sorted by the ids' first eight
/// bytes (which order like the strings), the full ids only on a tie.
fn by_candidate_id(entities: Vec<resolve::Entity>) -> Vec<resolve::Entity> {
    let order = resolve::order_by_id(&entities, |e| &e.candidate_id);
    let mut slots: Vec<Option<resolve::Entity>> = entities.into_iter().map(Some).collect();
    order
        .iter()
        .filter_map(|&i| slots[i as usize].take())
        .collect()
}

/// Wall time of the steps of [`apply`], in seconds.
#[derive(Debug)]
struct Steps {
    at: std::time::Instant,
    done: Vec<(&'static str, f64)>,
}

impl Default for Steps {
    fn default() -> Steps {
        Steps {
            at: std::time::Instant::now(),
            done: Vec::new(),
        }
    }
}

impl Steps {
    fn lap(&mut self, step: &'static str) {
        let now = std::time::Instant::now();
        self.done.push((step, (now - self.at).as_secs_f64()));
        self.at = now;
    }
}

/// Everything [`apply`] produces besides the rewritten dataset.
#[derive(Debug, Clone, Default)]
pub struct Applied {
    pub merges: Merges,
    pub review: Vec<ReviewPair>,
    /// record id → candidate id, for `id_map.csv`.
    pub record_map: Arc<IdMap>,
    pub summary: ResolutionSummary,
    /// Wall time of each step in seconds, in order.
    pub steps: Vec<(&'static str, f64)>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ApplicationRecord, EvaluationRecord, Origin, PersonRecord};
    use crate::rules::Vocab;
    use crate::rules::name::normalize_name;
    use chrono::NaiveDate;

    fn person(record_id: &str, name: &str, file: &Arc<str>, row: u32) -> PersonRecord {
        let n = normalize_name(name, Vocab::builtin()).expect("a name");
        PersonRecord {
            record_id: record_id.to_string(),
            candidate_id: format!("row-{record_id}"),
            origin: Some(Origin::new(Arc::from("source"), file.clone(), None, row)),
            name: Some(n.display.into()),
            name_key: Some(n.key.into()),
            name_latin: n.latin_key.map(Into::into),
            ..Default::default()
        }
    }

    #[test]
    fn a_review_side_gives_each_application_with_what_is_known_of_it() {
        let day = |m, d| NaiveDate::from_ymd_opt(2024, m, d).unwrap();
        let mut data = dataset();
        data.applications = vec![
            ApplicationRecord {
                application_id: "A2".into(),
                record_id: "RA".into(),
                position: Some("销售经理".into()),
                position_id: Some("XH-SA-001".into()),
                applied_at: Some(day(5, 2)),
                status: Some("rejected"),
                decided_at: Some(day(5, 20)),
                ..Default::default()
            },
            ApplicationRecord {
                application_id: "A3".into(),
                record_id: "RA".into(),
                position_id: Some("XH-RD-001".into()),
                ..Default::default()
            },
            ApplicationRecord {
                application_id: "A1".into(),
                record_id: "RA".into(),
                position: Some("数据分析师".into()),
                applied_at: Some(day(3, 1)),
                ..Default::default()
            },
            ApplicationRecord {
                application_id: "A4".into(),
                record_id: "RC".into(),
                ..Default::default()
            },
        ];
        let at = |d: NaiveDate, h| Some(d.and_hms_opt(h, 0, 0).unwrap());
        data.evaluations = vec![
            EvaluationRecord {
                application_id: "A2".into(),
                at: at(day(5, 12), 10),
                ..Default::default()
            },
            EvaluationRecord {
                application_id: "A2".into(),
                at: at(day(5, 9), 15),
                ..Default::default()
            },
            EvaluationRecord {
                application_id: "A2".into(),
                at: at(day(5, 12), 16),
                ..Default::default()
            },
            EvaluationRecord {
                application_id: "A4".into(),
                at: at(day(6, 1), 9),
                ..Default::default()
            },
        ];
        let wanted = [&data.persons[0], &data.persons[1]];
        let shown = review_applications(&data, wanted.into_iter());
        assert_eq!(
            shown.get("RA").map(String::as_str),
            Some(
                "数据分析师: applied 2024-03-01; \
                 销售经理 (XH-SA-001): applied 2024-05-02, interviewed 2024-05-09, 2024-05-12, rejected 2024-05-20; \
                 XH-RD-001"
            )
        );
        // RB has no application; RC's is not asked for.
        assert_eq!(shown.len(), 1, "{shown:?}");
        assert_eq!(
            application_text(&data.applications[3], &[day(6, 1)]),
            "(no position): interviewed 2024-06-01"
        );
    }

    fn counts() -> Vec<SourceCounts> {
        vec![SourceCounts {
            source: "source".to_string(),
            rows_read: 3,
            rows_kept: 3,
            ..Default::default()
        }]
    }

    /// Two records of one person from two files, at the same row number
    /// in each, with different cities; a third person; lineage rows for
    /// their cities and names, and one for a file no record came from.
    fn dataset() -> Dataset {
        let (a, b, c): (Arc<str>, Arc<str>, Arc<str>) =
            (Arc::from("a.xlsx"), Arc::from("b.csv"), Arc::from("c.csv"));
        let phone = vec!["+8613800000001".to_string()];
        let persons = vec![
            PersonRecord {
                phones: phone.clone(),
                city: Some("北京".into()),
                ..person("RA", "张伟", &a, 2)
            },
            PersonRecord {
                phones: phone,
                city: Some("上海".into()),
                ..person("RB", "张伟", &b, 2)
            },
            PersonRecord {
                phones: vec!["+8613900000002".to_string()],
                city: Some("广州".into()),
                ..person("RC", "李娜", &b, 3)
            },
        ];
        let mut lineage = crate::lineage::Lineage::default();
        let (column, name_column): (Arc<str>, Arc<str>) = (Arc::from("城市"), Arc::from("姓名"));
        for p in &persons {
            let o = p.origin.as_ref().expect("an origin");
            let id = lineage.id(Arc::from(p.candidate_id.as_str()));
            let city = lineage.place("candidate", "city", &o.file, &o.sheet, &column);
            lineage.push(city, id, o.row, p.city.as_deref().unwrap_or_default());
            let name = lineage.place("candidate", "name", &o.file, &o.sheet, &name_column);
            lineage.push(name, id, o.row, p.name.as_deref().unwrap_or_default());
        }
        let id = lineage.id(Arc::from("row-elsewhere"));
        let place = lineage.place("candidate", "city", &c, &None, &column);
        lineage.push(place, id, 2, "深圳");
        let id = lineage.id(Arc::from("A1"));
        let place = lineage.place("application", "position", &a, &None, &column);
        lineage.push(place, id, 2, "数据分析师");
        let applications = vec![ApplicationRecord {
            application_id: "A1".to_string(),
            record_id: "RB".to_string(),
            candidate_id: "row-RB".to_string(),
            ..Default::default()
        }];
        Dataset {
            persons,
            applications,
            lineage,
            ..Default::default()
        }
    }

    #[test]
    fn survival_marks_follow_the_record_of_each_file() {
        let mut data = dataset();
        let mut counts = counts();
        let applied = apply(&mut data, None, &ResolveOptions::default(), &mut counts);
        assert_eq!(applied.summary.candidates, 2);
        assert_eq!((counts[0].rows_kept, counts[0].rows_merged), (2, 1));
        let merged = applied.record_map.get("RA").expect("RA mapped");
        assert_eq!(applied.record_map.get("RB"), Some(merged));
        let survivor = data
            .persons
            .iter()
            .find(|p| p.candidate_id == merged)
            .expect("the merged candidate");
        let city = survivor.city.as_deref().expect("a city");
        let rows: Vec<_> = data.lineage.iter().collect();
        let (mut kept, mut lost) = (0, 0);
        for l in &rows {
            match (l.entity, l.field, l.value) {
                ("application", _, _) => assert_eq!(l.survived, None),
                (_, "city", "深圳") => assert_eq!(l.survived, Some(true)),
                (_, "city", "北京" | "上海") => {
                    assert_eq!(&**l.entity_id, merged);
                    assert_eq!(l.survived, Some(l.value == city), "{l:?}");
                    if l.value == city {
                        kept += 1;
                    } else {
                        lost += 1;
                    }
                }
                _ => assert_eq!(l.survived, Some(true), "{l:?}"),
            }
        }
        assert_eq!((kept, lost), (1, 1));
        assert_eq!(data.applications[0].candidate_id, merged);
        let mut sorted = data.persons.clone();
        sorted.sort_by(|a, b| a.candidate_id.cmp(&b.candidate_id));
        assert_eq!(sorted, data.persons);
    }

    #[test]
    fn a_rerun_keeps_every_candidate_id() {
        let mut first = dataset();
        let before = apply(&mut first, None, &ResolveOptions::default(), &mut counts());
        let mut again = dataset();
        let after = apply(
            &mut again,
            Some(&before.record_map),
            &ResolveOptions::default(),
            &mut counts(),
        );
        assert_eq!(after.record_map, before.record_map);
        assert!(after.summary.id_changes.is_empty());
        assert_eq!(again.persons, first.persons);
        assert_eq!(after.merges, before.merges);
        let m = &after.merges.rows[0];
        let (a, b) = after.merges.records(m);
        assert_eq!(
            after.merges.candidates(m),
            (
                before.record_map.get(a).expect("a"),
                before.record_map.get(b).expect("b")
            )
        );
    }

    #[test]
    fn verdicts_decide_their_pairs_when_given() {
        let verdict = |a: &str, b: &str, same| resolve::Verdict {
            record_a: a.to_string(),
            record_b: b.to_string(),
            same,
        };
        let mut data = dataset();
        let verdicts = [verdict("RB", "RA", false), verdict("RA", "R9", true)];
        let applied = apply_reviewed(
            &mut data,
            None,
            &verdicts,
            &ResolveOptions::default(),
            &mut counts(),
        );
        assert_eq!(applied.summary.candidates, 3);
        assert_eq!(
            (
                applied.summary.verdicts.different,
                applied.summary.verdicts.not_found
            ),
            (1, 1)
        );
        assert_ne!(applied.record_map.get("RA"), applied.record_map.get("RB"));
        let m = &applied.merges.rows[0];
        assert_eq!(applied.merges.records(m), ("RA", "RB"));
        assert_eq!(
            (m.decision, m.rule),
            (
                resolve::Decision::Separate,
                Some(resolve::RULE_REVIEWED_DIFFERENT)
            )
        );
        assert_eq!(
            applied.merges.candidates(m),
            (
                applied.record_map.get("RA").expect("RA"),
                applied.record_map.get("RB").expect("RB")
            )
        );
        // Without the verdicts the two are one candidate.
        let mut data = dataset();
        let applied = apply(&mut data, None, &ResolveOptions::default(), &mut counts());
        assert_eq!(applied.record_map.get("RA"), applied.record_map.get("RB"));
        assert_eq!(applied.summary.verdicts, resolve::VerdictCounts::default());
    }

    #[test]
    fn applied_positions_are_sorted_and_include_interview_dates() {
        let file: Arc<str> = Arc::from("a.xlsx");
        let d = |m, day| NaiveDate::from_ymd_opt(2024, m, day);
        let app = |id: &str, record: &str, title: &str, applied| ApplicationRecord {
            application_id: id.to_string(),
            record_id: record.to_string(),
            position: Some(title.to_string()),
            applied_at: applied,
            ..Default::default()
        };
        let mut data = Dataset {
            persons: vec![
                person("R1", "张伟", &file, 2),
                person("R2", "李娜", &file, 3),
            ],
            applications: vec![
                app("A1", "R1", "Data Analyst", d(3, 1)),
                ApplicationRecord {
                    position_id: Some("P1".to_string()),
                    decided_at: d(2, 1),
                    ..app("A2", "R1", "数据 分析师", d(3, 1))
                },
                app("A3", "R1", "Data  Analyst", d(3, 1)),
                app("A4", "R2", "  ", d(3, 1)),
                app("A5", "nobody", "Data Analyst", d(3, 1)),
            ],
            evaluations: vec![EvaluationRecord {
                application_id: "A2".to_string(),
                at: d(4, 1).and_then(|d| d.and_hms_opt(9, 0, 0)),
                ..Default::default()
            }],
            ..Default::default()
        };
        fill_applied(&mut data);
        let got: Vec<(&str, Option<NaiveDate>)> = data.persons[0]
            .applied
            .iter()
            .map(|(k, d)| (&**k, Some(*d)))
            .collect();
        assert_eq!(
            got,
            vec![
                ("id:P1", d(2, 1)),
                ("id:P1", d(3, 1)),
                ("id:P1", d(4, 1)),
                ("title:dataanalyst", d(3, 1)),
                ("title:数据分析师", d(2, 1)),
                ("title:数据分析师", d(3, 1)),
                ("title:数据分析师", d(4, 1)),
            ]
        );
        assert!(data.persons[1].applied.is_empty());
    }
}
