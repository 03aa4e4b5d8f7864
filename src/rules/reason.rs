//! Rejection reasons in the two-level taxonomy used by ATS products (a
//! rejection *type*: we rejected / the candidate declined / other, plus a
//! *reason code*). Free-text reasons are classified by the longest phrase of
//! the `reasons` vocabulary table found in the cell. Classification never
//! fails: text without a known phrase is `Other`/`Other`, and the caller keeps
//! the raw text next to it.

use serde::{Deserialize, Serialize};

use super::{Table, Vocab, match_form};

/// Who ended the process.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectionType {
    /// 我们拒绝了候选人.
    WeRejected,
    /// 候选人拒绝了我们 (withdrew, declined the offer, did not show up).
    CandidateDeclined,
    /// Neither (duplicates, spam, unclassified text).
    Other,
}

impl RejectionType {
    /// Stable codes, usable as prefixes in the `reasons` table.
    pub const CODES: &'static [&'static str] = &["we_rejected", "candidate_declined", "other"];

    /// Every type, in [`RejectionType::CODES`] order.
    pub const ALL: [RejectionType; 3] = [
        RejectionType::WeRejected,
        RejectionType::CandidateDeclined,
        RejectionType::Other,
    ];

    /// The stable snake_case code.
    pub fn code(self) -> &'static str {
        Self::CODES[self as usize]
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<RejectionType> {
        let index = Self::CODES.iter().position(|c| *c == code)?;
        Some(Self::ALL[index])
    }
}

/// The reason behind a rejection or withdrawal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonCode {
    /// The job was filled, frozen or closed (岗位已满, HC冻结).
    HeadcountFilled,
    /// Salary expectations and budget did not meet (薪资期望过高, 薪资没谈拢).
    SalaryMismatch,
    /// Missing skills (技术能力不足).
    SkillsGap,
    /// Too little experience or too low a degree (经验不足, 学历不符).
    ExperienceGap,
    /// Interview or test went badly (面试表现一般, 笔试未通过).
    InterviewPerformance,
    /// Values, stability or attitude (价值观不符, 跳槽频繁).
    CultureFit,
    /// Did not attend (未到面, 爽约).
    NoShow,
    /// Could not be contacted (联系不上, 无人接听).
    Unreachable,
    /// Declined our offer or took another one (已接其他offer).
    OfferDeclined,
    /// A duplicate application (重复简历).
    Duplicate,
    /// Anything else.
    Other,
}

impl ReasonCode {
    /// Stable snake_case codes, in declaration order.
    pub const CODES: &'static [&'static str] = &[
        "headcount_filled",
        "salary_mismatch",
        "skills_gap",
        "experience_gap",
        "interview_performance",
        "culture_fit",
        "no_show",
        "unreachable",
        "offer_declined",
        "duplicate",
        "other",
    ];

    /// Every code, in [`ReasonCode::CODES`] order.
    pub const ALL: [ReasonCode; 11] = [
        ReasonCode::HeadcountFilled,
        ReasonCode::SalaryMismatch,
        ReasonCode::SkillsGap,
        ReasonCode::ExperienceGap,
        ReasonCode::InterviewPerformance,
        ReasonCode::CultureFit,
        ReasonCode::NoShow,
        ReasonCode::Unreachable,
        ReasonCode::OfferDeclined,
        ReasonCode::Duplicate,
        ReasonCode::Other,
    ];

    /// The stable snake_case code.
    pub fn code(self) -> &'static str {
        Self::CODES[self as usize]
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<ReasonCode> {
        let index = Self::CODES.iter().position(|c| *c == code)?;
        Some(Self::ALL[index])
    }

    /// The type a reason has unless the table says otherwise.
    pub fn default_type(self) -> RejectionType {
        match self {
            ReasonCode::NoShow | ReasonCode::Unreachable | ReasonCode::OfferDeclined => {
                RejectionType::CandidateDeclined
            }
            ReasonCode::Duplicate | ReasonCode::Other => RejectionType::Other,
            _ => RejectionType::WeRejected,
        }
    }
}

