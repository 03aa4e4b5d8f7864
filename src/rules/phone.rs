//! Phone cells: one cell may hold several numbers (`138… / 139…`, `138…、010-…`,
//! or full numbers separated by spaces), written with or without `+86`/`0086`,
//! with full-width digits, as landlines with area codes and extensions, or
//! mangled by Excel into `13800138000.0` or `1.38001380E10`. Valid numbers
//! are returned in E.164 (`+8613800138000`) using the `phonenumber` crate's
//! metadata; masked numbers from job boards (`138****8000`) are kept apart
//! because they can never identify a person; everything else is rejected with
//! the piece of text that failed.

use std::str::FromStr;
use std::sync::LazyLock;

use phonenumber::country;
use regex::Regex;

use super::Reject;
use super::text::nfkc_clean;

/// Region assumed for numbers written without a country code.
pub const DEFAULT_REGION: &str = "CN";

/// The numbers found in one phone cell.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PhoneCell {
    /// Valid numbers in E.164 form, in cell order, without repeats.
    pub numbers: Vec<String>,
    /// Masked numbers (`138****8000`) as written; never usable as a key.
    pub masked: Vec<String>,
    /// Pieces that are not phone numbers, with the reason.
    pub rejected: Vec<(String, Reject)>,
}

/// Separators between numbers inside one cell.
static SEPARATORS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\s*(?:[/,;、|\n]|或者?|\s+or\s+)\s*").expect("valid regex"));

/// Labels written in front of a number (`手机：138…`, `Tel: 010-…`).
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:手机号码|手机号|手机|电话号码|联系电话|电话|联系方式|座机|固话|办公电话|tel|mobile|phone|mob|cell)\s*[:.]?\s*",
    )
    .expect("valid regex")
});

/// Digits hidden behind `*`, `x` or `●` by job boards.
static MASKED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\d[\d -]*(?:[*xX●•]\s*){2,}[\d -]*\d").expect("valid regex"));

/// A number cell that Excel stored as a float: `13800138000.0`.
static EXCEL_DECIMAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{5,15})\.0+$").expect("valid regex"));

/// A number cell that Excel printed in scientific notation: `1.38001380E10`.
static EXCEL_SCIENTIFIC: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d)\.(\d+)[eE]\+?(\d{1,2})$").expect("valid regex"));

/// A trailing extension after a landline: `-801`, `转801`, `ext. 801`, `x801`.
static EXTENSION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(.*\d)\s*(?:转|分机|ext\.?|x|#|-)\s*\d{1,6}$").expect("valid regex")
});

/// True when `region` is an ISO 3166 code the phone metadata knows (`CN`, `HK`, `US` …).
pub fn is_known_region(region: &str) -> bool {
    country::Id::from_str(&region.trim().to_ascii_uppercase()).is_ok()
}

/// Expands Excel's float renderings back to digits. Scientific notation with
/// fewer than 8 significant digits has lost digits and is refused.
fn undo_excel_float(piece: &str) -> Result<Option<String>, Reject> {
    if let Some(c) = EXCEL_DECIMAL.captures(piece) {
        return Ok(Some(c[1].to_string()));
    }
    if let Some(c) = EXCEL_SCIENTIFIC.captures(piece) {
        let fraction = c[2].trim_end_matches('0');
        let exponent: usize = c[3].parse().unwrap_or(0);
        let significant = 1 + c[2].len();
        if fraction.len() > exponent || significant < 8 {
            return Err(Reject::new(
                "phone number mangled by Excel scientific notation: format the column as text",
            ));
        }
        let mut digits = format!("{}{}", &c[1], fraction);
        while digits.len() < exponent + 1 {
            digits.push('0');
        }
        return Ok(Some(digits));
    }
    Ok(None)
}

/// A descriptor of the phone metadata as a compiled regex: the
/// `phonenumber` crate's own matching goes through a process-wide,
/// mutex-guarded cache of 100 regexes keyed by pattern text (SipHash of the
/// pattern on every lookup, and recompilation when the metadata's patterns
/// evict each other), which made phone cells most of normalization time.
struct Pattern {
    regex: Regex,
    lengths: Vec<u16>,
}

