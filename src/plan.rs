//! Checking a pipeline before anything runs: [`Plan::load`] turns a pipeline
//! file into a [`Plan`] or into *every* problem it has, each with its
//! location.
//!
//! Parsing goes through a generic TOML table first instead of straight into
//! [`PipelineSpec`]: serde stops at the first unknown key, and a user who
//! copied `demo.toml` and made three mistakes should see all three in one
//! `hrflow validate`. Unknown keys are found by comparing against the key lists
//! below (with a "did you mean" suggestion), removed, and the rest is
//! deserialized section by section so that a type error in one source does not
//! hide the problems of the next.
//!
//! Stages only ever see a [`Plan`]: files resolved and existing, encodings and
//! delimiters validated, column overrides naming real fields, vocabulary
//! overrides merged. Nothing after this point re-validates configuration.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Component, Path, PathBuf};

use crate::columns::Field;
use crate::ingest::decode::EncodingLabel;
use crate::ingest::delimited::Delimiter;
use crate::ingest::header::{HeaderTable, field_list};
use crate::rules::Vocab;
use crate::spec::{NormalizeSpec, OutputSpec, PipelineSpec, SourceSpec};

const TOP_KEYS: &[&str] = &[
    "name",
    "description",
    "root",
    "allow_outside_root",
    "max_input_bytes",
    "output",
    "source",
    "normalize",
    "resolve",
    "score",
    "recall",
    "notices",
    "chat",
    "report",
];
const OUTPUT_KEYS: &[&str] = &["dir", "formats"];
const SOURCE_KEYS: &[&str] = &[
    "kind",
    "path",
    "exclude",
    "role",
    "sheets",
    "include_hidden",
    "header_row",
    "encoding",
    "delimiter",
    "format",
    "utc_offset_hours",
    "day_first",
    "priority",
    "columns",
    "layout",
];
const NORMALIZE_KEYS: &[&str] = &["default_region", "day_first", "tables", "headers"];
const FORMATS: &[&str] = &["parquet", "csv", "xlsx"];

/// One problem in a pipeline file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanError {
    /// The pipeline file as the user named it.
    pub file: String,
    /// 1-based line, when it can be found.
    pub line: Option<usize>,
    /// `source[2] (csv)`, `output`, `normalize.tables.status`…
    pub location: String,
    pub message: String,
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(
                f,
                "{}:{}: {}: {}",
                self.file, line, self.location, self.message
            ),
            None => write!(f, "{}: {}: {}", self.file, self.location, self.message),
        }
    }
}

/// How a source is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    Excel,
    Csv,
    Chat,
}

impl SourceKind {
    pub const NAMES: &'static [&'static str] = &["excel", "csv", "chat"];

    pub fn name(self) -> &'static str {
        match self {
            SourceKind::Excel => "excel",
            SourceKind::Csv => "csv",
            SourceKind::Chat => "chat",
        }
    }
}

/// What the rows of a source describe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Role {
    Candidates,
    Positions,
    /// A contact log: who was called or messaged when, how, by whom, with
    /// what result. Rows become contact events on resolved candidates.
    Contacts,
    /// Recall workbooks (`recall-<position>.xlsx`) returned with their
    /// outcome columns filled in. Rows become recall outcome events.
    RecallOutcomes,
    /// Candidate survey responses, read by [`crate::ingest::survey`].
    Survey,
}

impl Role {
    pub const NAMES: &'static [&'static str] = &[
        "candidates",
        "positions",
        "contacts",
        "recall_outcomes",
        "survey",
    ];
}

/// How a survey source lays out its answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SurveyLayout {
    /// One row per sent survey, one column per question.
    Wide,
    /// One row per answer: response id, question, score, comment.
    Long,
}

/// A checked source: files resolved, options validated.
#[derive(Debug, Clone)]
pub struct PlannedSource {
    /// 1-based position in the pipeline file.
    pub index: usize,
    /// `source[1]`.
    pub label: String,
    pub kind: SourceKind,
    pub role: Role,
    /// (absolute path, path relative to the root for display and lineage).
    pub files: Vec<(PathBuf, String)>,
    pub sheets: Option<Vec<String>>,
    pub include_hidden: bool,
    pub header_row: Option<u32>,
    pub encoding: Option<EncodingLabel>,
    pub delimiter: Option<Delimiter>,
    pub priority: i32,
    pub columns: BTreeMap<String, String>,
    /// Chat: the export format, when the pipeline fixes it.
    pub chat_format: Option<crate::chat::ChatFormat>,
    /// Chat: parse options (time zone, date order).
    pub chat_options: crate::chat::ParseOptions,
    /// Survey: the layout when the pipeline fixes it; detected otherwise.
    pub survey_layout: Option<SurveyLayout>,
}

/// Normalization settings with vocabularies merged.
#[derive(Debug, Clone)]
pub struct NormalizeSettings {
    pub region: String,
    pub day_first: bool,
    pub vocab: Vocab,
    pub headers: HeaderTable,
}

/// Which dataset formats to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    pub parquet: bool,
    pub csv: bool,
    pub xlsx: bool,
}

/// Input files larger than this are refused unless a pipeline sets
/// `max_input_bytes`. Every file is read into memory whole (and a text file
/// decoded into a second copy), so this keeps one bad input from taking the
/// machine's memory; the largest real exports are far smaller.
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 1 << 30;

