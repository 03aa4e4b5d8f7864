//! Application status cells: a pipeline [`Stage`] (投递 → 筛选 → 面试 → offer →
//! 入职), an [`Outcome`] at that stage (通过, 淘汰, 候选人放弃, 待定, 人才库 …)
//! and, for interviews, the round (一面/初试 = 1, 二面/复试 = 2, 终面/三面 = 3).
//! Phrases come from the `status` vocabulary table, whose codes name a stage,
//! an outcome, or both (`offer+declined`); a cell is scanned for one phrase of
//! each kind, so compound notations such as `一面通过` or `初筛不通过` need no
//! rows of their own. Yes/no columns (是否通过, 是否录用) are read by
//! [`parse_yes_no`].

use serde::{Deserialize, Serialize};

use super::{Reject, Table, Vocab, match_form};

/// How far an application got, in pipeline order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 已投递: the application exists.
    Applied,
    /// 简历筛选 / 初筛 / phone screen.
    Screening,
    /// Any interview round.
    Interview,
    /// An offer was made.
    Offer,
    /// The candidate joined.
    Hired,
}

/// What happened at the stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Still being processed.
    InProgress,
    /// Passed the stage (通过, 接受offer).
    Passed,
    /// We rejected the candidate (淘汰, 不通过, 不合适).
    Rejected,
    /// The candidate withdrew or declined (候选人放弃, 拒绝offer).
    Declined,
    /// Decision postponed (待定).
    OnHold,
    /// Kept for later (放人才库, 储备).
    TalentPool,
    /// Joined the company (已入职, 录用).
    Hired,
}

/// Stage codes accepted by the `status` table; `interview_N` carries the round.
pub const STAGE_CODES: &[&str] = &[
    "applied",
    "screening",
    "interview",
    "interview_1",
    "interview_2",
    "interview_3",
    "offer",
    "hired",
];

impl Stage {
    /// The stable snake_case code.
    pub fn code(self) -> &'static str {
        match self {
            Stage::Applied => "applied",
            Stage::Screening => "screening",
            Stage::Interview => "interview",
            Stage::Offer => "offer",
            Stage::Hired => "hired",
        }
    }

    /// The Chinese label used in reports.
    pub fn label_zh(self) -> &'static str {
        match self {
            Stage::Applied => "投递",
            Stage::Screening => "筛选",
            Stage::Interview => "面试",
            Stage::Offer => "Offer",
            Stage::Hired => "入职",
        }
    }
}

impl Outcome {
    /// Stable outcome codes accepted by the `status` table.
    pub const CODES: &'static [&'static str] = &[
        "in_progress",
        "passed",
        "rejected",
        "declined",
        "on_hold",
        "talent_pool",
        "hired",
    ];

    /// Every outcome, in [`Outcome::CODES`] order.
    pub const ALL: [Outcome; 7] = [
        Outcome::InProgress,
        Outcome::Passed,
        Outcome::Rejected,
        Outcome::Declined,
        Outcome::OnHold,
        Outcome::TalentPool,
        Outcome::Hired,
    ];

    /// The stable snake_case code.
    pub fn code(self) -> &'static str {
        Self::CODES[self as usize]
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<Outcome> {
        let index = Self::CODES.iter().position(|c| *c == code)?;
        Some(Self::ALL[index])
    }
}

/// Reads a stage code into a stage and round.
fn stage_from_code(code: &str) -> Option<(Stage, Option<u8>)> {
    Some(match code {
        "applied" => (Stage::Applied, None),
        "screening" => (Stage::Screening, None),
        "interview" => (Stage::Interview, None),
        "interview_1" => (Stage::Interview, Some(1)),
        "interview_2" => (Stage::Interview, Some(2)),
        "interview_3" => (Stage::Interview, Some(3)),
        "offer" => (Stage::Offer, None),
        "hired" => (Stage::Hired, None),
        _ => return None,
    })
}

/// A status cell read into stage, outcome and interview round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatusParsed {
    /// The stage named, if any (`淘汰` alone names none).
    pub stage: Option<Stage>,
    /// The outcome; `InProgress` when only a stage is named.
    pub outcome: Outcome,
    /// Interview round 1–3 when the cell names one.
    pub round: Option<u8>,
}

/// What a `status` table code says: a stage (with round), an outcome, or
/// both (`offer+declined`). `hired` is both the stage and the outcome.
pub(crate) type StatusCode = (Option<(Stage, Option<u8>)>, Option<Outcome>);

/// Parses a `status` table code.
pub(crate) fn parse_status_code(code: &str) -> Option<StatusCode> {
    if let Some((stage, outcome)) = code.split_once('+') {
        return Some((
            Some(stage_from_code(stage)?),
            Some(Outcome::from_code(outcome)?),
        ));
    }
    if let Some(stage) = stage_from_code(code) {
        return Some((Some(stage), None));
    }
    Some((None, Some(Outcome::from_code(code)?)))
}

