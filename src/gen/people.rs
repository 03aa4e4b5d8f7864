//! True persons: the entities behind the rows. A `Person` is generated from
//! `(seed, index)` alone, so scale mode can regenerate person *i* on demand
//! instead of keeping a million of them in memory.
//!
//! A person's identifiers can change over time (new phone, new mailbox), and
//! their experience and salary expectation grow with the application year;
//! the `*_at(year)` accessors give the value valid in a given year.

use chrono::{Datelike, NaiveDate};

use super::company::{EMPLOYERS, Track};
use super::ident;
use super::names::{
    self, ENGLISH_FEMALE, ENGLISH_MALE, GIVEN, GivenChar, SURNAMES, Surname, Usage,
};
use super::rng::Rng;

/// Highest completed education.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Edu {
    HighSchool,
    College,
    Bachelor,
    Master,
    Doctor,
}

#[derive(Debug, Clone)]
pub struct Person {
    /// 1-based entity number; rendered as `P0001`.
    pub id: u32,
    pub surname: &'static Surname,
    pub given: Vec<&'static GivenChar>,
    pub english: Option<&'static str>,
    pub female: bool,
    pub birth: NaiveDate,
    pub id_card: String,
    /// `phones[1]` (if any) replaces `phones[0]` from `phone_change` on.
    pub phones: Vec<String>,
    pub phone_change: i32,
    pub emails: Vec<String>,
    pub email_change: i32,
    pub wechat: String,
    pub education: Edu,
    pub school: &'static str,
    pub major: &'static str,
    pub grad_year: i32,
    pub track: Track,
    pub skills: Vec<&'static str>,
    pub employer: &'static str,
    /// Latent interview strength in [0, 1]; drives scores and outcomes.
    pub quality: f64,
    /// Personal multiplier on the market salary curve.
    pub salary_bias: f64,
}

const SCHOOLS_TOP: &[&str] = &[
    "浙江大学",
    "复旦大学",
    "上海交通大学",
    "南京大学",
    "华中科技大学",
    "武汉大学",
    "浙江工业大学",
    "杭州电子科技大学",
    "香港中文大学",
    "University of Melbourne",
];
const SCHOOLS_BACHELOR: &[&str] = &[
    "浙江大学",
    "杭州电子科技大学",
    "浙江工业大学",
    "浙江工商大学",
    "浙江理工大学",
    "中国计量大学",
    "浙江财经大学",
    "杭州师范大学",
    "宁波大学",
    "浙江科技学院",
    "郑州大学",
    "南昌大学",
    "安徽大学",
    "西安电子科技大学",
    "江西财经大学",
];
const SCHOOLS_COLLEGE: &[&str] = &[
    "浙江经贸职业技术学院",
    "浙江机电职业技术学院",
    "杭州职业技术学院",
    "浙江金融职业学院",
    "金华职业技术学院",
    "温州职业技术学院",
];
const SCHOOLS_SECONDARY: &[&str] = &[
    "杭州市电子信息职业学校",
    "萧山第三高级中学",
    "绍兴市职业教育中心",
];

/// Age at which a level of education is usually completed.
pub fn graduation_age(e: Edu) -> i32 {
    match e {
        Edu::HighSchool => 19,
        Edu::College => 21,
        Edu::Bachelor => 22,
        Edu::Master => 25,
        Edu::Doctor => 28,
    }
}

/// A school that awards `e` (vocational colleges for 大专, universities for
/// degrees).
pub fn school_for(rng: &mut Rng, e: Edu) -> &'static str {
    match e {
        Edu::HighSchool => rng.choose(SCHOOLS_SECONDARY),
        Edu::College => rng.choose(SCHOOLS_COLLEGE),
        Edu::Bachelor => rng.choose(SCHOOLS_BACHELOR),
        Edu::Master | Edu::Doctor => rng.choose(SCHOOLS_TOP),
    }
}

pub fn majors(track: Track) -> &'static [&'static str] {
    match track {
        Track::Backend | Track::Frontend | Track::Qa => &[
            "计算机科学与技术",
            "软件工程",
            "网络工程",
            "通信工程",
            "电子信息工程",
        ],
        Track::Data => &[
            "统计学",
            "数学与应用数学",
            "计算机科学与技术",
            "信息管理与信息系统",
        ],
        Track::Sales => &["市场营销", "工商管理", "国际经济与贸易", "电子商务"],
        Track::Hr => &["人力资源管理", "行政管理", "汉语言文学"],
        Track::Finance => &["会计学", "财务管理", "金融学"],
    }
}

/// Canonical skill tokens per track; notation variants (Go/Golang) are
/// applied when rendering.
pub fn track_skills(track: Track) -> &'static [&'static str] {
    match track {
        Track::Backend => &[
            "Go",
            "Java",
            "Python",
            "SQL",
            "MySQL",
            "Redis",
            "Kubernetes",
            "Docker",
            "Kafka",
            "Linux",
        ],
        Track::Frontend => &["React", "Vue", "JavaScript", "TypeScript", "CSS", "小程序"],
        Track::Qa => &[
            "Python",
            "自动化测试",
            "Selenium",
            "性能测试",
            "SQL",
            "Linux",
        ],
        Track::Data => &[
            "SQL",
            "Python",
            "Excel",
            "Tableau",
            "Spark",
            "Hive",
            "统计分析",
            "Power BI",
        ],
        Track::Sales => &["销售", "大客户", "渠道拓展", "CRM", "商务谈判", "Excel"],
        Track::Hr => &["招聘", "Excel", "薪酬绩效", "劳动法", "员工关系"],
        Track::Finance => &["会计", "Excel", "用友", "税务", "财务分析", "SAP"],
    }
}

