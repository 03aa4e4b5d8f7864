//! Who a clause talks about: the index of known people (and of leads found
//! on the way) and the scan that finds names, short forms, phones, emails and
//! WeChat ids in a matching-form clause. The scan only *finds*; deciding which
//! person a short form means needs the chat's context and happens in the
//! engine.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::PersonRef;
use super::phrases::{Phrases, Table};
use crate::rules::email::normalize_email;
use crate::rules::match_form;
use crate::rules::phone::normalize_phones;

/// One person the scan can find: a known candidate or a lead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Party {
    pub(super) person: PersonRef,
    pub(super) phones: Vec<String>,
    pub(super) emails: Vec<String>,
    pub(super) wechat: Option<String>,
}

/// How a short form names someone; decides its confidence and whether an
/// unresolved one is reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Short {
    /// A surname with a prefix or suffix (`小张`, `张总`, `Mr Zhang`).
    Surname,
    /// A bare English name token (`Zhang`, `Kevin`), which may be an
    /// ordinary word.
    Token,
    /// A Chinese given name without the surname (`思琪`).
    Given,
}

/// The parties a name or short form may mean, ascending. Borrowed from the
/// known people's index (a common surname or given name is shared by
/// thousands at a million candidates, and a clause names one often); owned
/// only when a chat's leads add to the list.
pub(super) type Ids<'a> = Cow<'a, [usize]>;

/// What was found at a place in a clause.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Found<'a> {
    /// A phone in E.164.
    Phone(String),
    /// A normalized email.
    Email(String),
    /// A WeChat id.
    Wechat(String),
    /// A full name and everybody who has it.
    Name(Ids<'a>),
    /// A short form and everybody it could mean.
    Short(Short, Ids<'a>),
}

/// A finding with its byte range in the clause and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Spot<'a> {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) text: String,
    pub(super) found: Found<'a>,
}

type Map<V> = HashMap<String, V, foldhash::fast::RandomState>;

/// One of an index's maps of party lists.
type Pick = fn(&Index) -> &Map<Vec<usize>>;

/// Name and identifier lookups over a run of parties: the known people
/// (built once per run) or the leads one chat file found (numbered after
/// the known people).
#[derive(Clone, Debug, Default)]
pub(super) struct Index {
    /// Party id of `parties[0]`.
    first: usize,
    pub(super) parties: Vec<Party>,
    hanzi: Map<Vec<usize>>,
    max_hanzi: usize,
    latin: Map<Vec<usize>>,
    phones: Map<Vec<usize>>,
    emails: Map<Vec<usize>>,
    wechat: Map<Vec<usize>>,
    surnames: Map<Vec<usize>>,
    given: Map<Vec<usize>>,
    /// English tokens while indexing; [`Index::token_ids`] when done.
    tokens: Map<Vec<(usize, Short)>>,
    /// Per English token: whether any of its parties has it as a surname,
    /// and its parties, ascending.
    token_ids: Map<(bool, Vec<usize>)>,
    /// Per known party: the rank of its candidate id among the distinct
    /// candidate ids (ids order), so an ambiguous mention's candidates are
    /// sorted as numbers instead of strings.
    rank: Vec<u32>,
    /// Per rank: a party with that candidate id.
    ranked: Vec<usize>,
}

static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d){8}|0\d{2,3}-\d{7,8}").expect("phone regex")
});
static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}").expect("email regex")
});
static WECHAT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:微信号|微信|(?-u:\b)(?:wechat|weixin|wx|vx))(?:号|id)?\s*(?:[:是为]\s*)?([a-z][a-z0-9_-]{5,19}|\+?\d{6,15})",
    )
    .expect("wechat regex")
});

fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{20000}'..='\u{2EBEF}')
}

/// The party an index entry belongs to.
trait PartyOf {
    fn party(&self) -> usize;
}

impl PartyOf for usize {
    fn party(&self) -> usize {
        *self
    }
}

impl PartyOf for (usize, Short) {
    fn party(&self) -> usize {
        self.0
    }
}

