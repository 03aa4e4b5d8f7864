//! Matching keys: everything a record is compared and blocked on, computed
//! once per record.
//!
//! - Names: a Hanzi name's simplified key and its pinyin spellings (see
//!   [`names`](super::names)); a Latin name's written-order key (`name_key`,
//!   `zhangsan` for `ZHANG San`) and sorted-token key (`name_latin`,
//!   `sanzhang`). Two records "share a name key" when these sets meet.
//! - Phones as the digits of their E.164 form (masked numbers are never in
//!   `phones`); e-mails lowercased, plus their local part; id numbers
//!   uppercased; WeChat ids lowercased.
//! - City, address, school and company in matching form (NFKC, simplified,
//!   lowercase, without spaces; companies also without legal-form suffixes
//!   such as 有限公司 or Co., Ltd.).
//!
//! [`RecordKeys`] holds the full keys; [`Sketch`](super::sketch::Sketch) is
//! their fixed-size hashed copy for the comparison loop. [`build_all`] computes the keys of many records in parallel and works
//! out each distinct name and city only once.

use std::borrow::Cow;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;

use super::names::{
    family_spellings, hanzi_latin_keys, is_han, is_name_dot, latin_keys_of_form,
    single_token_orders, western_family,
};
use crate::model::PersonRecord;
use crate::rules::match_form;

/// Shortest e-mail local part used as a key of its own; shorter ones
/// (`hr`, `cv`) say nothing about a person.
pub const MIN_LOCAL_PART: usize = 3;

/// A stable 64-bit hash (FNV-1a with a final mix), never 0 (0 marks an
/// absent value in a [`Sketch`](super::sketch::Sketch)).
pub fn hash_str(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in s.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    mix(h).max(1)
}

/// SplitMix64 finalizer: spreads the bits of a 64-bit value.
pub fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The keys of one name; records with the same name share one copy.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NameKeys {
    /// Simplified Hanzi key, for names written in Hanzi.
    pub hanzi: Option<String>,
    /// True when the name is written in Latin (or another non-Han) script.
    pub is_latin: bool,
    /// Latin name in written order (`zhangsan` for `ZHANG San`).
    pub latin_written: Option<String>,
    /// Latin name with sorted tokens (`sanzhang`).
    pub latin_sorted: Option<String>,
    /// Every Latin key of the name with its hash, sorted by hash.
    pub latin: Vec<(u64, String)>,
    /// Up to two Latin forms compared with Jaro-Winkler: written and sorted
    /// order for Latin names, both orders of the primary spelling for Hanzi.
    pub fuzzy: Vec<String>,
    /// For a Latin name made of a Western given name and a family name
    /// (`Cindy Li`): the family name.
    pub western_family: Option<String>,
    /// The family names this name can have (see
    /// [`family_spellings`](super::names::family_spellings)); empty for a
    /// name with a Western given name.
    pub family: Vec<String>,
}

/// What a name's keys are computed from.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct NameInput<'a> {
    key: Cow<'a, str>,
    latin: Option<&'a str>,
    /// The display name, when it holds a dot that the key has lost.
    dotted: Option<&'a str>,
    /// The display name of a Latin name, for its words.
    words: Option<&'a str>,
}

fn name_input(r: &PersonRecord) -> Option<NameInput<'_>> {
    let key: Cow<str> = match r.name_key.as_deref().filter(|k| !k.is_empty()) {
        Some(k) => Cow::Borrowed(k),
        None => Cow::Owned(fallback_name_key(r.name.as_deref()?)),
    };
    if key.is_empty() {
        return None;
    }
    Some(NameInput {
        key,
        latin: r.name_latin.as_deref(),
        dotted: r.name.as_deref().filter(|n| n.chars().any(is_name_dot)),
        words: r.name.as_deref().filter(|n| !n.chars().any(is_han)),
    })
}