/// Among `(length, value)` candidates, the longest; among equally long ones
/// the last mentioned, because `一面通过，待二面` is about the later step.
fn pick<T: Copy>(candidates: impl Iterator<Item = (usize, T)>) -> Option<T> {
    let mut best: Option<(usize, T)> = None;
    for (len, value) in candidates {
        if best.is_none_or(|(b, _)| len >= b) {
            best = Some((len, value));
        }
    }
    best.map(|(_, value)| value)
}

/// Reads a status cell such as `一面通过`, `简历筛选中`, `已发offer`,
/// `候选人放弃`, `放人才库` or `on hold`. An outcome of hired always means the
/// hired stage. Text naming neither a stage nor an outcome is rejected.
pub fn parse_status(raw: &str, vocab: &Vocab) -> Result<StatusParsed, Reject> {
    let form = match_form(raw);
    let hits: Vec<(usize, StatusCode)> = vocab
        .scan(Table::Status, &form)
        .iter()
        .filter_map(|h| {
            Some((
                h.entry.needle.chars().count(),
                parse_status_code(&h.entry.code)?,
            ))
        })
        .collect();
    let stage_hit = pick(
        hits.iter()
            .filter_map(|(len, (stage, _))| Some((*len, (*stage)?))),
    );
    let outcome_hit = pick(
        hits.iter()
            .filter_map(|(len, (_, outcome))| Some((*len, (*outcome)?))),
    );
    if stage_hit.is_none() && outcome_hit.is_none() {
        return Err(Reject::new(
            "not a status: expected phrases like 已投递, 初筛通过, 一面, 已发offer, 已入职, 淘汰, 候选人放弃 or 待定",
        ));
    }
    let (mut stage, round) = match stage_hit {
        Some((stage, round)) => (Some(stage), round),
        None => (None, None),
    };
    let mut outcome = outcome_hit.unwrap_or(Outcome::InProgress);
    if outcome == Outcome::Hired || stage == Some(Stage::Hired) {
        stage = Some(Stage::Hired);
        outcome = Outcome::Hired;
    }
    let round = if stage == Some(Stage::Interview) {
        round
    } else {
        None
    };
    Ok(StatusParsed {
        stage,
        outcome,
        round,
    })
}