/// Adds `value` under `key` unless it is there already. Parties are indexed
/// in id order, so a party's entries are at the end of every list it is in
/// (a lead's later identifiers are checked against the party itself before
/// they get here): looking back over the entries of the value's own party is
/// enough, which keeps indexing linear however many people share a surname.
fn push<V: PartialEq + PartyOf>(map: &mut Map<Vec<V>>, key: String, value: V) {
    let list = map.entry(key).or_default();
    let party = value.party();
    if !list
        .iter()
        .rev()
        .take_while(|v| v.party() == party)
        .any(|v| *v == value)
    {
        list.push(value);
    }
}

/// Lowercase ASCII words of a Latin name, sorted and joined, so that
/// `Zhang San` and `San Zhang` meet.
fn latin_key(form: &str) -> (String, Vec<String>) {
    let mut tokens: Vec<String> = form
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect();
    let words = tokens.clone();
    tokens.sort();
    (tokens.concat(), words)
}

/// The first part of [`latin_key`] alone.
fn latin_key_only(form: &str) -> String {
    let mut tokens: Vec<&str> = form
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    tokens.sort_unstable();
    tokens.concat()
}

/// The index keys of one name, worked out apart from the index so that a
/// million names can be read in parallel and only inserted one by one.
#[derive(Debug, Default)]
struct NameKeys {
    /// Full Hanzi name (its length in characters).
    hanzi: Option<(String, usize)>,
    /// Given name of two or more characters.
    given: Option<String>,
    /// Romanized surnames, as English tokens.
    romanized: Vec<String>,
    surname: Option<String>,
    /// Latin full-name key.
    latin: Option<String>,
    /// English tokens of a Latin name.
    tokens: Vec<(String, Short)>,
}

/// Reads the keys of a name; `short_forms` also gives its surname, given
/// name and English tokens (leads get only their full name).
fn name_keys(name: &str, phrases: &Phrases, short_forms: bool) -> NameKeys {
    let mut out = NameKeys::default();
    let form = match_form(name);
    if form.chars().any(is_han) {
        let key: String = form.chars().filter(|c| is_han(*c)).collect();
        let chars: Vec<char> = key.chars().collect();
        if chars.len() < 2 {
            return out;
        }
        out.hanzi = Some((key, chars.len()));
        if !short_forms || chars.len() > 4 {
            return out;
        }
        let two: String = chars[..2].iter().collect();
        let surname_len = if chars.len() > 2 && phrases.exact(Table::Surnames, &two).is_some() {
            2
        } else {
            1
        };
        let surname: String = chars[..surname_len].iter().collect();
        let given: String = chars[surname_len..].iter().collect();
        if given.chars().count() >= 2 {
            out.given = Some(given);
        }
        if let Some(romanized) = phrases.exact(Table::Surnames, &surname) {
            out.romanized = romanized.split('|').map(str::to_string).collect();
        }
        out.surname = Some(surname);
    } else {
        let (key, words) = latin_key(&form);
        if key.is_empty() {
            return out;
        }
        out.latin = Some(key);
        if short_forms && words.len() > 1 {
            let surname_like = |w: &str| {
                phrases
                    .table(Table::Surnames)
                    .iter()
                    .any(|e| e.code.split('|').any(|r| r == w))
            };
            for w in words {
                let kind = if surname_like(&w) {
                    Short::Surname
                } else {
                    Short::Token
                };
                out.tokens.push((w, kind));
            }
        }
    }
    out
}

/// A known person's identifiers, normalized, and the keys of its names.
struct Prepared {
    party: Party,
    names: [NameKeys; 2],
}

/// Known people indexed per batch: each batch is read in parallel, then
/// inserted in order, so the index is the same as one built person by
/// person while the keys of only one batch are held at a time.
const BATCH: usize = 1 << 16;

impl Index {
    pub(super) fn new<T: super::KnownSource>(
        people: &[T],
        phrases: &Phrases,
        region: &str,
    ) -> Index {
        use rayon::prelude::*;
        let mut index = Index::default();
        for batch in people.chunks(BATCH) {
            let prepared: Vec<Prepared> = batch
                .par_iter()
                .filter_map(|p| p.known())
                .map(|p| Prepared {
                    party: Party {
                        person: PersonRef::Known(p.candidate_id.to_string()),
                        phones: p
                            .phones
                            .iter()
                            .flat_map(|n| normalize_phones(n, region).numbers)
                            .collect(),
                        emails: p
                            .emails
                            .iter()
                            .filter_map(|e| normalize_email(e).ok())
                            .collect(),
                        wechat: None,
                    },
                    names: [p.name, p.name_key].map(|n| name_keys(n, phrases, true)),
                })
                .collect();
            index.insert(prepared);
        }
        index.finish_tokens();
        index.rank_candidates();
        index
    }