impl NameKeys {
    fn of(input: &NameInput) -> NameKeys {
        let key = input.key.to_string();
        let mut k = NameKeys::default();
        if key.chars().any(is_han) {
            let keys = match input.dotted {
                Some(display) => hanzi_latin_keys(display),
                None => latin_keys_of_form(&key),
            };
            k.fuzzy = keys.iter().take(2).cloned().collect();
            k.latin = keys.into_iter().map(|s| (hash_str(&s), s)).collect();
            k.family = family_spellings(Some(&key), &[]);
            k.hanzi = Some(key);
        } else {
            let written = key.replace('ü', "v");
            let sorted = input
                .latin
                .map(|s| s.to_lowercase().replace('ü', "v"))
                .unwrap_or_else(|| written.clone());
            k.is_latin = true;
            k.fuzzy = vec![written.clone()];
            if sorted != written {
                k.fuzzy.push(sorted.clone());
            }
            k.latin = k.fuzzy.iter().map(|s| (hash_str(s), s.clone())).collect();
            let lower = input.words.unwrap_or(&key).to_lowercase().replace('ü', "v");
            let words: Vec<&str> = lower
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            if let [one] = words.as_slice() {
                for other in single_token_orders(one) {
                    k.latin.push((hash_str(&other), other));
                }
            }
            k.western_family = western_family(&words);
            if k.western_family.is_none() {
                k.family = family_spellings(None, &words);
            }
            k.latin_written = Some(written);
            k.latin_sorted = Some(sorted);
        }
        k.latin.sort();
        k.latin.dedup();
        k
    }
}

/// Everything about one record that comparison and blocking look at.
///
/// Lists are boxed slices and texts boxed strings: the keys are built once
/// and never grown, and a million records' keys are resident for the whole
/// of resolution, where the room a `Vec` or `String` keeps for growing
/// (their capacity word) is a tenth of the keys' size.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RecordKeys {
    /// The name's keys, shared by every record with the same name.
    pub name: Option<Arc<NameKeys>>,
    /// Phone numbers as the digits of E.164, sorted, deduplicated.
    pub phones: Box<[u64]>,
    /// Lowercase e-mail addresses, sorted, deduplicated.
    pub emails: Box<[Box<str>]>,
    /// Local parts of the e-mails (at least [`MIN_LOCAL_PART`] long), sorted.
    pub locals: Box<[Box<str>]>,
    /// Id number, uppercase.
    pub id_number: Option<Box<str>>,
    /// WeChat id, lowercase.
    pub wechat: Option<Box<str>>,
    /// Birth date.
    pub birth: Option<NaiveDate>,
    /// Gender code.
    pub gender: Option<&'static str>,
    /// City in matching form, without a trailing 市. City, school and
    /// company repeat across records and share one allocation per value.
    pub city: Option<Arc<str>>,
    /// Address in matching form, without spaces.
    pub address: Option<Box<str>>,
    /// School in matching form, letters and digits only.
    pub school: Option<Arc<str>>,
    /// Company in matching form without legal-form suffixes.
    pub company: Option<Arc<str>>,
    /// `(position key hash, day number)` of the record's applications,
    /// sorted.
    pub applied: Box<[(u64, i32)]>,
}

impl RecordKeys {
    /// Computes the keys of one record.
    pub fn from_record(r: &PersonRecord) -> RecordKeys {
        let name = name_input(r).map(|i| Arc::new(NameKeys::of(&i)));
        let forms = Forms {
            city: r.city.as_deref().map(|c| Arc::from(city_form(c))),
            school: r.school.as_deref().map(|c| Arc::from(alnum(c))),
            company: r
                .current_company
                .as_deref()
                .map(|c| Arc::from(company_form(c))),
        };
        RecordKeys::with(r, name, forms)
    }