/// A pipeline that passed every check.
#[derive(Debug, Clone)]
pub struct Plan {
    pub name: String,
    pub description: String,
    /// The pipeline file as named on the command line.
    pub pipeline: String,
    pub root: PathBuf,
    pub out_dir: PathBuf,
    pub formats: Formats,
    /// Largest input file read, in bytes (`max_input_bytes`).
    pub max_input_bytes: u64,
    pub sources: Vec<PlannedSource>,
    pub normalize: NormalizeSettings,
    /// `[normalize]` as written: with the built-in tables (part of the
    /// executable) it determines [`Plan::normalize`], so the reuse cache
    /// keys entries by it (see [`crate::run`]).
    pub normalize_spec: crate::spec::NormalizeSpec,
    /// Whether a run may reuse what an earlier run into the same output
    /// folder read from unchanged files (`.cache/`); `hrflow run --no-cache`
    /// turns it off.
    pub use_cache: bool,
    /// Entity resolution settings (`[resolve]`), validated.
    pub resolve: crate::resolve::ResolveOptions,
    /// Match scoring settings (`[score]`), validated.
    pub score: crate::matching::ScoreSettings,
    /// Recall list settings (`[recall]`); `None` writes no recall lists.
    pub recall: Option<crate::recall::RecallSettings>,
    /// Rejection notice settings (`[notices]`); `None` writes no notices.
    pub notices: Option<crate::notify::NoticeConfig>,
    /// Chat extraction phrase tables with the pipeline's `[chat.phrases.*]`
    /// additions and its vocabulary.
    pub chat_phrases: crate::chat::extract::Phrases,
    /// Management report settings (`[report]`); `None` writes no report.
    pub report: Option<crate::report::ReportSettings>,
}

/// Lines `[start, end)` of a section in the pipeline text, when known.
type LineRange = Option<(usize, usize)>;

struct Checker<'a> {
    file: String,
    text: &'a str,
    errors: Vec<PlanError>,
}

impl Checker<'_> {
    fn err(
        &mut self,
        line: Option<usize>,
        location: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.errors.push(PlanError {
            file: self.file.clone(),
            line,
            location: location.into(),
            message: message.into(),
        });
    }

    /// Line ranges of each `[[source]]` block, in order.
    fn source_blocks(&self) -> Vec<(usize, usize)> {
        let lines: Vec<&str> = self.text.lines().collect();
        let starts: Vec<usize> = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.trim_start().starts_with("[[source]]"))
            .map(|(i, _)| i)
            .collect();
        starts
            .iter()
            .enumerate()
            .map(|(n, &s)| {
                let end = lines
                    .iter()
                    .enumerate()
                    .skip(s + 1)
                    .find(|(_, l)| {
                        let t = l.trim_start();
                        t.starts_with('[') && !t.starts_with("[source.")
                    })
                    .map_or(lines.len(), |(i, _)| i);
                let _ = n;
                (s, end)
            })
            .collect()
    }

    /// 1-based line where `key =` appears within [from, to).
    fn key_line(&self, key: &str, range: Option<(usize, usize)>) -> Option<usize> {
        let (from, to) = range.unwrap_or((0, usize::MAX));
        self.text
            .lines()
            .enumerate()
            .skip(from)
            .take(to.saturating_sub(from))
            .find(|(_, l)| {
                let t = l.trim_start();
                let t = t.strip_prefix('"').unwrap_or(t);
                t.starts_with(key) && t[key.len()..].trim_start().starts_with(['=', '"'])
            })
            .map(|(i, _)| i + 1)
    }

    fn unknown_keys(
        &mut self,
        table: &mut toml::Table,
        known: &[&str],
        location: &str,
        range: Option<(usize, usize)>,
    ) {
        let unknown: Vec<String> = table
            .keys()
            .filter(|k| !known.contains(&k.as_str()))
            .cloned()
            .collect();
        for key in unknown {
            table.remove(&key);
            // Typos are mostly one or two edits (`paht`, `dri`, `encodng`).
            let hint = known
                .iter()
                .map(|k| (strsim::damerau_levenshtein(k, &key), k))
                .filter(|(d, k)| *d <= 2 && *d < k.len())
                .min_by_key(|(d, _)| *d)
                .map(|(_, k)| format!("did you mean `{k}`? "))
                .unwrap_or_default();
            let line = self.key_line(&key, range);
            self.err(
                line,
                location,
                format!(
                    "unknown key `{key}`; {hint}expected one of {}",
                    known.join(", ")
                ),
            );
        }
    }
}

