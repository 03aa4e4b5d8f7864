//! Skill synonyms: spellings such as `Golang`, `GO语言` and `Go` mapped to
//! one canonical skill, with one-way implications (`MySQL` ⇒ `SQL`,
//! `大客户` ⇒ `销售`) read from `tables/skills.toml`.
//!
//! Spellings are compared in key form: the rules' matching form (NFKC,
//! traditional → simplified, lowercase) with bracketed remarks and all
//! whitespace removed, so `Excel（熟练）`, `EXCEL` and `ｅｘｃｅｌ` are one key.
//! When a key is not in the table, qualifier words (`熟练掌握`, `…经验`,
//! `…能力`) are stripped and the rest is looked up again. A skill the table
//! does not know is still a skill: it is identified by its key, so `Tableau`
//! on a CV meets `tableau` in a position without any entry.
//!
//! Skills are identified by a [`SkillId`], a 64-bit FNV-1a hash of the
//! canonical key. Hash ids need no shared interner, so candidate profiles can
//! be built in parallel and ids from the built-in table and from a table with
//! overrides agree wherever the canonical names agree. With 64 bits the chance
//! that two of even 100 000 distinct skills collide is about 3 × 10⁻¹⁰.

use foldhash::{HashMap, HashMapExt};
use std::sync::{Arc, LazyLock};

use crate::rules::match_form;

const BUILTIN_SOURCE: &str = include_str!("tables/skills.toml");

/// A canonical skill, as the FNV-1a hash of its key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SkillId(pub u64);

impl SkillId {
    /// The id of a key (see [`skill_key`]).
    pub fn of_key(key: &str) -> SkillId {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in key.bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        SkillId(hash)
    }
}

/// The comparison form of a skill spelling: matching form without bracketed
/// remarks (`(熟练)`, `[高级]`, `【必须】`) and without whitespace. A spelling
/// that is nothing but a bracket keeps its inner text.
pub fn skill_key(raw: &str) -> String {
    let form = match_form(raw);
    let mut out = String::with_capacity(form.len());
    let mut depth = 0usize;
    for c in form.chars() {
        match c {
            '(' | '[' | '【' | '〔' => depth += 1,
            ')' | ']' | '】' | '〕' => depth = depth.saturating_sub(1),
            _ if depth > 0 || c.is_whitespace() => {}
            _ => out.push(c),
        }
    }
    if out.is_empty() {
        form.chars()
            .filter(|c| !c.is_whitespace() && !"()[]【】〔〕".contains(*c))
            .collect()
    } else {
        out
    }
}

/// One spelling resolved through the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skill {
    /// The canonical skill.
    pub id: SkillId,
    /// Its display name: the table's canonical name, or the cleaned spelling
    /// for a skill the table does not know.
    pub name: String,
    /// Whether the table knows the skill.
    pub known: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct SkillSpec {
    name: String,
    aliases: Vec<String>,
    implies: Vec<String>,
}

/// The table as written: kept so that overrides can be merged and the
/// indexes rebuilt.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Spec {
    prefixes: Vec<String>,
    suffixes: Vec<String>,
    skills: Vec<SkillSpec>,
}

/// The synonym table: canonical skills, their aliases and implications, and
/// the qualifier words stripped before a second lookup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkillTable {
    spec: Spec,
    /// Canonical and alias keys → index into `names`/`closures`.
    by_key: HashMap<String, usize>,
    names: Vec<String>,
    /// Per canonical skill: its own id and every id it implies, transitively,
    /// sorted.
    closures: Vec<Vec<SkillId>>,
    /// Qualifier keys, longest first.
    prefixes: Vec<String>,
    suffixes: Vec<String>,
}

static BUILTIN: LazyLock<Arc<SkillTable>> = LazyLock::new(|| {
    let parsed: toml::Table = BUILTIN_SOURCE
        .parse()
        .unwrap_or_else(|e| panic!("built-in skills table is not valid TOML: {e}"));
    let mut spec = Spec::default();
    let built = merge(&mut spec, &parsed, false).and_then(|()| SkillTable::build(spec));
    match built {
        Ok(table) => Arc::new(table),
        Err(errors) => panic!("built-in skills table is invalid: {}", errors.join("; ")),
    }
});

