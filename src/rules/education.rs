//! Education levels: the ordered Chinese scale 初中及以下 < 高中/中专 < 大专 <
//! 本科 < 硕士 < 博士 (with English equivalents), read through the
//! `education` vocabulary table. Study-mode words such as 全日制, 统招, 自考
//! or 在读 come from the `education_modifiers` table; they are removed before
//! the level is looked up and returned as modifier codes.

use serde::{Deserialize, Serialize};

use super::{Reject, Table, Vocab, match_form};

/// Highest education level, ordered from lowest to highest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Education {
    /// 初中及以下.
    BelowHighSchool,
    /// 高中, 中专, 中技, 职高, 技校.
    HighSchool,
    /// 大专, 专科, 高职.
    Associate,
    /// 本科, 学士.
    Bachelor,
    /// 硕士, 研究生, MBA/EMBA.
    Master,
    /// 博士.
    Doctorate,
}

/// Modifier codes accepted by the `education_modifiers` table.
pub const MODIFIER_CODES: &[&str] = &[
    "full_time",
    "part_time",
    "unified_admission",
    "self_study_exam",
    "adult_exam",
    "correspondence",
    "online",
    "in_progress",
    "incomplete",
];

impl Education {
    /// Every level, lowest first.
    pub const ALL: [Education; 6] = [
        Education::BelowHighSchool,
        Education::HighSchool,
        Education::Associate,
        Education::Bachelor,
        Education::Master,
        Education::Doctorate,
    ];

    /// Stable codes used in the `education` table, lowest first.
    pub const CODES: &'static [&'static str] = &[
        "below_high_school",
        "high_school",
        "associate",
        "bachelor",
        "master",
        "doctorate",
    ];

    /// The stable snake_case code.
    pub fn code(self) -> &'static str {
        Self::CODES[self as usize]
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<Education> {
        let index = Self::CODES.iter().position(|c| *c == code)?;
        Some(Self::ALL[index])
    }

    /// The usual Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            Education::BelowHighSchool => "初中及以下",
            Education::HighSchool => "高中/中专",
            Education::Associate => "大专",
            Education::Bachelor => "本科",
            Education::Master => "硕士",
            Education::Doctorate => "博士",
        }
    }

    /// The English label.
    pub fn label_en(self) -> &'static str {
        match self {
            Education::BelowHighSchool => "Below high school",
            Education::HighSchool => "High school / vocational",
            Education::Associate => "Associate",
            Education::Bachelor => "Bachelor",
            Education::Master => "Master",
            Education::Doctorate => "Doctorate",
        }
    }
}

/// An education cell: the level plus the modifier codes found next to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EducationParsed {
    /// The highest level named in the cell.
    pub level: Education,
    /// Modifier codes (`full_time`, `part_time`, `unified_admission`, …) in
    /// the order they appear, without repeats.
    pub modifiers: Vec<String>,
}

