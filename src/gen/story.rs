//! The scripted storyline of the committed sample, which later features are
//! tested against: 张三 (excellent, turned away only because the sales
//! manager position was full — it has since reopened), 李四 (rejected for a
//! skills gap), two different 张伟 and the other same-name pairs (王芳, 李娜,
//! 刘洋), surnames whose pinyin reading is a trap (单, 曾, 吕, 区) and a
//! candidate known by an English name.

use chrono::NaiveDate;

use super::company::{self, BOSS, Track};
use super::history::{self, Application, Interview, Outcome};
use super::ident;
use super::people::{self, Edu, Person};
use super::plan::{Appearance, Forced, Source};
use super::reasons;
use super::rng::Rng;

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid literal date")
}

struct Spec {
    surname: &'static str,
    given: &'static [&'static str],
    female: bool,
    birth: (i32, u32, u32),
    track: Track,
    education: Edu,
}

/// Overwrites a generated person with scripted identity facts, keeping the
/// identifiers consistent (the 身份证 must carry the new birth date).
fn shape(rng: &mut Rng, p: &mut Person, spec: &Spec) {
    p.set_name(spec.surname, spec.given);
    p.female = spec.female;
    p.birth = ymd(spec.birth.0, spec.birth.1, spec.birth.2);
    p.id_card = ident::id_card(rng, p.birth, p.female);
    p.track = spec.track;
    p.education = spec.education;
    p.grad_year = spec.birth.0 + people::graduation_age(spec.education);
    p.school = people::school_for(rng, spec.education);
    p.major = rng.choose(people::majors(spec.track));
    p.skills = people::track_skills(spec.track)
        .iter()
        .take(3)
        .copied()
        .collect();
    // Addresses and WeChat ids were derived from the drawn name.
    let (sp, gp) = (p.surname.pinyin, p.given_pinyin());
    p.emails = p
        .emails
        .iter()
        .map(|_| ident::email(rng, sp, &gp, spec.birth.0))
        .collect();
    let phone = p.phones.last().cloned().unwrap_or_default();
    p.wechat = ident::wechat_id(rng, sp, &gp, &phone);
}

fn app_on(rng: &mut Rng, p: &Person, source: Source, date: NaiveDate, title: &str) -> Application {
    history::draw(rng, p, date, company::position(title), source.as_of())
}

fn push(
    out: &mut Vec<Appearance>,
    person: usize,
    source: Source,
    app: Application,
    forced: Forced,
) {
    out.push(Appearance {
        person,
        source,
        app,
        forced,
    });
}

/// Scripted appearances of one person: (file, date, position title).
type Visits = &'static [(Source, (i32, u32, u32), &'static str)];

const ZHANG_SAN_REMARK: &str = "逻辑清晰，沟通能力强，做过类似项目，结果很不错";