impl Plan {
    /// Reads and checks a pipeline file.
    pub fn load(path: &Path) -> Result<Plan, Vec<PlanError>> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| {
            vec![PlanError {
                file: file.clone(),
                line: None,
                location: "file".into(),
                message: format!("cannot read: {e}"),
            }]
        })?;
        let base = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        Plan::from_text(&text, &file, &base)
    }

    /// Checks pipeline text; `base` is the directory of the pipeline file.
    pub fn from_text(text: &str, file: &str, base: &Path) -> Result<Plan, Vec<PlanError>> {
        let mut ck = Checker {
            file: file.to_string(),
            text,
            errors: Vec::new(),
        };
        let mut table: toml::Table = match text.parse() {
            Ok(t) => t,
            Err(e) => {
                ck.err(None, "syntax", e.to_string().trim_end().to_string());
                return Err(ck.errors);
            }
        };
        ck.unknown_keys(
            &mut table,
            TOP_KEYS,
            "pipeline",
            Some((0, first_section_line(text))),
        );

        let mut output = OutputSpec::default();
        if let Some(toml::Value::Table(mut t)) = table.remove("output") {
            ck.unknown_keys(
                &mut t,
                OUTPUT_KEYS,
                "output",
                section_range(text, "[output]"),
            );
            match toml::Value::Table(t).try_into::<OutputSpec>() {
                Ok(o) => output = o,
                Err(e) => ck.err(None, "output", e.to_string().trim_end().to_string()),
            }
        }
        let mut normalize = NormalizeSpec::default();
        if let Some(toml::Value::Table(mut t)) = table.remove("normalize") {
            ck.unknown_keys(
                &mut t,
                NORMALIZE_KEYS,
                "normalize",
                section_range(text, "[normalize]"),
            );
            match toml::Value::Table(t).try_into::<NormalizeSpec>() {
                Ok(n) => normalize = n,
                Err(e) => ck.err(None, "normalize", e.to_string().trim_end().to_string()),
            }
        }
        let mut resolve = crate::resolve::ResolveOptions::default();
        if let Some(t) = table.remove("resolve") {
            match t.try_into::<crate::resolve::ResolveOptions>() {
                Ok(r) => {
                    if let Err(errs) = r.validate() {
                        for e in errs {
                            ck.err(None, "resolve", e);
                        }
                    }
                    resolve = r;
                }
                Err(e) => ck.err(None, "resolve", e.to_string().trim_end().to_string()),
            }
        }
        let mut score = crate::matching::ScoreSettings::default();
        if let Some(t) = table.remove("score") {
            match t.try_into::<crate::matching::ScoreSettings>() {
                Ok(s) => {
                    if let Err(errs) = s.weights.validate() {
                        for e in errs {
                            ck.err(None, "score.weights", e);
                        }
                    }
                    score = s;
                }
                Err(e) => ck.err(None, "score", e.to_string().trim_end().to_string()),
            }
        }
        let mut recall = None;
        if let Some(t) = table.remove("recall") {
            match t.try_into::<crate::recall::RecallSettings>() {
                Ok(r) => {
                    if let Err(errs) = r.validate() {
                        for e in errs {
                            ck.err(None, "recall", e);
                        }
                    }
                    recall = Some(r);
                }
                Err(e) => ck.err(None, "recall", e.to_string().trim_end().to_string()),
            }
        }
        let mut notices = None;
        if let Some(t) = table.remove("notices") {
            match t.try_into::<crate::notify::NoticeConfig>() {
                Ok(n) => notices = Some(n),
                Err(e) => ck.err(None, "notices", e.to_string().trim_end().to_string()),
            }
        }
        let mut report = None;
        if let Some(t) = table.remove("report") {
            let range = section_range(text, "[report]");
            match t.try_into::<crate::report::ReportSettings>() {
                Ok(r) => {
                    for (key, e) in r.validate() {
                        let line = ck.key_line(&key, range).or(range.map(|r| r.0 + 1));
                        ck.err(line, "report", e);
                    }
                    report = Some(r);
                }
                Err(e) => ck.err(
                    range.map(|r| r.0 + 1),
                    "report",
                    e.to_string().trim_end().to_string(),
                ),
            }
        }
        let mut phrase_overrides: BTreeMap<String, toml::Table> = BTreeMap::new();
        if let Some(t) = table.remove("chat") {
            match t {
                toml::Value::Table(mut t) => {
                    ck.unknown_keys(&mut t, &["phrases"], "chat", section_range(text, "[chat]"));
                    match t
                        .remove("phrases")
                        .map(|p| p.try_into::<BTreeMap<String, toml::Table>>())
                    {
                        Some(Ok(p)) => phrase_overrides = p,
                        Some(Err(e)) => {
                            ck.err(None, "chat.phrases", e.to_string().trim_end().to_string())
                        }
                        None => {}
                    }
                }
                _ => ck.err(None, "chat", "`chat` must be a table"),
            }
        }
        let blocks = ck.source_blocks();
        let mut sources: Vec<(usize, SourceSpec, LineRange)> = Vec::new();
        match table.remove("source") {
            Some(toml::Value::Array(items)) => {
                for (i, item) in items.into_iter().enumerate() {
                    let range = blocks.get(i).copied();
                    let loc = format!("source[{}]", i + 1);
                    let toml::Value::Table(mut t) = item else {
                        ck.err(range.map(|r| r.0 + 1), &loc, "expected a table");
                        continue;
                    };
                    ck.unknown_keys(&mut t, SOURCE_KEYS, &loc, range);
                    match toml::Value::Table(t).try_into::<SourceSpec>() {
                        Ok(s) => sources.push((i + 1, s, range)),
                        Err(e) => ck.err(
                            range.map(|r| r.0 + 1),
                            &loc,
                            e.to_string().trim_end().to_string(),
                        ),
                    }
                }
            }
            Some(_) => ck.err(
                None,
                "pipeline",
                "`source` must be an array of tables: write each as [[source]]",
            ),
            None => ck.err(
                None,
                "pipeline",
                "no [[source]] entries: a pipeline needs at least one input",
            ),
        }
        table.insert("source".into(), toml::Value::Array(Vec::new()));
        let spec: Option<PipelineSpec> = match toml::Value::Table(table).try_into::<PipelineSpec>()
        {
            Ok(s) => Some(s),
            Err(e) => {
                ck.err(None, "pipeline", e.to_string().trim_end().to_string());
                None
            }
        };

        let (name, description, root_rel, allow_outside, max_input_bytes) = match &spec {
            Some(s) => (
                s.name.clone(),
                s.description.clone(),
                s.root.clone(),
                s.allow_outside_root,
                s.max_input_bytes.unwrap_or(DEFAULT_MAX_INPUT_BYTES),
            ),
            None => (String::new(), String::new(), None, false, 0),
        };
        if spec.is_some() && max_input_bytes == 0 {
            ck.err(
                ck.key_line("max_input_bytes", None),
                "pipeline",
                "`max_input_bytes` must be at least 1",
            );
        }
        let root = clean_path(&match &root_rel {
            Some(r) => base.join(r),
            None => base.to_path_buf(),
        });
        if spec.is_some() && name.trim().is_empty() {
            ck.err(
                ck.key_line("name", None),
                "pipeline",
                "`name` must not be empty",
            );
        }
        if !root.is_dir() {
            ck.err(
                ck.key_line("root", None),
                "pipeline",
                format!("root `{}` is not a directory", root.display()),
            );
        }

        let mut formats = Formats {
            parquet: false,
            csv: false,
            xlsx: false,
        };
        for f in &output.formats {
            match f.as_str() {
                "parquet" => formats.parquet = true,
                "csv" => formats.csv = true,
                "xlsx" => formats.xlsx = true,
                other => ck.err(
                    ck.key_line("formats", section_range(text, "[output]")),
                    "output",
                    format!(
                        "unknown format `{other}`; expected one of {}",
                        FORMATS.join(", ")
                    ),
                ),
            }
        }

        let normalize_spec = normalize.clone();
        let normalize = check_normalize(&mut ck, normalize);
        let mut chat_phrases = crate::chat::extract::Phrases::builtin().with_vocab(
            normalize
                .as_ref()
                .map_or_else(|| Vocab::builtin().clone(), |n| n.vocab.clone()),
        );
        for (name, entries) in &phrase_overrides {
            match chat_phrases.with_overrides(name, entries) {
                Ok(p) => chat_phrases = p,
                Err(errs) => {
                    for e in errs {
                        ck.err(None, format!("chat.phrases.{name}"), e);
                    }
                }
            }
        }
        let mut planned = Vec::new();
        for (index, source, range) in sources {
            if let Some(p) = check_source(&mut ck, index, source, range, &root, allow_outside) {
                planned.push(p);
            }
        }
        if let Some(r) = recall.as_mut() {
            r.templates = template_folder(
                &mut ck,
                "recall",
                r.templates.take(),
                &root,
                allow_outside,
                crate::recall::shipped_templates(),
                crate::recall::VARIABLES,
            );
        }
        if let Some(n) = notices.as_mut() {
            n.templates = template_folder(
                &mut ck,
                "notices",
                n.templates.take(),
                &root,
                allow_outside,
                crate::notices::Renderer::shipped(),
                crate::notices::VARIABLES,
            );
        }
        if !ck.errors.is_empty() {
            return Err(ck.errors);
        }
        Ok(Plan {
            name,
            description,
            pipeline: file.to_string(),
            out_dir: clean_path(&root.join(&output.dir)),
            root,
            formats,
            max_input_bytes,
            sources: planned,
            normalize: normalize.expect("no errors means settings were built"),
            normalize_spec,
            use_cache: true,
            resolve,
            score,
            recall,
            notices,
            chat_phrases,
            report,
        })
    }
}

