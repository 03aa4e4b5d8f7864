//! Writes `sample-data/README.md` from what was actually generated: row
//! counts, the exact rows of every planted defect and where the scripted
//! persons landed. Generating it (instead of hand-writing it) keeps the row
//! numbers right whenever the sample is regenerated.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Result;

use super::company::COMPANY;
use super::truth::Notes;
use super::{GenSummary, english, evals, ledger, legacy, oldsys, positions, wechat};

/// Layout description per file, in the order the files are listed.
const LAYOUTS: &[(&str, &str)] = &[
    (
        legacy::FILE,
        "Excel 97–2003 (BIFF8) register of 2019–2021, sheet `招聘登记`. Row 1 is a merged title, \
         the header is on row 2 (序号, 登记日期, 姓名, 性别, 年龄, 联系电话, 邮箱, 学历, 毕业院校, 工作年限, \
         应聘岗位, 技能特长, 期望薪资, 招聘渠道, 面试官, 面试评价, 面试结果, 未录取原因, 备注), data from row 3. A hire's start date is only in 备注 \
         (`2019.7.29入职`; `预计2022.1.10入职` when it was still to come).",
    ),
    (
        ledger::FILE,
        "The 2022 ledger. Sheets `2022上半年` and `2022下半年` (data), `下拉选项` (hidden) and `填表说明`. \
         Row 1 merged title `2022年招聘台账`, row 2 a merged note, rows 3–4 a two-row header, data from row 5, \
         a 合计 row under the data. Scores 技术/协作/文化 are 1–10. The second 备注 gives a hire's start \
         (`2022.6.13到岗`).",
    ),
    (
        english::FILE,
        "English sheet `Candidates` of 2023–2024 with the header at C3 (Name, Email, Phone, Position, Department, \
         Applied, Status, Rejection Reason, Expected Salary, Education, Years of Experience, Interviewer, \
         Interview Date, Overall Score, Comments, Start Date); data from row 4; Start Date is filled for hires \
         who have started. Names appear as `San Zhang`, `Zhang San`, \
         `ZHANG San`, `Kevin Zhou` or in Hanzi; phones mostly `+86 138 0013 8000`.",
    ),
    (
        oldsys::FILE,
        "Export of the HR system used until mid-2021: GBK, comma-separated, CRLF, quoted where needed. \
         19 columns (候选人姓名 … 备注) including 身份证号码; dates `2020/5/1`, experience as drop-down buckets \
         (`3-5年`), salaries such as `1.5万`, `15000`, `面议`; a hire's start date is typed into 备注 \
         (`2019/2/25已入职`).",
    ),
    (
        wechat::FILE,
        "WeChat mini-form sign-ups 2023–2024 saved by Excel as Unicode text: UTF-16LE with BOM, tab-separated, \
         CRLF. Columns 姓名, 手机号码, 微信号, 意向岗位, 期望月薪, 工作经验, 最高学历, 提交时间 (`2024/3/5 14:23:11`).",
    ),
    (
        positions::FILE,
        "Sheet `岗位`: the current positions with required/bonus skills, minimum years, education, city, \
         budget (`15-20k`), status (开放 / 重新开放 / 关闭), opening date, headcount and the interview weighting \
         (`技术40/协作30/文化30`). Not a candidate file: it has no ground-truth rows.",
    ),
    (
        evals::FILE,
        "Sheet `面试评估`: one row per interview round of the 2024 applications in the English sheet \
         (候选人, 手机, 应聘岗位, 面试轮次, 面试官, 面试日期, 技术能力, 沟通能力, 团队协作, 文化匹配, 综合评分, \
         面试评价, 结果), header on row 1.",
    ),
];

const STORY: &[(usize, &str)] = &[
    (
        0,
        "张三 (13800138000, zhangsan@qq.com): 2021 sales-manager candidate, boss interview (王总) rated \
         “逻辑清晰，沟通能力强，做过类似项目，结果很不错”, expected 15k/月, rejected with 岗位已满; \
         the position 销售经理 is now 重新开放 with budget 15-20k in positions.xlsx. He appears as \
         `張三 +86 13800138000` in the GBK export, `张三 138-0013-8000` in the 2019–2021 register and \
         `Zhang San zhangsan@qq.com` (no phone) in the English sheet.",
    ),
    (
        1,
        "李四: rejected for Go后端工程师 in 2022 with 技术能力不足 (technical score 4), signed up again via WeChat in 2024.",
    ),
    (2, "张伟 #1 (born 1985, sales)."),
    (
        3,
        "张伟 #2 (born 1996, Go back end) — a different person with a different phone.",
    ),
    (4, "王芳 #1 (born 1990, finance)."),
    (5, "王芳 #2 (born 1998, data)."),
    (6, "李娜 #1 (born 1987, HR)."),
    (7, "李娜 #2 (born 1995, sales)."),
    (
        8,
        "刘洋 #1 (born 1991, male, back end); the same 2019 application is in the GBK export and the register.",
    ),
    (9, "刘洋 #2 (born 1999, female, data)."),
    (
        10,
        "单晓峰 — surname 单 reads Shan (`Xiaofeng Shan`), not Dan.",
    ),
    (11, "曾思琪 — surname 曾 reads Zeng."),
    (12, "吕志强 — surname 吕 romanized Lyu / Lv / Lu."),
    (13, "区嘉欣 — surname 区 reads Ou (also Au)."),
    (14, "周浩, who uses the English name Kevin (`Kevin Zhou`)."),
];

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default()
}