pub fn script(rng: &mut Rng, persons: &mut [Person], out: &mut Vec<Appearance>) {
    let spec = |surname, given, female, birth, track, education| Spec {
        surname,
        given,
        female,
        birth,
        track,
        education,
    };
    // P0001 张三: strong sales candidate turned away only because the
    // position was full; the position has since reopened.
    {
        let p = &mut persons[0];
        shape(
            rng,
            p,
            &spec(
                "张",
                &["三"],
                false,
                (1988, 6, 15),
                Track::Sales,
                Edu::Bachelor,
            ),
        );
        p.phones = vec!["13800138000".into()];
        p.phone_change = i32::MAX;
        p.emails = vec!["zhangsan@qq.com".into()];
        p.email_change = i32::MAX;
        p.skills = vec!["销售", "大客户", "CRM"];
        p.quality = 0.92;
        let p = &persons[0];
        let mut app = app_on(rng, p, Source::Register, ymd(2021, 4, 12), "销售经理");
        app.salary_k = 15.0;
        app.outcome = Outcome::Rejected(reasons::R_FILLED);
        app.interviews = vec![Interview {
            round: 2,
            at: ymd(2021, 4, 16).and_hms_opt(15, 0, 0).expect("valid time"),
            interviewer: BOSS,
            tech: 8,
            comm: 9,
            team: 9,
            culture: 9,
            remark_cn: ZHANG_SAN_REMARK.into(),
            remark_en:
                "clear logic, strong communicator, has done similar projects with very good results"
                    .into(),
            passed: true,
        }];
        let mut old = app.clone();
        old.date = ymd(2021, 4, 10);
        push(
            out,
            0,
            Source::OldSystem,
            old,
            Forced {
                name: Some("張三"),
                phone: Some("+86 13800138000"),
                salary: Some("1.5万"),
                reason: Some("岗位已满"),
                note: Some("王总面试：逻辑清晰，沟通能力强，做过类似项目，结果很不错"),
                ..Forced::default()
            },
        );
        push(
            out,
            0,
            Source::Register,
            app.clone(),
            Forced {
                phone: Some("138-0013-8000"),
                salary: Some("15k/月"),
                reason: Some("岗位已满"),
                ..Forced::default()
            },
        );
        let mut again = app;
        again.date = ymd(2023, 5, 8);
        again.interviews.clear();
        push(
            out,
            0,
            Source::English,
            again,
            Forced {
                name: Some("Zhang San"),
                phone: Some(""),
                email: Some("zhangsan@qq.com"),
                salary: Some("15k/month"),
                reason: Some("Position filled"),
                note: Some(
                    "Re-applied for Sales Manager. Boss interviewed him in 2021 (excellent); headcount still full.",
                ),
            },
        );
    }
    // P0002 李四: back-end applicant without Go, failed the technical round.
    {
        let p = &mut persons[1];
        shape(
            rng,
            p,
            &spec(
                "李",
                &["四"],
                false,
                (1993, 11, 2),
                Track::Backend,
                Edu::Bachelor,
            ),
        );
        p.skills = vec!["Java", "Python", "MySQL"];
        p.quality = 0.3;
        let p = &persons[1];
        let mut app = app_on(rng, p, Source::Ledger, ymd(2022, 3, 7), "Go后端工程师");
        app.outcome = Outcome::Rejected(reasons::R_SKILLS);
        app.interviews = vec![Interview {
            round: 0,
            at: ymd(2022, 3, 11).and_hms_opt(14, 0, 0).expect("valid time"),
            interviewer: 1,
            tech: 4,
            comm: 7,
            team: 7,
            culture: 6,
            remark_cn: "Go基础薄弱，并发和SQL调优答得不好；沟通还可以".into(),
            remark_en: "weak Go fundamentals; communication fine".into(),
            passed: false,
        }];
        push(
            out,
            1,
            Source::Ledger,
            app,
            Forced {
                reason: Some("技术能力不足"),
                ..Forced::default()
            },
        );
        let later = app_on(rng, p, Source::Wechat, ymd(2024, 3, 18), "Go后端工程师");
        push(out, 1, Source::Wechat, later, Forced::default());
    }
    // Same-name pairs: different people, different phones and birth years.
    let pairs: [(Spec, Visits); 8] = [
        (
            spec(
                "张",
                &["伟"],
                false,
                (1985, 2, 9),
                Track::Sales,
                Edu::College,
            ),
            &[
                (Source::OldSystem, (2017, 8, 14), "电话销售"),
                (Source::Register, (2019, 5, 6), "大客户销售"),
            ],
        ),
        (
            spec(
                "张",
                &["伟"],
                false,
                (1996, 9, 23),
                Track::Backend,
                Edu::Bachelor,
            ),
            &[
                (Source::Register, (2021, 3, 15), "Go后端工程师"),
                (Source::Ledger, (2022, 8, 22), "Go后端工程师"),
                (Source::English, (2024, 4, 8), "Go后端工程师"),
            ],
        ),
        (
            spec(
                "王",
                &["芳"],
                true,
                (1990, 4, 30),
                Track::Finance,
                Edu::Bachelor,
            ),
            &[(Source::OldSystem, (2018, 10, 8), "财务会计")],
        ),
        (
            spec("王", &["芳"], true, (1998, 12, 1), Track::Data, Edu::Master),
            &[
                (Source::English, (2024, 2, 26), "数据分析师"),
                (Source::Wechat, (2024, 10, 9), "数据分析师"),
            ],
        ),
        (
            spec("李", &["娜"], true, (1987, 7, 19), Track::Hr, Edu::Bachelor),
            &[(Source::Register, (2020, 6, 1), "招聘专员")],
        ),
        (
            spec(
                "李",
                &["娜"],
                true,
                (1995, 3, 3),
                Track::Sales,
                Edu::College,
            ),
            &[(Source::Ledger, (2022, 5, 16), "大客户销售")],
        ),
        (
            spec(
                "刘",
                &["洋"],
                false,
                (1991, 1, 25),
                Track::Backend,
                Edu::Bachelor,
            ),
            &[
                (Source::OldSystem, (2019, 9, 2), "Go后端工程师"),
                (Source::Register, (2019, 9, 4), "Go后端工程师"),
            ],
        ),
        (
            spec("刘", &["洋"], true, (1999, 8, 8), Track::Data, Edu::Master),
            &[(Source::English, (2024, 5, 20), "数据分析师")],
        ),
    ];
    // Heteronym surnames and an English-named candidate.
    let others: [(Spec, Visits); 5] = [
        (
            spec(
                "单",
                &["晓", "峰"],
                false,
                (1989, 10, 10),
                Track::Data,
                Edu::Bachelor,
            ),
            &[
                (Source::OldSystem, (2020, 11, 3), "数据分析师"),
                (Source::English, (2023, 7, 17), "数据分析师"),
            ],
        ),
        (
            spec(
                "曾",
                &["思", "琪"],
                true,
                (1994, 5, 12),
                Track::Frontend,
                Edu::Bachelor,
            ),
            &[
                (Source::Register, (2020, 9, 21), "前端工程师"),
                (Source::English, (2023, 3, 13), "前端工程师"),
            ],
        ),
        (
            spec(
                "吕",
                &["志", "强"],
                false,
                (1986, 12, 28),
                Track::Sales,
                Edu::College,
            ),
            &[
                (Source::Ledger, (2022, 10, 10), "大客户销售"),
                (Source::English, (2024, 6, 3), "销售经理"),
            ],
        ),
        (
            spec(
                "区",
                &["嘉", "欣"],
                true,
                (2001, 2, 14),
                Track::Data,
                Edu::Master,
            ),
            &[
                (Source::Wechat, (2024, 9, 20), "2025届校招-数据工程师"),
                (Source::English, (2024, 10, 8), "2025届校招-数据工程师"),
            ],
        ),
        (
            spec(
                "周",
                &["浩"],
                false,
                (1992, 6, 6),
                Track::Backend,
                Edu::Master,
            ),
            &[
                (Source::Ledger, (2022, 6, 13), "Go后端工程师"),
                (Source::English, (2024, 1, 15), "Go后端工程师"),
            ],
        ),
    ];
    for (i, (spec, apps)) in pairs.iter().chain(others.iter()).enumerate() {
        let idx = i + 2;
        shape(rng, &mut persons[idx], spec);
        if spec.surname == "周" {
            persons[idx].english = Some("Kevin");
        }
        let p = &persons[idx];
        let mut prev: Option<Application> = None;
        for &(source, (y, m, d), title) in apps.iter() {
            let app = match &prev {
                // The same 2019 application typed into both the system and the sheet.
                Some(a) if source == Source::Register && (ymd(y, m, d) - a.date).num_days() < 7 => {
                    let mut same = a.clone();
                    same.date = ymd(y, m, d);
                    same
                }
                _ => app_on(rng, p, source, ymd(y, m, d), title),
            };
            prev = Some(app.clone());
            push(out, idx, source, app, Forced::default());
        }
    }
}
