//! Canonical names: the input fields a source column can map to, and the
//! columns of every output table.
//!
//! No other module spells a column name as a string literal; they use the
//! constants here, so renaming a column is a one-line change and a typo is a
//! compile error.

use std::fmt;
use std::str::FromStr;

/// A canonical input field: what a source column means once its header has
/// been recognised. The `match` in [`Field::name`] is the registry; the
/// header synonyms live in `src/ingest/headers.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Name,
    FamilyName,
    GivenName,
    Gender,
    BirthDate,
    Age,
    Phone,
    Email,
    Wechat,
    IdNumber,
    City,
    Address,
    Postcode,
    Education,
    School,
    Major,
    YearsExperience,
    CurrentCompany,
    CurrentTitle,
    Skills,
    ExpectedSalary,
    SourceChannel,
    Position,
    Department,
    AppliedAt,
    Status,
    RejectionReason,
    Interviewer,
    InterviewAt,
    InterviewRound,
    ScoreTechnical,
    ScoreBusiness,
    ScoreCommunication,
    ScoreTeamwork,
    ScoreCulture,
    ScoreOverall,
    Comment,
    DecidedBy,
    DecidedAt,
    OnboardAt,
    Notes,
    // Positions sheets.
    PositionId,
    JobFamily,
    RequiredSkills,
    NiceSkills,
    MinYears,
    EducationMin,
    Budget,
    PositionStatus,
    OpenedAt,
    Headcount,
    Weights,
    TitleAliases,
    // Contact logs and returned recall workbooks.
    CandidateId,
    ContactAt,
    ContactChannel,
    ContactedBy,
    ContactResult,
    ReinterviewAt,
    ReinterviewBy,
    /// The day a recall list was written (a returned recall workbook).
    ListedAt,
}

