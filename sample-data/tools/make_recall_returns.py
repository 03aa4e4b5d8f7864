#!/usr/bin/env python3
"""Writes sample-data/recall-returns/: recall workbooks HR filled in and
returned.

The demo pipeline run on 2024-07-01 writes one recall list per open
position (recall-<position>.xlsx). HR worked through two of them in July
and August 2024 and copied them back here, as the README asks. They are
copies of exactly what the demo wrote (every column, the outcome drop-down,
`listed_at` = 2024-07-01), with the outcome columns filled in the way
people fill them:

recall-XH-SA-001.xlsx (销售经理, the reopened position of the storyline)
  张三    joined: re-interviewed by 王总 on 2024-07-09, started 2024-08-05
  李海明  agreed_to_reinterview on 2024-07-03, re-interview 2024-07-11
  唐洋    declined on 2024-07-03 (now a sales lead elsewhere)
recall-XH-CP-001.xlsx (2025届校招-数据工程师)
  唐洋    `回头再说` typed over the drop-down: no outcome anyone can read,
          quarantined with its cell
  刘晨秀  `未接通` typed in Chinese, the date as text `2024/7/4`
  the other rows were left empty (not worked yet)

Every outcome is dated after 2024-07-01, so the demo's own lists (as of
that day) do not change; the monthly report (as of 2024-12-01) follows
these five listed candidates to contacts, re-interviews and hires.

The lists come from a demo run: pass the folder of one, or let the script
run `cargo run --release -- run pipelines/demo.toml --as-of 2024-07-01`
into a temporary folder. The output is byte-for-byte reproducible (pinned
workbook and zip timestamps).

    python3 sample-data/tools/make_recall_returns.py [DEMO_OUT]
"""

import datetime as dt
import io
import os
import re
import subprocess
import sys
import tempfile
import zipfile

import openpyxl

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(REPO, "sample-data", "recall-returns")
PINNED = dt.datetime(2024, 8, 6, 9, 0, 0)
T = dt.datetime

# position → name → what HR wrote: (outcome, outcome_at, outcome_by,
# reinterview_at, reinterview_by, outcome_notes). Names are matched on the
# list, so a changed list fails loudly instead of filling the wrong row.
FILLS = {
    "XH-SA-001": {
        "张三": ("joined", T(2024, 8, 5, 9, 30), "小王", T(2024, 7, 9, 14, 0), "王总",
                 "7月9日复试通过，8月5日入职"),
        "李海明": ("agreed_to_reinterview", T(2024, 7, 3, 10, 15), "小王", T(2024, 7, 11, 10, 0),
                  "王总", "对销售岗有兴趣，约下周四上午复试"),
        "唐洋": ("declined", T(2024, 7, 3, 15, 40), "小王", None, None,
                "已在其他公司做销售主管，暂不考虑"),
    },
    "XH-CP-001": {
        "唐洋": ("回头再说", T(2024, 7, 4, 11, 0), "小李", None, None, "微信回复说最近忙"),
        "刘晨秀": ("未接通", "2024/7/4", "小李", None, None, "电话关机"),
    },
}
COLUMNS = ["outcome", "outcome_at", "outcome_by", "reinterview_at", "reinterview_by", "outcome_notes"]


def demo_out():
    if len(sys.argv) > 1:
        return sys.argv[1], None
    tmp = tempfile.TemporaryDirectory()
    subprocess.run(
        ["cargo", "run", "--release", "--quiet", "--", "run", "pipelines/demo.toml",
         "--as-of", "2024-07-01", "--out", tmp.name],
        cwd=REPO, check=True, stdout=subprocess.DEVNULL,
    )
    return tmp.name, tmp


def fill(src, position, fills):
    wb = openpyxl.load_workbook(src)
    ws = wb["recall"]
    header = [c.value for c in ws[1]]
    col = {name: header.index(name) + 1 for name in header}
    seen = set()
    for row in range(2, ws.max_row + 1):
        name = ws.cell(row, col["name"]).value
        if name not in fills:
            continue
        seen.add(name)
        for key, value in zip(COLUMNS, fills[name]):
            if value is None:
                continue
            cell = ws.cell(row, col[key])
            cell.value = value
            if isinstance(value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
    missing = set(fills) - seen
    if missing:
        sys.exit(f"{position}: not on the demo's list: {sorted(missing)}")
    wb.properties.creator = "星河数据人力资源部"
    wb.properties.created = PINNED
    wb.properties.modified = PINNED
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_pinned(data, path):
    # openpyxl stamps every zip entry with the current time; pin them so the
    # file is reproducible byte for byte.
    src = zipfile.ZipFile(io.BytesIO(data))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*",
                    rb"\g<1>" + PINNED.strftime("%Y-%m-%dT%H:%M:%SZ").encode(),
                    body,
                )
            pinned = zipfile.ZipInfo(info.filename, date_time=PINNED.timetuple()[:6])
            pinned.compress_type = zipfile.ZIP_DEFLATED
            pinned.external_attr = info.external_attr
            out.writestr(pinned, body)


def main():
    folder, keep = demo_out()
    os.makedirs(OUT, exist_ok=True)
    for position, fills in FILLS.items():
        name = f"recall-{position}.xlsx"
        data = fill(os.path.join(folder, name), position, fills)
        write_pinned(data, os.path.join(OUT, name))
        print(f"wrote sample-data/recall-returns/{name}")
    del keep


if __name__ == "__main__":
    main()
