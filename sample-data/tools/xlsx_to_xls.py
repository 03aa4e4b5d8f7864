#!/usr/bin/env python3
"""Convert an .xlsx workbook to a legacy Excel 97-2003 workbook (.xls, BIFF8).

The sample generator writes only .xlsx (rust_xlsxwriter cannot write BIFF8),
but the committed sample must contain one real .xls file. openpyxl reads the
staged workbook and xlwt writes BIFF8, keeping what matters to a reader:
numbers stay number cells with their number format (phones typed as numbers
keep the "0" format), dates stay date cells, text stays text, merged ranges
stay merged, hidden sheets stay hidden, and every value keeps its row and
column so the ground-truth row numbers remain valid.

Usage: xlsx_to_xls.py IN.xlsx OUT.xls
"""

import datetime
import sys

import openpyxl
import xlwt
from openpyxl.utils import column_index_from_string

DATE_FORMAT = "yyyy/m/d"


class Styles:
    """xlwt allows ~4000 styles per workbook, so identical ones are shared."""

    def __init__(self):
        self.cache = {}

    def get(self, num_format, bold, centered):
        key = (num_format, bold, centered)
        if key not in self.cache:
            style = xlwt.XFStyle()
            style.num_format_str = num_format
            if bold:
                font = xlwt.Font()
                font.bold = True
                style.font = font
            if centered:
                align = xlwt.Alignment()
                align.horz = xlwt.Alignment.HORZ_CENTER
                align.vert = xlwt.Alignment.VERT_CENTER
                style.alignment = align
            self.cache[key] = style
        return self.cache[key]


def number_format(cell):
    fmt = cell.number_format or "General"
    if isinstance(cell.value, (datetime.datetime, datetime.date)) and fmt == "General":
        return DATE_FORMAT
    return fmt


def convert_sheet(ws, sheet, styles):
    merged_at = {}
    covered = set()
    for rng in ws.merged_cells.ranges:
        merged_at[(rng.min_row, rng.min_col)] = rng
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if (r, c) != (rng.min_row, rng.min_col):
                    covered.add((r, c))
    for row in ws.iter_rows():
        for cell in row:
            pos = (cell.row, cell.column)
            if pos in covered:
                continue
            value = cell.value
            if value is None and pos not in merged_at:
                continue
            bold = bool(cell.font is not None and cell.font.b)
            if pos in merged_at:
                rng = merged_at[pos]
                style = styles.get(number_format(cell), bold, True)
                sheet.write_merge(rng.min_row - 1, rng.max_row - 1, rng.min_col - 1, rng.max_col - 1,
                                  "" if value is None else value, style)
            else:
                sheet.write(cell.row - 1, cell.column - 1, value, styles.get(number_format(cell), bold, False))
    for letter, dim in sorted(ws.column_dimensions.items()):
        if dim.width:
            first = column_index_from_string(letter) if dim.min is None else dim.min
            last = first if dim.max is None else dim.max
            for col in range(first, last + 1):
                sheet.col(col - 1).width = int(dim.width * 256)


def main(src, dst):
    book = openpyxl.load_workbook(src)
    out = xlwt.Workbook(encoding="utf-8")
    styles = Styles()
    for ws in book.worksheets:
        sheet = out.add_sheet(ws.title)
        if ws.sheet_state != "visible":
            sheet.visibility = 1
        convert_sheet(ws, sheet, styles)
    out.save(dst)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
