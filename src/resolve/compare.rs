//! Field-by-field comparison of two records' keys into graded levels.
//!
//! Every field compares to one of four levels: [`Level::Exact`],
//! [`Level::Close`] (a weaker agreement: a romanization or a typo of the same
//! name, the same e-mail user on another domain, the same birth year),
//! [`Level::Different`] and [`Level::Missing`] (either side has no value, so
//! the field says nothing). Comparison works on the precomputed
//! [`Sketch`] of each record and reaches for the full [`RecordKeys`] only
//! for fuzzy checks; apart from the Jaro-Winkler fallback on Latin names it
//! does not allocate.

use serde::Deserialize;

use super::keys::{NameKeys, RecordKeys};
use super::sketch::Sketch;

/// Number of compared fields.
pub const N: usize = 12;

/// Jaro-Winkler similarity of Latin name forms at or above which two
/// differently spelled names count as close (`zhangsan` vs `zhangshan`).
pub const NAME_JARO_WINKLER: f64 = 0.92;

/// A compared field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// The name keys (Hanzi, pinyin, Latin).
    Name,
    /// Any shared phone number.
    Phone,
    /// Any shared e-mail address, or local part.
    Email,
    /// The id number (身份证 or other).
    IdNumber,
    /// The WeChat id.
    Wechat,
    /// The birth date, or its year.
    BirthDate,
    /// The gender code.
    Gender,
    /// The city.
    City,
    /// The street address.
    Address,
    /// The school.
    School,
    /// The current employer.
    Company,
    /// An application to the same position around the same time.
    Application,
}

impl Field {
    /// All fields, in the order of [`Comparison::levels`].
    pub const ALL: [Field; N] = [
        Field::Name,
        Field::Phone,
        Field::Email,
        Field::IdNumber,
        Field::Wechat,
        Field::BirthDate,
        Field::Gender,
        Field::City,
        Field::Address,
        Field::School,
        Field::Company,
        Field::Application,
    ];

    /// The field's name in reports and configuration (`id_number`).
    pub fn name(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Phone => "phone",
            Field::Email => "email",
            Field::IdNumber => "id_number",
            Field::Wechat => "wechat",
            Field::BirthDate => "birth_date",
            Field::Gender => "gender",
            Field::City => "city",
            Field::Address => "address",
            Field::School => "school",
            Field::Company => "company",
            Field::Application => "application",
        }
    }

    /// Position in [`Field::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// True for the fields whose exact agreement identifies a person well
    /// enough to back up a name match: phone, e-mail, id number, WeChat id
    /// and birth date.
    pub fn is_identifying(self) -> bool {
        matches!(
            self,
            Field::Phone | Field::Email | Field::IdNumber | Field::Wechat | Field::BirthDate
        )
    }
}

/// The fields a person is reached or registered by.
pub const CONTACT_FIELDS: [Field; 4] = [Field::Phone, Field::Email, Field::IdNumber, Field::Wechat];

/// How well one field agrees between two records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// The same value.
    Exact = 0,
    /// A weaker agreement (see the module notes).
    Close = 1,
    /// Both present and unlike.
    Different = 2,
    /// Absent on either side: no evidence.
    Missing = 3,
}

impl Level {
    /// The three levels that carry a weight, in weight-table order.
    pub const SCORED: [Level; 3] = [Level::Exact, Level::Close, Level::Different];

    /// Lowercase name for reports: `exact`, `close`, `different`, `missing`.
    pub fn name(self) -> &'static str {
        match self {
            Level::Exact => "exact",
            Level::Close => "close",
            Level::Different => "different",
            Level::Missing => "missing",
        }
    }

    fn from_bits(bits: u32) -> Level {
        match bits & 3 {
            0 => Level::Exact,
            1 => Level::Close,
            2 => Level::Different,
            _ => Level::Missing,
        }
    }
}

/// The levels of one compared pair, plus whether the two names share a
/// name key (the same Hanzi key, or a common Latin/pinyin spelling), which
/// the "same name and phone" rule needs and fuzzy closeness does not give.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Comparison {
    /// One level per field, indexed by [`Field::index`].
    pub levels: [Level; N],
    /// True when the names share a key (not just a fuzzy resemblance).
    pub name_key_shared: bool,
}

impl Comparison {
    /// The level of one field.
    pub fn level(&self, f: Field) -> Level {
        self.levels[f.index()]
    }