impl Pattern {
    fn of(d: &phonenumber::metadata::Descriptor) -> Option<Pattern> {
        Some(Pattern {
            // Compiled as the crate compiles its metadata patterns, but
            // anchored: the crate asks for the leftmost match and checks
            // that it starts at 0, which holds exactly when a match starts
            // at 0 (a leftmost match is the earliest). The line break keeps
            // the group's end out of a trailing comment in whitespace mode.
            regex: regex::RegexBuilder::new(&format!("^(?:{}\n)", d.national_number().as_str()))
                .ignore_whitespace(true)
                .build()
                .ok()?,
            lengths: d.possible_length().to_vec(),
        })
    }

    /// What `Descriptor::is_match` answers: a possible length, and the
    /// pattern found at the start.
    fn is_match(&self, national: &str) -> bool {
        (self.lengths.is_empty() || self.lengths.contains(&(national.len() as u16)))
            && self.regex.is_match(national)
    }
}

/// China's general and mobile number patterns, from the metadata.
static CN_MOBILE: LazyLock<Option<(Pattern, Pattern)>> = LazyLock::new(|| {
    let meta = phonenumber::metadata::DATABASE.by_id("CN")?;
    let d = meta.descriptors();
    Some((Pattern::of(d.general())?, Pattern::of(d.mobile()?)?))
});

/// The common case without the general parser: an 11-digit mainland
/// mobile number, digits grouped by spaces or dashes, optionally after
/// `+86` or `0086`. Valid exactly when the metadata's general and mobile
/// patterns match (then the parser finds it valid too: a number of a known
/// type); anything else is left to the parser.
fn cn_mobile(text: &str) -> Option<String> {
    let rest = text
        .strip_prefix("+86")
        .or_else(|| text.strip_prefix("0086"))
        .map_or(text, |r| r.trim_start_matches([' ', '-']));
    let mut national = String::with_capacity(11);
    for c in rest.chars() {
        match c {
            '0'..='9' if national.len() < 11 => national.push(c),
            ' ' | '-' if !national.is_empty() => {}
            _ => return None,
        }
    }
    if national.len() != 11 || !national.starts_with('1') || rest.ends_with([' ', '-']) {
        return None;
    }
    let (general, mobile) = CN_MOBILE.as_ref()?;
    (general.is_match(&national) && mobile.is_match(&national)).then(|| format!("+86{national}"))
}

/// The E.164 form of a valid number, when that form reads back as the same
/// number. phonenumber's handling of leading zeros (Italy-style `+39 06…`)
/// and of national prefixes (Russia's `8`) is fragile (see [`parse_one`]),
/// and a number that would read back as another one, or as none, must never
/// become a matching key. Mainland mobiles, by far the most numbers, take
/// the shortcut in [`parse_one`] and never get here.
fn e164(number: &phonenumber::PhoneNumber) -> Option<String> {
    let text = number.format().mode(phonenumber::Mode::E164).to_string();
    let again = phonenumber::parse(None, &text).ok()?;
    (again.is_valid()
        && again.code().value() == number.code().value()
        && again.national() == number.national())
    .then_some(text)
}

/// Parses one candidate number; `Some(E.164)` only for a valid number.
fn parse_one(text: &str, region: Option<country::Id>) -> Option<String> {
    if region == Some(country::Id::CN)
        && let Some(number) = cn_mobile(text)
    {
        return Some(number);
    }
    // A `+` country code makes the default region irrelevant, and given one
    // anyway phonenumber strips that region's national prefix from the
    // foreign number: with CN, `+39 06 6982 1234` loses the 0 of Rome's
    // area code and is refused.
    let region = if text.chars().find(|c| *c == '+' || c.is_ascii_digit()) == Some('+') {
        None
    } else {
        region
    };
    if let Ok(number) = phonenumber::parse(region, text)
        && number.is_valid()
        && let Some(e164) = e164(&number)
    {
        return Some(e164);
    }
    // `010-12345678-801`: the extension is glued on with a dash, which the
    // parser reads as more digits. Retry without it.
    let base = EXTENSION.captures(text)?.get(1)?.as_str();
    let number = phonenumber::parse(region, base).ok()?;
    let fixed = matches!(
        number.number_type(&phonenumber::metadata::DATABASE),
        phonenumber::Type::FixedLine | phonenumber::Type::FixedLineOrMobile
    );
    if number.is_valid() && fixed {
        e164(&number)
    } else {
        None
    }
}