    fn with(r: &PersonRecord, name: Option<Arc<NameKeys>>, forms: Forms) -> RecordKeys {
        // The lists are sized by their inputs (collected through a filter
        // they would keep room for four values), so that boxing them below
        // moves no values unless a filter or `dedup` dropped some.
        let mut phones: Vec<u64> = Vec::with_capacity(r.phones.len());
        phones.extend(r.phones.iter().filter_map(|p| phone_digits(p)));
        phones.sort_unstable();
        phones.dedup();
        let mut emails: Vec<Box<str>> = Vec::with_capacity(r.emails.len());
        emails.extend(
            r.emails
                .iter()
                .map(|e| e.trim().to_lowercase())
                .filter(|e| !e.is_empty())
                .map(String::into_boxed_str),
        );
        emails.sort();
        emails.dedup();
        let mut locals: Vec<Box<str>> = Vec::with_capacity(emails.len());
        locals.extend(
            emails
                .iter()
                .filter_map(|e| e.split_once('@').map(|(l, _)| l))
                .filter(|l| l.chars().count() >= MIN_LOCAL_PART)
                .map(Box::from),
        );
        locals.sort();
        locals.dedup();
        let mut applied: Vec<(u64, i32)> = r
            .applied
            .iter()
            .map(|(p, d)| (hash_str(p), d.num_days_from_ce()))
            .collect();
        applied.sort_unstable();
        applied.dedup();
        RecordKeys {
            name,
            phones: phones.into_boxed_slice(),
            emails: emails.into_boxed_slice(),
            locals: locals.into_boxed_slice(),
            id_number: non_empty(r.id_number.as_deref().map(|s| s.trim().to_uppercase())),
            wechat: non_empty(r.wechat.as_deref().map(|s| s.trim().to_lowercase())),
            birth: r.birth_date,
            gender: r.gender,
            city: forms.city.filter(|s| !s.is_empty()),
            address: non_empty(r.details().address.as_deref().map(compact)),
            school: forms.school.filter(|s| !s.is_empty()),
            company: forms.company.filter(|s| !s.is_empty()),
            applied: applied.into_boxed_slice(),
        }
    }

    /// True when the record has a usable name.
    pub fn has_name(&self) -> bool {
        self.name.is_some()
    }
}

/// The keys of many records, in parallel; each distinct name and city is
/// worked out once (a million records hold far fewer distinct names, and
/// romanizing is the costly part).
///
/// Equal names are found by sorting `(hash, record)` pairs and comparing
/// the inputs within a run of equal hashes, so a collision splits a run
/// instead of merging two names, and no string is sorted or hashed twice
/// (sorting a million names as strings was most of this step).
pub fn build_all(records: &[&PersonRecord]) -> Vec<RecordKeys> {
    let n = records.len();
    let inputs: Vec<Option<NameInput>> = records.par_iter().map(|r| name_input(r)).collect();
    let mut by_hash: Vec<(u64, u32)> = inputs
        .par_iter()
        .enumerate()
        .filter_map(|(i, x)| x.as_ref().map(|x| (input_hash(x), i as u32)))
        .collect();
    by_hash.par_sort_unstable();
    // For every record with a name: the slot of its distinct name.
    let mut slot: Vec<u32> = vec![u32::MAX; n];
    let mut firsts: Vec<u32> = Vec::new();
    let mut start = 0;
    while start < by_hash.len() {
        let h = by_hash[start].0;
        let mut end = start + 1;
        while end < by_hash.len() && by_hash[end].0 == h {
            end += 1;
        }
        let mut run_slots: Vec<u32> = Vec::new();
        for &(_, i) in &by_hash[start..end] {
            let x = &inputs[i as usize];
            let same = run_slots
                .iter()
                .find(|&&s| inputs[firsts[s as usize] as usize] == *x);
            slot[i as usize] = match same {
                Some(&s) => s,
                None => {
                    let s = firsts.len() as u32;
                    firsts.push(i);
                    run_slots.push(s);
                    s
                }
            };
        }
        start = end;
    }
    drop(by_hash);
    let computed: Vec<Arc<NameKeys>> = firsts
        .par_iter()
        .map(|&i| {
            Arc::new(NameKeys::of(
                inputs[i as usize].as_ref().expect("has a name"),
            ))
        })
        .collect();
    let ((cities, schools), companies) = rayon::join(
        || {
            rayon::join(
                || distinct_forms(records.iter().filter_map(|r| r.city.as_deref()), city_form),
                || distinct_forms(records.iter().filter_map(|r| r.school.as_deref()), alnum),
            )
        },
        || {
            distinct_forms(
                records.iter().filter_map(|r| r.current_company.as_deref()),
                company_form,
            )
        },
    );
    records
        .par_iter()
        .zip(&inputs)
        .zip(&slot)
        .map(|((r, input), &s)| {
            let name = input.as_ref().map(|_| Arc::clone(&computed[s as usize]));
            let forms = Forms {
                city: r.city.as_deref().map(|c| cities[c].clone()),
                school: r.school.as_deref().map(|c| schools[c].clone()),
                company: r.current_company.as_deref().map(|c| companies[c].clone()),
            };
            RecordKeys::with(r, name, forms)
        })
        .collect()
}