/// Reads a `reasons` table code: `code` or `type:code`.
pub(crate) fn parse_reason_code(value: &str) -> Option<(RejectionType, ReasonCode)> {
    match value.split_once(':') {
        Some((kind, code)) => Some((
            RejectionType::from_code(kind)?,
            ReasonCode::from_code(code)?,
        )),
        None => {
            let code = ReasonCode::from_code(value)?;
            Some((code.default_type(), code))
        }
    }
}

/// A classified rejection reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReasonParsed {
    /// Who ended the process.
    pub kind: RejectionType,
    /// Why.
    pub code: ReasonCode,
    /// The table phrase that decided, as written in the table; `None` when
    /// nothing matched.
    pub matched_phrase: Option<String>,
}

/// Classifies a free-text rejection reason by the longest known phrase in it.
pub fn classify_reason(raw: &str, vocab: &Vocab) -> ReasonParsed {
    let form = match_form(raw);
    let found = vocab
        .find_longest(Table::Reasons, &form)
        .and_then(|hit| parse_reason_code(&hit.entry.code).map(|c| (c, hit.entry.phrase.clone())));
    match found {
        Some(((kind, code), phrase)) => ReasonParsed {
            kind,
            code,
            matched_phrase: Some(phrase),
        },
        None => ReasonParsed {
            kind: RejectionType::Other,
            code: ReasonCode::Other,
            matched_phrase: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ReasonCode as C;
    use RejectionType as T;

    const CASES: &[(&str, T, C, Option<&str>)] = &[
        (
            "岗位已满",
            T::WeRejected,
            C::HeadcountFilled,
            Some("岗位已满"),
        ),
        ("已招满", T::WeRejected, C::HeadcountFilled, Some("已招满")),
        ("HC冻结", T::WeRejected, C::HeadcountFilled, Some("hc冻结")),
        (
            "岗位关闭了",
            T::WeRejected,
            C::HeadcountFilled,
            Some("岗位关闭"),
        ),
        (
            "有更合适人选",
            T::WeRejected,
            C::HeadcountFilled,
            Some("有更合适人选"),
        ),
        (
            "薪资期望过高",
            T::WeRejected,
            C::SalaryMismatch,
            Some("薪资期望过高"),
        ),
        (
            "期望薪资超预算",
            T::WeRejected,
            C::SalaryMismatch,
            Some("期望薪资超预算"),
        ),
        (
            "薪资没谈拢",
            T::CandidateDeclined,
            C::SalaryMismatch,
            Some("薪资没谈拢"),
        ),
        (
            "技术能力不足",
            T::WeRejected,
            C::SkillsGap,
            Some("技术能力不足"),
        ),
        (
            "专业能力不匹配",
            T::WeRejected,
            C::SkillsGap,
            Some("专业能力不匹配"),
        ),
        (
            "经验不足",
            T::WeRejected,
            C::ExperienceGap,
            Some("经验不足"),
        ),
        (
            "相关工作经验不足",
            T::WeRejected,
            C::ExperienceGap,
            Some("工作经验不足"),
        ),
        (
            "学历不符",
            T::WeRejected,
            C::ExperienceGap,
            Some("学历不符"),
        ),
        (
            "面试表现一般",
            T::WeRejected,
            C::InterviewPerformance,
            Some("面试表现一般"),
        ),
        (
            "沟通能力欠佳",
            T::WeRejected,
            C::InterviewPerformance,
            Some("沟通能力欠佳"),
        ),
        (
            "笔试未通过",
            T::WeRejected,
            C::InterviewPerformance,
            Some("笔试未通过"),
        ),
        (
            "价值观不符",
            T::WeRejected,
            C::CultureFit,
            Some("价值观不符"),
        ),
        (
            "文化不匹配",
            T::WeRejected,
            C::CultureFit,
            Some("文化不匹配"),
        ),
        (
            "稳定性差，跳槽频繁",
            T::WeRejected,
            C::CultureFit,
            Some("稳定性差"),
        ),
        ("未到面", T::CandidateDeclined, C::NoShow, Some("未到面")),
        ("候选人爽约", T::CandidateDeclined, C::NoShow, Some("爽约")),
        (
            "联系不上",
            T::CandidateDeclined,
            C::Unreachable,
            Some("联系不上"),
        ),
        (
            "多次电话无人接听",
            T::CandidateDeclined,
            C::Unreachable,
            Some("无人接听"),
        ),
        (
            "已接其他offer",
            T::CandidateDeclined,
            C::OfferDeclined,
            Some("已接其他offer"),
        ),
        (
            "已接其他Offer",
            T::CandidateDeclined,
            C::OfferDeclined,
            Some("已接其他offer"),
        ),
        (
            "候选人放弃",
            T::CandidateDeclined,
            C::OfferDeclined,
            Some("候选人放弃"),
        ),
        (
            "拒绝offer",
            T::CandidateDeclined,
            C::OfferDeclined,
            Some("拒绝offer"),
        ),
        ("重复简历", T::Other, C::Duplicate, Some("重复简历")),
        (
            "Salary expectations too high",
            T::WeRejected,
            C::SalaryMismatch,
            Some("salary expectations too high"),
        ),
        (
            "Did not attend interview",
            T::CandidateDeclined,
            C::NoShow,
            Some("did not attend interview"),
        ),
        (
            "Position filled",
            T::WeRejected,
            C::HeadcountFilled,
            Some("position filled"),
        ),
        (
            "经驗不足",
            T::WeRejected,
            C::ExperienceGap,
            Some("经验不足"),
        ),
        (
            "薪資期望過高",
            T::WeRejected,
            C::SalaryMismatch,
            Some("薪资期望过高"),
        ),
        ("个人原因", T::Other, C::Other, None),
        ("", T::Other, C::Other, None),
        ("spammer", T::Other, C::Other, None),
    ];

    #[test]
    fn classify_reason_table() {
        let vocab = Vocab::builtin();
        for (raw, kind, code, phrase) in CASES {
            let got = classify_reason(raw, vocab);
            let expected = ReasonParsed {
                kind: *kind,
                code: *code,
                matched_phrase: phrase.map(str::to_string),
            };
            assert_eq!(got, expected, "{raw:?}");
        }
    }

    #[test]
    fn longest_phrase_wins() {
        // 工作经验不足 (experience) is longer than any other phrase inside it.
        let got = classify_reason("工作经验不足，技术不足", Vocab::builtin());
        assert_eq!(got.code, C::ExperienceGap);
    }

    const CODES: &[(&str, Option<(T, C)>)] = &[
        ("no_show", Some((T::CandidateDeclined, C::NoShow))),
        ("skills_gap", Some((T::WeRejected, C::SkillsGap))),
        ("duplicate", Some((T::Other, C::Duplicate))),
        (
            "candidate_declined:salary_mismatch",
            Some((T::CandidateDeclined, C::SalaryMismatch)),
        ),
        ("other:skills_gap", Some((T::Other, C::SkillsGap))),
        ("we_rejected:", None),
        ("declined:salary_mismatch", None),
        ("salary", None),
    ];

    #[test]
    fn reason_code_table() {
        for (value, expected) in CODES {
            assert_eq!(parse_reason_code(value), *expected, "{value:?}");
        }
        for code in ReasonCode::ALL {
            assert_eq!(ReasonCode::from_code(code.code()), Some(code));
        }
        for kind in RejectionType::ALL {
            assert_eq!(RejectionType::from_code(kind.code()), Some(kind));
        }
        assert_eq!(C::HeadcountFilled.code(), "headcount_filled");
    }
}