    /// Inserts a batch of prepared people, in order: their identifiers and
    /// their names go to disjoint maps, filled side by side.
    fn insert(&mut self, prepared: Vec<Prepared>) {
        let first = self.first + self.parties.len();
        let (parties, names): (Vec<Party>, Vec<[NameKeys; 2]>) =
            prepared.into_iter().map(|p| (p.party, p.names)).unzip();
        let Index {
            parties: all,
            phones,
            emails,
            wechat,
            hanzi,
            max_hanzi,
            given,
            tokens,
            surnames,
            latin,
            ..
        } = self;
        rayon::join(
            || {
                for (i, party) in parties.into_iter().enumerate() {
                    let id = first + i;
                    for phone in &party.phones {
                        push(phones, phone.clone(), id);
                    }
                    for email in &party.emails {
                        push(emails, email.clone(), id);
                    }
                    if let Some(w) = &party.wechat {
                        push(wechat, w.clone(), id);
                    }
                    all.push(party);
                }
            },
            || {
                for (i, keys) in names.into_iter().enumerate() {
                    for keys in keys {
                        add_name_keys(
                            NameMaps {
                                hanzi,
                                max_hanzi,
                                given,
                                tokens,
                                surnames,
                                latin,
                            },
                            first + i,
                            keys,
                        );
                    }
                }
            },
        );
    }

    /// An empty index for the leads of one chat file, numbered after the
    /// parties of `known`.
    fn after(known: &Index) -> Index {
        Index {
            first: known.first + known.parties.len(),
            ..Index::default()
        }
    }

    fn finish_tokens(&mut self) {
        self.token_ids = std::mem::take(&mut self.tokens)
            .into_iter()
            .map(|(token, list)| {
                let surname = list.iter().any(|(_, k)| *k == Short::Surname);
                let mut ids: Vec<usize> = list.iter().map(|(id, _)| *id).collect();
                ids.sort_unstable();
                ids.dedup();
                (token, (surname, ids))
            })
            .collect();
    }

    /// Ranks the known parties by candidate id (equal ids, equal ranks).
    fn rank_candidates(&mut self) {
        use rayon::prelude::*;
        let id = |p: usize| match &self.parties[p].person {
            PersonRef::Known(id) => id.as_str(),
            PersonRef::Lead(_) => "",
        };
        let mut order: Vec<usize> = (0..self.parties.len()).collect();
        order.par_sort_unstable_by(|&a, &b| id(a).cmp(id(b)).then(a.cmp(&b)));
        let mut rank = vec![0u32; self.parties.len()];
        let mut ranked: Vec<usize> = Vec::new();
        for &p in &order {
            if ranked.last().is_none_or(|&q| id(q) != id(p)) {
                ranked.push(p);
            }
            rank[p] = (ranked.len() - 1) as u32;
        }
        self.rank = rank;
        self.ranked = ranked;
    }

    /// The rank of a candidate id among the known parties, if one has it.
    fn rank_of(&self, candidate_id: &str) -> Option<u32> {
        let id = |p: usize| match &self.parties[p].person {
            PersonRef::Known(id) => id.as_str(),
            PersonRef::Lead(_) => "",
        };
        self.ranked
            .binary_search_by(|&p| id(p).cmp(candidate_id))
            .ok()
            .map(|r| r as u32)
    }

    fn add(&mut self, party: Party) -> usize {
        let id = self.first + self.parties.len();
        for phone in &party.phones {
            push(&mut self.phones, phone.clone(), id);
        }
        for email in &party.emails {
            push(&mut self.emails, email.clone(), id);
        }
        if let Some(w) = &party.wechat {
            push(&mut self.wechat, w.clone(), id);
        }
        self.parties.push(party);
        id
    }

