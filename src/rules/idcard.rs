//! Identity document numbers. Mainland resident ID cards (居民身份证) are
//! checked fully: the 18-digit form's ISO 7064 MOD 11-2 check digit
//! (`X` for 10) and embedded birth date, and the old 15-digit form's birth
//! date (always 19YY). Gender comes from the sequence digit (odd = male).
//! Other documents (passports `E12345678`, Hong Kong `A123456(7)` …) are
//! recognised by shape only and kept as written. Region codes in the first
//! six digits are not checked: the code list changes over time.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;
use serde::{Deserialize, Serialize};

use super::Reject;
use super::gender::Gender;
use super::text::nfkc_clean;

/// Which kind of number it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdKind {
    /// 18-digit mainland resident ID with a valid check digit.
    CnResident,
    /// Old 15-digit mainland resident ID (issued before 1999).
    CnResident15,
    /// Any other document number, unchecked.
    Other,
}

/// A parsed identity document number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdNumber {
    /// The kind of document.
    pub kind: IdKind,
    /// The number: uppercase without spaces for resident IDs, the cleaned
    /// text for other documents.
    pub value: String,
    /// Birth date encoded in a resident ID.
    pub birth_date: Option<NaiveDate>,
    /// Gender encoded in a resident ID.
    pub gender: Option<Gender>,
}

/// ISO 7064 MOD 11-2 weights for the first 17 digits.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character for each remainder 0–10.
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// Letters, digits, brackets and dashes of a plausible document number.
static OTHER_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Z0-9][A-Z0-9()\-]{4,23}$").expect("valid regex"));
/// An 18-digit number that Excel turned into `1.10101E+17`.
static SCIENTIFIC: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d(?:\.\d+)?E\+?\d+$").expect("valid regex"));

/// The check character for the first 17 digits of an 18-digit ID.
pub fn check_digit(first17: &str) -> Option<char> {
    if first17.len() != 17 {
        return None;
    }
    let mut sum = 0;
    for (c, w) in first17.chars().zip(WEIGHTS) {
        sum += c.to_digit(10)? * w;
    }
    Some(CHECK[(sum % 11) as usize])
}

fn birth_date(year: &str, month: &str, day: &str) -> Option<NaiveDate> {
    let date = NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)?;
    (1900..=2100)
        .contains(&chrono::Datelike::year(&date))
        .then_some(date)
}

fn gender_of(digit: char) -> Option<Gender> {
    digit.to_digit(10).map(|d| {
        if d % 2 == 1 {
            Gender::Male
        } else {
            Gender::Female
        }
    })
}

