//! A deterministic synthetic recruiting history with known truth, for the
//! EM test and the scale harness: persons with skewed (common) names, each
//! appearing in one to three records that randomly lose their phone, e-mail,
//! birth date or city, are romanized, or carry a changed phone.

use crate::model::PersonRecord;
use crate::resolve::names::pinyin_spellings;

use super::{date, person};

/// SplitMix64: small, fast, reproducible.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        crate::resolve::keys::mix(self.0)
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Index into a list with weights falling like 1/(i+1) (Zipf-like).
    pub fn zipf(&mut self, n: usize) -> usize {
        let total: f64 = (1..=n).map(|i| 1.0 / i as f64).sum();
        let mut x = self.unit() * total;
        for i in 0..n {
            x -= 1.0 / (i + 1) as f64;
            if x <= 0.0 {
                return i;
            }
        }
        n - 1
    }
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "单", "吕",
];

const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀英", "霞", "平", "刚", "桂英", "建华", "晓红", "志强", "海燕", "文博", "思琪", "佳诚",
    "梅婷", "鑫峰", "晓峰", "嘉欣", "子轩", "浩然", "雨涵", "一诺", "欣怡", "宇航", "俊杰",
];

const CITIES: &[&str] = &["杭州", "上海", "北京", "深圳", "南京", "苏州"];

/// `persons` people in about twice as many records; returns the records
/// (record ids `S000001`…, in generation order) and the true person of each.
pub fn history(persons: usize, seed: u64) -> (Vec<PersonRecord>, Vec<usize>) {
    let mut rng = Rng::new(seed);
    let mut records = Vec::with_capacity(persons * 2);
    let mut truth = Vec::with_capacity(persons * 2);
    for p in 0..persons {
        let name = format!(
            "{}{}",
            SURNAMES[rng.zipf(SURNAMES.len())],
            GIVEN[rng.zipf(GIVEN.len())]
        );
        let phone = format!("+861{}{:09}", 3 + rng.below(6), rng.below(1_000_000_000));
        let new_phone = format!("+861{}{:09}", 3 + rng.below(6), rng.below(1_000_000_000));
        let email = format!(
            "u{p}x{}@{}.com",
            rng.below(1000),
            ["qq", "163", "126"][rng.below(3) as usize]
        );
        let birth = date(
            1975 + rng.below(30) as i32,
            1 + rng.below(12) as u32,
            1 + rng.below(28) as u32,
        );
        let city = CITIES[rng.zipf(CITIES.len())];
        let gender = if rng.chance(0.5) { "male" } else { "female" };
        let has_email = rng.chance(0.6);
        let copies = 1 + rng.zipf(3);
        for c in 0..copies {
            let id = format!("S{:07}", records.len() + 1);
            let shown = if rng.chance(0.15) {
                let spelled = pinyin_spellings(&name);
                let (family, given) = &spelled[0];
                let cap = |s: &str| {
                    let mut cs = s.chars();
                    cs.next()
                        .map(|f| f.to_uppercase().chain(cs).collect::<String>())
                        .unwrap_or_default()
                };
                if rng.chance(0.5) {
                    format!("{} {}", cap(family), cap(given))
                } else {
                    format!("{} {}", cap(given), cap(family))
                }
            } else {
                name.clone()
            };
            let mut r = person(&id, &shown);
            if rng.chance(0.75) {
                let changed = c > 0 && rng.chance(0.1);
                r.phones = vec![if changed {
                    new_phone.clone()
                } else {
                    phone.clone()
                }];
            }
            if has_email && rng.chance(0.7) {
                r.emails = vec![email.clone()];
            }
            if rng.chance(0.5) {
                r.birth_date = birth;
            }
            if rng.chance(0.5) {
                r.city = Some(city.into());
            }
            if rng.chance(0.6) {
                r.gender = Some(gender);
            }
            records.push(r);
            truth.push(p);
        }
    }
    (records, truth)
}

/// Pairwise precision and recall of predicted entities against the truth.
pub fn pairwise(predicted: &[usize], truth: &[usize]) -> (f64, f64) {
    use std::collections::HashMap;
    let pairs = |counts: HashMap<(usize, usize), u64>| -> u64 {
        counts.values().map(|n| n * (n - 1) / 2).sum()
    };
    let mut both: HashMap<(usize, usize), u64> = HashMap::new();
    let mut pred: HashMap<(usize, usize), u64> = HashMap::new();
    let mut real: HashMap<(usize, usize), u64> = HashMap::new();
    for (p, t) in predicted.iter().zip(truth) {
        *both.entry((*p, *t)).or_default() += 1;
        *pred.entry((*p, 0)).or_default() += 1;
        *real.entry((*t, 0)).or_default() += 1;
    }
    let tp = pairs(both) as f64;
    let (pp, rp) = (pairs(pred) as f64, pairs(real) as f64);
    let precision = if pp == 0.0 { 1.0 } else { tp / pp };
    let recall = if rp == 0.0 { 1.0 } else { tp / rp };
    (precision, recall)
}