    fn add_keys(&mut self, id: usize, keys: NameKeys) {
        let maps = NameMaps {
            hanzi: &mut self.hanzi,
            max_hanzi: &mut self.max_hanzi,
            given: &mut self.given,
            tokens: &mut self.tokens,
            surnames: &mut self.surnames,
            latin: &mut self.latin,
        };
        add_name_keys(maps, id, keys);
    }

    fn party(&self, id: usize) -> &Party {
        &self.parties[id - self.first]
    }

    fn party_mut(&mut self, id: usize) -> &mut Party {
        let first = self.first;
        &mut self.parties[id - first]
    }
}

/// The maps of an [`Index`] that names are filed under.
struct NameMaps<'m> {
    hanzi: &'m mut Map<Vec<usize>>,
    max_hanzi: &'m mut usize,
    given: &'m mut Map<Vec<usize>>,
    tokens: &'m mut Map<Vec<(usize, Short)>>,
    surnames: &'m mut Map<Vec<usize>>,
    latin: &'m mut Map<Vec<usize>>,
}

/// Files the keys of one of party `id`'s names.
fn add_name_keys(maps: NameMaps, id: usize, keys: NameKeys) {
    if let Some((key, len)) = keys.hanzi {
        *maps.max_hanzi = (*maps.max_hanzi).max(len);
        push(maps.hanzi, key, id);
    }
    if let Some(given) = keys.given {
        push(maps.given, given, id);
    }
    for r in keys.romanized {
        push(maps.tokens, r, (id, Short::Surname));
    }
    if let Some(surname) = keys.surname {
        push(maps.surnames, surname, id);
    }
    if let Some(key) = keys.latin {
        push(maps.latin, key, id);
    }
    for (w, kind) in keys.tokens {
        push(maps.tokens, w, (id, kind));
    }
}

/// The known people's index, shared by every chat file of a run, and the
/// leads one file found: lists of both are joined on lookup, so a file
/// that finds a lead no longer copies the whole index.
#[derive(Debug)]
pub(super) struct People<'a> {
    known: &'a Index,
    leads: Index,
}

impl<'a> People<'a> {
    pub(super) fn new(known: &'a Index) -> People<'a> {
        People {
            known,
            leads: Index::after(known),
        }
    }

    pub(super) fn party(&self, id: usize) -> &Party {
        if id < self.leads.first {
            self.known.party(id)
        } else {
            self.leads.party(id)
        }
    }

    /// The parties listed under `key` in one of the maps, known first.
    fn ids(&self, map: Pick, key: &str) -> Option<Ids<'a>> {
        let known: Option<&'a Vec<usize>> = map(self.known).get(key);
        match (known, map(&self.leads).get(key)) {
            (Some(k), None) => Some(Cow::Borrowed(k.as_slice())),
            (None, Some(l)) => Some(Cow::Owned(l.clone())),
            (Some(k), Some(l)) => Some(Cow::Owned(k.iter().chain(l).copied().collect())),
            (None, None) => None,
        }
    }

    /// Adds a lead as a findable party; returns its party id.
    pub(super) fn add_lead(
        &mut self,
        party: Party,
        name: Option<&str>,
        phrases: &Phrases,
    ) -> usize {
        let id = self.leads.add(party);
        if let Some(name) = name {
            self.leads.add_keys(id, name_keys(name, phrases, false));
        }
        id
    }

    /// Adds identifiers to a lead seen again.
    pub(super) fn enrich(
        &mut self,
        id: usize,
        phones: &[String],
        emails: &[String],
        wechat: Option<&str>,
    ) {
        let leads = &mut self.leads;
        for phone in phones {
            if !leads.party(id).phones.contains(phone) {
                leads.party_mut(id).phones.push(phone.clone());
                push(&mut leads.phones, phone.clone(), id);
            }
        }
        for email in emails {
            if !leads.party(id).emails.contains(email) {
                leads.party_mut(id).emails.push(email.clone());
                push(&mut leads.emails, email.clone(), id);
            }
        }
        if let Some(w) = wechat
            && leads.party(id).wechat.is_none()
        {
            leads.party_mut(id).wechat = Some(w.to_string());
            push(&mut leads.wechat, w.to_string(), id);
        }
    }