/// Parses an identity number cell.
pub fn parse_id_number(raw: &str) -> Result<IdNumber, Reject> {
    let cleaned = nfkc_clean(raw);
    let compact: String = cleaned
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    if compact.is_empty() {
        return Err(Reject::new("empty id number"));
    }
    if SCIENTIFIC.is_match(&compact) {
        return Err(Reject::new(
            "id number mangled by Excel scientific notation: digits are lost, re-export the column as text",
        ));
    }
    let digits_only = compact.chars().all(|c| c.is_ascii_digit());
    let resident18 = compact.len() == 18
        && compact.is_ascii()
        && compact[..17].chars().all(|c| c.is_ascii_digit())
        && compact.ends_with(|c: char| c.is_ascii_digit() || c == 'X');
    if resident18 {
        let expected = check_digit(&compact[..17]).unwrap_or('?');
        let found = compact.chars().last().unwrap_or('?');
        if expected != found {
            return Err(Reject::new(format!(
                "id number check digit is {found}, expected {expected}: a digit is wrong"
            )));
        }
        let birth =
            birth_date(&compact[6..10], &compact[10..12], &compact[12..14]).ok_or_else(|| {
                Reject::new(format!(
                    "id number birth date {} is not a valid date",
                    &compact[6..14]
                ))
            })?;
        let gender = compact[16..17].chars().next().and_then(gender_of);
        return Ok(IdNumber {
            kind: IdKind::CnResident,
            value: compact,
            birth_date: Some(birth),
            gender,
        });
    }
    if digits_only && compact.len() == 15 {
        let year = format!("19{}", &compact[6..8]);
        let birth = birth_date(&year, &compact[8..10], &compact[10..12]).ok_or_else(|| {
            Reject::new(format!(
                "15-digit id number birth date {}{} is not a valid date",
                year,
                &compact[8..12]
            ))
        })?;
        let gender = compact[14..15].chars().next().and_then(gender_of);
        return Ok(IdNumber {
            kind: IdKind::CnResident15,
            value: compact,
            birth_date: Some(birth),
            gender,
        });
    }
    if digits_only && (16..=19).contains(&compact.len()) {
        return Err(Reject::new(format!(
            "{}-digit number: a resident id has 18 digits (or 15 for old cards)",
            compact.len()
        )));
    }
    let has_digit = compact.chars().any(|c| c.is_ascii_digit());
    if has_digit && compact.len() >= 6 && OTHER_ID.is_match(&compact) {
        return Ok(IdNumber {
            kind: IdKind::Other,
            value: cleaned,
            birth_date: None,
            gender: None,
        });
    }
    Err(Reject::new(
        "not an id number: expected an 18-digit resident id or a document number like E12345678",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    /// (raw, kind, value, birth (y, m, d), gender)
    type Case = (
        &'static str,
        IdKind,
        &'static str,
        Option<(i32, u32, u32)>,
        Option<Gender>,
    );
    const OK: &[Case] = &[
        (
            "11010519491231002X",
            IdKind::CnResident,
            "11010519491231002X",
            Some((1949, 12, 31)),
            Some(Gender::Female),
        ),
        (
            "11010519491231002x",
            IdKind::CnResident,
            "11010519491231002X",
            Some((1949, 12, 31)),
            Some(Gender::Female),
        ),
        (
            "110101199003070011",
            IdKind::CnResident,
            "110101199003070011",
            Some((1990, 3, 7)),
            Some(Gender::Male),
        ),
        (
            " 110101 19900307 0011 ",
            IdKind::CnResident,
            "110101199003070011",
            Some((1990, 3, 7)),
            Some(Gender::Male),
        ),
        (
            "１１０１０１１９９００３０７００１１",
            IdKind::CnResident,
            "110101199003070011",
            Some((1990, 3, 7)),
            Some(Gender::Male),
        ),
        (
            "110101900307001",
            IdKind::CnResident15,
            "110101900307001",
            Some((1990, 3, 7)),
            Some(Gender::Male),
        ),
        (
            "110101900307002",
            IdKind::CnResident15,
            "110101900307002",
            Some((1990, 3, 7)),
            Some(Gender::Female),
        ),
        ("E12345678", IdKind::Other, "E12345678", None, None),
        ("A123456(7)", IdKind::Other, "A123456(7)", None, None),
        ("G1234567", IdKind::Other, "G1234567", None, None),
        ("123456789", IdKind::Other, "123456789", None, None),
    ];

    #[test]
    fn parse_id_number_ok_table() {
        for (raw, kind, value, birth, gender) in OK {
            let got = parse_id_number(raw).unwrap_or_else(|e| panic!("{raw:?}: {e}"));
            let expected = IdNumber {
                kind: *kind,
                value: value.to_string(),
                birth_date: birth.and_then(|(y, m, dd)| d(y, m, dd)),
                gender: *gender,
            };
            assert_eq!(got, expected, "{raw:?}");
        }
    }

    const REJECTED: &[(&str, &str)] = &[
        (
            "110105194912310021",
            "id number check digit is 1, expected X: a digit is wrong",
        ),
        (
            "110101199003070012",
            "id number check digit is 2, expected 1: a digit is wrong",
        ),
        (
            "110101199013070015",
            "id number birth date 19901307 is not a valid date",
        ),
        (
            "110101199002300014",
            "id number birth date 19900230 is not a valid date",
        ),
        (
            "440524188001010014",
            "id number birth date 18800101 is not a valid date",
        ),
        (
            "110101901307001",
            "15-digit id number birth date 19901307 is not a valid date",
        ),
        (
            "11010119900307001",
            "17-digit number: a resident id has 18 digits (or 15 for old cards)",
        ),
        (
            "1.10101E+17",
            "id number mangled by Excel scientific notation: digits are lost, re-export the column as text",
        ),
        (
            "无",
            "not an id number: expected an 18-digit resident id or a document number like E12345678",
        ),
        (
            "12345",
            "not an id number: expected an 18-digit resident id or a document number like E12345678",
        ),
        (
            "ABCDEFGH",
            "not an id number: expected an 18-digit resident id or a document number like E12345678",
        ),
        ("", "empty id number"),
        (
            "張三先生至今",
            "not an id number: expected an 18-digit resident id or a document number like E12345678",
        ),
    ];

    #[test]
    fn parse_id_number_reject_table() {
        for (raw, reason) in REJECTED {
            assert_eq!(parse_id_number(raw), Err(Reject::new(*reason)), "{raw:?}");
        }
    }

    const CHECKS: &[(&str, Option<char>)] = &[
        ("11010519491231002", Some('X')),
        ("11010119900307001", Some('1')),
        ("1101011990030700", None),
        ("1101011990030700A", None),
    ];

    #[test]
    fn check_digit_table() {
        for (first17, expected) in CHECKS {
            assert_eq!(check_digit(first17), *expected, "{first17:?}");
        }
    }
}
