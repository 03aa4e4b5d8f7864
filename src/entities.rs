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

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

use crate::manifest::SourceCounts;
use crate::model::Dataset;
use crate::resolve::{self, ResolveOptions};

/// The file holding record id → candidate id between runs.
pub const ID_MAP: &str = "id_map.csv";

/// One compared pair, as written to the `merges` table.
#[derive(Debug, Clone, PartialEq)]
pub struct MergeEntry {
    pub record_a: String,
    pub record_b: String,
    pub candidate_a: String,
    pub candidate_b: String,
    /// (field, level) in field order.
    pub levels: Vec<(&'static str, &'static str)>,
    pub score: f64,
    pub decision: &'static str,
    pub rule: Option<&'static str>,
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
pub fn fill_applied(data: &mut Dataset) {
    let key = |a: &crate::model::ApplicationRecord| -> Vec<String> {
        let title = a
            .position
            .as_deref()
            .map(|t| {
                crate::rules::text::nfkc_clean(t)
                    .to_lowercase()
                    .replace(' ', "")
            })
            .filter(|t| !t.is_empty());
        let id = a.position_id.as_ref().map(|id| format!("id:{id}"));
        id.into_iter()
            .chain(title.map(|t| format!("title:{t}")))
            .collect()
    };
    // Position keys are interned: a million records applied to a few
    // hundred positions share a few hundred strings.
    let mut interned: HashMap<String, Arc<str>> = HashMap::new();
    let mut by_app: HashMap<&str, (&str, Vec<Arc<str>>)> = HashMap::new();
    let mut seen: HashMap<&str, Vec<(Arc<str>, chrono::NaiveDate)>> = HashMap::new();
    for a in &data.applications {
        let keys: Vec<Arc<str>> = key(a)
            .into_iter()
            .map(|k| {
                interned
                    .entry(k)
                    .or_insert_with_key(|k| Arc::from(k.as_str()))
                    .clone()
            })
            .collect();
        if keys.is_empty() {
            continue;
        }
        let dates = seen.entry(a.record_id.as_str()).or_default();
        for d in [a.applied_at, a.decided_at].into_iter().flatten() {
            dates.extend(keys.iter().map(|k| (k.clone(), d)));
        }
        by_app.insert(a.application_id.as_str(), (a.record_id.as_str(), keys));
    }
    for e in &data.evaluations {
        if let (Some(at), Some((record, keys))) = (e.at, by_app.get(e.application_id.as_str())) {
            seen.entry(record)
                .or_default()
                .extend(keys.iter().map(|k| (k.clone(), at.date())));
        }
    }
    let mut seen: HashMap<String, Vec<(Arc<str>, chrono::NaiveDate)>> =
        seen.into_iter().map(|(r, v)| (r.to_string(), v)).collect();
    for p in &mut data.persons {
        if let Some(mut v) = seen.remove(&p.record_id) {
            v.sort();
            v.dedup();
            v.shrink_to_fit();
            p.applied = v;
        }
    }
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
fn mark_survivors(data: &mut Dataset, conflicts: &[crate::resolve::Conflict]) {
    type Origin = (std::sync::Arc<str>, Option<std::sync::Arc<str>>, u32);
    let record_of: HashMap<Origin, &str> = data
        .persons
        .iter()
        .filter_map(|p| {
            let o = p.origin.as_ref()?;
            Some((
                (o.file.clone(), o.sheet.clone(), o.row),
                p.record_id.as_str(),
            ))
        })
        .collect();
    let mut lost: HashMap<(&str, &str, &str), Vec<&str>> = HashMap::new();
    for c in conflicts {
        lost.entry((
            c.candidate_id.as_str(),
            c.field.as_str(),
            c.record_id.as_str(),
        ))
        .or_default()
        .push(c.value.as_str());
    }
    let mut marks: Vec<Option<bool>> = Vec::with_capacity(data.lineage.len());
    for l in data.lineage.iter() {
        let mark = (l.entity == "candidate").then(|| {
            let Some(field) = survivor_field(l.field) else {
                return true;
            };
            let Some(record) = record_of.get(&(l.file.clone(), l.sheet.clone(), l.row)) else {
                return true;
            };
            match lost.get(&(&**l.entity_id, field, *record)) {
                None => true,
                Some(values) => {
                    let multi = matches!(field, "phones" | "emails" | "skills" | "notes");
                    multi && !values.contains(&l.value)
                }
            }
        });
        marks.push(mark);
    }
    data.lineage.set_survived(marks);
}

/// Reads the previous run's record → candidate map from `out`, if any.
pub fn read_previous(out: &Path) -> Option<BTreeMap<String, String>> {
    let bytes = std::fs::read(out.join(ID_MAP)).ok()?;
    let mut r = csv::ReaderBuilder::new()
        .from_reader(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes));
    let map: BTreeMap<String, String> = r
        .records()
        .flatten()
        .filter_map(|rec| Some((rec.get(0)?.to_string(), rec.get(1)?.to_string())))
        .collect();
    (!map.is_empty()).then_some(map)
}

/// Resolves the persons of `data` in place and returns the merge table, the
/// record → candidate map and the summary. `counts` gets its merged rows.
pub fn apply(
    data: &mut Dataset,
    previous: Option<&BTreeMap<String, String>>,
    opts: &ResolveOptions,
    counts: &mut [SourceCounts],
) -> Applied {
    fill_applied(data);
    let res = resolve::resolve(&data.persons, previous, opts);
    let by_record: HashMap<&str, &crate::model::PersonRecord> = data
        .persons
        .iter()
        .map(|p| (p.record_id.as_str(), p))
        .collect();
    let side = |id: &str| -> ReviewSide {
        let Some(p) = by_record.get(id) else {
            return ReviewSide::default();
        };
        ReviewSide {
            record_id: id.to_string(),
            name: p.name.as_deref().unwrap_or_default().to_string(),
            phones: p.phones.join("; "),
            emails: p.emails.join("; "),
            birth_date: p.birth_date.map(|d| d.to_string()).unwrap_or_default(),
            id_number: p.id_number.as_deref().unwrap_or_default().to_string(),
            city: p.city.as_deref().unwrap_or_default().to_string(),
            school: p.school.as_deref().unwrap_or_default().to_string(),
            company: p.current_company.as_deref().unwrap_or_default().to_string(),
            source: p.origin.as_ref().map(|o| o.describe()).unwrap_or_default(),
        }
    };
    let review: Vec<ReviewPair> = res
        .merges
        .iter()
        .filter(|m| m.decision == resolve::Decision::Review)
        .map(|m| ReviewPair {
            score: m.score,
            rule: m.rule,
            a: side(&m.record_a),
            b: side(&m.record_b),
        })
        .collect();
    // Per-row candidate ids (one per source row before resolution) → entity.
    let mut remap: HashMap<String, String> = HashMap::with_capacity(data.persons.len());
    let mut record_map: BTreeMap<String, String> = BTreeMap::new();
    let mut record_candidate: HashMap<String, String> = HashMap::new();
    for (i, p) in data.persons.iter().enumerate() {
        let entity = &res.entities[res.entity_of[i]];
        remap.insert(p.candidate_id.clone(), entity.candidate_id.clone());
        record_map.insert(p.record_id.clone(), entity.candidate_id.clone());
        record_candidate.insert(p.record_id.clone(), entity.candidate_id.clone());
    }
    // Rows merged into another candidate: every member but the first.
    let mut records_merged = 0;
    for e in &res.entities {
        for &m in e.members.iter().skip(1) {
            records_merged += 1;
            if let Some(origin) = &data.persons[m].origin
                && let Some(c) = counts.iter_mut().find(|c| c.source == *origin.source)
            {
                c.rows_kept -= 1;
                c.rows_merged += 1;
            }
        }
    }
    let map = |id: &mut String| {
        if let Some(new) = remap.get(id.as_str()) {
            *id = new.clone();
        }
    };
    data.applications
        .iter_mut()
        .for_each(|a| map(&mut a.candidate_id));
    data.evaluations
        .iter_mut()
        .for_each(|e| map(&mut e.candidate_id));
    data.events
        .iter_mut()
        .for_each(|e| map(&mut e.candidate_id));
    // One shared id per surviving candidate for all its lineage rows.
    let shared: HashMap<&str, Arc<str>> = remap
        .iter()
        .map(|(old, new)| (old.as_str(), Arc::from(new.as_str())))
        .collect();
    data.lineage
        .rename_ids("candidate", |id| shared.get(id).cloned());
    mark_survivors(data, &res.conflicts);
    let mut merges = Vec::with_capacity(res.merges.len());
    let (mut merged, mut for_review) = (0, 0);
    for m in &res.merges {
        match m.decision {
            resolve::Decision::Merge => merged += 1,
            resolve::Decision::Review => for_review += 1,
            resolve::Decision::Separate => {}
        }
        merges.push(MergeEntry {
            record_a: m.record_a.to_string(),
            record_b: m.record_b.to_string(),
            candidate_a: record_candidate
                .get(&*m.record_a)
                .cloned()
                .unwrap_or_default(),
            candidate_b: record_candidate
                .get(&*m.record_b)
                .cloned()
                .unwrap_or_default(),
            levels: m.level_names().collect(),
            score: m.score,
            decision: m.decision.name(),
            rule: m.rule,
        });
    }
    let summary = ResolutionSummary {
        records: data.persons.len(),
        candidates: res.entities.len(),
        records_merged,
        pairs_compared: res.merges.len(),
        pairs_merged: merged,
        pairs_for_review: for_review,
        threshold: opts.threshold,
        review_band: opts.review_band,
        score_histogram: res.histogram.clone(),
        weights: res
            .weights
            .iter()
            .map(|w| {
                (
                    w.field.to_string(),
                    w.weights.map(|x| (x * 1000.0).round() / 1000.0),
                    format!("{:?}", w.source).to_lowercase(),
                )
            })
            .collect(),
        em_ran: res.em.ran,
        em_iterations: res.em.iterations,
        em_converged: res.em.converged,
        largest_block: res.blocking.largest_block,
        oversized_blocks: res.blocking.oversized_blocks,
        id_changes: res.id_changes.clone(),
    };
    let mut survivors = resolve::survivors(
        res.entities,
        std::mem::take(&mut data.persons),
        &opts.survivorship,
    );
    survivors.sort_by(|a, b| a.candidate_id.cmp(&b.candidate_id));
    data.persons = survivors;
    Applied {
        merges,
        review,
        record_map,
        summary,
    }
}

/// Everything [`apply`] produces besides the rewritten dataset.
#[derive(Debug, Clone, Default)]
pub struct Applied {
    pub merges: Vec<MergeEntry>,
    pub review: Vec<ReviewPair>,
    /// record id → candidate id, for `id_map.csv`.
    pub record_map: BTreeMap<String, String>,
    pub summary: ResolutionSummary,
}