    /// Parties owning a phone, email or WeChat id.
    pub(super) fn owners(&self, found: &Found<'_>) -> Vec<usize> {
        let (map, key): (Pick, _) = match found {
            Found::Phone(k) => (|i| &i.phones, k),
            Found::Email(k) => (|i| &i.emails, k),
            Found::Wechat(k) => (|i| &i.wechat, k),
            Found::Name(_) | Found::Short(..) => return Vec::new(),
        };
        self.ids(map, key).map(Cow::into_owned).unwrap_or_default()
    }

    /// The distinct candidates among `ids`, sorted by id: the first `named`
    /// and how many more. A lead counts as `lead:<n>`.
    pub(super) fn candidates(&self, ids: &[usize], named: usize) -> (Vec<String>, usize) {
        let known_end = self.leads.first;
        let mut ranks: Vec<u32> = ids
            .iter()
            .filter(|&&p| p < known_end)
            .map(|&p| self.known.rank[p])
            .collect();
        ranks.sort_unstable();
        ranks.dedup();
        let mut leads: Vec<String> = ids
            .iter()
            .filter(|&&p| p >= known_end)
            .map(|&p| match &self.leads.party(p).person {
                PersonRef::Known(id) => id.clone(),
                PersonRef::Lead(i) => format!("lead:{i}"),
            })
            .collect();
        leads.sort();
        leads.dedup();
        // A lead's label that is also a known candidate's id is one candidate.
        leads.retain(|l| {
            self.known
                .rank_of(l)
                .is_none_or(|r| ranks.binary_search(&r).is_err())
        });
        let total = ranks.len() + leads.len();
        let known_id = |r: u32| match &self.known.party(self.known.ranked[r as usize]).person {
            PersonRef::Known(id) => id.as_str(),
            PersonRef::Lead(_) => "",
        };
        let mut out: Vec<String> = Vec::with_capacity(named.min(total));
        let (mut k, mut l) = (0, 0);
        while out.len() < named && (k < ranks.len() || l < leads.len()) {
            let take_known = match (ranks.get(k), leads.get(l)) {
                (Some(&r), Some(lead)) => known_id(r) <= lead.as_str(),
                (Some(_), None) => true,
                _ => false,
            };
            if take_known {
                out.push(known_id(ranks[k]).to_string());
                k += 1;
            } else {
                out.push(leads[l].clone());
                l += 1;
            }
        }
        let more = total - out.len();
        (out, more)
    }