    /// The levels packed two bits per field, for counting patterns.
    pub fn pack(&self) -> u32 {
        self.levels
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, l)| acc | ((*l as u32) << (2 * i)))
    }

    /// Inverse of [`Comparison::pack`] (the name-key flag is not packed).
    pub fn unpack_levels(bits: u32) -> [Level; N] {
        std::array::from_fn(|i| Level::from_bits(bits >> (2 * i)))
    }

    /// True when at least one identifying field (see
    /// [`Field::is_identifying`]) agrees exactly, or when the names share a
    /// key, both records are about the same application (the same position
    /// within [`SAME_APPLICATION_DAYS`]) and no contact identifier (phone,
    /// e-mail, id number, WeChat id) differs: an interview sheet's row that
    /// gives only the name is tied to its application that way, as a
    /// recruiter would tie it, while two namesakes interviewing for the
    /// same job in the same month with their own phones stay apart.
    pub fn identifier_agrees(&self) -> bool {
        self.identifier_exact() || self.same_application()
    }

    /// True when an identifying field agrees exactly.
    pub fn identifier_exact(&self) -> bool {
        Field::ALL
            .iter()
            .any(|f| f.is_identifying() && self.level(*f) == Level::Exact)
    }

    /// True when the names share a key, the application agrees exactly and
    /// no contact identifier differs.
    pub fn same_application(&self) -> bool {
        self.name_key_shared
            && self.level(Field::Application) == Level::Exact
            && CONTACT_FIELDS
                .iter()
                .all(|f| self.level(*f) != Level::Different)
    }

    /// True when a contact identifier (phone, e-mail, id number, WeChat id)
    /// differs and no identifying field agrees: two people as far as their
    /// own contact details go.
    pub fn contacts_conflict(&self) -> bool {
        !self.identifier_exact()
            && CONTACT_FIELDS
                .iter()
                .any(|f| self.level(*f) == Level::Different)
    }
}

/// A compared pair with its total score.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PairComparison {
    /// One level per field, indexed by [`Field::index`].
    pub levels: [Level; N],
    /// Sum of the field weights (log2 likelihood ratio, in bits).
    pub score: f64,
}

/// Compares two records' keys field by field.
pub fn compare(a: &RecordKeys, b: &RecordKeys) -> Comparison {
    compare_sketches(&Sketch::of(a), &Sketch::of(b), a, b)
}

/// Compares two records given their sketches and full keys.
pub fn compare_sketches(sa: &Sketch, sb: &Sketch, a: &RecordKeys, b: &RecordKeys) -> Comparison {
    let (name, name_key_shared) = name_level(sa, sb, a, b);
    let full = sa.overflow || sb.overflow;
    let (phone, email) = if full {
        (
            sets_level(&a.phones, &b.phones, None),
            sets_level(&a.emails, &b.emails, Some((&a.locals, &b.locals))),
        )
    } else {
        (
            sets_level(sa.phones(), sb.phones(), None),
            sets_level(sa.emails(), sb.emails(), Some((sa.locals(), sb.locals()))),
        )
    };
    let id = match hash_level(sa.id_number, sb.id_number) {
        Level::Different => id_level(a.id_number.as_deref(), b.id_number.as_deref()),
        l => l,
    };
    let birth = match (sa.birth, sb.birth) {
        (i32::MIN, _) | (_, i32::MIN) => Level::Missing,
        (x, y) if x == y => Level::Exact,
        _ if sa.birth_year == sb.birth_year => Level::Close,
        _ => Level::Different,
    };
    let contained =
        |x: u64, y: u64, fx: Option<&str>, fy: Option<&str>, min: usize| match hash_level(x, y) {
            Level::Different => contain_level(fx, fy, min),
            l => l,
        };
    let levels = [
        name,
        phone,
        email,
        id,
        hash_level(sa.wechat, sb.wechat),
        birth,
        hash_level(sa.gender, sb.gender),
        hash_level(sa.city, sb.city),
        contained(
            sa.address,
            sb.address,
            a.address.as_deref(),
            b.address.as_deref(),
            6,
        ),
        contained(
            sa.school,
            sb.school,
            a.school.as_deref(),
            b.school.as_deref(),
            4,
        ),
        contained(
            sa.company,
            sb.company,
            a.company.as_deref(),
            b.company.as_deref(),
            3,
        ),
        application_level(&a.applied, &b.applied),
    ];
    Comparison {
        levels,
        name_key_shared,
    }
}

