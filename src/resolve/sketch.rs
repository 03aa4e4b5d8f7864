//! [`Sketch`]: a fixed-size copy of a record's keys made of 64-bit hashes,
//! for the hot comparison loop.
//!
//! Comparing a million records means tens of millions of pairs whose second
//! record is a random memory access; one contiguous sketch of about 200
//! bytes is far cheaper to reach than the dozen heap strings of
//! [`RecordKeys`]. Equal hashes are taken as equal values (a false match
//! has probability 2⁻⁶⁴ per comparison); the full keys are consulted only
//! for fuzzy checks (Jaro-Winkler, edit distance, containment) and for
//! records with more values than a sketch holds inline.

use chrono::Datelike;

use super::keys::{RecordKeys, hash_str};

/// How many values of each list a [`Sketch`] holds inline.
pub const SKETCH_NAMES: usize = 4;
/// See [`SKETCH_NAMES`].
pub const SKETCH_VALUES: usize = 2;

/// A fixed-size, hash-only copy of [`RecordKeys`] for the comparison loop.
/// Hash 0 means "absent"; list lengths say how many inline slots are used.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sketch {
    /// Hash of the Hanzi name key.
    pub hanzi: u64,
    /// Hash of a Latin name in written order.
    pub written: u64,
    /// Hash of a Latin name with sorted tokens.
    pub sorted: u64,
    /// Sorted hashes of the Latin keys.
    pub latin: [u64; SKETCH_NAMES],
    /// Sorted phone digits.
    pub phones: [u64; SKETCH_VALUES],
    /// Sorted e-mail hashes.
    pub emails: [u64; SKETCH_VALUES],
    /// Sorted local-part hashes.
    pub locals: [u64; SKETCH_VALUES],
    /// Hash of the id number.
    pub id_number: u64,
    /// Hash of the WeChat id.
    pub wechat: u64,
    /// Hash of the gender code.
    pub gender: u64,
    /// Hash of the city.
    pub city: u64,
    /// Hash of the address.
    pub address: u64,
    /// Hash of the school.
    pub school: u64,
    /// Hash of the company.
    pub company: u64,
    /// Days since 0001-01-01, or `i32::MIN` when absent.
    pub birth: i32,
    /// Birth year, or `i32::MIN` when absent.
    pub birth_year: i32,
    /// Slots used in `latin`.
    pub latin_n: u8,
    /// Slots used in `phones`.
    pub phones_n: u8,
    /// Slots used in `emails`.
    pub emails_n: u8,
    /// Slots used in `locals`.
    pub locals_n: u8,
    /// True when the record has a name.
    pub has_name: bool,
    /// True for a Latin-script name.
    pub is_latin: bool,
    /// True when some list did not fit; its full keys must be consulted.
    pub overflow: bool,
}

fn opt_hash(s: Option<&str>) -> u64 {
    s.map_or(0, hash_str)
}

fn fill<const K: usize>(values: impl Iterator<Item = u64>, slots: &mut [u64; K]) -> (u8, bool) {
    let mut v: Vec<u64> = values.collect();
    v.sort_unstable();
    v.dedup();
    for (slot, x) in slots.iter_mut().zip(&v) {
        *slot = *x;
    }
    (v.len().min(K) as u8, v.len() > K)
}

impl Sketch {
    /// The sketch of a record's keys.
    pub fn of(k: &RecordKeys) -> Sketch {
        let mut s = Sketch {
            birth: k.birth.map_or(i32::MIN, |d| d.num_days_from_ce()),
            birth_year: k.birth.map_or(i32::MIN, |d| d.year()),
            id_number: opt_hash(k.id_number.as_deref()),
            wechat: opt_hash(k.wechat.as_deref()),
            gender: opt_hash(k.gender),
            city: opt_hash(k.city.as_deref()),
            address: opt_hash(k.address.as_deref()),
            school: opt_hash(k.school.as_deref()),
            company: opt_hash(k.company.as_deref()),
            ..Default::default()
        };
        let mut overflow = false;
        if let Some(n) = &k.name {
            s.has_name = true;
            s.is_latin = n.is_latin;
            s.hanzi = opt_hash(n.hanzi.as_deref());
            s.written = opt_hash(n.latin_written.as_deref());
            s.sorted = opt_hash(n.latin_sorted.as_deref());
            let (len, over) = fill(n.latin.iter().map(|(h, _)| *h), &mut s.latin);
            s.latin_n = len;
            overflow |= over;
        }
        let (len, over) = fill(k.phones.iter().copied(), &mut s.phones);
        (s.phones_n, overflow) = (len, overflow | over);
        let (len, over) = fill(k.emails.iter().map(|e| hash_str(e)), &mut s.emails);
        (s.emails_n, overflow) = (len, overflow | over);
        let (len, over) = fill(k.locals.iter().map(|e| hash_str(e)), &mut s.locals);
        (s.locals_n, overflow) = (len, overflow | over);
        s.overflow = overflow;
        s
    }

    /// The inline Latin key hashes.
    pub fn latin(&self) -> &[u64] {
        &self.latin[..self.latin_n as usize]
    }

    /// The inline phone digits.
    pub fn phones(&self) -> &[u64] {
        &self.phones[..self.phones_n as usize]
    }

    /// The inline e-mail hashes.
    pub fn emails(&self) -> &[u64] {
        &self.emails[..self.emails_n as usize]
    }

    /// The inline local-part hashes.
    pub fn locals(&self) -> &[u64] {
        &self.locals[..self.locals_n as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PersonRecord;

    #[test]
    fn sketch_of_a_record() {
        let k = RecordKeys::from_record(&PersonRecord {
            name: Some("Zhang San".into()),
            name_key: Some("zhangsan".into()),
            name_latin: Some("sanzhang".into()),
            phones: vec!["+8613800138000".into()],
            emails: vec!["ZhangSan@QQ.com".into(), "hr@x.cn".into()],
            ..Default::default()
        });
        let s = Sketch::of(&k);
        assert_eq!(s.phones(), &[8613800138000]);
        assert_eq!(s.emails().len(), 2);
        assert_eq!(s.locals(), &[hash_str("zhangsan")]);
        assert_eq!(s.latin().len(), 2);
        assert!(s.is_latin && s.has_name && !s.overflow);
        assert_eq!((s.birth, s.hanzi, s.city), (i32::MIN, 0, 0));
    }

    #[test]
    fn sketches_overflow_when_lists_are_long() {
        let k = RecordKeys::from_record(&PersonRecord {
            phones: vec![
                "+8613800000001".into(),
                "+8613800000002".into(),
                "+8613800000003".into(),
            ],
            ..Default::default()
        });
        let s = Sketch::of(&k);
        assert!(s.overflow);
        assert_eq!(s.phones(), &[8613800000001, 8613800000002]);
    }
}