    /// Finds identifiers, full names and short forms in a matching-form
    /// clause. Identifiers first, then full names (longest first), then short
    /// forms outside both; a short form contained in a staff member's name
    /// (`王总` when 王总 is posting in the chat) is not a candidate.
    pub(super) fn scan(
        &self,
        form: &str,
        phrases: &Phrases,
        region: &str,
        staff: &[String],
    ) -> Vec<Spot<'a>> {
        let mut spots: Vec<Spot<'a>> = identifiers(form, region);
        let free =
            |spots: &[Spot], s: usize, e: usize| spots.iter().all(|p| e <= p.start || s >= p.end);
        let starts: Vec<usize> = form
            .char_indices()
            .map(|(i, _)| i)
            .chain([form.len()])
            .collect();
        let max_hanzi = self.known.max_hanzi.max(self.leads.max_hanzi);
        // Per character: how many Hanzi run from it. Hanzi names, surnames
        // and given names are indexed by their Hanzi alone, so no text with
        // another character in it is looked up.
        let mut han_run = vec![0usize; starts.len()];
        for (k, c) in (0..starts.len() - 1).rev().zip(form.chars().rev()) {
            han_run[k] = if is_han(c) { han_run[k + 1] + 1 } else { 0 };
        }
        // Hanzi full names.
        let mut i = 0;
        while i + 1 < starts.len() {
            let mut taken = None;
            for len in (2..=max_hanzi.min(han_run[i])).rev() {
                let Some(&end) = starts.get(i + len) else {
                    continue;
                };
                let (s, e) = (starts[i], end);
                if free(&spots, s, e)
                    && let Some(ids) = self.ids(|i| &i.hanzi, &form[s..e])
                {
                    taken = Some((
                        len,
                        Spot {
                            start: s,
                            end: e,
                            text: form[s..e].to_string(),
                            found: Found::Name(ids),
                        },
                    ));
                    break;
                }
            }
            match taken {
                Some((len, spot)) => {
                    spots.push(spot);
                    i += len;
                }
                None => i += 1,
            }
        }
        // Latin full names: up to three consecutive words, any order.
        let words: Vec<(usize, usize)> = ascii_words(form);
        let mut w = 0;
        while w < words.len() {
            let mut taken = None;
            for n in (1..=3.min(words.len() - w)).rev() {
                let group = &words[w..w + n];
                let joined_by_space = group.windows(2).all(|p| {
                    form[p[0].1..p[1].0]
                        .chars()
                        .all(|c| matches!(c, ' ' | '-' | '_' | '.'))
                });
                if !joined_by_space {
                    continue;
                }
                let (s, e) = (group[0].0, group[n - 1].1);
                let key = latin_key_only(&form[s..e]);
                if free(&spots, s, e)
                    && let Some(ids) = self.ids(|i| &i.latin, &key)
                {
                    taken = Some((
                        n,
                        Spot {
                            start: s,
                            end: e,
                            text: form[s..e].to_string(),
                            found: Found::Name(ids),
                        },
                    ));
                    break;
                }
            }
            match taken {
                Some((n, spot)) => {
                    spots.push(spot);
                    w += n;
                }
                None => w += 1,
            }
        }
        let staff_word = |text: &str| staff.iter().any(|s| s.contains(text));
        // Hanzi short forms and given names.
        let mut i = 0;
        while i + 1 < starts.len() {
            let s = starts[i];
            if let Some(word) = phrases.at(Table::ShortForms, form, s)
                && word.entry.code == "none"
            {
                i = starts
                    .iter()
                    .position(|&p| p == word.end)
                    .unwrap_or(starts.len());
                continue;
            }
            let found = self
                .hanzi_short(form, s, phrases)
                .or_else(|| self.given_at(form, s, &starts[i..], han_run[i]));
            match found {
                Some((e, kind, ids)) if free(&spots, s, e) && !staff_word(&form[s..e]) => {
                    spots.push(Spot {
                        start: s,
                        end: e,
                        text: form[s..e].to_string(),
                        found: Found::Short(kind, Cow::Borrowed(ids)),
                    });
                    i = starts.iter().position(|&p| p == e).unwrap_or(starts.len());
                }
                _ => i += 1,
            }
        }
        // English short forms: `Mr Zhang`, or a bare name token of 4+ letters.
        for (k, &(s, e)) in words.iter().enumerate() {
            if !free(&spots, s, e) || staff_word(&form[s..e]) {
                continue;
            }
            let Some((surname, ids)) = self.known.token_ids.get(&form[s..e]) else {
                continue;
            };
            let title = k > 0 && {
                let (ps, pe) = words[k - 1];
                let between = &form[pe..s];
                between.chars().all(|c| c == ' ' || c == '.')
                    && phrases.exact(Table::ShortForms, &form[ps..pe]) == Some("prefix")
            };
            if !title && e - s < 4 {
                continue;
            }
            let start = if title { words[k - 1].0 } else { s };
            // A romanized surname is reported when it cannot be resolved; a
            // bare given-name token may be an ordinary word and is not.
            let kind = if title || *surname {
                Short::Surname
            } else {
                Short::Token
            };
            spots.push(Spot {
                start,
                end: e,
                text: form[start..e].to_string(),
                found: Found::Short(kind, Cow::Borrowed(ids)),
            });
        }
        spots.sort_by_key(|s| (s.start, s.end));
        spots
    }

    /// `小张`/`老张` (prefix + surname) or `张总`/`张工` (surname + suffix) at `s`.
    /// Short forms are indexed for known people only.
    fn hanzi_short(
        &self,
        form: &str,
        s: usize,
        phrases: &Phrases,
    ) -> Option<(usize, Short, &'a [usize])> {
        let surnames = &self.known.surnames;
        let surname_at = |pos: usize| -> Option<(usize, &'a [usize])> {
            let rest = form.get(pos..)?;
            let mut chars = rest.char_indices();
            let one = chars.next().map(|(_, c)| pos + c.len_utf8())?;
            let two = chars.next().map(|(i, c)| pos + i + c.len_utf8());
            two.and_then(|e| surnames.get(&form[pos..e]).map(|ids| (e, ids.as_slice())))
                .or_else(|| {
                    surnames
                        .get(&form[pos..one])
                        .map(|ids| (one, ids.as_slice()))
                })
        };
        if let Some(hit) = phrases.at(Table::ShortForms, form, s)
            && hit.entry.code == "prefix"
            && hit.entry.needle.chars().all(is_han)
            && let Some((e, ids)) = surname_at(hit.end)
        {
            return Some((e, Short::Surname, ids));
        }
        let (e, ids) = surname_at(s)?;
        let suffix = phrases.at(Table::ShortForms, form, e)?;
        (suffix.entry.code == "suffix").then_some((suffix.end, Short::Surname, ids))
    }

    /// A given name of two or three characters starting at `starts[0]`,
    /// where `han` Hanzi start.
    fn given_at(
        &self,
        form: &str,
        s: usize,
        starts: &[usize],
        han: usize,
    ) -> Option<(usize, Short, &'a [usize])> {
        let given = &self.known.given;
        (2..=han.min(3)).rev().find_map(|len| {
            let e = *starts.get(len)?;
            given
                .get(&form[s..e])
                .map(|ids| (e, Short::Given, ids.as_slice()))
        })
    }
}