const TRACKS: &[(Track, u32)] = &[
    (Track::Backend, 22),
    (Track::Frontend, 10),
    (Track::Qa, 7),
    (Track::Data, 16),
    (Track::Sales, 25),
    (Track::Hr, 8),
    (Track::Finance, 8),
];

/// Stream id for person generation in `Rng::derive`.
const PERSON_STREAM: u64 = 0x5045_5253_4F4E; // "PERSON"

impl Person {
    /// Person number `id` (1-based) of the pool for `seed`.
    pub fn generate(seed: u64, id: u32) -> Person {
        let mut rng = Rng::derive(seed, PERSON_STREAM, u64::from(id));
        let female = rng.chance(0.45);
        let weights: Vec<u32> = SURNAMES.iter().map(|s| s.weight).collect();
        let surname = &SURNAMES[rng.weighted(&weights)];
        let given = draw_given(&mut rng, female);
        let tw: Vec<u32> = TRACKS.iter().map(|t| t.1).collect();
        let track = TRACKS[rng.weighted(&tw)].0;
        let education = match rng.below(100) {
            0..=4 => Edu::HighSchool,
            5..=26 => Edu::College,
            27..=79 => Edu::Bachelor,
            80..=96 => Edu::Master,
            _ => Edu::Doctor,
        };
        // Birth years 1976–2003; about one in eight is a recent graduate who
        // only shows up in the 2023–2024 files.
        let birth_year = if rng.chance(0.12) {
            rng.range(1998, 2002)
        } else {
            rng.range(1976, 1997)
        } as i32;
        let birth =
            NaiveDate::from_ymd_opt(birth_year, rng.range(1, 12) as u32, rng.range(1, 28) as u32)
                .expect("day ≤ 28 is always valid");
        let grad_year = birth_year + graduation_age(education) + rng.range(0, 1) as i32;
        let mut p = Person {
            id,
            surname,
            given,
            english: None,
            female,
            birth,
            id_card: String::new(),
            phones: vec![ident::mobile(&mut rng)],
            phone_change: i32::MAX,
            emails: Vec::new(),
            email_change: i32::MAX,
            wechat: String::new(),
            education,
            school: "",
            major: rng.choose(majors(track)),
            grad_year,
            track,
            skills: Vec::new(),
            employer: rng.choose(EMPLOYERS),
            quality: rng.unit(),
            salary_bias: 0.85 + rng.unit() * 0.3,
        };
        p.id_card = ident::id_card(&mut rng, birth, female);
        p.school = school_for(&mut rng, education);
        let pool = track_skills(track);
        let mut skills: Vec<&'static str> = pool.to_vec();
        rng.shuffle(&mut skills);
        skills.truncate(rng.range(2, 4) as usize);
        // Back-end people are the Go candidates the Go position looks for.
        if track == Track::Backend && rng.chance(0.6) && !skills.contains(&"Go") {
            skills.insert(0, "Go");
        }
        p.skills = skills;
        if rng.chance(0.15) {
            p.english = Some(if female {
                *rng.pick(ENGLISH_FEMALE)
            } else {
                *rng.pick(ENGLISH_MALE)
            });
        }
        // Changes happen after graduation, before the last files (2024).
        let change_from = i64::from(grad_year.max(2016) + 1);
        if rng.chance(0.2) && change_from <= 2024 {
            p.phones.push(ident::mobile(&mut rng));
            p.phone_change = rng.range(change_from, 2024) as i32;
        }
        let (sp, gp) = (p.surname.pinyin.to_string(), p.given_pinyin());
        if rng.chance(0.85) {
            p.emails.push(ident::email(&mut rng, &sp, &gp, birth_year));
            if rng.chance(0.15) && change_from <= 2024 {
                p.emails.push(ident::email(&mut rng, &sp, &gp, birth_year));
                p.email_change = rng.range(change_from, 2024) as i32;
            }
        }
        p.wechat = ident::wechat_id(&mut rng, &sp, &gp, &p.phones[p.phones.len() - 1]);
        p
    }

    /// Makes the identifiers unique to this person (scale data): with a
    /// million persons, name-derived e-mail addresses and WeChat ids and the
    /// short identity-number sequence would otherwise repeat between
    /// different people, which no mail provider, WeChat or the residents'
    /// register allows. The committed sample is small enough not to need it
    /// and keeps its hand-checked values.
    pub fn make_identifiers_unique(&mut self) {
        let id = self.id;
        for (k, e) in self.emails.iter_mut().enumerate() {
            *e = ident::unique_handle(e, id, k as u32);
        }
        self.wechat = ident::unique_handle(&self.wechat, id, 2);
        self.id_card = ident::unique_id_card(id, self.birth, self.female);
    }

