"""推荐名单 in Excel: the layout a department submits (序号, 企业名称, 统一社会信用代码, 所在园区, 行业, 得分, 结论, 主要差距)."""

from __future__ import annotations

import io

import xlsxwriter
from django.http import HttpResponse
from django.utils.http import content_disposition_header

from jingkai.accounts import authz
from jingkai.enterprises.industry import industry_name
from jingkai.programmes.capabilities import EXPORT_LIST
from jingkai.programmes.presentation import conclusion, gap_texts
from jingkai.programmes.selectors import TIERS

HEADER = ["序号", "企业名称", "统一社会信用代码", "所在园区", "行业", "得分", "结论", "主要差距"]
WIDTHS = [6, 36, 22, 26, 26, 8, 18, 60]
HEADER_ROW = 3  # 0-based: title, subtitle, blank line, then the header
MAX_ROWS_WITH_GAPS = 1000  # gaps are worked out per enterprise (~1 ms each): long tier lists are cut here


def title_of(run, rs, page, filters, zone) -> str:
    what = TIERS[run.program][0] if run.program in TIERS else (rs.title if rs else page.title)
    where = zone.name if zone else "各园区"
    kind = "推荐名单" if filters.get("status") in ("candidates", "eligible") else "评价结果名单"
    return f"{where}{what}{kind}"


def recommendation_list(user, run, rs, rows, page, filters, zone) -> HttpResponse:
    """The list as an Excel download; the user must hold `programmes.export_list`."""
    authz.require(user, EXPORT_LIST)
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    sheet = book.add_worksheet("推荐名单")
    title = book.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
    sub = book.add_format({"font_size": 10, "align": "center", "font_color": "#555555"})
    head = book.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter", "bg_color": "#DDE6F2"})
    cell = book.add_format({"border": 1, "valign": "top", "text_wrap": True})
    number = book.add_format({"border": 1, "valign": "top", "num_format": "0.00"})
    name = title_of(run, rs, page, filters, zone)
    sheet.merge_range(0, 0, 0, len(HEADER) - 1, name, title)
    marks = []
    if rs is not None and rs.provisional:
        marks.append("临时方案")
    if rs is not None and rs.unverified:
        marks.append("部分口径待核实")
    basis = f"{rs.provenance.get('document')}（{rs.version}版）" if rs else run.ruleset
    sheet.merge_range(1, 0, 1, len(HEADER) - 1,
                      f"数据年度：{run.year}年　评价日期：{run.evaluation_date:%Y-%m-%d}　依据：{basis}"
                      + (f"　注：{'、'.join(marks)}" if marks else ""), sub)
    for j, (h, w) in enumerate(zip(HEADER, WIDTHS, strict=True)):
        sheet.write(HEADER_ROW, j, h, head)
        sheet.set_column(j, j, w)
    tier = run.program in TIERS
    total = rows.count()
    if tier and total > MAX_ROWS_WITH_GAPS:
        rows = rows[:MAX_ROWS_WITH_GAPS]
    else:
        rows = rows.defer("criteria")
    i = 0
    for i, r in enumerate(rows.iterator(chunk_size=2000), start=1):
        e = r.enterprise
        gaps = "；".join(gap_texts(r)) if r.eligible is not True else ""
        values = [i, e.name, e.uscc, r.zone.name, f"{e.industry_code} {industry_name(e.industry_code) or ''}".strip()]
        sheet.write_row(HEADER_ROW + i, 0, values, cell)
        if r.score is None:
            sheet.write_blank(HEADER_ROW + i, 5, None, cell)
        else:
            sheet.write_number(HEADER_ROW + i, 5, r.score, number)
        sheet.write_row(HEADER_ROW + i, 6, [conclusion(r, rs), gaps], cell)
    if i < total:
        sheet.merge_range(HEADER_ROW + i + 2, 0, HEADER_ROW + i + 2, len(HEADER) - 1,
                          f"共{total}家，仅导出排在前面的{i}家；请按园区等条件筛选后再导出。", sub)
    sheet.freeze_panes(HEADER_ROW + 1, 0)
    book.close()
    response = HttpResponse(buf.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(True, f"{name}（{run.year}年数据）.xlsx")
    return response