/// Byte ranges of ASCII letter runs.
fn ascii_words(form: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in form.char_indices() {
        match (c.is_ascii_alphabetic(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, form.len()));
    }
    out
}

/// Phones, emails and WeChat ids in a matching-form text, each validated by
/// the cell rules.
pub(super) fn identifiers(form: &str, region: &str) -> Vec<Spot<'static>> {
    let mut spots: Vec<Spot<'static>> = Vec::new();
    let digit_next = |i: usize| form[i..].starts_with(|c: char| c.is_ascii_digit());
    let digit_before = |i: usize| form[..i].ends_with(|c: char| c.is_ascii_digit());
    let wechat = WECHAT
        .is_match(form)
        .then(|| WECHAT.captures_iter(form))
        .into_iter()
        .flatten();
    for c in wechat {
        let (m, id) = (c.get(0).expect("whole match"), c.get(1).expect("id"));
        let continues = form[id.end()..]
            .starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if continues {
            continue;
        }
        spots.push(Spot {
            start: m.start(),
            end: m.end(),
            text: m.as_str().to_string(),
            found: Found::Wechat(id.as_str().to_string()),
        });
    }
    for m in EMAIL.find_iter(form) {
        if let Ok(email) = normalize_email(m.as_str()) {
            spots.push(Spot {
                start: m.start(),
                end: m.end(),
                text: m.as_str().to_string(),
                found: Found::Email(email),
            });
        }
    }
    for m in PHONE.find_iter(form) {
        if digit_before(m.start()) || digit_next(m.end()) {
            continue;
        }
        let inside_email = spots.iter().any(|s| {
            matches!(s.found, Found::Email(_)) && s.start <= m.start() && m.end() <= s.end
        });
        if inside_email {
            continue;
        }
        if let Some(number) = normalize_phones(m.as_str(), region)
            .numbers
            .into_iter()
            .next()
        {
            spots.push(Spot {
                start: m.start(),
                end: m.end(),
                text: m.as_str().to_string(),
                found: Found::Phone(number),
            });
        }
    }
    spots.sort_by_key(|s| (s.start, s.end));
    spots
}

/// Words that label an identifier rather than name a person.
const LABELS: &[&str] = &[
    "手机号",
    "手机",
    "电话",
    "联系方式",
    "微信号",
    "微信",
    "邮箱",
    "号码",
];