impl Field {
    /// Every field, in a stable order (used for help text and validation).
    pub const ALL: &'static [Field] = &[
        Field::Name,
        Field::FamilyName,
        Field::GivenName,
        Field::Gender,
        Field::BirthDate,
        Field::Age,
        Field::Phone,
        Field::Email,
        Field::Wechat,
        Field::IdNumber,
        Field::City,
        Field::Address,
        Field::Postcode,
        Field::Education,
        Field::School,
        Field::Major,
        Field::YearsExperience,
        Field::CurrentCompany,
        Field::CurrentTitle,
        Field::Skills,
        Field::ExpectedSalary,
        Field::SourceChannel,
        Field::Position,
        Field::Department,
        Field::AppliedAt,
        Field::Status,
        Field::RejectionReason,
        Field::Interviewer,
        Field::InterviewAt,
        Field::InterviewRound,
        Field::ScoreTechnical,
        Field::ScoreBusiness,
        Field::ScoreCommunication,
        Field::ScoreTeamwork,
        Field::ScoreCulture,
        Field::ScoreOverall,
        Field::Comment,
        Field::DecidedBy,
        Field::DecidedAt,
        Field::OnboardAt,
        Field::Notes,
        Field::PositionId,
        Field::JobFamily,
        Field::RequiredSkills,
        Field::NiceSkills,
        Field::MinYears,
        Field::EducationMin,
        Field::Budget,
        Field::PositionStatus,
        Field::OpenedAt,
        Field::Headcount,
        Field::Weights,
        Field::TitleAliases,
        Field::CandidateId,
        Field::ContactAt,
        Field::ContactChannel,
        Field::ContactedBy,
        Field::ContactResult,
        Field::ReinterviewAt,
        Field::ReinterviewBy,
        Field::ListedAt,
    ];

    /// The snake_case name used in pipeline files and lineage.
    pub fn name(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::FamilyName => "family_name",
            Field::GivenName => "given_name",
            Field::Gender => "gender",
            Field::BirthDate => "birth_date",
            Field::Age => "age",
            Field::Phone => "phone",
            Field::Email => "email",
            Field::Wechat => "wechat",
            Field::IdNumber => "id_number",
            Field::City => "city",
            Field::Address => "address",
            Field::Postcode => "postcode",
            Field::Education => "education",
            Field::School => "school",
            Field::Major => "major",
            Field::YearsExperience => "years_experience",
            Field::CurrentCompany => "current_company",
            Field::CurrentTitle => "current_title",
            Field::Skills => "skills",
            Field::ExpectedSalary => "expected_salary",
            Field::SourceChannel => "source_channel",
            Field::Position => "position",
            Field::Department => "department",
            Field::AppliedAt => "applied_at",
            Field::Status => "status",
            Field::RejectionReason => "rejection_reason",
            Field::Interviewer => "interviewer",
            Field::InterviewAt => "interview_at",
            Field::InterviewRound => "interview_round",
            Field::ScoreTechnical => "score_technical",
            Field::ScoreBusiness => "score_business",
            Field::ScoreCommunication => "score_communication",
            Field::ScoreTeamwork => "score_teamwork",
            Field::ScoreCulture => "score_culture",
            Field::ScoreOverall => "score_overall",
            Field::Comment => "comment",
            Field::DecidedBy => "decided_by",
            Field::DecidedAt => "decided_at",
            Field::OnboardAt => "onboard_at",
            Field::Notes => "notes",
            Field::PositionId => "position_id",
            Field::JobFamily => "job_family",
            Field::RequiredSkills => "required_skills",
            Field::NiceSkills => "nice_skills",
            Field::MinYears => "min_years",
            Field::EducationMin => "education_min",
            Field::Budget => "budget",
            Field::PositionStatus => "position_status",
            Field::OpenedAt => "opened_at",
            Field::Headcount => "headcount",
            Field::Weights => "weights",
            Field::TitleAliases => "title_aliases",
            Field::CandidateId => "candidate_id",
            Field::ContactAt => "contact_at",
            Field::ContactChannel => "contact_channel",
            Field::ContactedBy => "contacted_by",
            Field::ContactResult => "contact_result",
            Field::ReinterviewAt => "reinterview_at",
            Field::ReinterviewBy => "reinterview_by",
            Field::ListedAt => "listed_at",
        }
    }

    /// Fields that identify a person; a candidate row needs at least one.
    pub fn is_identity(self) -> bool {
        matches!(
            self,
            Field::Name
                | Field::FamilyName
                | Field::GivenName
                | Field::Phone
                | Field::Email
                | Field::Wechat
                | Field::IdNumber
        )
    }

    /// Whether this field belongs to a positions sheet rather than a
    /// candidate sheet (used to tell which kind a header row looks like).
    pub fn is_position_field(self) -> bool {
        matches!(
            self,
            Field::PositionId
                | Field::JobFamily
                | Field::RequiredSkills
                | Field::NiceSkills
                | Field::MinYears
                | Field::EducationMin
                | Field::Budget
                | Field::PositionStatus
                | Field::OpenedAt
                | Field::Headcount
                | Field::Weights
                | Field::TitleAliases
        )
    }

    /// Whether this field belongs to a contact log or a returned recall
    /// workbook (who was contacted, when, how, by whom, with what result).
    pub fn is_contact_field(self) -> bool {
        matches!(
            self,
            Field::CandidateId
                | Field::ContactAt
                | Field::ContactChannel
                | Field::ContactedBy
                | Field::ContactResult
                | Field::ReinterviewAt
                | Field::ReinterviewBy
                | Field::ListedAt
        )
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Field {
    type Err = ();
    fn from_str(s: &str) -> Result<Field, ()> {
        Field::ALL.iter().copied().find(|f| f.name() == s).ok_or(())
    }
}

/// Output table names (file stems and XLSX sheet names).
pub mod table {
    pub const CANDIDATES: &str = "candidates";
    pub const APPLICATIONS: &str = "applications";
    pub const EVALUATIONS: &str = "evaluations";
    pub const EVENTS: &str = "events";
    pub const POSITIONS: &str = "positions";
    pub const MESSAGES: &str = "messages";
    pub const MERGES: &str = "merges";
    pub const MATCHES: &str = "matches";
    pub const QUARANTINE: &str = "quarantine";
    pub const LINEAGE: &str = "lineage";
}

/// Output column names. Shared names (ids, provenance) are defined once.
pub mod col {
    // Identifiers.
    pub const CANDIDATE_ID: &str = "candidate_id";
    pub const APPLICATION_ID: &str = "application_id";
    pub const EVALUATION_ID: &str = "evaluation_id";
    pub const EVENT_ID: &str = "event_id";
    pub const POSITION_ID: &str = "position_id";
    pub const RECORD_ID: &str = "record_id";

    // Provenance.
    pub const SOURCE: &str = "source";
    pub const FILE: &str = "file";
    pub const SHEET: &str = "sheet";
    pub const ROW: &str = "row";
    pub const COLUMN: &str = "column";

    // Person.
    pub const NAME: &str = "name";
    pub const NAME_KEY: &str = "name_key";
    pub const NAME_LATIN: &str = "name_latin";
    pub const GENDER: &str = "gender";
    pub const BIRTH_DATE: &str = "birth_date";
    pub const BIRTH_YEAR: &str = "birth_year";
    pub const PHONE: &str = "phone";
    pub const PHONES: &str = "phones";
    pub const PHONE_RAW: &str = "phone_raw";
    pub const EMAIL: &str = "email";
    pub const EMAILS: &str = "emails";
    pub const WECHAT: &str = "wechat";
    pub const ID_NUMBER: &str = "id_number";
    pub const ID_TYPE: &str = "id_type";
    pub const CITY: &str = "city";
    pub const PROVINCE: &str = "province";
    pub const ADDRESS: &str = "address";
    pub const POSTCODE: &str = "postcode";
    pub const EDUCATION: &str = "education";
    pub const EDUCATION_RANK: &str = "education_rank";
    pub const SCHOOL: &str = "school";
    pub const MAJOR: &str = "major";
    pub const YEARS_EXPERIENCE: &str = "years_experience";
    pub const CURRENT_COMPANY: &str = "current_company";
    pub const CURRENT_TITLE: &str = "current_title";
    pub const SKILLS: &str = "skills";
    pub const EXPECTED_SALARY_MIN: &str = "expected_salary_min";
    pub const EXPECTED_SALARY_MAX: &str = "expected_salary_max";
    pub const EXPECTED_SALARY_MONTHS: &str = "expected_salary_months";
    pub const EXPECTED_SALARY_NEGOTIABLE: &str = "expected_salary_negotiable";
    pub const EXPECTED_SALARY_RAW: &str = "expected_salary_raw";
    pub const SOURCE_CHANNEL: &str = "source_channel";
    pub const LATEST_STATUS: &str = "latest_status";
    pub const LAST_CONTACT_AT: &str = "last_contact_at";
    pub const DO_NOT_CONTACT: &str = "do_not_contact";
    pub const EXTRA: &str = "extra";

    // Application.
    pub const POSITION: &str = "position";
    pub const DEPARTMENT: &str = "department";
    pub const APPLIED_AT: &str = "applied_at";
    pub const STAGE: &str = "stage";
    pub const STATUS: &str = "status";
    pub const STATUS_RAW: &str = "status_raw";
    pub const REJECTION_TYPE: &str = "rejection_type";
    pub const REJECTION_REASON: &str = "rejection_reason";
    pub const REJECTION_REASON_RAW: &str = "rejection_reason_raw";
    pub const DECIDED_BY: &str = "decided_by";
    pub const DECIDED_AT: &str = "decided_at";
    pub const ONBOARD_AT: &str = "onboard_at";

    // Evaluation.
    pub const ROUND: &str = "round";
    pub const INTERVIEWER: &str = "interviewer";
    pub const AT: &str = "at";
    pub const SCORE_TECHNICAL: &str = "score_technical";
    pub const SCORE_BUSINESS: &str = "score_business";
    pub const SCORE_COMMUNICATION: &str = "score_communication";
    pub const SCORE_TEAMWORK: &str = "score_teamwork";
    pub const SCORE_CULTURE: &str = "score_culture";
    pub const SCORE_OVERALL: &str = "score_overall";
    pub const COMMENT: &str = "comment";
    pub const COMPOSITE: &str = "composite";
    pub const PANEL_SPREAD: &str = "panel_spread";
    pub const TAGS: &str = "tags";

    // Recall lists: the outcome columns HR fills in and the next run reads.
    pub const RANK: &str = "rank";
    pub const RECALL_CHANNEL: &str = "channel";
    pub const OUTCOME: &str = "outcome";
    pub const OUTCOME_AT: &str = "outcome_at";
    pub const OUTCOME_BY: &str = "outcome_by";
    pub const REINTERVIEW_AT: &str = "reinterview_at";
    pub const REINTERVIEW_BY: &str = "reinterview_by";
    pub const OUTCOME_NOTES: &str = "outcome_notes";
    /// The as-of date of the run that wrote the list.
    pub const LISTED_AT: &str = "listed_at";
    // Message.
    pub const MESSAGE_ID: &str = "message_id";
    pub const PLATFORM: &str = "platform";
    pub const CHAT_NAME: &str = "chat_name";
    pub const CHAT_KIND: &str = "chat_kind";
    pub const SENDER: &str = "sender";
    pub const SENDER_ID: &str = "sender_id";
    pub const IS_SYSTEM: &str = "is_system";

    // Event.
    pub const KIND: &str = "kind";
    pub const TEXT: &str = "text";
    pub const SAID_BY: &str = "said_by";
    pub const CONFIDENCE: &str = "confidence";
    pub const DETAIL: &str = "detail";

    // Position.
    pub const TITLE: &str = "title";
    pub const JOB_FAMILY: &str = "job_family";
    pub const REQUIRED_SKILLS: &str = "required_skills";
    pub const NICE_SKILLS: &str = "nice_skills";
    pub const MIN_YEARS: &str = "min_years";
    pub const EDUCATION_MIN: &str = "education_min";
    pub const BUDGET_MIN: &str = "budget_min";
    pub const BUDGET_MAX: &str = "budget_max";
    pub const POSITION_STATUS: &str = "position_status";
    pub const OPENED_AT: &str = "opened_at";
    pub const HEADCOUNT: &str = "headcount";
    pub const WEIGHTS: &str = "weights";
    pub const TITLE_ALIASES: &str = "title_aliases";

    // Quarantine and lineage.
    pub const LEVEL: &str = "level";
    pub const VALUE: &str = "value";
    pub const REASON: &str = "reason";
    pub const ENTITY: &str = "entity";
    pub const ENTITY_ID: &str = "entity_id";
    pub const FIELD: &str = "field";
    pub const SURVIVED: &str = "survived";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_round_trip_and_are_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for f in Field::ALL {
            assert_eq!(f.name().parse::<Field>(), Ok(*f));
            assert!(seen.insert(f.name()), "duplicate field name {}", f.name());
        }
        assert_eq!("nope".parse::<Field>(), Err(()));
    }
}
