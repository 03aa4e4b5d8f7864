//! Rejection notices: a polite, specific message per rejected application,
//! rendered from the minijinja templates in `reports/notices/`.
//!
//! A notice affirms one real strength from the interview evaluation, gives a
//! candidate-facing reason mapped from the internal reason code (never the
//! internal note an interviewer wrote, never anything discriminatory), and
//! one concrete suggestion chosen by job family and language. Templates run
//! with strict undefined behaviour, so a typo in a template is an error, not
//! an empty gap in a message a candidate reads; a rendered notice is also
//! checked for forbidden words and leftover template syntax before it is
//! accepted.

use std::collections::BTreeMap;

use minijinja::{Environment, UndefinedBehavior, context};
use serde::Deserialize;

/// Templates shipped in `reports/notices/`, embedded so the binary works
/// from any directory; a pipeline may point at its own copies.
const TEMPLATES: &[(&str, &str)] = &[
    ("email.zh", include_str!("../reports/notices/email.zh.j2")),
    ("email.en", include_str!("../reports/notices/email.en.j2")),
    (
        "subject.zh",
        include_str!("../reports/notices/subject.zh.j2"),
    ),
    (
        "subject.en",
        include_str!("../reports/notices/subject.en.j2"),
    ),
    ("sms.zh", include_str!("../reports/notices/sms.zh.j2")),
    ("sms.en", include_str!("../reports/notices/sms.en.j2")),
];
const TEXTS: &str = include_str!("../reports/notices/texts.toml");

/// The variables a notice template is rendered with.
pub const VARIABLES: &[&str] = &[
    "name",
    "position",
    "company",
    "sender",
    "reason",
    "suggestion",
    "strength",
    "interview_date",
];

/// A template set: every shipped template, replaced by `<dir>/<name>.j2`
/// where the pipeline's template folder has that file. Returns
/// `(template name, source, where it came from)`.
pub fn template_set(
    shipped: &[(&str, &str)],
    dir: Option<&std::path::Path>,
) -> Result<Vec<(String, String, String)>, String> {
    let mut out = Vec::new();
    for (name, source) in shipped {
        let own = dir.map(|d| d.join(format!("{name}.j2")));
        match own.filter(|p| p.is_file()) {
            Some(path) => {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("reading `{}`: {e}", path.display()))?;
                out.push((name.to_string(), text, path.display().to_string()));
            }
            None => out.push((name.to_string(), source.to_string(), "built-in".to_string())),
        }
    }
    Ok(out)
}

/// Checks a template set the way a run would use it: each template parses,
/// and uses no variable outside `variables` (rendering is strict, so such
/// a typo would fail every message of the run). One message per problem,
/// naming the file and, for syntax errors, the line.
pub fn check_templates(set: &[(String, String, String)], variables: &[&str]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    for (name, source, origin) in set {
        if let Err(e) = env.add_template_owned(origin.clone(), source.clone()) {
            problems.push(format!("template `{name}` ({origin}): {e}"));
            continue;
        }
        let Ok(t) = env.get_template(origin) else {
            continue;
        };
        let mut unknown: Vec<String> = t
            .undeclared_variables(false)
            .into_iter()
            .filter(|v| !variables.contains(&v.as_str()))
            .collect();
        unknown.sort();
        for v in unknown {
            problems.push(format!(
                "template `{name}` ({origin}): unknown variable `{v}`; templates can use {}",
                variables.join(", ")
            ));
        }
    }
    problems
}

/// An SMS in Chinese must fit one 70-character message.
pub const SMS_LIMIT_ZH: usize = 70;
/// A GSM-7 SMS holds 160 characters.
pub const SMS_LIMIT_EN: usize = 160;

/// A value (a name, a position, a company) made safe to place in a
/// message: trimmed, and ASCII braces and square brackets become their
/// full-width forms.
/// Template syntax (`{{ }}`, `{% %}`) and bracketed slots (`[公司]`)
/// can then only come from a template, so a rendered message is checked
/// for them without a name like `{{小明}}` tripping the check — and a
/// value can never be read as one.
pub fn safe_value(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| match c {
            '{' => '｛',
            '}' => '｝',
            '[' => '［',
            ']' => '］',
            c => c,
        })
        .collect()
}

