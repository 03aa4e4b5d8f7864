#!/usr/bin/env python3
"""Writes the sample candidate-survey exports under sample-data/surveys/.

The surveys belong to the demo company's interviewed applications: every
application with a dated interview since September 2023 was sent a survey
together with its decision notice. Application ids and interview times are
read from the demo pipeline's golden outputs (tests/golden/demo), which are
the outputs of `hrflow run pipelines/demo.toml` on sample-data/.

Two files, two layouts, as two survey tools would export them:

- candidate_survey_2024_gbk.csv: the interview-experience survey, wide
  (one row per sent survey, a column per question), GBK-encoded with
  Chinese headers. Unanswered surveys have only their send time; a few
  anonymous answers came in through the open link (no application id).
- notice_feedback_long.xlsx: the rejection-notice questions, long (one row
  per answer), for the same response ids.

A handful of cells are deliberately bad (a 7 on a 1-5 question, a word that
is no score, an 11 on the 0-10 question, an unknown question, a missing
response id) so the run has something to quarantine, and one comment holds
markup to prove the HTML report escapes it.

Deterministic: a fixed-seed generator, sorted inputs, fixed workbook
timestamps. Run from the repository root:

    python3 sample-data/tools/make-surveys.py
"""

import csv
import io
import os
import random
import re
import zipfile
from datetime import datetime, timedelta

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GOLDEN = os.path.join(REPO, "tests", "golden", "demo")
OUT = os.path.join(REPO, "sample-data", "surveys")

INTERVIEW_Q = [
    ("positive_experience", "Q1. 总体而言，我的面试体验是积极的"),
    ("started_on_time", "Q2. 我的面试按时开始"),
    ("position_explained", "Q3. 职位情况向我解释得很清楚"),
    ("interviewers_prepared", "Q4. 面试官准备充分，面试进行得很专业"),
    ("accurate_assessment", "Q5. 面试官准确了解了我的优势和不足"),
    ("courtesy_respect", "Q6. 我受到了礼貌和尊重的对待"),
    ("challenging", "Q7. 总体而言，我觉得面试过程很有挑战性"),
    ("positive_impression", "Q8. 经历招聘流程后，我对公司的印象更好了"),
    ("recommend", "Q9. 您有多大可能向朋友推荐来我们公司应聘？"),
]
NOTICE_Q = ["通知语气", "通知详细程度", "通知及时性", "通知有帮助"]

COMMENTS_GOOD = [
    "面试官很专业，问题都和岗位相关。",
    "流程很顺畅，HR 回复及时。",
    "技术面聊得很深入，收获很多。",
    "前台接待热情，面试环境也不错。",
    "希望下次能更早告诉我面试结果。",
]
COMMENTS_BAD = [
    "等了快两周才收到结果，希望能快一点。",
    "面试推迟了四十分钟，也没有提前通知。",
    "岗位介绍和实际工作内容不太一样。",
    "面试官一直在看手机，感觉不太被尊重。",
]
NOTICE_COMMENTS = [
    "通知写得很客气，也说明了原因。",
    "希望能多给一些具体的改进建议。",
    "模板味太重了。",
]
SCRIPT_COMMENT = "<script>alert('面试')</script>整体还行"


