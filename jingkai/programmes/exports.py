"""Programme lists in Excel, in the layout a department submits.

A tier's default download is its 推荐名单 (qualifiers only, with their scores) and, on a second sheet, its
培育库 (the near-misses with their gaps); any other filter gives the 评价结果名单 (every row of the filter, with
its conclusion and gaps). Lists are complete: no row limit."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse

from jingkai.accounts import authz
from jingkai.downloads import XLSX, download
from jingkai.enterprises.industry import industry_name
from jingkai.programmes.capabilities import EXPORT_LIST
from jingkai.programmes.presentation import conclusion_of, gap_text, is_tier, withheld
from jingkai.programmes.selectors import NEAR_MISS_GAPS, TIERS
from jingkai.programmes.services import gap_of
from jingkai.spreadsheets import INTEGER, NUMBER, Book, Col, chinese_date

COLUMNS = [Col("序号", INTEGER, 6), Col("企业名称", width=34, wrap=True), Col("统一社会信用代码", width=21),
           Col("所在园区", width=22, wrap=True), Col("行业", width=24, wrap=True), Col("得分", NUMBER, 8),
           Col("结论", width=14, wrap=True), Col("主要差距", width=56, wrap=True)]
HEADER = [c.header for c in COLUMNS]
RECOMMENDED = HEADER[:7]  # qualifiers have no gaps
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


class Lists:
    """The workbook of a programme's lists (jingkai.spreadsheets: title, heading repeated on every printed
    page, one page wide, landscape, the run's evaluation date as document date)."""

    def __init__(self, run, title: str, user) -> None:
        self.run = run
        self.book = Book(title=title, as_of=run.evaluation_date, subject="企业名单")
        self.hidden = withheld(run, user.scope)  # gaps stating values the user may not read say 无权查看

    def sheet(self, label: str, name: str, subtitle: str, header: list[str], rows: QuerySet, rs, gaps: bool,
              nobody: str) -> None:
        """One list, read as plain column values (no model objects, no run row per result; the criteria and the
        gap only where the gaps are listed); an empty list says so in words."""
        has_score = scored(rs)
        tier = is_tier(self.run.program, rs)
        fields = ["enterprise__name", "enterprise__uscc", "zone__name", "enterprise__industry_code", "score",
                  "eligible", "klass", "stage"] + (["gap", "gap_count", "criteria"] if gaps else [])
        industries: dict[str, str] = {}

        def industry(code: str) -> str:
            if code not in industries:
                industries[code] = f"{code} {industry_name(code) or ''}".strip()
            return industries[code]

        def lines():
            for i, v in enumerate(rows.values_list(*fields).iterator(chunk_size=2000), start=1):
                name, uscc, zone, code, score, eligible, klass, stage = v[:8]
                shown: Any = score if score is not None else "无数据" if has_score else NOT_SCORED
                values = [i, name, uscc, zone, industry(code), shown, conclusion_of(tier, rs, eligible, klass, score, stage)]
                if gaps:
                    values.append("；".join(gap_text(g, self.run, self.hidden)
                                            for g in gap_of(self.run.ruleset, eligible, *v[8:]))
                                  if eligible is not True else "")
                yield values

        self.book.table(label, COLUMNS[:len(header)], lines(), title=name, subtitle=subtitle, empty=nobody,
                        sample=[], landscape=True)

    def response(self, filename: str) -> HttpResponse:
        return download(self.book.close(), XLSX, filename)


def subtitle(run, rs, extra: str = "") -> str:
    marks = []
    if rs is not None and rs.provisional:
        marks.append("临时方案")
    if rs is not None and rs.unverified:
        marks.append("部分口径待核实")
    if rs is not None and not scored(rs):
        marks.append("本标准不计分")
    basis = f"{rs.provenance.get('document')}（{rs.version}版）" if rs else run.ruleset
    return (f"数据年度：{run.year}年　评价日期：{chinese_date(run.evaluation_date)}　依据：{basis}"
            + (f"　{extra}" if extra else "") + (f"　注：{'、'.join(marks)}" if marks else ""))


def recommendation_list(user, run, rs, qualifiers: QuerySet, near: QuerySet, page, zone) -> HttpResponse:
    """A tier's 推荐名单 (qualifiers with scores) and 培育库 (near-misses with gaps); needs `programmes.export_list`."""
    authz.require(user, EXPORT_LIST)
    name = title_of(run, rs, page, zone, "推荐名单")
    book = Lists(run, name, user)
    book.sheet("推荐名单", name, subtitle(run, rs, f"共{qualifiers.count()}家"), RECOMMENDED,
                   qualifiers, rs, False, NOBODY)
    book.sheet("培育库", title_of(run, rs, page, zone, "培育库"),
               subtitle(run, rs, f"尚不符合、差{NEAR_MISS_GAPS}项以内要求的企业，附主要差距"), HEADER, near, rs, True,
               NOBODY_NEAR)
    return book.response(f"{name}（{run.year}年数据）.xlsx")


def result_list(user, run, rs, rows: QuerySet, page, zone) -> HttpResponse:
    """Every row of the filter with its conclusion (and, for tiers, the gaps); needs `programmes.export_list`."""
    authz.require(user, EXPORT_LIST)
    name = title_of(run, rs, page, zone, "评价结果名单")
    book = Lists(run, name, user)
    tier = run.program in TIERS
    book.sheet("评价结果名单", name, subtitle(run, rs, f"共{rows.count()}家"), HEADER if tier else HEADER[:7],
               rows, rs, tier, "无评价结果")
    return book.response(f"{name}（{run.year}年数据）.xlsx")
