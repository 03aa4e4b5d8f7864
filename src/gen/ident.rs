//! Identifiers a person carries: mainland mobile numbers, 18-digit resident
//! identity numbers (身份证) with a correct ISO 7064 MOD 11-2 check digit,
//! e-mail addresses and WeChat ids.
//!
//! These are the keys a dedup stage matches on, so they have to be valid
//! where the data says they are valid (and deliberately wrong only where the
//! sample says so, e.g. one 身份证 with a bad check digit).

use chrono::{Datelike, NaiveDate};

use super::rng::Rng;

/// Real mainland mobile prefixes (China Mobile, Unicom, Telecom), so every
/// generated number matches `1[3-9]\d{9}` and looks plausible.
const MOBILE_PREFIXES: &[&str] = &[
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152",
    "153", "155", "156", "157", "158", "159", "166", "173", "176", "177", "178", "180", "181",
    "182", "183", "185", "186", "187", "188", "189", "198", "199",
];

pub fn mobile(rng: &mut Rng) -> String {
    let mut s = String::with_capacity(11);
    s.push_str(rng.choose(MOBILE_PREFIXES));
    for _ in 0..8 {
        s.push(char::from(b'0' + rng.below(10) as u8));
    }
    s
}

/// Administrative division codes (first six digits of a 身份证), weighted
/// towards Zhejiang.
const REGIONS: &[(&str, u32)] = &[
    ("330106", 10), // 杭州西湖区
    ("330102", 6),  // 杭州上城区
    ("330108", 6),  // 杭州滨江区
    ("330110", 5),  // 杭州余杭区
    ("330205", 4),  // 宁波江北区
    ("330302", 4),  // 温州鹿城区
    ("330602", 3),  // 绍兴越城区
    ("330702", 3),  // 金华婺城区
    ("340104", 3),  // 合肥蜀山区
    ("360102", 3),  // 南昌东湖区
    ("320106", 3),  // 南京鼓楼区
    ("310115", 3),  // 上海浦东新区
    ("420106", 2),  // 武汉武昌区
    ("410105", 2),  // 郑州金水区
    ("430104", 2),  // 长沙岳麓区
    ("510107", 2),  // 成都武侯区
    ("610113", 2),  // 西安雁塔区
];

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: &[u8; 11] = b"10X98765432";

/// ISO 7064 MOD 11-2 check character for the first 17 digits.
pub fn id_check_digit(first17: &str) -> char {
    let sum: u32 = first17
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    char::from(CHECK[(sum % 11) as usize])
}

/// A valid 18-digit identity number. The 17th digit is odd for men and even
/// for women, as in the real scheme.
pub fn id_card(rng: &mut Rng, birth: NaiveDate, female: bool) -> String {
    let weights: Vec<u32> = REGIONS.iter().map(|r| r.1).collect();
    let region = REGIONS[rng.weighted(&weights)].0;
    let seq = rng.range(0, 99);
    let mut sex = rng.range(0, 4) * 2;
    if !female {
        sex += 1;
    }
    assemble_id(region, birth, seq, sex)
}

/// Region, birth date, two-digit sequence and gender digit, with the check
/// character.
fn assemble_id(
    region: &str,
    birth: NaiveDate,
    seq: impl std::fmt::Display,
    sex: impl std::fmt::Display,
) -> String {
    let first17 = format!(
        "{region}{:04}{:02}{:02}{seq:02}{sex}",
        birth.year(),
        birth.month(),
        birth.day()
    );
    let check = id_check_digit(&first17);
    format!("{first17}{check}")
}

/// `x ↦ (a·x + b) mod m`, a bijection on `0..m` (a is coprime to every
/// modulus used here: odd and not a multiple of 5), so distinct persons get
/// distinct numbers that do not look sequential.
fn scramble(x: u64, m: u64) -> u64 {
    const A: u64 = 7_368_787;
    const B: u64 = 2_935_111;
    ((u128::from(x) * u128::from(A) + u128::from(B)) % u128::from(m)) as u64
}

/// Persons the unique identifiers below can tell apart.
pub const UNIQUE_PERSONS: u32 = 5_000_000;

/// A valid identity number that no other person id below
/// [`UNIQUE_PERSONS`] gets: region (in Zhejiang, 33xxxx), sequence and
/// gender digit encode the person, so two persons born on the same day can
/// never share one, as in the real register.
pub fn unique_id_card(person: u32, birth: NaiveDate, female: bool) -> String {
    let v = scramble(u64::from(person), u64::from(UNIQUE_PERSONS));
    let region = format!("33{:04}", v / 500);
    let seq = (v / 5) % 100;
    let sex = (v % 5) * 2 + u64::from(!female);
    assemble_id(&region, birth, seq, sex)
}

/// `handle` made unique to (person, slot): QQ numbers are replaced by a
/// number of their own, `wxid_` ids get their own hex, other handles get a
/// `.`/`_`-separated number suffix. Phone-number WeChat ids are returned as
/// they are. Mail and chat providers never give one handle to two people.
pub fn unique_handle(handle: &str, person: u32, slot: u32) -> String {
    let x = u64::from(person) * 4 + u64::from(slot);
    let (local, domain) = match handle.split_once('@') {
        Some((l, d)) => (l, Some(d)),
        None => (handle, None),
    };
    let digits = local.bytes().all(|b| b.is_ascii_digit());
    match domain {
        Some(domain) if digits => format!("{}@{domain}", 100_000_000 + scramble(x, 1 << 31)),
        Some(domain) => format!("{local}.{}@{domain}", scramble(x, 100_000_000)),
        None if local.starts_with("wxid_") => format!("wxid_{:x}", scramble(x, 1 << 48)),
        None if digits => local.to_string(),
        None => format!("{local}_{}", scramble(x, 100_000_000)),
    }
}