/// A name written next to a chat-only person's contact details: after a
/// `lead_cues` phrase (`朋友徐子航`) or right before the first identifier
/// (`徐子航 139…`). Only two- or three-character names starting with a
/// surname from the `surnames` table are accepted.
pub(super) fn lead_name(
    form: &str,
    first_identifier: Option<usize>,
    phrases: &Phrases,
) -> Option<String> {
    let is_surname = |s: &str| phrases.exact(Table::Surnames, s).is_some();
    let plausible = |cand: &[char]| {
        let two: String = cand.iter().take(2).collect();
        let one: String = cand.iter().take(1).collect();
        (2..=3).contains(&cand.len()) && (is_surname(&one) || is_surname(&two))
    };
    for hit in phrases.scan(Table::LeadCues, form) {
        let run: Vec<char> = form[hit.end..]
            .trim_start()
            .chars()
            .take_while(|c| is_han(*c))
            .collect();
        if let Some(name) = name_at_start(&run, &plausible) {
            return Some(name);
        }
    }
    let mut before = form
        .get(..first_identifier?)?
        .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ':' | ','));
    for label in LABELS {
        if let Some(rest) = before.strip_suffix(label) {
            before =
                rest.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ':' | ',' | '的'));
            break;
        }
    }
    let run: Vec<char> = before.chars().rev().take_while(|c| is_han(*c)).collect();
    for len in [3, 2] {
        if run.len() >= len {
            let cand: Vec<char> = run[..len].iter().rev().copied().collect();
            if plausible(&cand) {
                return Some(cand.into_iter().collect());
            }
        }
    }
    None
}

/// Characters that end a name read from running text (`王刚的电话`).
const AFTER_NAME: &str = "的是在说做想也和跟要来去今明电手微邮先已";

/// The name at the start of a run of Hanzi: three characters unless the
/// third one already belongs to the next word, else two.
fn name_at_start(run: &[char], plausible: &dyn Fn(&[char]) -> bool) -> Option<String> {
    if run.len() >= 3 && !AFTER_NAME.contains(run[2]) && plausible(&run[..3]) {
        return Some(run[..3].iter().collect());
    }
    (run.len() >= 2 && plausible(&run[..2])).then(|| run[..2].iter().collect())
}

#[cfg(test)]
mod fast_path_tests {
    use super::*;
    use crate::chat::extract::KnownPerson;

    const CHARS: &str = "[张王李欧阳司马小明华思琪張偉陳a-zA-Z0-9０-９Ａ-Ｚ .,·・\\-_()（）@]{0,8}";

    proptest::proptest! {
        /// The Latin key without the word list is the key with it.
        #[test]
        fn latin_key_only_is_the_latin_key(form in CHARS) {
            proptest::prop_assert_eq!(latin_key_only(&form), latin_key(&form).0);
        }

        /// The scan looks up only Hanzi runs: every Hanzi name, given name
        /// and surname key is made of Hanzi alone, whatever the names hold.
        #[test]
        fn hanzi_keys_hold_only_hanzi(names in proptest::collection::vec(CHARS, 1..6)) {
            let people: Vec<KnownPerson> = names
                .iter()
                .enumerate()
                .map(|(i, n)| KnownPerson {
                    candidate_id: format!("C{i}"),
                    name: n.clone(),
                    name_key: match_form(n),
                    phones: Vec::new(),
                    emails: Vec::new(),
                })
                .collect();
            let index = Index::new(&people, Phrases::builtin(), "CN");
            for map in [&index.hanzi, &index.given, &index.surnames] {
                for key in map.keys() {
                    proptest::prop_assert!(key.chars().all(is_han), "key {key:?}");
                }
            }
        }

        /// Identifiers are the same whether or not the WeChat search is
        /// ruled out first.
        #[test]
        fn wechat_ids_agree_with_the_full_search(
            text in "(微信号?|wechat|wx|vx|weixin)?(号|id)?[:是为 ]{0,2}[a-z0-9_+-]{0,22}[ ，,]{0,2}"
        ) {
            // Full-search matches whose id is not continued by more id
            // characters, in order.
            let kept: Vec<(usize, usize)> = WECHAT
                .captures_iter(&text)
                .filter(|c| {
                    !text[c.get(1).unwrap().end()..]
                        .starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                })
                .map(|c| (c.get(0).unwrap().start(), c.get(0).unwrap().end()))
                .collect();
            let found: Vec<(usize, usize)> = identifiers(&text, "CN")
                .iter()
                .filter(|s| matches!(s.found, Found::Wechat(_)))
                .map(|s| (s.start, s.end))
                .collect();
            proptest::prop_assert_eq!(found, kept);
        }
    }
}