    /// Replaces the drawn name (used by the scripted storyline).
    pub fn set_name(&mut self, surname: &str, given: &[&str]) {
        self.surname = names::surname(surname);
        self.given = given.iter().map(|g| names::given(g)).collect();
    }

    pub fn entity_id(&self, width: usize) -> String {
        format!("P{:0width$}", self.id)
    }

    pub fn name(&self) -> String {
        let mut s = self.surname.hanzi.to_string();
        for g in &self.given {
            s.push_str(g.hanzi);
        }
        s
    }

    /// The name in traditional characters, as the old HR system stored it
    /// for some entries.
    pub fn trad_name(&self) -> String {
        let mut s = self.surname.trad.to_string();
        for g in &self.given {
            s.push_str(g.trad);
        }
        s
    }

    /// Given name in pinyin, capitalized and joined ("Xiaoming").
    pub fn given_pinyin(&self) -> String {
        let joined: String = self.given.iter().map(|g| g.pinyin).collect();
        let mut c = joined.chars();
        match c.next() {
            Some(f) => f.to_uppercase().chain(c).collect(),
            None => String::new(),
        }
    }

    pub fn phone_at(&self, year: i32) -> &str {
        if year >= self.phone_change {
            &self.phones[1]
        } else {
            &self.phones[0]
        }
    }

    pub fn email_at(&self, year: i32) -> Option<&str> {
        match self.emails.len() {
            0 => None,
            1 => Some(&self.emails[0]),
            _ if year >= self.email_change => Some(&self.emails[1]),
            _ => Some(&self.emails[0]),
        }
    }

    pub fn years_at(&self, year: i32) -> i32 {
        (year - self.grad_year).max(0)
    }

    pub fn age_at(&self, date: NaiveDate) -> i32 {
        let mut age = date.year() - self.birth.year();
        if (date.month(), date.day()) < (self.birth.month(), self.birth.day()) {
            age -= 1;
        }
        age
    }

    /// Expected monthly salary in thousands of CNY for an application made in
    /// `year`: a track curve over experience, education and market drift.
    pub fn expected_k(&self, year: i32) -> f64 {
        // Hangzhou, small company: senior people ask 25–35k, not 50k.
        let (base, slope, cap) = match self.track {
            Track::Backend => (8.0, 1.6, 35.0),
            Track::Frontend => (7.0, 1.4, 30.0),
            Track::Qa => (6.0, 1.1, 22.0),
            Track::Data => (7.0, 1.3, 28.0),
            Track::Sales => (6.0, 0.9, 22.0),
            Track::Hr => (5.0, 0.6, 14.0),
            Track::Finance => (5.0, 0.7, 16.0),
        };
        let edu = match self.education {
            Edu::HighSchool => -2.0,
            Edu::College => -1.5,
            Edu::Bachelor => 0.0,
            Edu::Master => 2.0,
            Edu::Doctor => 5.0,
        };
        let market = 1.0 + 0.03 * f64::from(year - 2020);
        let k = ((base + edu + slope * f64::from(self.years_at(year))).min(cap)
            * market
            * self.salary_bias)
            .max(4.0);
        (k * 2.0).round() / 2.0
    }
}

const NOT_ALONE: &[&str] = &[
    "小", "子", "新", "春", "天", "思", "雨", "嘉", "佳", "晓", "文",
];

/// One or two given-name characters fitting the gender. Single-character
/// given names are common (张伟, 王芳), which is what makes name collisions
/// frequent in real data.
fn draw_given(rng: &mut Rng, female: bool) -> Vec<&'static GivenChar> {
    let fits = |g: &&GivenChar| match g.usage {
        Usage::Either => true,
        Usage::Male => !female,
        Usage::Female => female,
        Usage::Scripted => false,
    };
    let pool: Vec<&'static GivenChar> = GIVEN.iter().filter(fits).collect();
    if rng.chance(0.35) {
        // Characters like 小 or 子 only occur inside two-character names.
        let alone: Vec<&'static GivenChar> = pool
            .iter()
            .copied()
            .filter(|g| !NOT_ALONE.contains(&g.hanzi))
            .collect();
        return vec![*rng.pick(&alone)];
    }
    let first = *rng.pick(&pool);
    loop {
        let second = *rng.pick(&pool);
        if second.hanzi != first.hanzi {
            return vec![first, second];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_and_id_give_the_same_person() {
        let a = Person::generate(42, 17);
        let b = Person::generate(42, 17);
        assert_eq!(a.name(), b.name());
        assert_eq!(a.phones, b.phones);
        assert_eq!(a.id_card, b.id_card);
        assert_ne!(Person::generate(42, 18).phones, a.phones);
    }

    #[test]
    fn ids_carry_the_birth_date() {
        for id in 1..50 {
            let p = Person::generate(1, id);
            assert_eq!(&p.id_card[6..14], p.birth.format("%Y%m%d").to_string());
            assert!(p.grad_year > p.birth.year() + 17);
        }
    }
}