def read_golden(name):
    with open(os.path.join(GOLDEN, name), encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def likert(rng, mood):
    """A 1-5 answer; mood 0 (unhappy) .. 2 (happy)."""
    weights = [
        [4, 5, 4, 2, 1],
        [1, 2, 4, 5, 3],
        [0, 1, 2, 5, 6],
    ][mood]
    return rng.choices([1, 2, 3, 4, 5], weights=weights)[0]


def recommend(rng, mood):
    lo, hi = [(0, 7), (5, 9), (7, 10)][mood]
    return rng.randint(lo, hi)


def fixed_zip(path):
    """Rewrites a workbook with fixed entry timestamps so it is byte-stable."""
    with zipfile.ZipFile(path) as z:
        entries = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            if name == "docProps/core.xml":
                # openpyxl stamps the save time as the modification time.
                data = re.sub(
                    rb"<dcterms:modified([^>]*)>[^<]*</dcterms:modified>",
                    rb"<dcterms:modified\1>2024-12-01T00:00:00Z</dcterms:modified>",
                    data,
                )
            info = zipfile.ZipInfo(name, date_time=(2024, 12, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    with open(path, "wb") as f:
        f.write(buf.getvalue())


def main():
    rng = random.Random(20241201)
    apps = {a["application_id"]: a for a in read_golden("applications.csv")}
    last_interview = {}
    for e in read_golden("evaluations.csv"):
        if e["at"] and e["application_id"] in apps:
            at = datetime.fromisoformat(e["at"])
            prev = last_interview.get(e["application_id"])
            last_interview[e["application_id"]] = max(prev, at) if prev else at
    chosen = sorted(
        (at, app_id)
        for app_id, at in last_interview.items()
        if at >= datetime(2023, 9, 1)
    )
    header = ["回答编号", "申请编号", "发送时间", "提交时间", "模板版本"]
    header += [h for _, h in INTERVIEW_Q]
    header += ["意见和建议"]
    rows = []
    long_rows = []
    rejected_rows = []
    for n, (interview, app_id) in enumerate(chosen, start=1):
        app = apps[app_id]
        hired = app["status"] == "hired" or app["stage"] == "hired"
        rejected = app["status"] in ("rejected", "talent_pool")
        mood = 2 if hired else (0 if rng.random() < 0.45 else 1)
        sent = interview + timedelta(hours=rng.choice([20, 26, 30, 44, 50, 70, 96, 130]))
        version = "v1" if sent < datetime(2024, 3, 1) else "v2"
        rid = f"SV24-{n:03d}"
        answered = rng.random() < 0.8
        row = [rid, app_id, sent.strftime("%Y-%m-%d %H:%M"), "", version]
        if not answered:
            rows.append(row + [""] * (len(INTERVIEW_Q) + 1))
            continue
        done = sent + timedelta(hours=rng.randint(1, 60))
        row[3] = done.strftime("%Y/%m/%d %H:%M")
        for qid, _ in INTERVIEW_Q:
            if qid == "recommend":
                row.append(str(recommend(rng, mood)))
            elif qid == "challenging":
                row.append(str(rng.randint(2, 5)))
            else:
                row.append(str(likert(rng, mood)))
        pool = COMMENTS_GOOD if mood == 2 else COMMENTS_BAD if mood == 0 else COMMENTS_GOOD + COMMENTS_BAD
        row.append(rng.choice(pool) if rng.random() < 0.6 else "")
        rows.append(row)
        if rejected:
            rejected_rows.append(row)
            for q in NOTICE_Q:
                long_rows.append([rid, q, likert(rng, mood), ""])
            if rng.random() < 0.5:
                long_rows.append([rid, "改进建议", "", rng.choice(NOTICE_COMMENTS)])
    # Anonymous answers through the open link: no application, no send time.
    for k in range(6):
        done = datetime(2024, 4 + k, 10 + k, 20, 15)
        mood = [2, 1, 0, 2, 1, 2][k]
        row = [f"SV24-OPEN-{k + 1}", "", "", done.strftime("%Y-%m-%d %H:%M"), "v2"]
        for qid, _ in INTERVIEW_Q:
            row.append(str(recommend(rng, mood) if qid == "recommend" else likert(rng, mood)))
        row.append("")
        rows.append(row)
    answered_rows = [r for r in rows if r[3]]
    # Deliberately bad cells, one of each kind, on answered surveys.
    answered_rows[2][5] = "7"            # 7 on a 1-5 question
    answered_rows[5][7] = "很好"          # a word that is not a score
    answered_rows[8][13] = "11"          # 11 on the 0-10 question
    # On a rejected candidate's survey: the largest outcome group, whose
    # comments the report lists.
    rejected_rows[1][-1] = SCRIPT_COMMENT
    answered_rows[10][-1] = "=HYPERLINK(\"http://example.invalid\",\"点我\") 流程不错"
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "candidate_survey_2024_gbk.csv"), "w", encoding="gbk", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(header)
        w.writerows(rows)

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "通知反馈"
    ws.append(["结果通知满意度调查（导出）"])
    ws.append(["回答编号", "问题", "分数", "备注"])
    for r in long_rows:
        ws.append(r)
    ws.append(["SV24-001", "通知长度", 3, ""])        # not a question of the bank
    ws.append(["", "通知语气", 4, ""])               # no response id
    ws.append([long_rows[0][0], "通知详细程度", 6, ""])  # 6 on a 1-5 question
    fixed = datetime(2024, 12, 1)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.properties.creator = "hrflow sample data"
    path = os.path.join(OUT, "notice_feedback_long.xlsx")
    wb.save(path)
    fixed_zip(path)
    print(f"{len(rows)} wide rows, {len(long_rows) + 3} long rows written to {OUT}")


if __name__ == "__main__":
    main()
