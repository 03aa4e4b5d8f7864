//! The imaginary employer: 杭州星河数据科技有限公司 (Xinghe Data), its
//! positions, interviewers, recruiting channels and the employers candidates
//! come from.
//!
//! Everything here is static reference data. Positions carry the title
//! variants that different spreadsheets used over the years ("Go后端工程师",
//! "Golang开发工程师", "Go Backend Engineer"), because the same job being
//! written differently is one of the things the pipeline has to cope with.

pub const COMPANY: &str = "杭州星河数据科技有限公司";

/// A candidate's career line; decides which positions they apply for, their
/// skills and the salary curve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Track {
    Backend,
    Frontend,
    Qa,
    Data,
    Sales,
    Hr,
    Finance,
}

#[derive(Debug)]
pub struct Position {
    pub code: &'static str,
    pub title: &'static str,
    /// Titles as typed in older sheets and exports.
    pub variants: &'static [&'static str],
    pub en: &'static str,
    pub dept: &'static str,
    pub dept_en: &'static str,
    /// 技术 / 销售 / 校招 / 职能
    pub category: &'static str,
    pub track: Track,
    pub campus: bool,
    pub required: &'static str,
    pub bonus: &'static str,
    pub min_years: u32,
    pub education: &'static str,
    pub city: &'static str,
    pub budget: &'static str,
    /// 开放 / 重新开放 / 关闭
    pub status: &'static str,
    pub opened: (i32, u32, u32),
    pub headcount: u32,
    pub weights: &'static str,
    /// Years in which applications for it were received.
    pub years: (i32, i32),
    /// The interviewer who usually runs the first round.
    pub lead: usize,
}

pub static POSITIONS: &[Position] = &[
    Position {
        code: "XH-RD-001",
        title: "Go后端工程师",
        variants: &["后端开发工程师(Go)", "Golang开发工程师", "Go开发"],
        en: "Go Backend Engineer",
        dept: "研发中心",
        dept_en: "Engineering",
        category: "技术",
        track: Track::Backend,
        campus: false,
        required: "Go、SQL",
        bonus: "Redis、Kubernetes、Kafka",
        min_years: 3,
        education: "本科",
        city: "杭州",
        budget: "20-35k",
        status: "开放",
        opened: (2023, 3, 1),
        headcount: 2,
        weights: "技术50/协作30/文化20",
        years: (2017, 2024),
        lead: 1,
    },
    Position {
        code: "XH-RD-002",
        title: "前端工程师",
        variants: &["前端开发工程师", "Web前端"],
        en: "Frontend Engineer",
        dept: "研发中心",
        dept_en: "Engineering",
        category: "技术",
        track: Track::Frontend,
        campus: false,
        required: "React、JavaScript",
        bonus: "TypeScript、Vue",
        min_years: 2,
        education: "本科",
        city: "杭州",
        budget: "15-25k",
        status: "关闭",
        opened: (2021, 4, 1),
        headcount: 1,
        weights: "技术50/协作30/文化20",
        years: (2016, 2023),
        lead: 1,
    },
    Position {
        code: "XH-RD-003",
        title: "测试工程师",
        variants: &["软件测试工程师", "测试开发"],
        en: "QA Engineer",
        dept: "研发中心",
        dept_en: "Engineering",
        category: "技术",
        track: Track::Qa,
        campus: false,
        required: "Python、自动化测试",
        bonus: "性能测试",
        min_years: 2,
        education: "本科",
        city: "杭州",
        budget: "12-18k",
        status: "关闭",
        opened: (2019, 6, 1),
        headcount: 1,
        weights: "技术40/协作40/文化20",
        years: (2015, 2022),
        lead: 7,
    },
    Position {
        code: "XH-DA-001",
        title: "数据分析师",
        variants: &["数据分析", "BI分析师"],
        en: "Data Analyst",
        dept: "数据部",
        dept_en: "Data",
        category: "技术",
        track: Track::Data,
        campus: false,
        required: "SQL、Python、Excel",
        bonus: "Tableau、统计学",
        min_years: 2,
        education: "本科",
        city: "杭州",
        budget: "12-20k",
        status: "开放",
        opened: (2024, 2, 1),
        headcount: 2,
        weights: "技术40/协作30/文化30",
        years: (2016, 2024),
        lead: 2,
    },
    Position {
        code: "XH-SA-001",
        title: "销售经理",
        variants: &["销售主管", "区域销售经理"],
        en: "Sales Manager",
        dept: "销售部",
        dept_en: "Sales",
        category: "销售",
        track: Track::Sales,
        campus: false,
        required: "销售、大客户",
        bonus: "CRM、团队管理",
        min_years: 5,
        education: "大专",
        city: "杭州",
        budget: "15-20k",
        status: "重新开放",
        opened: (2024, 9, 1),
        headcount: 1,
        weights: "技术20/协作40/文化40",
        years: (2015, 2024),
        lead: 3,
    },
    Position {
        code: "XH-SA-002",
        title: "大客户销售",
        variants: &["大客户经理", "KA销售"],
        en: "Key Account Sales",
        dept: "销售部",
        dept_en: "Sales",
        category: "销售",
        track: Track::Sales,
        campus: false,
        required: "销售、大客户",
        bonus: "政企客户资源",
        min_years: 3,
        education: "大专",
        city: "上海",
        budget: "10-15k",
        status: "开放",
        opened: (2023, 5, 1),
        headcount: 3,
        weights: "技术20/协作40/文化40",
        years: (2018, 2024),
        lead: 3,
    },
    Position {
        code: "XH-SA-003",
        title: "电话销售",
        variants: &["电销专员", "销售代表"],
        en: "Inside Sales",
        dept: "销售部",
        dept_en: "Sales",
        category: "销售",
        track: Track::Sales,
        campus: false,
        required: "销售、Excel",
        bonus: "客服经验",
        min_years: 0,
        education: "大专",
        city: "杭州",
        budget: "6-9k",
        status: "关闭",
        opened: (2020, 3, 1),
        headcount: 4,
        weights: "技术20/协作40/文化40",
        years: (2015, 2021),
        lead: 3,
    },
    Position {
        code: "XH-CP-001",
        title: "2025届校招-数据工程师",
        variants: &["校招-数据工程师", "应届生-数据开发"],
        en: "Graduate Data Engineer",
        dept: "数据部",
        dept_en: "Data",
        category: "校招",
        track: Track::Data,
        campus: true,
        required: "Python、SQL",
        bonus: "Go、Spark",
        min_years: 0,
        education: "硕士",
        city: "杭州",
        budget: "12-15k",
        status: "开放",
        opened: (2024, 9, 15),
        headcount: 3,
        weights: "技术50/协作25/文化25",
        years: (2020, 2024),
        lead: 2,
    },
    Position {
        code: "XH-CP-002",
        title: "2025届管培生",
        variants: &["管培生", "管理培训生"],
        en: "Management Trainee",
        dept: "综合管理部",
        dept_en: "General Management",
        category: "校招",
        track: Track::Sales,
        campus: true,
        required: "沟通、Excel",
        bonus: "英语",
        min_years: 0,
        education: "本科",
        city: "杭州",
        budget: "8-10k",
        status: "开放",
        opened: (2024, 9, 15),
        headcount: 5,
        weights: "技术20/协作40/文化40",
        years: (2019, 2024),
        lead: 4,
    },
    Position {
        code: "XH-HR-001",
        title: "招聘专员",
        variants: &["HR招聘专员", "人事专员"],
        en: "Recruiter",
        dept: "人力资源部",
        dept_en: "HR",
        category: "职能",
        track: Track::Hr,
        campus: false,
        required: "招聘、Excel",
        bonus: "劳动法",
        min_years: 1,
        education: "本科",
        city: "杭州",
        budget: "7-10k",
        status: "关闭",
        opened: (2022, 1, 10),
        headcount: 1,
        weights: "技术30/协作40/文化30",
        years: (2015, 2022),
        lead: 4,
    },
    Position {
        code: "XH-FN-001",
        title: "财务会计",
        variants: &["会计", "总账会计"],
        en: "Accountant",
        dept: "财务部",
        dept_en: "Finance",
        category: "职能",
        track: Track::Finance,
        campus: false,
        required: "会计、Excel",
        bonus: "用友、税务",
        min_years: 3,
        education: "本科",
        city: "杭州",
        budget: "9-13k",
        status: "开放",
        opened: (2024, 3, 1),
        headcount: 1,
        weights: "技术40/协作30/文化30",
        years: (2016, 2024),
        lead: 6,
    },
];