/// Resolves a section's `templates` folder against the root and checks
/// every template in it as a run would use it (see
/// [`crate::notices::check_templates`]): a typo in a variable name is an
/// error here rather than in every message of a run.
fn template_folder(
    ck: &mut Checker,
    section: &str,
    dir: Option<PathBuf>,
    root: &Path,
    allow_outside: bool,
    shipped: &[(&str, &str)],
    variables: &[&str],
) -> Option<PathBuf> {
    let dir = dir?;
    let range = section_range(ck.text, &format!("[{section}]"));
    let line = ck.key_line("templates", range);
    if !allow_outside && (dir.is_absolute() || escapes(&dir)) {
        ck.err(
            line,
            section,
            format!(
                "templates folder `{}` leaves the pipeline root `{}`; set `allow_outside_root = true` to allow it",
                dir.display(),
                root.display()
            ),
        );
        return None;
    }
    let abs = clean_path(&root.join(&dir));
    if !abs.is_dir() {
        ck.err(
            line,
            section,
            format!("templates folder `{}` does not exist", abs.display()),
        );
        return None;
    }
    match crate::notices::template_set(shipped, Some(&abs)) {
        Ok(set) => {
            for problem in crate::notices::check_templates(&set, variables) {
                ck.err(line, section, problem);
            }
        }
        Err(e) => ck.err(line, section, e),
    }
    Some(abs)
}

fn first_section_line(text: &str) -> usize {
    text.lines()
        .position(|l| l.trim_start().starts_with('['))
        .unwrap_or(usize::MAX)
}

