"""Programme lists in Excel, in the layout a department submits.

A tier's default download is its 推荐名单 (qualifiers only, with their scores) and, on a second sheet, its
培育库 (the near-misses with their gaps); any other filter gives the 评价结果名单 (every row of the filter, with
its conclusion and gaps). Lists are complete: no row limit."""

from __future__ import annotations

import io
from typing import Any

import xlsxwriter
from django.db.models import QuerySet
from django.http import HttpResponse

from jingkai.accounts import authz
from jingkai.downloads import XLSX, download
from jingkai.enterprises.industry import industry_name
from jingkai.programmes.capabilities import EXPORT_LIST
from jingkai.programmes.presentation import conclusion, gap_texts
from jingkai.programmes.selectors import NEAR_MISS_GAPS, TIERS

HEADER = ["序号", "企业名称", "统一社会信用代码", "所在园区", "行业", "得分", "结论", "主要差距"]
WIDTHS = [6, 36, 22, 26, 26, 8, 18, 60]
RECOMMENDED = HEADER[:7]  # qualifiers have no gaps
HEADER_ROW = 3  # 0-based: title, subtitle, blank line, then the header
NOBODY = "无符合条件企业"
NOBODY_NEAR = "无接近认定条件的企业"
NOT_SCORED = "不计分"


def scored(rs) -> bool:
    """Whether the rule file gives a 得分 (a score section, or `score_from` naming the score it is judged on)."""
    return rs is None or bool(rs.spec.get("score") or rs.spec.get("score_from"))


def title_of(run, rs, page, zone, kind: str) -> str:
    what = TIERS[run.program][0] if run.program in TIERS else (rs.title if rs else page.title)
    where = zone.name if zone else "各园区"
    return f"{where}{what}{kind}"


class Book:
    def __init__(self) -> None:
        self.buf = io.BytesIO()
        self.book = xlsxwriter.Workbook(self.buf, {"in_memory": True})
        b = self.book
        self.title = b.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
        self.sub = b.add_format({"font_size": 10, "align": "center", "font_color": "#555555"})
        self.head = b.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter",
                                  "bg_color": "#DDE6F2"})
        self.cell = b.add_format({"border": 1, "valign": "top", "text_wrap": True})
        self.number = b.add_format({"border": 1, "valign": "top", "num_format": "0.00"})
        self.empty = b.add_format({"border": 1, "align": "center", "font_color": "#555555"})

    def sheet(self, label: str, name: str, subtitle: str, header: list[str], rows, rs, gaps: bool,
              nobody: str) -> int:
        """One list; returns the rows written. An empty list says so in words."""
        sheet = self.book.add_worksheet(label)
        last = len(header) - 1
        sheet.merge_range(0, 0, 0, last, name, self.title)
        sheet.merge_range(1, 0, 1, last, subtitle, self.sub)
        for j, (h, w) in enumerate(zip(header, WIDTHS, strict=False)):
            sheet.write(HEADER_ROW, j, h, self.head)
            sheet.set_column(j, j, w)
        has_score = scored(rs)
        i = 0
        for i, r in enumerate(rows.iterator(chunk_size=2000), start=1):
            e = r.enterprise
            values: list[Any] = [i, e.name, e.uscc, r.zone.name,
                                 f"{e.industry_code} {industry_name(e.industry_code) or ''}".strip()]
            sheet.write_row(HEADER_ROW + i, 0, values, self.cell)
            if r.score is not None:
                sheet.write_number(HEADER_ROW + i, 5, r.score, self.number)
            else:
                sheet.write(HEADER_ROW + i, 5, "无数据" if has_score else NOT_SCORED, self.cell)
            sheet.write(HEADER_ROW + i, 6, conclusion(r, rs), self.cell)
            if gaps:
                sheet.write(HEADER_ROW + i, 7, "；".join(gap_texts(r)) if r.eligible is not True else "", self.cell)
        if i == 0:
            sheet.merge_range(HEADER_ROW + 1, 0, HEADER_ROW + 1, last, nobody, self.empty)
        sheet.freeze_panes(HEADER_ROW + 1, 0)
        return i

    def response(self, filename: str) -> HttpResponse:
        self.book.close()
        return download(self.buf.getvalue(), XLSX, filename)


def subtitle(run, rs, extra: str = "") -> str:
    marks = []
    if rs is not None and rs.provisional:
        marks.append("临时方案")
    if rs is not None and rs.unverified:
        marks.append("部分口径待核实")
    if rs is not None and not scored(rs):
        marks.append("本标准不计分")
    basis = f"{rs.provenance.get('document')}（{rs.version}版）" if rs else run.ruleset
    return (f"数据年度：{run.year}年　评价日期：{run.evaluation_date:%Y-%m-%d}　依据：{basis}"
            + (f"　{extra}" if extra else "") + (f"　注：{'、'.join(marks)}" if marks else ""))


def recommendation_list(user, run, rs, qualifiers: QuerySet, near: QuerySet, page, zone) -> HttpResponse:
    """A tier's 推荐名单 (qualifiers with scores) and 培育库 (near-misses with gaps); needs `programmes.export_list`."""
    authz.require(user, EXPORT_LIST)
    book = Book()
    name = title_of(run, rs, page, zone, "推荐名单")
    book.sheet("推荐名单", name, subtitle(run, rs, f"共{qualifiers.count()}家"), RECOMMENDED,
                   qualifiers.defer("criteria", "gap"), rs, False, NOBODY)
    book.sheet("培育库", title_of(run, rs, page, zone, "培育库"),
               subtitle(run, rs, f"尚不符合、差{NEAR_MISS_GAPS}项以内要求的企业，附主要差距"), HEADER, near, rs, True,
               NOBODY_NEAR)
    return book.response(f"{name}（{run.year}年数据）.xlsx")


def result_list(user, run, rs, rows: QuerySet, page, zone) -> HttpResponse:
    """Every row of the filter with its conclusion (and, for tiers, the gaps); needs `programmes.export_list`."""
    authz.require(user, EXPORT_LIST)
    book = Book()
    name = title_of(run, rs, page, zone, "评价结果名单")
    tier = run.program in TIERS
    book.sheet("评价结果名单", name, subtitle(run, rs, f"共{rows.count()}家"), HEADER if tier else HEADER[:7],
               rows if tier else rows.defer("criteria"), rs, tier, "无评价结果")
    return book.response(f"{name}（{run.year}年数据）.xlsx")
