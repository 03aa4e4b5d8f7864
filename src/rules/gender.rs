//! Gender cells: `男`/`女`, `男性`/`女性`, `M`/`F`, `male`/`female` and the
//! courtesy titles `先生`/`女士`/`小姐`, read through the `gender` vocabulary
//! table. The whole cell must be one known value; anything else is rejected
//! rather than guessed.

use serde::{Deserialize, Serialize};

use super::{Reject, Table, Vocab, match_form};

/// A candidate's gender as recorded in the source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    /// 男.
    Male,
    /// 女.
    Female,
}

impl Gender {
    /// Stable codes used in the `gender` vocabulary table and in outputs.
    pub const CODES: &'static [&'static str] = &["male", "female"];

    /// The stable code, `male` or `female`.
    pub fn code(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
        }
    }

    /// The Chinese label, `男` or `女`.
    pub fn label_zh(self) -> &'static str {
        match self {
            Gender::Male => "男",
            Gender::Female => "女",
        }
    }

    /// Parses a stable code back into a gender.
    pub fn from_code(code: &str) -> Option<Gender> {
        match code {
            "male" => Some(Gender::Male),
            "female" => Some(Gender::Female),
            _ => None,
        }
    }
}

/// Reads a gender cell; unknown text is rejected.
pub fn parse_gender(raw: &str, vocab: &Vocab) -> Result<Gender, Reject> {
    let form = match_form(raw).replace(' ', "");
    vocab
        .lookup_exact(Table::Gender, &form)
        .and_then(|e| Gender::from_code(&e.code))
        .ok_or_else(|| Reject::new("not a gender: expected 男/女, 男性/女性, M/F or male/female"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CASES: &[(&str, Option<Gender>)] = &[
        ("男", Some(Gender::Male)),
        ("女", Some(Gender::Female)),
        (" 男性 ", Some(Gender::Male)),
        ("女性", Some(Gender::Female)),
        ("M", Some(Gender::Male)),
        ("f", Some(Gender::Female)),
        ("Male", Some(Gender::Male)),
        ("FEMALE", Some(Gender::Female)),
        ("先生", Some(Gender::Male)),
        ("女士", Some(Gender::Female)),
        ("小姐", Some(Gender::Female)),
        ("ｍ", Some(Gender::Male)),
        ("男 ", Some(Gender::Male)),
        ("", None),
        ("未知", None),
        ("男女", None),
        ("男/女", None),
        ("mf", None),
        ("1", None),
    ];

    #[test]
    fn parse_gender_table() {
        let vocab = Vocab::builtin();
        for (raw, expected) in CASES {
            let got = parse_gender(raw, vocab).ok();
            assert_eq!(got, *expected, "{raw:?}");
        }
    }

    #[test]
    fn reject_reason_names_expected_values() {
        let err = parse_gender("其他", Vocab::builtin()).unwrap_err();
        assert_eq!(
            err.reason,
            "not a gender: expected 男/女, 男性/女性, M/F or male/female"
        );
    }

    #[test]
    fn codes_round_trip() {
        for code in Gender::CODES {
            assert_eq!(Gender::from_code(code).unwrap().code(), *code);
        }
        assert_eq!(Gender::Female.label_zh(), "女");
    }
}