/// Reads a run of whitespace-separated tokens as several numbers, greedily
/// taking the longest run of tokens that forms a valid number. Fails if any
/// token containing digits is left over.
fn split_on_spaces(piece: &str, region: Option<country::Id>) -> Option<Vec<String>> {
    let tokens: Vec<&str> = piece.split(' ').collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let longest = (i + 1..=tokens.len())
            .rev()
            .find_map(|j| parse_one(&tokens[i..j].join(" "), region).map(|n| (j, n)));
        match longest {
            Some((j, number)) => {
                found.push(number);
                i = j;
            }
            None if tokens[i].chars().any(|c| c.is_ascii_digit()) => return None,
            None => i += 1,
        }
    }
    (!found.is_empty()).then_some(found)
}

fn invalid(piece: &str) -> Reject {
    let digits = piece.chars().filter(|c| c.is_ascii_digit()).count();
    if digits == 0 {
        return Reject::new("not a phone number: no digits");
    }
    Reject::new(format!(
        "not a valid phone number ({digits} digits): expected an 11-digit mobile like 13800138000 or a landline with area code like 010-12345678"
    ))
}

/// Splits and normalizes a phone cell. `default_region` (e.g. [`DEFAULT_REGION`])
/// is used for numbers without a country code; an unknown region means only
/// numbers written with `+`/`00` and a country code are accepted.
pub fn normalize_phones(raw: &str, default_region: &str) -> PhoneCell {
    let region = country::Id::from_str(&default_region.trim().to_ascii_uppercase()).ok();
    let cleaned = nfkc_clean(raw);
    let mut cell = PhoneCell::default();
    let push = |cell: &mut PhoneCell, number: String| {
        if !cell.numbers.contains(&number) {
            cell.numbers.push(number);
        }
    };
    for piece in SEPARATORS.split(&cleaned) {
        let piece = piece.trim();
        if piece.is_empty() {
            continue;
        }
        let text = LABEL.replace(piece, "").trim().to_string();
        if MASKED.is_match(&text) {
            cell.masked.push(piece.to_string());
            continue;
        }
        let text = match undo_excel_float(&text) {
            Ok(Some(digits)) => digits,
            Ok(None) => text,
            Err(reject) => {
                cell.rejected.push((piece.to_string(), reject));
                continue;
            }
        };
        if let Some(number) = parse_one(&text, region) {
            push(&mut cell, number);
        } else if let Some(numbers) = text
            .contains(' ')
            .then(|| split_on_spaces(&text, region))
            .flatten()
        {
            for number in numbers {
                push(&mut cell, number);
            }
        } else {
            cell.rejected.push((piece.to_string(), invalid(&text)));
        }
    }
    cell
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The anchored patterns answer what the metadata's own descriptors
    /// answer, for every 4-digit prefix, lengths 10 to 12 and odd text.
    #[test]
    fn anchored_patterns_answer_as_the_descriptors() {
        let meta = phonenumber::metadata::DATABASE.by_id("CN").unwrap();
        let d = meta.descriptors();
        let (general, mobile) = CN_MOBILE.as_ref().unwrap();
        let mut both = 0;
        for prefix in 1000..2000u32 {
            for tail in ["0013800", "5551234", "9999999", "000000", "12345678"] {
                let n = format!("{prefix}{tail}");
                assert_eq!(general.is_match(&n), d.general().is_match(&n), "{n}");
                let m = d.mobile().unwrap();
                assert_eq!(mobile.is_match(&n), m.is_match(&n), "{n}");
                both += usize::from(general.is_match(&n) && mobile.is_match(&n));
            }
        }
        assert!(both > 1000, "only {both} numbers matched");
        for odd in ["", "x13800138000", "13800138000x", "0101234567"] {
            assert_eq!(general.is_match(odd), d.general().is_match(odd), "{odd}");
        }
    }

    /// The mainland-mobile shortcut gives what the full parser gives, for
    /// every 4-digit prefix in every written form, and declines whatever it
    /// does not cover.
    #[test]
    fn cn_mobile_shortcut_agrees_with_the_parser() {
        let region = Some(country::Id::CN);
        let slow = |text: &str| -> Option<String> {
            let n = phonenumber::parse(region, text).ok()?;
            n.is_valid()
                .then(|| n.format().mode(phonenumber::Mode::E164).to_string())
        };
        let mut accepted = 0;
        for prefix in 1000..2000u32 {
            for tail in ["0013800", "5551234", "9999999"] {
                let d = format!("{prefix}{tail}");
                let forms = [
                    d.clone(),
                    format!("{}-{}-{}", &d[..3], &d[3..7], &d[7..]),
                    format!("{} {} {}", &d[..3], &d[3..7], &d[7..]),
                    format!("+86 {d}"),
                    format!("+86{d}"),
                    format!("+86-{}", &d),
                    format!("0086-{d}"),
                    format!("0086 {} {} {}", &d[..3], &d[3..7], &d[7..]),
                ];
                for f in forms {
                    // What the shortcut declines goes to the parser.
                    if let Some(fast) = cn_mobile(&f) {
                        assert_eq!(Some(fast), slow(&f), "{f}");
                        accepted += 1;
                    }
                }
            }
        }
        assert!(accepted > 5000, "the shortcut took only {accepted}");
        for other in [
            "1380013800",
            "138001380000",
            "13800138000-",
            "-13800138000",
            "86 13800138000",
            "(138)00138000",
            "13800138000 ext 1",
        ] {
            assert_eq!(cn_mobile(other), None, "{other}");
        }
    }

    const VALID: &[(&str, &[&str])] = &[
        ("+86 138-0013-8000", &["+8613800138000"]),
        ("138 0013 8000", &["+8613800138000"]),
        ("0086-13800138000", &["+8613800138000"]),
        ("+8613800138000", &["+8613800138000"]),
        ("13800138000", &["+8613800138000"]),
        ("１３８－００１３－８０００", &["+8613800138000"]),
        ("(010)12345678", &["+861012345678"]),
        ("（010）12345678", &["+861012345678"]),
        ("010-12345678", &["+861012345678"]),
        ("010-12345678-801", &["+861012345678"]),
        ("010-12345678转801", &["+861012345678"]),
        ("010-12345678 ext. 801", &["+861012345678"]),
        ("0755-88888888", &["+8675588888888"]),
        ("13800138000.0", &["+8613800138000"]),
        ("1.38001380E10", &["+8613800138000"]),
        ("1.38001380E+10", &["+8613800138000"]),
        ("手机：13800138000", &["+8613800138000"]),
        ("Tel: 010-12345678", &["+861012345678"]),
        (
            "13800138000/13900139000",
            &["+8613800138000", "+8613900139000"],
        ),
        (
            "13800138000, 13900139000",
            &["+8613800138000", "+8613900139000"],
        ),
        (
            "13800138000；13900139000",
            &["+8613800138000", "+8613900139000"],
        ),
        (
            "13800138000、010-12345678",
            &["+8613800138000", "+861012345678"],
        ),
        (
            "13800138000或13900139000",
            &["+8613800138000", "+8613900139000"],
        ),
        (
            "13800138000 13900139000",
            &["+8613800138000", "+8613900139000"],
        ),
        (
            "138 0013 8000 139 0013 9000",
            &["+8613800138000", "+8613900139000"],
        ),
        ("13800138000 / 13800138000", &["+8613800138000"]),
        ("+852 9123 4567", &["+85291234567"]),
        ("\u{200B}13800138000\u{FEFF}", &["+8613800138000"]),
    ];

    #[test]
    fn valid_numbers_table() {
        for (raw, expected) in VALID {
            let cell = normalize_phones(raw, DEFAULT_REGION);
            assert_eq!(cell.numbers, *expected, "{raw:?}: {cell:?}");
            assert!(cell.rejected.is_empty(), "{raw:?}: {cell:?}");
            assert!(cell.masked.is_empty(), "{raw:?}");
        }
    }

    const MASKED_CASES: &[(&str, &[&str])] = &[
        ("138****8000", &["138****8000"]),
        ("138xxxx8000", &["138xxxx8000"]),
        ("138****8000 / 13900139000", &["138****8000"]),
    ];

    #[test]
    fn masked_numbers_table() {
        for (raw, expected) in MASKED_CASES {
            let cell = normalize_phones(raw, DEFAULT_REGION);
            assert_eq!(cell.masked, *expected, "{raw:?}");
            assert!(cell.rejected.is_empty(), "{raw:?}");
        }
        let mixed = normalize_phones("138****8000 / 13900139000", DEFAULT_REGION);
        assert_eq!(mixed.numbers, vec!["+8613900139000"]);
    }

    const REJECTED: &[(&str, &str, &str)] = &[
        (
            "12345",
            "12345",
            "not a valid phone number (5 digits): expected an 11-digit mobile like 13800138000 or a landline with area code like 010-12345678",
        ),
        (
            "1380013800",
            "1380013800",
            "not a valid phone number (10 digits): expected an 11-digit mobile like 13800138000 or a landline with area code like 010-12345678",
        ),
        ("电话", "电话", "not a phone number: no digits"),
        ("wx: abc", "wx: abc", "not a phone number: no digits"),
        (
            "1.38E+10",
            "1.38E+10",
            "phone number mangled by Excel scientific notation: format the column as text",
        ),
        (
            "微信 abc123",
            "微信 abc123",
            "not a valid phone number (3 digits): expected an 11-digit mobile like 13800138000 or a landline with area code like 010-12345678",
        ),
    ];

    #[test]
    fn rejected_table() {
        for (raw, piece, reason) in REJECTED {
            let cell = normalize_phones(raw, DEFAULT_REGION);
            assert!(cell.numbers.is_empty(), "{raw:?}: {cell:?}");
            assert_eq!(
                cell.rejected,
                vec![(piece.to_string(), Reject::new(*reason))],
                "{raw:?}"
            );
        }
    }

    #[test]
    fn partly_valid_cell_keeps_both_sides() {
        let cell = normalize_phones("13800138000 / 12345", DEFAULT_REGION);
        assert_eq!(cell.numbers, vec!["+8613800138000"]);
        assert_eq!(cell.rejected.len(), 1);
        assert_eq!(cell.rejected[0].0, "12345");
    }

    #[test]
    fn region_parameter() {
        let us = normalize_phones("650-253-0000", "us");
        assert_eq!(us.numbers, vec!["+16502530000"]);
        let unknown = normalize_phones("13800138000", "ZZ");
        assert!(unknown.numbers.is_empty());
        let international = normalize_phones("+8613800138000", "ZZ");
        assert_eq!(international.numbers, vec!["+8613800138000"]);
        assert!(is_known_region("CN"));
        assert!(is_known_region("hk"));
        assert!(!is_known_region("ZZ"));
    }

    /// Found by fuzzing (`fuzz/`, target `phone`): with the default region
    /// CN, phonenumber read `+39) 0006 8002` as a valid Italian number and
    /// printed it as `+39068002`, another number that does not read back;
    /// and it refused real Italian numbers such as Rome's `+39 06 …`,
    /// stripping the 0 as if it were China's trunk prefix. A number with a
    /// `+` country code is read without the default region, and an E.164
    /// number normalizes to itself. Also found by fuzzing: `#+7 813 0018080`
    /// (the `+` behind a `#`) was read with the default region and printed
    /// as `+78130018080`, which reads back as no valid number at all.
    #[test]
    fn e164_numbers_read_back_as_themselves() {
        let cell = normalize_phones("+39) 0006 8002", DEFAULT_REGION);
        assert!(cell.numbers.is_empty(), "{cell:?}");
        assert_eq!(cell.rejected.len(), 1);
        for region in ["CN", "US", ""] {
            for n in normalize_phones("#+7 813 0018080", region).numbers {
                assert_eq!(
                    normalize_phones(&n, region).numbers,
                    std::slice::from_ref(&n),
                    "{region}"
                );
            }
        }
        let rome = normalize_phones("+39 06 6982 1234", DEFAULT_REGION);
        assert_eq!(rome.numbers, ["+390669821234"]);
        for raw in [
            "+39 06 6982 1234",
            "13800138000",
            "010-12345678",
            "+852 9123 4567",
        ] {
            for n in normalize_phones(raw, DEFAULT_REGION).numbers {
                assert_eq!(
                    normalize_phones(&n, DEFAULT_REGION).numbers,
                    std::slice::from_ref(&n)
                );
            }
        }
    }

    #[test]
    fn empty_cell_is_empty() {
        assert_eq!(normalize_phones("  ", DEFAULT_REGION), PhoneCell::default());
    }
}
