"""Reads a workbook with openpyxl (as Excel users' tools would) and prints it as JSON:
{"sheets": [names], "cells": {sheet: [[{"v": value, "t": type, "f": number_format}, ...]]},
 "charts": {sheet: count}}. Numbers stay numbers (t "n"), text is t "s".

usage: /usr/bin/python3 xlsx_cells.py FILE.xlsx
"""
import json
import sys

import openpyxl

wb = openpyxl.load_workbook(sys.argv[1])
out = {"sheets": wb.sheetnames, "cells": {}, "charts": {}}
for ws in wb.worksheets:
    rows = []
    for row in ws.iter_rows():
        rows.append([{"v": c.value, "t": c.data_type, "f": c.number_format} for c in row])
    out["cells"][ws.title] = rows
    out["charts"][ws.title] = len(ws._charts)
print(json.dumps(out, ensure_ascii=False, default=str))
