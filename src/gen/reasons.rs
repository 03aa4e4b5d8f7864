//! Why applications end and what interviewers write: the rejection-reason
//! taxonomy (two-level, "we rejected" vs "they withdrew", as in Feishu,
//! Greenhouse and Workable) with the Chinese phrasings HR actually types, and
//! the strengths and concerns interview remarks are assembled from.

use super::company::Track;

/// Why an application ended. `by_us` separates "we rejected" from "they
/// withdrew", the split recall lists depend on.
#[derive(Debug)]
pub struct Reason {
    pub cn: &'static [&'static str],
    pub en: &'static str,
    pub by_us: bool,
}

pub static REASONS: &[Reason] = &[
    Reason {
        cn: &["岗位已满", "已招满", "HC已满"],
        en: "Position filled",
        by_us: true,
    },
    Reason {
        cn: &["HC冻结", "岗位暂停招聘"],
        en: "Hiring freeze",
        by_us: true,
    },
    Reason {
        cn: &["技术能力不足", "专业能力不匹配", "技术不过关"],
        en: "Skills gap",
        by_us: true,
    },
    Reason {
        cn: &["经验不足", "相关经验不足"],
        en: "Insufficient experience",
        by_us: true,
    },
    Reason {
        cn: &["沟通能力欠佳", "表达能力一般"],
        en: "Weak communication",
        by_us: true,
    },
    Reason {
        cn: &["面试表现一般", "综合素质不够"],
        en: "Unsuccessful interview",
        by_us: true,
    },
    Reason {
        cn: &["期望薪资过高", "薪资期望超预算"],
        en: "Salary expectation too high",
        by_us: true,
    },
    Reason {
        cn: &["稳定性差", "跳槽频繁"],
        en: "Job-hopping concerns",
        by_us: true,
    },
    Reason {
        cn: &["有更合适人选"],
        en: "Stronger candidate selected",
        by_us: true,
    },
    Reason {
        cn: &["笔试未通过"],
        en: "Failed written test",
        by_us: true,
    },
    Reason {
        cn: &["学历不符"],
        en: "Education requirement not met",
        by_us: true,
    },
    Reason {
        cn: &["已接其他offer", "接了别家offer"],
        en: "Accepted another offer",
        by_us: false,
    },
    Reason {
        cn: &["候选人放弃", "个人原因放弃"],
        en: "Withdrew",
        by_us: false,
    },
    Reason {
        cn: &["薪资没谈拢"],
        en: "Declined offer: salary",
        by_us: false,
    },
    Reason {
        cn: &["未到面", "爽约"],
        en: "No-show",
        by_us: false,
    },
    Reason {
        cn: &["联系不上", "电话无人接听"],
        en: "Unreachable",
        by_us: false,
    },
];

pub const R_FILLED: usize = 0;
pub const R_FREEZE: usize = 1;
pub const R_SKILLS: usize = 2;
pub const R_EXPERIENCE: usize = 3;
pub const R_COMMUNICATION: usize = 4;
pub const R_INTERVIEW: usize = 5;
pub const R_SALARY: usize = 6;
pub const R_STABILITY: usize = 7;
pub const R_BETTER: usize = 8;
pub const R_TEST: usize = 9;
pub const R_EDUCATION: usize = 10;
pub const R_OTHER_OFFER: usize = 11;
pub const R_GAVE_UP: usize = 12;
pub const R_PAY: usize = 13;
pub const R_NO_SHOW: usize = 14;
pub const R_UNREACHABLE: usize = 15;

/// Interview remarks. Strengths and concerns are combined by score so that a
/// high professional score comes with a professional strength of the
/// candidate's own track.
pub fn strengths(track: Track) -> &'static [(&'static str, &'static str)] {
    match track {
        Track::Backend => &[
            ("基础扎实", "solid fundamentals"),
            ("代码规范", "clean code"),
            ("系统设计思路清晰", "clear system design"),
            ("熟悉高并发场景", "knows high-concurrency systems"),
            ("做过类似项目", "has done similar projects"),
        ],
        Track::Frontend => &[
            ("基础扎实", "solid fundamentals"),
            ("组件化经验丰富", "strong component design"),
            ("代码规范", "clean code"),
            ("做过类似项目", "has done similar projects"),
        ],
        Track::Qa => &[
            ("自动化测试经验丰富", "strong test automation"),
            ("细心，用例设计全面", "thorough test design"),
            ("基础扎实", "solid fundamentals"),
        ],
        Track::Data => &[
            ("数据分析能力突出", "strong data analysis"),
            ("SQL功底好", "strong SQL"),
            ("统计基础好", "good statistics"),
            ("做过类似项目", "has done similar projects"),
        ],
        Track::Sales => &[
            ("业绩突出", "strong sales record"),
            ("客户资源丰富", "large client network"),
            ("大客户经验丰富", "key-account experience"),
            ("做过类似项目", "has done similar projects"),
        ],
        Track::Hr | Track::Finance => &[
            ("专业知识扎实", "solid domain knowledge"),
            ("Excel熟练", "strong Excel"),
            ("做过类似工作", "has done the same job before"),
        ],
    }
}

pub static STRENGTH_SOFT: &[(&str, &str)] = &[
    ("沟通能力强", "strong communicator"),
    ("逻辑清晰", "clear logic"),
    ("表达流畅", "articulate"),
    ("团队意识好", "good team player"),
    ("抗压能力强", "handles pressure well"),
    ("学习能力强", "learns fast"),
    ("对业务理解深", "understands the business"),
];
pub static CONCERNS: &[(&str, &str)] = &[
    ("缺乏行业经验", "no industry experience"),
    ("稳定性一般", "stability concerns"),
    ("期望偏高", "high salary expectation"),
    ("基础薄弱", "weak fundamentals"),
    ("表达略显紧张", "a bit nervous"),
    ("项目深度不够", "projects lack depth"),
    ("近三年换了三份工作", "three jobs in three years"),
    ("管理经验不足", "little management experience"),
    ("通勤较远", "long commute"),
];
