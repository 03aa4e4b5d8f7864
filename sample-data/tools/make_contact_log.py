#!/usr/bin/env python3
"""Writes sample-data/联系记录.xlsx: the HR assistants' contact log of 2024.

Hand-written rows about people of the sample company, with the mess such
logs have: a merged title, a 联系方式 column that holds 电话/微信 instead of
a number, dates as date cells, date-time cells and text, a phone stored as
a number, a name three candidates share, a person hrflow does not know, a
time nobody can date, a result nobody can read, a blank row and a note row,
and an instructions sheet. The output is byte-for-byte reproducible: the
workbook's timestamps and the zip entries' times are pinned.

    python3 sample-data/tools/make_contact_log.py [OUT]
"""

import datetime as dt
import io
import re
import sys
import zipfile

import openpyxl
from openpyxl.styles import Alignment, Font

OUT = sys.argv[1] if len(sys.argv) > 1 else "sample-data/联系记录.xlsx"
PINNED = dt.datetime(2024, 7, 1, 9, 0, 0)

HEADER = ["序号", "联系日期", "姓名", "手机号", "联系方式", "跟进人", "联系结果", "备注"]
D = dt.date
T = dt.datetime
ROWS = [
    # Long before the as-of date of the demo: no effect on the lists.
    [1, D(2024, 1, 15), "张三", "138 0013 8000", "电话", "小王", "接通", "问了近况，暂无跳槽打算"],
    # Text date, phone as a number cell; outside the 30-day cooldown.
    [2, "2024.3.2", "李海明", 15706342670, "电话", "小王", "未接", None],
    # A result nobody can read: the value is quarantined, the contact counts.
    [3, D(2024, 5, 20), "唐洋", "178-4359-9404", "电话", "小王", "？？", "信号不好"],
    # 张伟: three candidates have this name and the row has no phone.
    [4, D(2024, 5, 10), "张伟", None, "电话", "小王", "未接", "没留电话，按名字找的"],
    # Nobody hrflow knows.
    [5, D(2024, 5, 12), "王小明", "139 1111 2222", "电话", "小李", "接通", "朋友推荐，未投递简历"],
    # No date anyone can read: the row is quarantined.
    [6, "下周三", "刘晨秀", None, "微信", "小李", "已发微信", "约了下周三电话沟通"],
    # Ten days before the demo's as-of date: Chen Chen, under his Hanzi
    # name, found by his phone; he drops off every list by cooldown.
    [7, T(2024, 6, 21, 14, 30), "陈晨", "153-7430-5776", "微信", "小李", "考虑中", "对销售经理岗位有兴趣，下周再联系"],
    # Opted out in the notes: off every list for good.
    [8, "2024/6/25", "陈艳佳", None, "电话", "王总", "拒绝", "已在新公司稳定，要求不再联系"],
    # No answer is a contact too: 冯云 drops off by cooldown.
    [9, D(2024, 6, 27), "冯云", "187 2418 0165", "电话", "小王", "未接通", "关机"],
    [10, D(2024, 6, 28), "李四", "13322022762", "微信", "小李", "已发微信", "发了新岗位链接"],
]

wb = openpyxl.Workbook()
ws = wb.active
ws.title = "2024联系记录"
ws.append(["候选人联系记录（2024）"])
ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
ws["A1"].font = Font(bold=True, size=14)
ws["A1"].alignment = Alignment(horizontal="center")
ws.append([])
ws.append(HEADER)
for c in ws[3]:
    c.font = Font(bold=True)
for row in ROWS[:6]:
    ws.append(row)
ws.append([])  # a blank row in the middle of the log
for row in ROWS[6:]:
    ws.append(row)
ws.append([])
ws.append(["注：联系结果请填 接通/未接/同意面试/拒绝/要求不再联系 等；每次联系记一行。"])
for row in ws.iter_rows(min_row=4):
    for c in row:
        if isinstance(c.value, dt.datetime):
            c.number_format = "yyyy-mm-dd hh:mm"
        elif isinstance(c.value, dt.date):
            c.number_format = "yyyy-mm-dd"
for col, width in zip("ABCDEFGH", [6, 18, 10, 16, 10, 8, 10, 36]):
    ws.column_dimensions[col].width = width

help_ws = wb.create_sheet("填写说明")
help_ws.append(["每次电话、微信、邮件联系候选人后记一行。"])
help_ws.append(["候选人明确表示不希望再被联系的，在联系结果或备注写明 要求不再联系。"])

wb.properties.creator = "星河数据人力资源部"
wb.properties.created = PINNED
wb.properties.modified = PINNED
buf = io.BytesIO()
wb.save(buf)

# openpyxl stamps every zip entry with the current time; pin them so the
# file is reproducible byte for byte.
src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
with zipfile.ZipFile(OUT, "w", zipfile.ZIP_DEFLATED) as out:
    for info in src.infolist():
        data = src.read(info.filename)
        if info.filename == "docProps/core.xml":
            # openpyxl sets `modified` to the time of saving.
            data = re.sub(
                rb"(<dcterms:modified[^>]*>)[^<]*",
                rb"\g<1>" + PINNED.strftime("%Y-%m-%dT%H:%M:%SZ").encode(),
                data,
            )
        pinned = zipfile.ZipInfo(info.filename, date_time=PINNED.timetuple()[:6])
        pinned.compress_type = zipfile.ZIP_DEFLATED
        pinned.external_attr = info.external_attr
        out.writestr(pinned, data)
print(f"wrote {OUT}")