/// Matching forms of the fields whose values repeat across records.
struct Forms {
    city: Option<Arc<str>>,
    school: Option<Arc<str>>,
    company: Option<Arc<str>>,
}

/// `form` of every distinct value, each worked out once, in parallel:
/// cities, schools and employers repeat across a million records, and the
/// matching form (NFKC, simplified, lowercase) is the costly part.
fn distinct_forms<'a>(
    values: impl Iterator<Item = &'a str>,
    form: fn(&str) -> String,
) -> foldhash::HashMap<&'a str, Arc<str>> {
    let distinct: foldhash::HashSet<&str> = values.collect();
    let distinct: Vec<&str> = distinct.into_iter().collect();
    distinct
        .par_iter()
        .map(|v| (*v, Arc::from(form(v))))
        .collect()
}

/// A hash of everything a name's keys are computed from.
fn input_hash(x: &NameInput) -> u64 {
    let part = |s: Option<&str>| s.map_or(0, hash_str);
    mix(hash_str(&x.key)
        ^ part(x.latin).rotate_left(21)
        ^ part(x.dotted).rotate_left(42)
        ^ part(x.words).rotate_left(11))
}

fn non_empty(s: Option<String>) -> Option<Box<str>> {
    s.filter(|s| !s.is_empty()).map(String::into_boxed_str)
}

/// Name key for a record that has a display name but no `name_key`.
fn fallback_name_key(name: &str) -> String {
    match_form(name)
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '.' | '·' | '\''))
        .collect()
}

/// The digits of an E.164 number as an integer (`+8613800138000` →
/// 8613800138000); `None` for anything that is not 1–18 digits after `+`.
pub fn phone_digits(e164: &str) -> Option<u64> {
    let digits = e164.trim().trim_start_matches('+');
    if digits.is_empty() || digits.len() > 18 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|d| *d > 0)
}

/// City in matching form without a trailing 市 (`杭州市` → `杭州`).
fn city_form(c: &str) -> String {
    let f = compact(c);
    f.strip_suffix('市').map(str::to_string).unwrap_or(f)
}