/// Reads a yes/no cell (`是`/`否`, `通过`/`不通过`, `Y`/`N`, `√`/`×`, `1`/`0`)
/// through the `yes_no` table; the whole cell must match.
pub fn parse_yes_no(raw: &str, vocab: &Vocab) -> Result<bool, Reject> {
    let form = match_form(raw).replace(' ', "");
    match vocab
        .lookup_exact(Table::YesNo, &form)
        .map(|e| e.code.as_str())
    {
        Some("yes") => Ok(true),
        Some(_) => Ok(false),
        None => Err(Reject::new(
            "not a yes/no answer: expected 是/否, 通过/不通过 or Y/N",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Outcome::*;
    use Stage::*;

    type Case = (&'static str, Option<(Option<Stage>, Outcome, Option<u8>)>);
    const CASES: &[Case] = &[
        ("已投递", Some((Some(Applied), InProgress, None))),
        ("已投递简历", Some((Some(Applied), InProgress, None))),
        ("已沟通", Some((Some(Screening), InProgress, None))),
        ("简历筛选中", Some((Some(Screening), InProgress, None))),
        ("初筛通过", Some((Some(Screening), Passed, None))),
        ("简历通过", Some((Some(Screening), Passed, None))),
        ("初筛不通过", Some((Some(Screening), Rejected, None))),
        ("一面", Some((Some(Interview), InProgress, Some(1)))),
        ("初试", Some((Some(Interview), InProgress, Some(1)))),
        ("二面", Some((Some(Interview), InProgress, Some(2)))),
        ("复试", Some((Some(Interview), InProgress, Some(2)))),
        ("终面", Some((Some(Interview), InProgress, Some(3)))),
        ("一面通过", Some((Some(Interview), Passed, Some(1)))),
        ("复试未通过", Some((Some(Interview), Rejected, Some(2)))),
        ("一面通过，待二面", Some((Some(Interview), Passed, Some(2)))),
        ("面试通过", Some((Some(Interview), Passed, None))),
        ("面试中", Some((Some(Interview), InProgress, None))),
        ("待定", Some((None, OnHold, None))),
        ("面试待定", Some((Some(Interview), OnHold, None))),
        ("已发offer", Some((Some(Offer), InProgress, None))),
        ("发Offer", Some((Some(Offer), InProgress, None))),
        ("接受offer", Some((Some(Offer), Passed, None))),
        ("拒绝offer", Some((Some(Offer), Declined, None))),
        ("待入职", Some((Some(Offer), Passed, None))),
        ("已入职", Some((Some(Stage::Hired), Outcome::Hired, None))),
        ("入职", Some((Some(Stage::Hired), Outcome::Hired, None))),
        ("录用", Some((Some(Stage::Hired), Outcome::Hired, None))),
        ("已錄用", Some((Some(Stage::Hired), Outcome::Hired, None))),
        ("不录用", Some((None, Rejected, None))),
        ("淘汰", Some((None, Rejected, None))),
        ("一面淘汰", Some((Some(Interview), Rejected, Some(1)))),
        ("不通过", Some((None, Rejected, None))),
        ("未通过", Some((None, Rejected, None))),
        ("不合适", Some((None, Rejected, None))),
        ("候选人放弃", Some((None, Declined, None))),
        ("放弃", Some((None, Declined, None))),
        ("放人才库", Some((None, TalentPool, None))),
        ("储备", Some((None, TalentPool, None))),
        ("Applied", Some((Some(Applied), InProgress, None))),
        ("screening", Some((Some(Screening), InProgress, None))),
        ("Interview", Some((Some(Interview), InProgress, None))),
        (
            "Final interview",
            Some((Some(Interview), InProgress, Some(3))),
        ),
        ("Offer", Some((Some(Offer), InProgress, None))),
        ("Offer declined", Some((Some(Offer), Declined, None))),
        ("Hired", Some((Some(Stage::Hired), Outcome::Hired, None))),
        ("Rejected", Some((None, Rejected, None))),
        ("withdrawn", Some((None, Declined, None))),
        ("On Hold", Some((None, OnHold, None))),
        ("", None),
        ("看情况", None),
        ("offers", None),
        ("123", None),
    ];

    #[test]
    fn parse_status_table() {
        let vocab = Vocab::builtin();
        for (raw, expected) in CASES {
            let got = parse_status(raw, vocab)
                .ok()
                .map(|s| (s.stage, s.outcome, s.round));
            assert_eq!(got, *expected, "{raw:?}");
        }
    }

    #[test]
    fn status_reject_reason() {
        let err = parse_status("看情况", Vocab::builtin()).unwrap_err();
        assert!(
            err.reason
                .starts_with("not a status: expected phrases like")
        );
    }

    const YES_NO: &[(&str, Option<bool>)] = &[
        ("是", Some(true)),
        ("否", Some(false)),
        ("通过", Some(true)),
        ("不通过", Some(false)),
        ("Y", Some(true)),
        ("n", Some(false)),
        ("Yes", Some(true)),
        ("NO", Some(false)),
        ("√", Some(true)),
        ("×", Some(false)),
        ("1", Some(true)),
        ("0", Some(false)),
        (" 是 ", Some(true)),
        ("", None),
        ("是否", None),
        ("maybe", None),
        ("待定", None),
    ];

    #[test]
    fn parse_yes_no_table() {
        let vocab = Vocab::builtin();
        for (raw, expected) in YES_NO {
            assert_eq!(parse_yes_no(raw, vocab).ok(), *expected, "{raw:?}");
        }
    }

    #[test]
    fn stages_are_ordered_and_coded() {
        assert!(Applied < Screening && Screening < Interview);
        assert!(Interview < Offer && Offer < Stage::Hired);
        assert_eq!(Interview.code(), "interview");
        assert_eq!(Offer.label_zh(), "Offer");
        for outcome in Outcome::ALL {
            assert_eq!(Outcome::from_code(outcome.code()), Some(outcome));
        }
        for code in STAGE_CODES {
            assert!(stage_from_code(code).is_some(), "{code}");
        }
    }

    const CODES: &[(&str, Option<StatusCode>)] = &[
        ("screening", Some((Some((Screening, None)), None))),
        ("interview_2", Some((Some((Interview, Some(2))), None))),
        ("on_hold", Some((None, Some(OnHold)))),
        ("hired", Some((Some((Stage::Hired, None)), None))),
        (
            "offer+declined",
            Some((Some((Offer, None)), Some(Declined))),
        ),
        ("declined+offer", None),
        ("offer+", None),
        ("interview_4", None),
        ("", None),
    ];

    #[test]
    fn status_code_table() {
        for (code, expected) in CODES {
            assert_eq!(parse_status_code(code), *expected, "{code:?}");
        }
    }

    #[test]
    fn override_changes_meaning() {
        let extra: toml::Table = r#""拒绝" = "rejected""#.parse().unwrap();
        assert!(parse_status("拒绝", Vocab::builtin()).is_err());
        let vocab = Vocab::builtin().with_overrides("status", &extra).unwrap();
        assert_eq!(parse_status("拒绝", &vocab).unwrap().outcome, Rejected);
    }
}