/// The same number with a check character that does not verify.
pub fn corrupt_check_digit(id: &str) -> String {
    let (head, last) = id.split_at(17);
    let good = last.chars().next().unwrap_or('0');
    let bad = CHECK
        .iter()
        .map(|&b| char::from(b))
        .find(|&c| c != good)
        .unwrap_or('0');
    format!("{head}{bad}")
}

const MAIL_DOMAINS: &[(&str, u32)] = &[
    ("qq.com", 30),
    ("163.com", 22),
    ("126.com", 8),
    ("gmail.com", 8),
    ("foxmail.com", 5),
    ("sina.com", 4),
    ("outlook.com", 5),
    ("hotmail.com", 3),
    ("139.com", 2),
];

/// An address built the way people actually pick them: QQ numbers at
/// qq.com, pinyin plus birth year or digits elsewhere.
pub fn email(rng: &mut Rng, surname: &str, given: &str, birth_year: i32) -> String {
    let weights: Vec<u32> = MAIL_DOMAINS.iter().map(|d| d.1).collect();
    let domain = MAIL_DOMAINS[rng.weighted(&weights)].0;
    let s = surname.to_lowercase();
    let g = given.to_lowercase();
    let local = if domain == "qq.com" && rng.chance(0.7) {
        rng.range(10_000_000, 2_999_999_999).to_string()
    } else {
        match rng.below(5) {
            0 => format!("{s}{g}"),
            1 => format!("{s}{g}{}", birth_year % 100),
            2 => format!("{g}.{s}"),
            3 => format!("{s}_{g}{}", rng.range(1, 999)),
            _ => format!("{}{s}{birth_year}", g.chars().next().unwrap_or('x')),
        }
    };
    format!("{local}@{domain}")
}

/// A WeChat id: custom ids start with a letter; old accounts keep the
/// generated `wxid_` form; some people just use their phone number.
pub fn wechat_id(rng: &mut Rng, surname: &str, given: &str, phone: &str) -> String {
    match rng.below(4) {
        0 => format!("wxid_{:x}", rng.next_u64() & 0xFFFF_FFFF_FFFF),
        1 => phone.to_string(),
        2 => format!(
            "{}{}{}",
            surname.to_lowercase(),
            given.to_lowercase(),
            rng.range(1, 99)
        ),
        _ => format!("{}_{}", given.to_lowercase(), surname.to_lowercase()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_identifiers_differ_between_persons_and_stay_valid() {
        let birth = NaiveDate::from_ymd_opt(1990, 5, 1).unwrap();
        let mut ids = std::collections::HashSet::new();
        let mut handles = std::collections::HashSet::new();
        for person in 1..=20_000u32 {
            let id = unique_id_card(person, birth, person % 2 == 0);
            assert_eq!(id.len(), 18);
            assert_eq!(id_check_digit(&id[..17]), id.chars().last().unwrap());
            assert_eq!(&id[6..14], "19900501");
            let sex = id.as_bytes()[16] - b'0';
            assert_eq!(sex.is_multiple_of(2), person.is_multiple_of(2), "{id}");
            assert!(ids.insert(id));
            // Everyone has the same name-derived handles to begin with.
            for (slot, h) in ["wangkai@163.com", "123456789@qq.com", "wxid_1", "kai_wang"]
                .iter()
                .enumerate()
            {
                let u = unique_handle(h, person, slot as u32);
                assert!(handles.insert(u.clone()), "{u} repeats");
            }
        }
        assert_eq!(unique_handle("13800138000", 7, 2), "13800138000");
        assert!(unique_handle("wangkai@163.com", 7, 0).starts_with("wangkai."));
        assert!(unique_handle("wangkai@163.com", 7, 0).ends_with("@163.com"));
    }

    #[test]
    fn check_digit_matches_published_example() {
        // The example number from GB 11643-1999.
        assert_eq!(id_check_digit("11010519491231002"), 'X');
        assert_eq!(id_check_digit("44052418800101001"), '4');
    }

    #[test]
    fn generated_ids_verify_and_corrupted_ones_do_not() {
        let mut rng = Rng::new(3);
        let birth = NaiveDate::from_ymd_opt(1990, 3, 12).unwrap();
        for _ in 0..50 {
            let id = id_card(&mut rng, birth, true);
            assert_eq!(id.len(), 18);
            assert_eq!(id_check_digit(&id[..17]), id.chars().last().unwrap());
            assert_eq!(&id[6..14], "19900312");
            let sex = id.as_bytes()[16] - b'0';
            assert_eq!(sex % 2, 0, "female ids have an even 17th digit");
            let bad = corrupt_check_digit(&id);
            assert_ne!(id_check_digit(&bad[..17]), bad.chars().last().unwrap());
        }
    }

    #[test]
    fn mobiles_look_like_mainland_numbers() {
        let mut rng = Rng::new(9);
        for _ in 0..200 {
            let m = mobile(&mut rng);
            assert_eq!(m.len(), 11);
            assert!(m.starts_with('1'));
            assert!((b'3'..=b'9').contains(&m.as_bytes()[1]));
            assert!(m.bytes().all(|b| b.is_ascii_digit()));
        }
    }
}
