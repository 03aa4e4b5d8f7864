//! Contact-log cells: the result of a call or message (`接通`, `未接`,
//! `同意面试`, `要求不再联系` …, through the `contact_results` vocabulary
//! table) and the channel it went through (`电话`, `微信`, `邮件` …).
//!
//! What a result *does* — cooldown, consent, leaving a recall list — is
//! decided by [`crate::contacts`]; here a cell only becomes a code.

use super::{Reject, Table, Vocab, match_form};

/// What happened when HR called or messaged a candidate.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum ContactOutcome {
    Reached,
    NoAnswer,
    Busy,
    WrongNumber,
    MessageSent,
    Considering,
    AgreedToInterview,
    Declined,
    Joined,
    OptOut,
}

impl ContactOutcome {
    /// Stable codes, as used in the `contact_results` table and in events.
    pub const CODES: &'static [&'static str] = &[
        "reached",
        "no_answer",
        "busy",
        "wrong_number",
        "message_sent",
        "considering",
        "agreed_to_interview",
        "declined",
        "joined",
        "opt_out",
    ];

    const ALL: [ContactOutcome; 10] = [
        ContactOutcome::Reached,
        ContactOutcome::NoAnswer,
        ContactOutcome::Busy,
        ContactOutcome::WrongNumber,
        ContactOutcome::MessageSent,
        ContactOutcome::Considering,
        ContactOutcome::AgreedToInterview,
        ContactOutcome::Declined,
        ContactOutcome::Joined,
        ContactOutcome::OptOut,
    ];

    /// The stable snake_case code.
    pub fn code(self) -> &'static str {
        Self::CODES[self as usize]
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<ContactOutcome> {
        let i = Self::CODES.iter().position(|c| *c == code)?;
        Some(Self::ALL[i])
    }
}

/// The drop-down values of a recall workbook's `outcome` column. Each is a
/// phrase of the `contact_results` table, so a returned workbook is read
/// with the same vocabulary as a contact log.
pub const RECALL_OUTCOMES: &[&str] = &[
    "agreed_to_reinterview",
    "joined",
    "declined",
    "no_answer",
    "wrong_number",
    "opt_out",
];

/// Reads a contact result cell: the whole cell as a known phrase, else the
/// longest known phrase inside it. Anything else is refused, never guessed.
pub fn parse_contact_result(raw: &str, vocab: &Vocab) -> Result<ContactOutcome, Reject> {
    let form = match_form(raw);
    let exact = vocab.lookup_exact(Table::ContactResults, &form.replace(' ', ""));
    let entry = exact
        .or_else(|| vocab.lookup_exact(Table::ContactResults, &form))
        .or_else(|| {
            vocab
                .find_longest(Table::ContactResults, &form)
                .map(|h| h.entry)
        });
    entry
        .and_then(|e| ContactOutcome::from_code(&e.code))
        .ok_or_else(|| {
            Reject::new(format!(
                "not a contact result: expected one of {} (or 接通, 未接, 同意面试, 拒绝, 要求不再联系 …)",
                ContactOutcome::CODES.join(", ")
            ))
        })
}

/// How a contact was made.
pub const CHANNEL_CODES: &[&str] = &["phone", "wechat", "sms", "email", "in_person", "other"];

/// Reads a channel cell (`电话`, `微信`, `短信`, `邮件`, `面谈`, `phone` …);
/// text that names no known channel is `other`, its words kept by the caller.
pub fn parse_channel(raw: &str) -> &'static str {
    let form = match_form(raw);
    let has = |words: &[&str]| words.iter().any(|w| form.contains(w));
    if has(&["微信", "wechat", "weixin", "wx"]) {
        "wechat"
    } else if has(&["短信", "sms", "text message"]) {
        "sms"
    } else if has(&["邮件", "邮箱", "email", "e-mail", "mail"]) {
        "email"
    } else if has(&["电话", "致电", "手机", "来电", "phone", "call", "tel"]) {
        "phone"
    } else if has(&["面谈", "当面", "现场", "in person"]) {
        "in_person"
    } else {
        "other"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(raw: &str) -> Option<&'static str> {
        parse_contact_result(raw, Vocab::builtin())
            .ok()
            .map(ContactOutcome::code)
    }

    #[test]
    fn contact_results_are_read_from_common_notations() {
        assert_eq!(result("接通"), Some("reached"));
        assert_eq!(result("未接通"), Some("no_answer"));
        assert_eq!(result(" 未接 "), Some("no_answer"));
        assert_eq!(result("同意面试"), Some("agreed_to_interview"));
        assert_eq!(result("agreed_to_reinterview"), Some("agreed_to_interview"));
        assert_eq!(result("已拒绝（已找到工作）"), Some("declined"));
        assert_eq!(result("要求不再联系"), Some("opt_out"));
        assert_eq!(result("No Answer"), Some("no_answer"));
        assert_eq!(result("空号"), Some("wrong_number"));
    }

    #[test]
    fn every_recall_drop_down_value_is_a_known_result() {
        for v in RECALL_OUTCOMES {
            assert!(result(v).is_some(), "{v}");
        }
    }

    #[test]
    fn unknown_results_are_refused_not_guessed() {
        assert_eq!(result("？？"), None);
        assert_eq!(result("maybe later"), None);
        let e = parse_contact_result("回头再说吧", Vocab::builtin()).unwrap_err();
        assert!(e.reason.contains("agreed_to_interview"), "{e}");
    }

    #[test]
    fn channels_map_to_codes() {
        assert_eq!(parse_channel("电话"), "phone");
        assert_eq!(parse_channel("微信语音"), "wechat");
        assert_eq!(parse_channel("Email"), "email");
        assert_eq!(parse_channel("短信"), "sms");
        assert_eq!(parse_channel("飞书"), "other");
    }
}