/// Days apart within which two records' dates for the same position count
/// as one application (the rounds of one interview process).
pub const SAME_APPLICATION_DAYS: i32 = 14;
/// Days apart within which the same position counts as a close agreement
/// (a re-application in the same hiring season).
pub const SAME_SEASON_DAYS: i32 = 180;

/// Application level: `Exact` when both records name the same position
/// with dates at most [`SAME_APPLICATION_DAYS`] apart, `Close` within
/// [`SAME_SEASON_DAYS`], `Different` when both have applications but none
/// of them are that near, `Missing` when either has none.
fn application_level(a: &[(u64, i32)], b: &[(u64, i32)]) -> Level {
    if a.is_empty() || b.is_empty() {
        return Level::Missing;
    }
    let mut best = i32::MAX;
    for &(pa, da) in a {
        for &(pb, db) in b {
            if pa == pb {
                best = best.min((da - db).abs());
            }
        }
    }
    if best <= SAME_APPLICATION_DAYS {
        Level::Exact
    } else if best <= SAME_SEASON_DAYS {
        Level::Close
    } else {
        Level::Different
    }
}

/// `Exact`/`Different`/`Missing` from two hashes (0 = absent).
fn hash_level(x: u64, y: u64) -> Level {
    match (x, y) {
        (0, _) | (_, 0) => Level::Missing,
        _ if x == y => Level::Exact,
        _ => Level::Different,
    }
}

/// Name level: `Exact` for the same Hanzi key or, between two Latin names,
/// the same written or sorted key; `Close` for a shared Latin/pinyin key
/// (Hanzi vs romanization, homophones), for Hanzi names of three or more
/// characters one edit apart, or, when a Latin name is involved, for
/// Jaro-Winkler ≥ [`NAME_JARO_WINKLER`].
///
/// A Latin name made of a Western given name and a family name (`Cindy Li`)
/// is `Close` to any name with that family name (`李梅`, `Li Mei`): people
/// take an English given name beside their Chinese one, so the given names
/// say nothing either way. Alone this never merges; with an agreeing phone
/// or e-mail it does.
///
/// Hanzi edit distance is not used on two-character names: `张伟` and `张三`
/// are one edit apart but share nothing but the most common surname.
/// Jaro-Winkler is not used between two Hanzi names for the same reason
/// (`zhangwei` and `zhangwen` score 0.95); their characters are the better
/// evidence.
fn name_level(sa: &Sketch, sb: &Sketch, a: &RecordKeys, b: &RecordKeys) -> (Level, bool) {
    let (Some(na), Some(nb)) = (&a.name, &b.name) else {
        return (Level::Missing, false);
    };
    if sa.hanzi != 0 && sa.hanzi == sb.hanzi {
        return (Level::Exact, true);
    }
    if sa.is_latin && sb.is_latin && (sa.written == sb.written || sa.sorted == sb.sorted) {
        return (Level::Exact, true);
    }
    let shared = if sa.overflow || sb.overflow {
        let hashes = |n: &[(u64, String)]| n.iter().map(|(h, _)| *h).collect::<Vec<u64>>();
        sorted_intersect(&hashes(&na.latin), &hashes(&nb.latin))
    } else {
        sorted_intersect(sa.latin(), sb.latin())
    };
    if shared {
        return (Level::Close, true);
    }
    if let (Some(x), Some(y)) = (&na.hanzi, &nb.hanzi)
        && x.chars().count().min(y.chars().count()) >= 3
        && within_one_edit(x, y)
    {
        return (Level::Close, false);
    }
    // `Cindy Li` and `李梅`: the given names cannot be compared, the family
    // names agree.
    let family_agrees = |w: &NameKeys, other: &NameKeys| {
        w.western_family
            .as_ref()
            .is_some_and(|f| other.family.contains(f))
    };
    if family_agrees(na, nb) || family_agrees(nb, na) {
        return (Level::Close, false);
    }
    if na.is_latin || nb.is_latin {
        let best = na
            .fuzzy
            .iter()
            .flat_map(|x| nb.fuzzy.iter().map(move |y| strsim::jaro_winkler(x, y)))
            .fold(0.0f64, f64::max);
        if best >= NAME_JARO_WINKLER {
            return (Level::Close, false);
        }
    }
    (Level::Different, false)
}