fn section_range(text: &str, header: &str) -> Option<(usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| l.trim() == header)?;
    let end = lines
        .iter()
        .enumerate()
        .skip(start + 1)
        .find(|(_, l)| {
            l.trim_start().starts_with('[')
                && !l.trim_start().starts_with(&header[..header.len() - 1])
        })
        .map_or(lines.len(), |(i, _)| i);
    Some((start, end))
}

fn check_normalize(ck: &mut Checker, spec: NormalizeSpec) -> Option<NormalizeSettings> {
    let before = ck.errors.len();
    let region = spec
        .default_region
        .clone()
        .unwrap_or_else(|| "CN".to_string());
    if !crate::rules::phone::is_known_region(&region) {
        ck.err(
            ck.key_line("default_region", None),
            "normalize",
            format!("unknown region `{region}`; expected a two-letter ISO code such as CN, HK, TW, SG, US"),
        );
    }
    let mut vocab = Vocab::builtin().clone();
    for (table, entries) in &spec.tables {
        match vocab.with_overrides(table, entries) {
            Ok(v) => vocab = v,
            Err(errs) => {
                for e in errs {
                    ck.err(None, format!("normalize.tables.{table}"), e);
                }
            }
        }
    }
    let headers = match HeaderTable::builtin().with_extra(&spec.headers) {
        Ok(h) => h,
        Err(errs) => {
            for e in errs {
                ck.err(None, "normalize.headers", e);
            }
            HeaderTable::builtin().clone()
        }
    };
    (ck.errors.len() == before).then_some(NormalizeSettings {
        region,
        day_first: spec.day_first,
        vocab,
        headers,
    })
}

fn check_source(
    ck: &mut Checker,
    index: usize,
    s: SourceSpec,
    range: Option<(usize, usize)>,
    root: &Path,
    allow_outside: bool,
) -> Option<PlannedSource> {
    let before = ck.errors.len();
    let loc = format!("source[{index}] ({})", s.kind);
    let line = |ck: &Checker, key: &str| ck.key_line(key, range).or(range.map(|r| r.0 + 1));
    let kind = match s.kind.as_str() {
        "excel" => Some(SourceKind::Excel),
        "csv" => Some(SourceKind::Csv),
        "chat" => Some(SourceKind::Chat),
        other => {
            let l = line(ck, "kind");
            ck.err(
                l,
                &loc,
                format!(
                    "unknown kind `{other}`; expected one of {}",
                    SourceKind::NAMES.join(", ")
                ),
            );
            None
        }
    };
    let role = match s.role.as_deref() {
        None | Some("candidates") => Role::Candidates,
        Some("positions") => Role::Positions,
        Some("contacts") => Role::Contacts,
        Some("recall_outcomes") => Role::RecallOutcomes,
        Some("survey") => Role::Survey,
        Some(other) => {
            let l = line(ck, "role");
            ck.err(
                l,
                &loc,
                format!(
                    "unknown role `{other}`; expected one of {}",
                    Role::NAMES.join(", ")
                ),
            );
            Role::Candidates
        }
    };
    let survey_layout = match s.layout.as_deref() {
        None => None,
        Some("wide") => Some(SurveyLayout::Wide),
        Some("long") => Some(SurveyLayout::Long),
        Some(other) => {
            let l = line(ck, "layout");
            ck.err(
                l,
                &loc,
                format!("unknown layout `{other}`; expected wide or long"),
            );
            None
        }
    };
    if role == Role::Survey && !s.columns.is_empty() {
        let l = line(ck, "columns");
        ck.err(
            l,
            &loc,
            "`columns` applies only to candidate and position sources; survey headers are matched to the question bank",
        );
    }
    if s.layout.is_some() && role != Role::Survey {
        let l = line(ck, "layout");
        ck.err(
            l,
            &loc,
            "`layout` applies only to sources with role = \"survey\"",
        );
    }
    // Keys that only make sense for another kind are mistakes, not no-ops.
    let not_for = |ck: &mut Checker, present: bool, key: &str, kinds: &str| {
        if present {
            let l = line(ck, key);
            ck.err(l, &loc, format!("`{key}` applies only to {kinds} sources"));
        }
    };
    if kind == Some(SourceKind::Excel) {
        not_for(ck, s.encoding.is_some(), "encoding", "csv");
        not_for(ck, s.delimiter.is_some(), "delimiter", "csv");
    }
    if kind == Some(SourceKind::Csv) {
        not_for(ck, s.sheets.is_some(), "sheets", "excel");
        not_for(ck, s.include_hidden, "include_hidden", "excel");
    }
    if kind == Some(SourceKind::Chat) {
        not_for(ck, s.sheets.is_some(), "sheets", "excel");
        not_for(ck, s.include_hidden, "include_hidden", "excel");
        not_for(ck, s.delimiter.is_some(), "delimiter", "csv");
        not_for(ck, s.header_row.is_some(), "header_row", "excel and csv");
        not_for(ck, !s.columns.is_empty(), "columns", "excel and csv");
        not_for(ck, s.role.is_some(), "role", "excel and csv");
    } else {
        not_for(ck, s.format.is_some(), "format", "chat");
        not_for(ck, s.utc_offset_hours.is_some(), "utc_offset_hours", "chat");
        not_for(ck, s.day_first.is_some(), "day_first", "chat");
    }
    let chat_format =
        s.format
            .as_deref()
            .and_then(|f| match f.parse::<crate::chat::ChatFormat>() {
                Ok(f) => Some(f),
                Err(_) => {
                    let l = line(ck, "format");
                    let names: Vec<&str> = crate::chat::ChatFormat::ALL
                        .iter()
                        .map(|f| f.name())
                        .collect();
                    ck.err(
                        l,
                        &loc,
                        format!(
                            "unknown chat format `{f}`; expected one of {}",
                            names.join(", ")
                        ),
                    );
                    None
                }
            });
    let offset = s.utc_offset_hours.unwrap_or(8);
    if !(-12..=14).contains(&offset) {
        let l = line(ck, "utc_offset_hours");
        ck.err(
            l,
            &loc,
            format!("`utc_offset_hours` {offset} is not a real offset; expected -12 to 14"),
        );
    }
    let encoding = s.encoding.as_deref().and_then(|label| {
        let e = EncodingLabel::new(label);
        if e.is_none() {
            let l = line(ck, "encoding");
            ck.err(
                l,
                &loc,
                format!("unknown encoding `{label}`; expected a WHATWG label such as utf-8, gbk, gb18030, big5, shift_jis, utf-16le, utf-16be, windows-1252"),
            );
        }
        e
    });
    let delimiter = s.delimiter.as_deref().and_then(|d| {
        let parsed = Delimiter::parse(d);
        if parsed.is_none() {
            let l = line(ck, "delimiter");
            ck.err(
                l,
                &loc,
                format!("unknown delimiter `{d}`; expected one of `,` `;` `|` `\\t`"),
            );
        }
        parsed
    });
    if s.header_row == Some(0) {
        let l = line(ck, "header_row");
        ck.err(l, &loc, "`header_row` is 1-based; 0 is not a row");
    }
    for (header, target) in &s.columns {
        if target != "ignore" && target.parse::<Field>().is_err() {
            let l = ck.key_line(header, range).or(range.map(|r| r.0 + 1));
            ck.err(l, &loc, format!("column `{header}` maps to unknown field `{target}`; expected `ignore` or one of {}", field_list()));
        }
    }
    let files = resolve_files(ck, &s, &loc, line(ck, "path"), root, allow_outside);
    if kind == Some(SourceKind::Excel)
        && let Some(wanted) = &s.sheets
    {
        for (abs, display) in &files {
            // An unreadable workbook is a run-time failure of that source,
            // reported with the others; it does not make the plan invalid.
            if let Ok(names) = crate::ingest::excel::sheet_names(abs) {
                for w in wanted.iter().filter(|w| !names.contains(w)) {
                    let l = line(ck, "sheets");
                    ck.err(
                        l,
                        &loc,
                        format!(
                            "`{display}` has no sheet `{w}`; its sheets are {}",
                            names.join(", ")
                        ),
                    );
                }
            }
        }
    }
    if ck.errors.len() != before {
        return None;
    }
    Some(PlannedSource {
        index,
        label: format!("source[{index}]"),
        kind: kind.expect("checked above"),
        role,
        files,
        sheets: s.sheets,
        include_hidden: s.include_hidden,
        header_row: s.header_row,
        encoding,
        delimiter,
        priority: s.priority,
        columns: s.columns,
        chat_format,
        chat_options: crate::chat::ParseOptions {
            day_first: s.day_first,
            tz_offset_hours: offset,
        },
        survey_layout,
    })
}