impl SkillTable {
    /// The built-in table, parsed once and shared.
    pub fn builtin() -> &'static Arc<SkillTable> {
        &BUILTIN
    }

    /// Returns a copy with `entries` merged in. `entries` has the shape of
    /// `tables/skills.toml`: `[skills."<name>"]` with `aliases` and `implies`,
    /// and `[qualifiers]` with `prefixes` and `suffixes`. Entries for an
    /// existing skill add to it; an alias already claimed by another skill
    /// moves to the skill named here. Every problem is reported.
    pub fn with_overrides(&self, entries: &toml::Table) -> Result<SkillTable, Vec<String>> {
        let mut spec = self.spec.clone();
        merge(&mut spec, entries, true)?;
        SkillTable::build(spec)
    }

    /// Resolves one spelling; `None` when it is blank.
    pub fn resolve(&self, raw: &str) -> Option<Skill> {
        let key = skill_key(raw);
        if key.is_empty() {
            return None;
        }
        if let Some(&index) = self.by_key.get(&key) {
            return Some(self.known(index));
        }
        let stripped = self.strip_qualifiers(&key);
        if let Some(&index) = self.by_key.get(stripped) {
            return Some(self.known(index));
        }
        let name = crate::rules::text::nfkc_clean(raw);
        Some(Skill {
            id: SkillId::of_key(stripped),
            name,
            known: false,
        })
    }

    /// The ids a candidate who lists `raw` has: the skill itself and, for a
    /// known skill, everything it implies. Empty for a blank spelling.
    pub fn implied_ids(&self, raw: &str) -> Vec<SkillId> {
        let key = skill_key(raw);
        if key.is_empty() {
            return Vec::new();
        }
        let index = self
            .by_key
            .get(&key)
            .or_else(|| self.by_key.get(self.strip_qualifiers(&key)));
        match index {
            Some(&i) => self.closures[i].clone(),
            None => vec![SkillId::of_key(self.strip_qualifiers(&key))],
        }
    }

    /// The canonical skill names, in table order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    fn known(&self, index: usize) -> Skill {
        Skill {
            id: SkillId::of_key(&skill_key(&self.names[index])),
            name: self.names[index].clone(),
            known: true,
        }
    }

    /// Removes one leading and one trailing qualifier; the key itself when
    /// stripping would leave nothing.
    fn strip_qualifiers<'k>(&self, key: &'k str) -> &'k str {
        let mut rest = key;
        if let Some(p) = self.prefixes.iter().find(|p| rest.starts_with(p.as_str())) {
            rest = &rest[p.len()..];
        }
        if let Some(s) = self.suffixes.iter().find(|s| rest.ends_with(s.as_str())) {
            rest = &rest[..rest.len() - s.len()];
        }
        if rest.is_empty() { key } else { rest }
    }

    fn build(spec: Spec) -> Result<SkillTable, Vec<String>> {
        let mut errors = Vec::new();
        let mut by_key: HashMap<String, usize> = HashMap::new();
        let names: Vec<String> = spec.skills.iter().map(|s| s.name.clone()).collect();
        for (index, skill) in spec.skills.iter().enumerate() {
            for spelling in std::iter::once(&skill.name).chain(&skill.aliases) {
                let key = skill_key(spelling);
                if key.is_empty() {
                    errors.push(format!(
                        "skills table, skill '{}': empty spelling",
                        skill.name
                    ));
                    continue;
                }
                if let Some(&other) = by_key.get(&key)
                    && other != index
                {
                    errors.push(format!(
                        "skills table: '{spelling}' is claimed by both '{}' and '{}'",
                        names[other], skill.name
                    ));
                    continue;
                }
                by_key.insert(key, index);
            }
        }
        // Direct implications as indexes, then the transitive closure by a
        // depth-first walk (cycles are harmless: visited skills are skipped).
        let mut direct: Vec<Vec<usize>> = vec![Vec::new(); spec.skills.len()];
        for (index, skill) in spec.skills.iter().enumerate() {
            for target in &skill.implies {
                match by_key.get(&skill_key(target)) {
                    Some(&t) => direct[index].push(t),
                    None => errors.push(format!(
                        "skills table, skill '{}': implies unknown skill '{target}'",
                        skill.name
                    )),
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let closures = (0..spec.skills.len())
            .map(|start| {
                let mut seen = vec![false; spec.skills.len()];
                let mut stack = vec![start];
                let mut ids = Vec::new();
                while let Some(i) = stack.pop() {
                    if std::mem::replace(&mut seen[i], true) {
                        continue;
                    }
                    ids.push(SkillId::of_key(&skill_key(&names[i])));
                    stack.extend(&direct[i]);
                }
                ids.sort_unstable();
                ids
            })
            .collect();
        let qualifier_keys = |words: &[String]| {
            let mut keys: Vec<String> = words.iter().map(|w| skill_key(w)).collect();
            keys.retain(|k| !k.is_empty());
            keys.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
            keys.dedup();
            keys
        };
        Ok(SkillTable {
            prefixes: qualifier_keys(&spec.prefixes),
            suffixes: qualifier_keys(&spec.suffixes),
            spec,
            by_key,
            names,
            closures,
        })
    }
}

/// Reads a TOML array of strings; `what` names it in messages.
fn strings(value: &toml::Value, what: &str, errors: &mut Vec<String>) -> Vec<String> {
    let items = value.as_array().map(|a| {
        a.iter()
            .map(|v| v.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
    });
    match items {
        Some(Some(list)) => list,
        _ => {
            errors.push(format!(
                "skills table, {what}: expected an array of strings"
            ));
            Vec::new()
        }
    }
}

/// Merges a TOML source into `spec`. With `moving`, an alias already held by
/// another skill moves to the skill named in `source` (overrides win);
/// without, a spelling claimed twice is left for [`SkillTable::build`] to
/// report. Nothing is merged on error.
fn merge(spec: &mut Spec, source: &toml::Table, moving: bool) -> Result<(), Vec<String>> {
    let mut errors = Vec::new();
    let mut out = spec.clone();
    for (section, value) in source {
        let Some(body) = value.as_table() else {
            errors.push(format!("skills table, [{section}]: expected a table"));
            continue;
        };
        match section.as_str() {
            "qualifiers" => {
                for (field, list) in body {
                    let words = strings(list, &format!("qualifiers.{field}"), &mut errors);
                    match field.as_str() {
                        "prefixes" => out.prefixes.extend(words),
                        "suffixes" => out.suffixes.extend(words),
                        _ => errors.push(format!(
                            "skills table, [qualifiers]: unknown field '{field}'; expected prefixes or suffixes"
                        )),
                    }
                }
            }
            "skills" => {
                for (name, entry) in body {
                    merge_skill(&mut out, name, entry, moving, &mut errors);
                }
            }
            _ => errors.push(format!(
                "skills table: unknown section [{section}]; expected [qualifiers] or [skills.\"<name>\"]"
            )),
        }
    }
    if errors.is_empty() {
        *spec = out;
        Ok(())
    } else {
        Err(errors)
    }
}

fn merge_skill(
    spec: &mut Spec,
    name: &str,
    entry: &toml::Value,
    moving: bool,
    errors: &mut Vec<String>,
) {
    let Some(fields) = entry.as_table() else {
        errors.push(format!("skills table, skill '{name}': expected a table"));
        return;
    };
    let mut aliases = Vec::new();
    let mut implies = Vec::new();
    for (field, value) in fields {
        let what = format!("skill '{name}', {field}");
        match field.as_str() {
            "aliases" => aliases = strings(value, &what, errors),
            "implies" => implies = strings(value, &what, errors),
            _ => errors.push(format!(
                "skills table, skill '{name}': unknown field '{field}'; expected aliases or implies"
            )),
        }
    }
    let key = skill_key(name);
    if key.is_empty() {
        errors.push(format!("skills table: empty skill name '{name}'"));
        return;
    }
    if moving {
        let claimed: Vec<String> = std::iter::once(name)
            .chain(aliases.iter().map(String::as_str))
            .map(skill_key)
            .collect();
        for other in spec.skills.iter_mut().filter(|s| skill_key(&s.name) != key) {
            if claimed.contains(&skill_key(&other.name)) {
                errors.push(format!(
                    "skills table, skill '{name}': '{}' is a skill of its own and cannot become an alias",
                    other.name
                ));
            }
            other.aliases.retain(|a| !claimed.contains(&skill_key(a)));
        }
    }
    match spec.skills.iter_mut().find(|s| skill_key(&s.name) == key) {
        Some(existing) => {
            existing.aliases.extend(aliases);
            existing.implies.extend(implies);
        }
        None => spec.skills.push(SkillSpec {
            name: name.to_string(),
            aliases,
            implies,
        }),
    }
}

/// A candidate's skills as a small sorted set of ids, implications included,
/// with the table that resolved them (positions are resolved through the
/// same table when scored).
#[derive(Clone, PartialEq)]
pub struct SkillSet {
    ids: Box<[SkillId]>,
    table: Arc<SkillTable>,
}

impl std::fmt::Debug for SkillSet {
    /// The ids only: the table would drown everything else.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("SkillSet").field(&self.ids).finish()
    }
}

impl SkillSet {
    /// Resolves every spelling through `table`.
    pub fn new<S: AsRef<str>>(table: &Arc<SkillTable>, spellings: &[S]) -> SkillSet {
        let mut ids: Vec<SkillId> = spellings
            .iter()
            .flat_map(|s| table.implied_ids(s.as_ref()))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        SkillSet {
            ids: ids.into_boxed_slice(),
            table: Arc::clone(table),
        }
    }

    /// An empty set: the candidate listed no skills.
    pub fn empty(table: &Arc<SkillTable>) -> SkillSet {
        SkillSet::new::<&str>(table, &[])
    }

    /// The sorted ids.
    pub fn ids(&self) -> &[SkillId] {
        &self.ids
    }

    /// Whether no skill is listed.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Whether the set holds `id`.
    pub fn contains(&self, id: SkillId) -> bool {
        self.ids.binary_search(&id).is_ok()
    }

    /// Whether the set meets a requirement written as `spelling`.
    pub fn meets(&self, spelling: &str) -> bool {
        self.table
            .resolve(spelling)
            .is_some_and(|s| self.contains(s.id))
    }

    /// The table the set was resolved with.
    pub fn table(&self) -> &Arc<SkillTable> {
        &self.table
    }
}

#[cfg(test)]
mod tests;