/// Whether two sorted lists share an element.
fn sorted_intersect<T: Ord>(a: &[T], b: &[T]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

/// Multi-valued fields: any shared value is `Exact`; for e-mail a shared
/// local part on another domain is `Close`; two non-empty lists with
/// nothing in common are `Different`.
fn sets_level<T: Ord>(a: &[T], b: &[T], close: Option<(&[T], &[T])>) -> Level {
    if a.is_empty() || b.is_empty() {
        return Level::Missing;
    }
    if sorted_intersect(a, b) {
        return Level::Exact;
    }
    if let Some((x, y)) = close
        && sorted_intersect(x, y)
    {
        return Level::Close;
    }
    Level::Different
}

/// Id numbers: equal is `Exact`; the same length and one character apart
/// (a typo or a recomputed check digit) is `Close`; anything else is
/// `Different`, which the "conflicting id numbers" rule acts on.
fn id_level(a: Option<&str>, b: Option<&str>) -> Level {
    match (a, b) {
        (Some(x), Some(y)) if x == y => Level::Exact,
        (Some(x), Some(y)) => {
            let same_len = x.len() == y.len();
            let diffs = x.bytes().zip(y.bytes()).filter(|(p, q)| p != q).count();
            if same_len && diffs == 1 {
                Level::Close
            } else {
                Level::Different
            }
        }
        _ => Level::Missing,
    }
}

/// Free-text fields in matching form: equal is `Exact`; one containing the
/// other (the shorter at least `min_chars` characters, e.g. `浙江大学` in
/// `浙江大学计算机学院`) is `Close`.
fn contain_level(a: Option<&str>, b: Option<&str>, min_chars: usize) -> Level {
    match (a, b) {
        (Some(x), Some(y)) if x == y => Level::Exact,
        (Some(x), Some(y)) => {
            let (short, long) = if x.len() <= y.len() { (x, y) } else { (y, x) };
            if short.chars().count() >= min_chars && long.contains(short) {
                Level::Close
            } else {
                Level::Different
            }
        }
        _ => Level::Missing,
    }
}

/// True when `a` becomes `b` with at most one character inserted, deleted
/// or replaced.
pub fn within_one_edit(a: &str, b: &str) -> bool {
    let (la, lb) = (a.chars().count(), b.chars().count());
    if la.abs_diff(lb) > 1 {
        return false;
    }
    let (short, long) = if la <= lb { (a, b) } else { (b, a) };
    let mut s = short.chars().peekable();
    let mut l = long.chars().peekable();
    let mut edits = 0;
    while let (Some(&x), Some(&y)) = (s.peek(), l.peek()) {
        if x == y {
            s.next();
            l.next();
            continue;
        }
        edits += 1;
        if edits > 1 {
            return false;
        }
        if la == lb {
            s.next();
        }
        l.next();
    }
    edits + l.count() + s.count() <= 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PersonDetails, PersonRecord};

    fn keys(name: &str, key: &str, latin: Option<&str>) -> RecordKeys {
        RecordKeys::from_record(&PersonRecord {
            name: Some(name.into()),
            name_key: Some(key.into()),
            name_latin: latin.map(Box::from),
            ..Default::default()
        })
    }

    #[test]
    fn name_levels() {
        let zs = keys("张三", "张三", None);
        let zs_t = keys("張三", "张三", None);
        let latin = keys("Zhang San", "zhangsan", Some("sanzhang"));
        let upper = keys("San Zhang", "sanzhang", Some("sanzhang"));
        let typo = keys("Zhang Shan", "zhangshan", Some("shanzhang"));
        let other = keys("张伟", "张伟", None);
        let cxh = keys("陈晓虹", "陈晓虹", None);
        let cxh2 = keys("陈小虹", "陈小虹", None);
        let cmt = keys("陈梅婷", "陈梅婷", None);
        let cmt2 = keys("陈雪婷", "陈雪婷", None);
        let cindy = keys("Cindy Li", "cindyli", Some("cindyli"));
        let limei = keys("Li Mei", "limei", Some("limei"));
        let lm = keys("李梅", "李梅", None);
        let wm = keys("王梅", "王梅", None);
        let tony = keys("Tony Li", "tonyli", Some("litony"));
        let one_word = keys("Yangchaohao", "yangchaohao", Some("yangchaohao"));
        let two_words = keys("Chaohao Yang", "chaohaoyang", Some("chaohaoyang"));
        let cases = [
            (&zs, &zs_t, (Level::Exact, true)),
            (&zs, &latin, (Level::Close, true)),
            (&latin, &upper, (Level::Exact, true)),
            (&latin, &typo, (Level::Close, false)),
            (&zs, &other, (Level::Different, false)),
            (&cxh, &cxh2, (Level::Close, true)),
            (&cmt, &cmt2, (Level::Close, false)),
            (&zs, &RecordKeys::default(), (Level::Missing, false)),
            (&cindy, &lm, (Level::Close, false)),
            (&lm, &cindy, (Level::Close, false)),
            (&cindy, &limei, (Level::Close, false)),
            (&cindy, &wm, (Level::Different, false)),
            (&cindy, &tony, (Level::Different, false)),
            (&one_word, &two_words, (Level::Close, true)),
        ];
        for (i, (a, b, want)) in cases.iter().enumerate() {
            let (sa, sb) = (Sketch::of(a), Sketch::of(b));
            assert_eq!(name_level(&sa, &sb, a, b), *want, "case {i}");
            assert_eq!(name_level(&sb, &sa, b, a), *want, "case {i} reversed");
        }
    }

    #[test]
    fn overflowing_sketches_compare_like_inline_ones() {
        let three = |p: &str, q: &str| {
            RecordKeys::from_record(&PersonRecord {
                phones: vec![p.into(), q.into(), "+8613800000009".into()],
                ..Default::default()
            })
        };
        let a = three("+8613800000001", "+8613800000002");
        let b = three("+8613800000003", "+8613800000004");
        assert!(Sketch::of(&a).overflow);
        // The shared number sorts after the inline slots of both sketches.
        assert_eq!(compare(&a, &b).level(Field::Phone), Level::Exact);
        let c = RecordKeys::from_record(&PersonRecord {
            phones: vec!["+8613800000003".into()],
            ..Default::default()
        });
        assert_eq!(compare(&a, &c).level(Field::Phone), Level::Different);
    }

    #[test]
    fn application_levels() {
        let day = |d: i32| 738_000 + d;
        let a = [(1u64, day(0))];
        assert_eq!(application_level(&a, &[(1, day(14))]), Level::Exact);
        assert_eq!(application_level(&a, &[(1, day(-15))]), Level::Close);
        assert_eq!(application_level(&a, &[(1, day(181))]), Level::Different);
        assert_eq!(application_level(&a, &[(2, day(0))]), Level::Different);
        assert_eq!(
            application_level(&a, &[(2, day(0)), (1, day(3))]),
            Level::Exact
        );
        assert_eq!(application_level(&a, &[]), Level::Missing);
    }

    #[test]
    fn one_edit() {
        assert!(within_one_edit("陈晓红", "陈晓虹"));
        assert!(within_one_edit("陈晓红", "陈晓"));
        assert!(within_one_edit("abc", "abxc"));
        assert!(!within_one_edit("陈晓红", "陈小虹"));
        assert!(!within_one_edit("abc", "cab"));
    }

    #[test]
    fn field_levels() {
        let a = RecordKeys::from_record(&PersonRecord {
            phones: vec!["+8613800138000".into(), "+8613900139000".into()],
            emails: vec!["zhangsan@qq.com".into()],
            id_number: Some("33010619900101123x".into()),
            birth_date: chrono::NaiveDate::from_ymd_opt(1990, 1, 1),
            school: Some("浙江大学".into()),
            details: PersonDetails {
                address: Some("杭州市西湖区文三路 100 号".into()),
                ..Default::default()
            }
            .boxed(),
            ..Default::default()
        });
        let b = RecordKeys::from_record(&PersonRecord {
            phones: vec!["+8613900139000".into()],
            emails: vec!["zhangsan@163.com".into()],
            id_number: Some("330106199001011231".into()),
            birth_date: chrono::NaiveDate::from_ymd_opt(1990, 5, 1),
            school: Some("浙江大学计算机学院".into()),
            details: PersonDetails {
                address: Some("杭州市西湖区文三路100号3楼".into()),
                ..Default::default()
            }
            .boxed(),
            ..Default::default()
        });
        let c = compare(&a, &b);
        assert_eq!(
            c.levels,
            [
                Level::Missing,
                Level::Exact,
                Level::Close,
                Level::Close,
                Level::Missing,
                Level::Close,
                Level::Missing,
                Level::Missing,
                Level::Close,
                Level::Close,
                Level::Missing,
                Level::Missing,
            ]
        );
        assert!(c.identifier_agrees());
        assert_eq!(Comparison::unpack_levels(c.pack()), c.levels);
    }
}