fn resolve_files(
    ck: &mut Checker,
    s: &SourceSpec,
    loc: &str,
    line: Option<usize>,
    root: &Path,
    allow_outside: bool,
) -> Vec<(PathBuf, String)> {
    let rel = Path::new(&s.path);
    if !allow_outside && (rel.is_absolute() || escapes(rel)) {
        ck.err(
            line,
            loc,
            format!("path `{}` leaves the pipeline root `{}`; set `allow_outside_root = true` to allow it", s.path, root.display()),
        );
        return Vec::new();
    }
    let pattern = clean_path(&root.join(rel));
    let pattern_text = pattern.to_string_lossy().to_string();
    let is_glob = s.path.contains(['*', '?', '[']);
    let mut files: Vec<PathBuf> = if is_glob {
        match glob::glob(&pattern_text) {
            Ok(paths) => paths.flatten().filter(|p| p.is_file()).collect(),
            Err(e) => {
                ck.err(line, loc, format!("bad glob `{}`: {e}", s.path));
                return Vec::new();
            }
        }
    } else if pattern.is_file() {
        vec![pattern.clone()]
    } else {
        Vec::new()
    };
    for ex in &s.exclude {
        match glob::Pattern::new(&clean_path(&root.join(ex)).to_string_lossy()) {
            Ok(p) => files.retain(|f| !p.matches_path(f)),
            Err(e) => ck.err(line, loc, format!("bad exclude glob `{ex}`: {e}")),
        }
    }
    files.sort();
    // Returned recall workbooks arrive only after a first run: an empty
    // folder is the normal state, not a mistake.
    let may_be_empty = is_glob && s.role.as_deref() == Some("recall_outcomes");
    if files.is_empty() && !may_be_empty {
        let what = if is_glob {
            "no file matches"
        } else {
            "file not found:"
        };
        ck.err(
            line,
            loc,
            format!("{what} `{}` (looked for {})", s.path, pattern.display()),
        );
    }
    files
        .into_iter()
        .map(|abs| {
            let abs = clean_path(&abs);
            let display = if root == Path::new(".") {
                Ok(abs.as_path())
            } else {
                abs.strip_prefix(root)
            };
            let display = display
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_else(|_| abs.to_string_lossy().to_string());
            (abs, display)
        })
        .collect()
}