/// Matching form without whitespace.
fn compact(s: &str) -> String {
    match_form(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Matching form, letters and digits only (brackets, dots, dashes dropped).
fn alnum(s: &str) -> String {
    match_form(s)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Legal-form and group suffixes that do not tell two employers apart,
/// longest first, in `alnum` form.
const COMPANY_SUFFIXES: &[&str] = &[
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "集团公司",
    "分公司",
    "集团",
    "公司",
    "corporation",
    "colimited",
    "limited",
    "coltd",
    "group",
    "corp",
    "ltd",
    "inc",
];

/// A company name in matching form with legal-form suffixes removed
/// (`杭州星河数据科技有限公司` → `杭州星河数据科技`, `Acme Co., Ltd.` → `acme`);
/// a suffix is never stripped down to nothing.
pub fn company_form(s: &str) -> String {
    let mut f = alnum(s);
    loop {
        let before = f.len();
        for suffix in COMPANY_SUFFIXES {
            if f.len() > suffix.len()
                && let Some(stripped) = f.strip_suffix(suffix)
            {
                f.truncate(stripped.len());
                break;
            }
        }
        if f.len() == before {
            return f;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_keys_for_latin_and_hanzi() {
        let latin = RecordKeys::from_record(&PersonRecord {
            name: Some("Zhang San".into()),
            name_key: Some("zhangsan".into()),
            name_latin: Some("sanzhang".into()),
            phones: vec!["+8613800138000".into(), "+8613800138000".into()],
            emails: vec!["ZhangSan@QQ.com".into(), "hr@x.cn".into()],
            city: Some("杭州市".into()),
            current_company: Some("杭州星河数据科技有限公司".into()),
            ..Default::default()
        });
        let ln = latin.name.as_deref().expect("a name");
        assert!(ln.is_latin);
        assert_eq!(ln.fuzzy, vec!["zhangsan", "sanzhang"]);
        assert_eq!(&*latin.phones, [8613800138000]);
        let texts = |v: &[Box<str>]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(texts(&latin.emails), ["hr@x.cn", "zhangsan@qq.com"]);
        assert_eq!(texts(&latin.locals), ["zhangsan"]);
        assert_eq!(latin.city.as_deref(), Some("杭州"));
        assert_eq!(latin.company.as_deref(), Some("杭州星河数据科技"));
        let hanzi = RecordKeys::from_record(&PersonRecord {
            name: Some("張三".into()),
            name_key: Some("张三".into()),
            ..Default::default()
        });
        let hn = hanzi.name.as_deref().expect("a name");
        assert_eq!(hn.hanzi.as_deref(), Some("张三"));
        let shared = ln.latin.iter().filter(|k| hn.latin.contains(k)).count();
        assert_eq!(shared, 2);
    }

    #[test]
    fn build_all_equals_one_by_one() {
        let records: Vec<PersonRecord> = ["张三", "张三", "Zhang San", "阿卜杜拉·艾尼", "Cindy Li"]
            .iter()
            .enumerate()
            .map(|(i, n)| PersonRecord {
                name: Some((*n).into()),
                city: Some("杭州市".into()),
                school: (i % 2 == 0).then(|| "浙江大学（玉泉校区）".into()),
                current_company: Some(["阿里巴巴集团", "Alibaba Co., Ltd."][i % 2].into()),
                ..Default::default()
            })
            .collect();
        let refs: Vec<&PersonRecord> = records.iter().collect();
        let all = build_all(&refs);
        let one: Vec<RecordKeys> = records.iter().map(RecordKeys::from_record).collect();
        assert_eq!(all, one);
        // Records with the same name share one copy of its keys.
        assert!(Arc::ptr_eq(
            all[0].name.as_ref().unwrap(),
            all[1].name.as_ref().unwrap()
        ));
    }

    #[test]
    fn dotted_names_split_at_the_dot() {
        let k = RecordKeys::from_record(&PersonRecord {
            name: Some("阿卜杜拉·艾尼".into()),
            name_key: Some("阿卜杜拉艾尼".into()),
            ..Default::default()
        });
        let n = k.name.as_deref().expect("a name");
        // 卜 reads bo first in the dictionary (萝卜), bu as a surname.
        assert_eq!(n.fuzzy, vec!["abodulaaini", "ainiabodula"]);
        assert!(n.latin.iter().any(|(_, s)| s == "abudulaaini"));
    }

    #[test]
    fn company_suffixes_and_phone_digits() {
        assert_eq!(company_form("Acme Co., Ltd."), "acme");
        assert_eq!(company_form("阿里巴巴集团"), "阿里巴巴");
        assert_eq!(company_form("有限公司"), "有限");
        assert_eq!(phone_digits("+86 138"), None);
        assert_eq!(phone_digits("+8613800138000"), Some(8613800138000));
        assert_ne!(hash_str(""), 0);
    }
}