/// Reads an education cell such as `统招本科`, `硕士（非全日制）`, `MBA` or
/// `PhD`. When several levels are named the highest wins (`博士研究生` is a
/// doctorate, `本科/硕士` a master).
pub fn parse_education(raw: &str, vocab: &Vocab) -> Result<EducationParsed, Reject> {
    let form = match_form(raw);
    let mut modifiers: Vec<String> = Vec::new();
    let mut rest = String::with_capacity(form.len());
    let mut last = 0;
    for hit in vocab.scan(Table::EducationModifiers, &form) {
        if !modifiers.contains(&hit.entry.code) {
            modifiers.push(hit.entry.code.clone());
        }
        rest.push_str(&form[last..hit.start]);
        // A space keeps the words on either side apart for boundary checks.
        rest.push(' ');
        last = hit.end;
    }
    rest.push_str(&form[last..]);

    let level = vocab
        .scan(Table::Education, &rest)
        .iter()
        .filter_map(|hit| Education::from_code(&hit.entry.code))
        .max()
        .ok_or_else(|| {
            Reject::new("not an education level: expected 初中, 高中/中专, 大专, 本科, 硕士, 博士 or bachelor/master/phd")
        })?;
    Ok(EducationParsed { level, modifiers })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Education::*;

    type Case = (&'static str, Option<(Education, &'static [&'static str])>);
    const CASES: &[Case] = &[
        ("初中及以下", Some((BelowHighSchool, &[]))),
        ("初中", Some((BelowHighSchool, &[]))),
        ("高中", Some((HighSchool, &[]))),
        ("中专", Some((HighSchool, &[]))),
        ("中技", Some((HighSchool, &[]))),
        ("职高", Some((HighSchool, &[]))),
        ("技校", Some((HighSchool, &[]))),
        ("大专", Some((Associate, &[]))),
        ("专科", Some((Associate, &[]))),
        ("高职", Some((Associate, &[]))),
        ("本科", Some((Bachelor, &[]))),
        ("学士", Some((Bachelor, &[]))),
        ("统招本科", Some((Bachelor, &["unified_admission"]))),
        ("本科（全日制）", Some((Bachelor, &["full_time"]))),
        ("全日制本科", Some((Bachelor, &["full_time"]))),
        ("非全日制本科", Some((Bachelor, &["part_time"]))),
        ("自考本科", Some((Bachelor, &["self_study_exam"]))),
        ("成考大专", Some((Associate, &["adult_exam"]))),
        ("函授本科", Some((Bachelor, &["correspondence"]))),
        ("网络教育 本科", Some((Bachelor, &["online"]))),
        ("本科在读", Some((Bachelor, &["in_progress"]))),
        ("硕士", Some((Master, &[]))),
        ("研究生", Some((Master, &[]))),
        ("硕士研究生", Some((Master, &[]))),
        ("MBA", Some((Master, &[]))),
        ("EMBA（非全日制）", Some((Master, &["part_time"]))),
        ("Master", Some((Master, &[]))),
        ("master's degree", Some((Master, &[]))),
        ("博士", Some((Doctorate, &[]))),
        ("博士研究生", Some((Doctorate, &[]))),
        ("PhD", Some((Doctorate, &[]))),
        ("Ph.D.", Some((Doctorate, &[]))),
        ("doctor", Some((Doctorate, &[]))),
        ("Bachelor of Science", Some((Bachelor, &[]))),
        ("High School", Some((HighSchool, &[]))),
        ("本科/硕士", Some((Master, &[]))),
        ("碩士", Some((Master, &[]))),
        (
            "统招全日制硕士在读",
            Some((Master, &["unified_admission", "full_time", "in_progress"])),
        ),
        ("", None),
        ("大学", None),
        ("全日制", None),
        ("自考", None),
        ("masterchef", None),
        ("985", None),
    ];

    #[test]
    fn parse_education_table() {
        let vocab = Vocab::builtin();
        for (raw, expected) in CASES {
            let got = parse_education(raw, vocab).ok();
            let expected = expected.map(|(level, mods)| EducationParsed {
                level,
                modifiers: mods.iter().map(|m| m.to_string()).collect(),
            });
            assert_eq!(got, expected, "{raw:?}");
        }
    }

    #[test]
    fn levels_are_ordered() {
        assert!(BelowHighSchool < HighSchool);
        assert!(HighSchool < Associate);
        assert!(Associate < Bachelor);
        assert!(Bachelor < Master);
        assert!(Master < Doctorate);
    }

    #[test]
    fn codes_and_labels() {
        for level in Education::ALL {
            assert_eq!(Education::from_code(level.code()), Some(level));
        }
        assert_eq!(Bachelor.code(), "bachelor");
        assert_eq!(Master.label_zh(), "硕士");
        assert_eq!(Doctorate.label_en(), "Doctorate");
        assert_eq!(Education::from_code("phd"), None);
    }

    #[test]
    fn override_adds_a_level_phrase() {
        let extra: toml::Table = r#""双学位" = "bachelor""#.parse().unwrap();
        let vocab = Vocab::builtin()
            .with_overrides("education", &extra)
            .unwrap();
        assert_eq!(parse_education("双学位", &vocab).unwrap().level, Bachelor);
        assert!(parse_education("双学位", Vocab::builtin()).is_err());
    }
}
