"""Writes workbooks with openpyxl for the differential test of the .xlsx readers
(test/cli/xlsx-readers.property.test.ts): a JSON list of {"file", "spec"} on stdin, one workbook
per entry, so that one Python process writes a whole batch. A spec is described by WorkbookSpec in
test/support/generated-workbooks.ts; openpyxl writes formulas without a computed value and strings
inline, as it always does, and rich text as its plain text (openpyxl 3.0 has none)."""
import datetime
import json
import sys

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import CALENDAR_MAC_1904
from openpyxl.worksheet.table import Table

EPOCH = datetime.datetime(1970, 1, 1)


def put(sheet, row, col, cell):
    target = sheet.cell(row=row, column=col)
    kind = cell["t"]
    if kind == "blank":
        return
    if kind == "number":
        target.value = cell["v"]
    elif kind == "text":
        target.value = cell["v"]
    elif kind == "rich":
        target.value = "".join(cell["parts"])
    elif kind == "bool":
        target.value = cell["v"]
    elif kind == "date":
        target.value = EPOCH + datetime.timedelta(milliseconds=cell["v"])
    elif kind == "error":
        target.value = cell["v"]
    elif kind == "formula":
        target.value = "=" + cell["f"]
    if cell.get("fmt"):
        target.number_format = cell["fmt"]
    if cell.get("fill") or kind == "styled":
        target.fill = PatternFill("solid", fgColor="FFFFEB9C")
    if cell.get("bold"):
        target.font = Font(bold=True)


def write(file, spec):
    workbook = Workbook()
    if spec["date1904"]:
        workbook.epoch = CALENDAR_MAC_1904
    workbook.iso_dates = spec["isoDates"]
    first = workbook.active
    if spec["sheetBefore"]:
        first.title = "Notes"
        first["A1"] = "Notes"
        sheet = workbook.create_sheet(spec["sheetName"])
    else:
        first.title = spec["sheetName"]
        sheet = first
    top, left = spec["top"], spec["left"]
    for i, title in enumerate(spec["titles"]):
        sheet.cell(row=i + 1, column=1).value = title
    for j, name in enumerate(spec["header"]):
        sheet.cell(row=top, column=left + j).value = name
    for i, cells in enumerate(spec["rows"]):
        for j, cell in enumerate(cells):
            put(sheet, top + 1 + i, left + j, cell)
    if spec["rows"] and spec["hyperlink"]:
        sheet.cell(row=top + 1, column=left).hyperlink = "https://example.com/"
    if spec["rows"] and spec["merged"]:
        sheet.merge_cells(start_row=top + 1, start_column=left, end_row=top + 1, end_column=left + 1)
    if spec["layout"] == "table":
        bottom = top + max(1, spec["tableRows"]) + (1 if spec["totalsRow"] else 0)
        ref = f"{get_column_letter(left)}{top}:{get_column_letter(left + len(spec['header']) - 1)}{bottom}"
        sheet.add_table(Table(displayName=spec["table"], ref=ref, totalsRowCount=1 if spec["totalsRow"] else None))
    workbook.save(file)


for entry in json.load(sys.stdin):
    write(entry["file"], entry["spec"])