pub fn write(
    out: &Path,
    summary: &GenSummary,
    notes: &Notes,
    story: &[(usize, String, String, u64)],
    changes: &[String],
    in_several_files: usize,
) -> Result<PathBuf> {
    let mut md = String::new();
    let w = &mut md;
    writeln!(w, "# Sample data: recruiting history of {COMPANY}\n")?;
    writeln!(
        w,
        "Synthetic and deterministic: a small imaginary company's recruiting records 2015–2024, spread over \
         the kinds of files a Chinese HR department really accumulates: {} true persons in {} data rows. \
         {} of the persons ({:.0} %) appear in more than one file (re-applications, the same application \
         entered in two systems), with realistic differences between appearances. This README and every \
         file except the chats, the contact log and the returned recall workbooks (written by hand or by \
         their scripts, see below) are produced by `hrflow gen`; nothing here is hand-edited.\n",
        summary.entities,
        summary.data_rows,
        in_several_files,
        100.0 * in_several_files as f64 / summary.entities.max(1) as f64
    )?;
    writeln!(w, "## Files\n")?;
    writeln!(w, "| file | data rows | content |")?;
    writeln!(w, "|---|---:|---|")?;
    for f in &summary.files {
        writeln!(
            w,
            "| `{}` | {} | {} |",
            file_name(&f.path),
            f.rows,
            f.description
        )?;
    }
    writeln!(
        w,
        "\nFor `.xlsx`/`.xls` files a row is the Excel row number (1-based, header rows count); for the CSV files it is the physical line (1-based, the header is line 1).\n"
    )?;
    for (file, layout) in LAYOUTS {
        writeln!(w, "### `{file}`\n\n{layout}\n")?;
        let mut at: Vec<_> = notes.for_file(file).filter(|n| n.row.is_some()).collect();
        at.sort_by(|a, b| (&a.sheet, a.row).cmp(&(&b.sheet, b.row)));
        let general: Vec<_> = notes.for_file(file).filter(|n| n.row.is_none()).collect();
        if at.is_empty() && general.is_empty() {
            continue;
        }
        writeln!(w, "Messiness:\n")?;
        for n in general {
            let sheet = if n.sheet.is_empty() {
                String::new()
            } else {
                format!("`{}`: ", n.sheet)
            };
            writeln!(w, "- {sheet}{}", n.text)?;
        }
        for n in at {
            let place = if n.sheet.is_empty() {
                "line".to_string()
            } else {
                format!("`{}` row", n.sheet)
            };
            writeln!(w, "- {place} {}: {}", n.row.unwrap_or(0), n.text)?;
        }
        writeln!(w)?;
    }
    writeln!(
        w,
        "Throughout: phones as `138-0013-8000`, `138 0013 8000`, `+86 13800138000`, `0086-…`, full-width digits; \
        salaries as `15k`, `15K/月`, `1.5万`, `15-20k`, `20万/年`, `15k·13薪`, `8300元/月*13个月`, `15k以上`, `面议`, `保密`; \
        position titles in older variants (`Golang开发工程师`); missing e-mails and phones.\n"
    )?;
    writeln!(
        w,
        "Persons whose phone or e-mail changed between their appearances (later files show the new one):\n"
    )?;
    for c in changes {
        writeln!(w, "- {c}")?;
    }
    writeln!(w)?;
    writeln!(w, "## Scripted storyline\n")?;
    for (person, text) in STORY {
        let places: Vec<String> = story
            .iter()
            .filter(|s| s.0 == *person)
            .map(|(_, f, sh, r)| {
                if sh.is_empty() {
                    format!("`{f}` line {r}")
                } else {
                    format!("`{f}` `{sh}` row {r}")
                }
            })
            .collect();
        let id = format!("P{:0w$}", person + 1, w = super::sample::ID_WIDTH);
        writeln!(w, "- **{id}** {text} Rows: {}.", places.join("; "))?;
    }
    writeln!(w, "\n## Ground truth\n")?;
    writeln!(
        w,
        "`ground_truth.csv` (UTF-8, header `file,sheet,row,entity_id`) has one line per data row of every candidate \
         file, including the evaluation sheet: `file` is the file name, `sheet` the worksheet (empty for CSV), `row` \
         the 1-based Excel row or the physical line where the CSV record starts, `entity_id` the true person \
         (`P0001`…). Rows mapping to the same `entity_id` are the same person. It is meant for the dedup benchmark \
         and is not read by the pipeline. `positions.xlsx` has no entries.\n"
    )?;
    writeln!(w, "## Chats\n")?;
    writeln!(
        w,
        "`chats/` holds the HR group's exported chats about the same people, written by hand rather than \
         generated: `qq_招聘群.txt` (QQ txt export, 2021–22), `wechat_招聘沟通.txt` (WeChatMsg txt, 2023–24) and \
         `whatsapp_hr.txt` (WhatsApp, Chinese locale with 上午/下午). They carry the boss's verdicts (张三: \
         逻辑清晰，沟通能力强，但岗位已满，先放人才库), salary talk, interview times, phone calls, two opt-outs, two \
         chat-only leads with phone numbers, short forms such as 小张 that are ambiguous between two people, and \
         noise (stickers, recalls, images, off-topic talk). Regenerating leaves them alone.\n"
    )?;
    writeln!(w, "## Contact log\n")?;
    writeln!(
        w,
        "`联系记录.xlsx` is the HR assistants' 2024 contact log (pipeline role `contacts`), written by hand rather \
         than generated, by `tools/make_contact_log.py` (reproducible byte for byte). Sheet `2024联系记录`: merged \
         title, header on row 3 (序号, 联系日期, 姓名, 手机号, 联系方式, 跟进人, 联系结果, 备注), a blank row inside \
         the log and a note row under it; `联系方式` holds 电话/微信, not a number. Rows that matter for the demo's \
         recall lists (as of 2024-07-01): Chen Chen, logged as 陈晨 and found by his phone, messaged on 2024-06-21 \
         and 冯云 called without answer on 2024-06-27 (both inside the 30-day cooldown); 陈艳佳 asking 要求不再联系 in \
         the notes. Rows that are quarantined: 张伟 without a phone (three candidates have the name), 王小明 (nobody \
         hrflow knows), a time written `下周三`; a result `？？` is a quarantined value. Sheet `填写说明` holds \
         instructions. Regenerating leaves it alone.\n"
    )?;
    writeln!(w, "## Returned recall workbooks\n")?;
    writeln!(
        w,
        "`recall-returns/` holds two recall lists the demo pipeline writes as of 2024-07-01, filled in by HR \
         and copied back (pipeline role `recall_outcomes`), made by `tools/make_recall_returns.py` from a demo \
         run (reproducible byte for byte). `recall-XH-SA-001.xlsx` (销售经理): 张三 `joined` (re-interviewed by \
         王总 on 2024-07-09, started 2024-08-05), 李海明 `agreed_to_reinterview` (re-interview 2024-07-11), 唐洋 \
         `declined`. `recall-XH-CP-001.xlsx` (2025届校招-数据工程师): 刘晨秀 `未接通` typed in Chinese with the \
         date as text; 唐洋, called about this position too, `回头再说`, an outcome nobody can read, which is \
         quarantined with its cell; the other rows were left empty. Every outcome is dated after 2024-07-01, so \
         the demo's own lists do not change; the monthly report follows the four listed candidates to contacts, \
         re-interviews and hires.\n"
    )?;
    writeln!(w, "## Regenerating\n")?;
    writeln!(
        w,
        "```sh\nbash sample-data/tools/make-sample.sh\n```\n\nThis runs `cargo run --release -- gen --out sample-data` \
         and then converts the staged `.xls-staging/2019-2021_招聘登记表.xlsx` to `.xls` with \
         `tools/xlsx_to_xls.py` (openpyxl reads, xlwt writes; numbers stay numbers, dates stay date cells), \
         installing both into a throwaway virtualenv under /tmp when missing; then it writes the contact log \
         and the returned recall workbooks with their scripts. The same seed always gives \
         byte-identical files. Asked for a number of candidates, `hrflow gen` writes a large data set of the same kinds of files \
         (without the .xls) with a `pipeline.toml` beside it."
    )?;
    let path = out.join("README.md");
    fs::write(&path, md)?;
    Ok(path)
}
