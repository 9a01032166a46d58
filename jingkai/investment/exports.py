"""The 重点外资项目清单 in the 专班 format as an Excel workbook."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

import xlsxwriter

from jingkai.investment.models import Project

HEADERS = ("序号", "项目名称", "投资方", "国别（地区）", "合同外资（万美元）", "实际使用外资（万美元）", "所在园区",
           "项目阶段", "新兴产业领域", "要素需求", "存在问题")


def key_foreign_xlsx(projects: Sequence[Project], today: date) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("重点外资项目清单")
    bold = book.add_format({"bold": True, "text_wrap": True, "border": 1, "align": "center"})
    wrap = book.add_format({"text_wrap": True, "border": 1, "valign": "top"})
    money = book.add_format({"num_format": "#,##0.00", "border": 1, "valign": "top"})
    sheet.merge_range(0, 0, 0, len(HEADERS) - 1, f"重点外资项目清单（合同外资1亿美元以上，截至{today:%Y年%m月%d日}）",
                      book.add_format({"bold": True, "font_size": 14, "align": "center"}))
    sheet.write_row(1, 0, HEADERS, bold)
    for i, p in enumerate(projects, start=1):
        row = i + 1
        sheet.write_number(row, 0, i, wrap)
        sheet.write_string(row, 1, p.name, wrap)
        sheet.write_string(row, 2, p.company, wrap)
        sheet.write_string(row, 3, p.investor_country or "未填写", wrap)
        sheet.write_number(row, 4, float(p.contracted_fdi or 0), money)
        if p.actual_fdi is None:
            sheet.write_string(row, 5, "", wrap)
        else:
            sheet.write_number(row, 5, float(p.actual_fdi), money)
        sheet.write_string(row, 6, p.zone.name, wrap)
        sheet.write_string(row, 7, p.get_stage_display(), wrap)
        sheet.write_string(row, 8, "是" if p.new_industry else "否", wrap)
        sheet.write_string(row, 9, p.factor_needs, wrap)
        sheet.write_string(row, 10, p.problems, wrap)
    for col, width in enumerate((6, 28, 28, 12, 14, 14, 20, 10, 10, 30, 30)):
        sheet.set_column(col, col, width)
    book.close()
    return out.getvalue()