/// Why a rendered text still holds template syntax or a bracketed slot, if
/// it does (values are made safe with [`safe_value`] first).
pub fn unfilled_slot(text: &str) -> Option<&'static str> {
    if text.contains("{{") || text.contains("}}") || text.contains("{%") || text.contains("%}") {
        Some("unfilled template variable")
    } else if text.contains('[') || text.contains(']') {
        Some("unfilled bracketed slot")
    } else {
        None
    }
}

/// Notice language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
}

/// How a notice is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Email,
    Sms,
    Wechat,
}

impl Channel {
    pub fn code(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
            Channel::Wechat => "wechat",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
struct Bilingual {
    zh: String,
    en: String,
}

impl Bilingual {
    fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
struct Forbidden {
    words: Vec<String>,
}

/// The candidate-facing wording: reasons by code, suggestions by family.
#[derive(Debug, Clone, Deserialize)]
pub struct Texts {
    reason: BTreeMap<String, Bilingual>,
    suggestion: BTreeMap<String, Bilingual>,
    forbidden: Forbidden,
}

impl Texts {
    /// The shipped wording from `reports/notices/texts.toml`.
    pub fn builtin() -> Texts {
        Texts::parse(TEXTS).expect("shipped notice texts are valid")
    }

    /// Parses a texts file; every reason code and job family must be covered.
    pub fn parse(text: &str) -> Result<Texts, String> {
        let t: Texts = toml::from_str(text).map_err(|e| e.to_string())?;
        for code in crate::rules::reason::ReasonCode::ALL
            .iter()
            .map(|c| c.code())
        {
            if !t.reason.contains_key(code) {
                return Err(format!("no candidate-facing text for reason `{code}`"));
            }
        }
        for family in ["tech", "sales", "campus", "other"] {
            if !t.suggestion.contains_key(family) {
                return Err(format!("no suggestion for job family `{family}`"));
            }
        }
        Ok(t)
    }
}

/// What one notice is about.
#[derive(Debug, Clone, PartialEq)]
pub struct NoticeInput {
    pub application_id: String,
    pub candidate_id: String,
    pub name: String,
    pub position: String,
    /// `tech`, `sales`, `campus` or `other`.
    pub job_family: String,
    /// Internal reason code (`headcount_filled`…).
    pub reason_code: String,
    /// The raw internal reason text; used only to check it never leaks.
    pub reason_raw: Option<String>,
    /// One strength phrase from the evaluation, in the notice's language.
    pub strength: Option<String>,
    pub interview_date: Option<chrono::NaiveDate>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// Company-level settings for notices.
#[derive(Debug, Clone)]
pub struct NoticeSettings {
    pub company: String,
    pub sender: String,
    pub lang: Lang,
    pub channel: Channel,
}

/// A rendered notice.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub application_id: String,
    pub candidate_id: String,
    pub name: String,
    pub channel: Channel,
    pub lang: Lang,
    /// Email address or phone number the notice goes to.
    pub address: String,
    pub subject: Option<String>,
    pub body: String,
    pub reason_code: String,
}

/// The template environment, strict about undefined variables.
pub struct Renderer {
    env: Environment<'static>,
    texts: Texts,
}

impl Renderer {
    /// The shipped templates and wording.
    pub fn builtin() -> Renderer {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        for (name, source) in TEMPLATES {
            env.add_template(name, source)
                .expect("shipped templates parse");
        }
        Renderer {
            env,
            texts: Texts::builtin(),
        }
    }

    /// The templates of a pipeline's template folder where it has them,
    /// the shipped ones otherwise (checked by [`check_templates`] when the
    /// pipeline was planned).
    pub fn with_templates(dir: Option<&std::path::Path>) -> Result<Renderer, String> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        for (name, source, origin) in template_set(TEMPLATES, dir)? {
            env.add_template_owned(name, source)
                .map_err(|e| format!("template {origin}: {e}"))?;
        }
        Ok(Renderer {
            env,
            texts: Texts::builtin(),
        })
    }

    /// The shipped notice templates, for checking a pipeline's own.
    pub fn shipped() -> &'static [(&'static str, &'static str)] {
        TEMPLATES
    }

    /// Renders one notice, or says why it cannot be sent as it stands.
    pub fn render(&self, input: &NoticeInput, s: &NoticeSettings) -> Result<Notice, String> {
        let lang = s.lang;
        let reason = self
            .texts
            .reason
            .get(&input.reason_code)
            .or_else(|| self.texts.reason.get("other"))
            .map(|b| b.get(lang).to_string())
            .unwrap_or_default();
        let family = if self.texts.suggestion.contains_key(&input.job_family) {
            input.job_family.as_str()
        } else {
            "other"
        };
        let suggestion = self.texts.suggestion[family].get(lang).to_string();
        let ctx = context! {
            name => safe_value(&input.name),
            position => safe_value(&input.position),
            company => safe_value(&s.company),
            sender => safe_value(&s.sender),
            reason => reason,
            suggestion => suggestion,
            strength => input.strength.as_deref().map(safe_value),
            interview_date => input.interview_date.map(|d| d.to_string()),
        };
        let render = |kind: &str| -> Result<String, String> {
            let name = format!("{kind}.{}", lang.code());
            let t = self.env.get_template(&name).map_err(|e| e.to_string())?;
            t.render(&ctx)
                .map(|s| s.trim().to_string())
                .map_err(|e| format!("template `{name}`: {e}"))
        };
        let (address, subject, body) = match s.channel {
            Channel::Email => {
                let to = input.email.clone().ok_or("no email address")?;
                (to, Some(render("subject")?), render("email")?)
            }
            Channel::Wechat => (
                input.phone.clone().unwrap_or_default(),
                None,
                render("email")?,
            ),
            Channel::Sms => {
                let to = input.phone.clone().ok_or("no phone number")?;
                let body = render("sms")?;
                let limit = if lang == Lang::Zh {
                    SMS_LIMIT_ZH
                } else {
                    SMS_LIMIT_EN
                };
                let len = body.chars().count();
                if len > limit {
                    return Err(format!(
                        "SMS is {len} characters, over the {limit}-character limit"
                    ));
                }
                (to, None, body)
            }
        };
        self.check(&body, input)?;
        if let Some(subject) = &subject {
            self.check(subject, input)?;
        }
        Ok(Notice {
            application_id: input.application_id.clone(),
            candidate_id: input.candidate_id.clone(),
            name: input.name.clone(),
            channel: s.channel,
            lang,
            address,
            subject,
            body,
            reason_code: input.reason_code.clone(),
        })
    }

    /// Refuses text with leftover template syntax, a forbidden word, or the
    /// internal reason note.
    fn check(&self, text: &str, input: &NoticeInput) -> Result<(), String> {
        if let Some(problem) = unfilled_slot(text) {
            return Err(problem.to_string());
        }
        let lower = text.to_lowercase();
        // Words from the candidate's own name or position are theirs to use.
        let own = format!("{} {}", input.name, input.position).to_lowercase();
        if let Some(w) = self
            .texts
            .forbidden
            .words
            .iter()
            .find(|w| lower.contains(w.as_str()) && !own.contains(w.as_str()))
        {
            return Err(format!("contains the forbidden word `{w}`"));
        }
        if let Some(raw) = &input.reason_raw {
            let raw = raw.trim();
            if raw.chars().count() >= 2 && (text.contains(raw) || text.contains(&safe_value(raw))) {
                return Err("contains the internal reason note".to_string());
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> NoticeInput {
        NoticeInput {
            application_id: "A1".into(),
            candidate_id: "C1".into(),
            name: "张三".into(),
            position: "销售经理".into(),
            job_family: "sales".into(),
            reason_code: "headcount_filled".into(),
            reason_raw: Some("岗位已满，老板说先放着".into()),
            strength: Some("逻辑清晰、沟通能力强".into()),
            interview_date: chrono::NaiveDate::from_ymd_opt(2024, 3, 4),
            email: Some("zhangsan@qq.com".into()),
            phone: Some("+8613800138000".into()),
        }
    }

    fn settings(lang: Lang, channel: Channel) -> NoticeSettings {
        NoticeSettings {
            company: "星河数据".into(),
            sender: "招聘组 李婷".into(),
            lang,
            channel,
        }
    }

    #[test]
    fn email_notice_affirms_a_strength_and_gives_the_mapped_reason() {
        let n = Renderer::builtin()
            .render(&input(), &settings(Lang::Zh, Channel::Email))
            .unwrap();
        assert_eq!(n.subject.as_deref(), Some("星河数据｜销售经理岗位面试结果"));
        assert!(n.body.starts_with("张三您好："), "{}", n.body);
        assert!(
            n.body.contains("面试官对您逻辑清晰、沟通能力强印象很深"),
            "{}",
            n.body
        );
        assert!(n.body.contains("这个岗位的名额目前已经招满"), "{}", n.body);
        assert!(
            n.body.contains("用具体数字整理出来"),
            "sales suggestion: {}",
            n.body
        );
        assert!(!n.body.contains("老板"), "internal note must not leak");
        assert_eq!(n.address, "zhangsan@qq.com");
    }

    #[test]
    fn english_and_sms_variants() {
        let n = Renderer::builtin()
            .render(&input(), &settings(Lang::En, Channel::Email))
            .unwrap();
        assert!(
            n.body.contains("the position has now been filled"),
            "{}",
            n.body
        );
        let sms = Renderer::builtin()
            .render(&input(), &settings(Lang::Zh, Channel::Sms))
            .unwrap();
        assert!(
            sms.body.chars().count() <= SMS_LIMIT_ZH,
            "{} chars: {}",
            sms.body.chars().count(),
            sms.body
        );
        let mut long = input();
        long.position = "华东大区高级大客户销售经理（新能源汽车方向）".into();
        long.name = "欧阳娜娜".into();
        let err = Renderer::builtin()
            .render(&long, &settings(Lang::Zh, Channel::Sms))
            .unwrap_err();
        assert!(err.contains("over the 70-character limit"), "{err}");
    }

    #[test]
    fn internal_wording_and_forbidden_words_are_refused() {
        let r = Renderer::builtin();
        let mut leaky = input();
        leaky.reason_raw = Some("名额目前已经招满".into());
        assert_eq!(
            r.render(&leaky, &settings(Lang::Zh, Channel::Email))
                .unwrap_err(),
            "contains the internal reason note"
        );
        let mut bad = input();
        bad.strength = Some("年纪轻".into());
        assert_eq!(
            r.render(&bad, &settings(Lang::Zh, Channel::Email))
                .unwrap_err(),
            "contains the forbidden word `年纪`"
        );
    }

    #[test]
    fn every_reason_and_family_renders_completely() {
        let r = Renderer::builtin();
        for code in crate::rules::reason::ReasonCode::ALL {
            for family in ["tech", "sales", "campus", "other", "unknown-family"] {
                for lang in [Lang::Zh, Lang::En] {
                    let mut i = input();
                    i.reason_code = code.code().to_string();
                    i.reason_raw = None;
                    i.job_family = family.to_string();
                    i.strength = None;
                    let n = r.render(&i, &settings(lang, Channel::Email)).unwrap();
                    assert!(!n.body.contains("{{") && !n.body.is_empty());
                }
            }
        }
    }

    #[test]
    fn a_template_typo_is_an_error_not_a_gap() {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.add_template("t", "{{ nmae }}").unwrap();
        assert!(
            env.get_template("t")
                .unwrap()
                .render(context! { name => "x" })
                .is_err()
        );
    }
}