/// Resolves `.` and `name/..` lexically, so `pipelines/..` prints as `.`
/// (without touching the file system or following links).
pub fn clean_path(path: &Path) -> PathBuf {
    let mut out: Vec<Component> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.is_empty() {
        PathBuf::from(".")
    } else {
        out.iter().collect()
    }
}

/// Whether a relative path climbs above its base (`../x`, `a/../../x`).
fn escapes(path: &Path) -> bool {
    let mut depth: i32 = 0;
    for c in path.components() {
        match c {
            Component::ParentDir => depth -= 1,
            Component::Normal(_) => depth += 1,
            Component::RootDir | Component::Prefix(_) => return true,
            Component::CurDir => {}
        }
        if depth < 0 {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> Result<Plan, Vec<String>> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.csv"), "姓名,手机\n张三,13800138000\n").unwrap();
        Plan::from_text(text, "p.toml", dir.path())
            .map_err(|errs| errs.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn template_folders_are_checked_like_a_run_would_render_them() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.csv"), "姓名,手机\n张三,13800138000\n").unwrap();
        std::fs::create_dir(dir.path().join("mine")).unwrap();
        // A typo in a variable name, and a syntax error two lines down.
        std::fs::write(
            dir.path().join("mine/email.zh.j2"),
            "{{ nmae }}您好：\n感谢您应聘{{ position }}。\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("mine/message.zh.j2"),
            "{{ name }}您好\n\n{% if strength %}记得您{{ strength }\n",
        )
        .unwrap();
        let text = "name = \"t\"\n[[source]]\nkind = \"csv\"\npath = \"a.csv\"\n[recall]\ntemplates = \"mine\"\n[notices]\ntemplates = \"mine\"\n";
        let errs: Vec<String> = Plan::from_text(text, "p.toml", dir.path())
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert!(
            errs[0].starts_with("p.toml:6: recall: template `message.zh` (")
                && errs[0].contains("message.zh.j2")
                && errs[0].ends_with(&format!(
                    "expected end of variable block (in {}:3)",
                    dir.path().join("mine/message.zh.j2").display()
                )),
            "{errs:?}"
        );
        assert!(
            errs[1].starts_with("p.toml:8: notices: template `email.zh` (")
                && errs[1].ends_with(
                    "unknown variable `nmae`; templates can use name, position, company, sender, reason, suggestion, strength, interview_date"
                ),
            "{errs:?}"
        );
        // Fixed, the folder plans and resolves against the root.
        std::fs::write(
            dir.path().join("mine/message.zh.j2"),
            "{{ name }}您好\n\n{% if strength %}记得您{{ strength }}{% endif %}\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("mine/email.zh.j2"), "{{ name }}您好\n").unwrap();
        let plan = Plan::from_text(text, "p.toml", dir.path()).unwrap();
        assert_eq!(
            plan.notices.unwrap().templates,
            Some(clean_path(&dir.path().join("mine")))
        );
        let err = Plan::from_text(
            &text.replace(
                "templates = \"mine\"\n[notices]",
                "templates = \"../x\"\n[notices]",
            ),
            "p.toml",
            dir.path(),
        )
        .unwrap_err();
        assert!(
            err[0].to_string().contains("leaves the pipeline root"),
            "{err:?}"
        );
    }

    #[test]
    fn shipped_templates_use_only_the_variables_runs_provide() {
        for (shipped, vars) in [
            (
                crate::notices::Renderer::shipped(),
                crate::notices::VARIABLES,
            ),
            (crate::recall::shipped_templates(), crate::recall::VARIABLES),
        ] {
            let set = crate::notices::template_set(shipped, None).unwrap();
            assert_eq!(
                crate::notices::check_templates(&set, vars),
                Vec::<String>::new()
            );
        }
    }

    #[test]
    fn a_good_pipeline_plans() {
        let plan = check(
            "name = \"t\"\n[[source]]\nkind = \"csv\"\npath = \"a.csv\"\nencoding = \"gbk\"\n",
        )
        .unwrap();
        assert_eq!(plan.sources.len(), 1);
        assert_eq!(plan.sources[0].files[0].1, "a.csv");
        assert!(plan.formats.parquet && plan.formats.csv && plan.formats.xlsx);
    }

    #[test]
    fn three_mistakes_are_reported_together_with_lines() {
        let text = "name = \"t\"\n\n[[source]]\nkind = \"csv\"\npaht = \"a.csv\"\n\n[[source]]\nkind = \"csv\"\npath = \"missing.csv\"\nencoding = \"gbk2\"\n";
        let errs = check(text).unwrap_err();
        assert_eq!(errs.len(), 4, "{errs:#?}");
        assert!(
            errs[0].starts_with("p.toml:5: source[1]: unknown key `paht`; did you mean `path`?"),
            "{}",
            errs[0]
        );
        assert!(
            errs.iter().any(|e| e.contains("missing field `path`")),
            "{errs:#?}"
        );
        assert!(
            errs.iter()
                .any(|e| e.starts_with("p.toml:10: source[2] (csv): unknown encoding `gbk2`")),
            "{errs:#?}"
        );
        assert!(
            errs.iter()
                .any(|e| e.starts_with("p.toml:9: source[2] (csv): file not found: `missing.csv`")),
            "{errs:#?}"
        );
    }

    #[test]
    fn paths_may_not_leave_the_root_unless_allowed() {
        let errs = check("name = \"t\"\n[[source]]\nkind = \"csv\"\npath = \"../etc/passwd\"\n")
            .unwrap_err();
        assert!(errs[0].contains("leaves the pipeline root"), "{errs:?}");
        let errs = check("name = \"t\"\n[[source]]\nkind = \"csv\"\npath = \"/etc/passwd\"\n")
            .unwrap_err();
        assert!(errs[0].contains("leaves the pipeline root"), "{errs:?}");
        assert!(!escapes(Path::new("a/../b.csv")));
        assert!(escapes(Path::new("a/../../b.csv")));
        assert_eq!(clean_path(Path::new("pipelines/..")), Path::new("."));
        assert_eq!(
            clean_path(Path::new("./pipelines/../x/./y")),
            Path::new("x/y")
        );
        assert_eq!(clean_path(Path::new("../a")), Path::new("../a"));
    }

    #[test]
    fn keys_for_another_kind_and_bad_values_are_errors() {
        let errs = check(
            "name = \"t\"\n[[source]]\nkind = \"csv\"\npath = \"a.csv\"\nsheets = [\"x\"]\ndelimiter = \"::\"\n[source.columns]\n\"手机\" = \"fone\"\n[output]\nformats = [\"pdf\"]\n",
        )
        .unwrap_err();
        let all = errs.join("\n");
        assert!(
            all.contains("`sheets` applies only to excel sources"),
            "{all}"
        );
        assert!(all.contains("unknown delimiter `::`"), "{all}");
        assert!(all.contains("maps to unknown field `fone`"), "{all}");
        assert!(all.contains("unknown format `pdf`"), "{all}");
    }

    #[test]
    fn contact_roles_plan_and_only_returned_recall_workbooks_may_be_absent() {
        let plan = check(
            "name = \"t\"\n[[source]]\nkind = \"csv\"\npath = \"a.csv\"\nrole = \"contacts\"\n[[source]]\nkind = \"excel\"\npath = \"returns/*.xlsx\"\nrole = \"recall_outcomes\"\n",
        )
        .unwrap();
        assert_eq!(plan.sources[0].role, Role::Contacts);
        assert_eq!(plan.sources[1].role, Role::RecallOutcomes);
        assert!(plan.sources[1].files.is_empty());
        let errs = check(
            "name = \"t\"\n[[source]]\nkind = \"excel\"\npath = \"logs/*.xlsx\"\nrole = \"contacts\"\n[[source]]\nkind = \"csv\"\npath = \"a.csv\"\nrole = \"contact\"\n",
        )
        .unwrap_err();
        let all = errs.join("\n");
        assert!(all.contains("no file matches `logs/*.xlsx`"), "{all}");
        assert!(
            all.contains(
                "unknown role `contact`; expected one of candidates, positions, contacts, recall_outcomes, survey"
            ),
            "{all}"
        );
    }

    #[test]
    fn survey_sources_and_report_settings_are_checked_with_lines() {
        let text = "name = \"t\"\n[[source]]\nkind = \"csv\"\npath = \"a.csv\"\nlayout = \"wide\"\n[[source]]\nkind = \"csv\"\nrole = \"survey\"\npath = \"a.csv\"\nlayout = \"tall\"\n[report]\nlanguage = \"zh\"\nmin_group_size = 0\n[report.channel_costs]\n\"猎聘\" = -5\n";
        let errs = check(text).unwrap_err();
        assert_eq!(
            errs,
            [
                "p.toml:13: report: `min_group_size` must be at least 1",
                "p.toml:15: report: channel cost for `猎聘` is -5; expected a finite amount ≥ 0",
                "p.toml:5: source[1] (csv): `layout` applies only to sources with role = \"survey\"",
                "p.toml:10: source[2] (csv): unknown layout `tall`; expected wide or long",
            ]
        );
        let plan = check(
            "name = \"t\"\n[[source]]\nkind = \"csv\"\nrole = \"survey\"\npath = \"a.csv\"\n[report]\nlanguage = \"en\"\n",
        )
        .unwrap();
        assert_eq!(plan.sources[0].role, Role::Survey);
        assert_eq!(plan.sources[0].survey_layout, None);
        let report = plan.report.unwrap();
        assert_eq!(report.min_group_size, 5);
        assert_eq!(report.language, crate::notices::Lang::En);
        let errs = check("name = \"t\"\n[[source]]\nkind = \"csv\"\npath = \"a.csv\"\n[report]\nlangauge = \"en\"\n").unwrap_err();
        assert!(
            errs[0].starts_with("p.toml:5: report: unknown field `langauge`"),
            "{errs:?}"
        );
    }

    #[test]
    fn syntax_errors_carry_toml_position() {
        let errs = check("name = \"t\n").unwrap_err();
        assert!(errs[0].contains("line 1"), "{errs:?}");
    }
}