impl Position {
    /// The title as written in `year`: campus recruiting in autumn of year
    /// Y is for the class of Y+1, so 2025届 is only right for 2024.
    pub fn title_for(&self, year: i32) -> String {
        if self.campus {
            self.title.replace("2025届", &format!("{}届", year + 1))
        } else {
            self.title.to_string()
        }
    }

    /// The current title or, half the time, an older variant.
    pub fn title_typed(&self, rng: &mut super::rng::Rng, year: i32) -> String {
        if rng.chance(0.5) {
            self.title_for(year)
        } else {
            rng.choose(self.variants).to_string()
        }
    }
}

pub fn position(title: &str) -> usize {
    POSITIONS
        .iter()
        .position(|p| p.title == title)
        .unwrap_or_else(|| panic!("position {title} missing"))
}

pub struct Interviewer {
    pub cn: &'static str,
    pub en: &'static str,
}

/// Index 0 is the boss; he runs the final round and all sales-manager
/// interviews. `Position::lead` indexes into this table.
pub static INTERVIEWERS: &[Interviewer] = &[
    Interviewer {
        cn: "王总",
        en: "Wang Jianguo (CEO)",
    },
    Interviewer {
        cn: "陈工",
        en: "Chen Lixin",
    },
    Interviewer {
        cn: "周晓东",
        en: "Zhou Xiaodong",
    },
    Interviewer {
        cn: "刘经理",
        en: "Liu Haitao",
    },
    Interviewer {
        cn: "赵敏",
        en: "Zhao Min (HR)",
    },
    Interviewer {
        cn: "孙悦",
        en: "Sun Yue (HR)",
    },
    Interviewer {
        cn: "林婷",
        en: "Lin Ting",
    },
    Interviewer {
        cn: "何磊",
        en: "He Lei",
    },
];

pub const BOSS: usize = 0;

/// Recruiting channels as named in Chinese sheets and in the English sheet.
pub static CHANNELS: &[(&str, &str)] = &[
    ("BOSS直聘", "Boss Zhipin"),
    ("智联招聘", "Zhaopin"),
    ("前程无忧", "51job"),
    ("猎聘", "Liepin"),
    ("拉勾", "Lagou"),
    ("内推", "Referral"),
    ("官网", "Website"),
    ("校园招聘", "Campus"),
    ("微信公众号", "WeChat"),
];

pub static EMPLOYERS: &[&str] = &[
    "阿里巴巴",
    "网易",
    "海康威视",
    "恒生电子",
    "同花顺",
    "有赞",
    "大华股份",
    "中国移动浙江公司",
    "顺丰速运",
    "杭州某外贸公司",
    "个体经营",
    "浙江某银行",
    "娃哈哈集团",
    "杭州数澜科技",
    "宁波某制造企业",
    "上海某咨询公司",
];
