"""The pipeline's Excel outputs, laid out by jingkai.spreadsheets (title, headings with units, print setup,
fixed properties): the 招商线索台账 (every project), the 签约项目履约跟踪表 (signed projects: terms, stage
ages, foreign investment used) and the 重点外资项目清单 of a month in the 专班 format."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date

from jingkai.investment.models import Agreement, FollowUp, Project, Stage, StageChange
from jingkai.investment.services import STALE_DAYS
from jingkai.spreadsheets import INTEGER, NUMBER, Book, Col, chinese_date

SUBJECT = "招商引资"


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _stages_at(projects: Sequence[Project], on: date) -> dict[int, tuple[str, date]]:
    """{project id: (stage, since)} as the history stood at the end of `on` (projects begun later left out)."""
    out: dict[int, tuple[str, date]] = {}
    for pid, stage, since in StageChange.objects.filter(project__in=projects, on__lte=on).order_by(
            "on", "id").values_list("project_id", "to_stage", "on"):
        out[pid] = (stage, since)
    return out


def ledger_xlsx(projects: Sequence[Project], today: date, scope_label: str) -> bytes:
    """招商线索台账: one row per project, from 线索 to 达产."""
    title = f"招商线索台账（{scope_label}）"
    book = Book(title=title, as_of=today, subject=SUBJECT)
    columns = [Col("序号", INTEGER, 6), Col("项目名称", wrap=True, width=26), Col("投资方企业", wrap=True, width=26),
               Col("国别（地区）"), Col("线索来源"), Col("落地园区", wrap=True, width=18), Col("责任单位", wrap=True, width=18),
               Col("责任人"), Col("阶段"), Col("进入本阶段日期"), Col("本阶段天数（天）", INTEGER),
               Col("计划总投资（万元）", NUMBER), Col("合同外资（万美元）", NUMBER), Col("实际使用外资（万美元）", NUMBER),
               Col("下一步工作", wrap=True, width=20), Col("下次跟进日期"), Col("补链环节", wrap=True, width=18)]
    rows = [[i, p.name, p.company, p.investor_country, p.get_origin_display(), p.zone.name, p.owner_unit.name,
             (p.owner.get_full_name() or p.owner.username) if p.owner else "", p.get_stage_display(), p.stage_since,
             (today - p.stage_since).days, _f(p.planned_investment), _f(p.contracted_fdi), _f(p.actual_fdi),
             p.next_action, p.next_action_date, p.chain_links] for i, p in enumerate(projects, start=1)]
    book.table("招商线索台账", columns, rows, title=title, freeze_columns=2, autofilter=True,
               subtitle=f"数据截至{chinese_date(today)}　共 {len(rows)} 个项目", empty="暂无招商项目")
    return book.close()


def performance_xlsx(projects: Sequence[Project], today: date, scope_label: str) -> bytes:
    """签约项目履约跟踪表: the signed projects, whether they land (stage ages, 90-day stall, money in)."""
    signed = [p for p in projects if p.is_signed]
    agreements = {a.project_id: a for a in Agreement.objects.filter(project__in=signed)}
    signed_on = dict(StageChange.objects.filter(project__in=signed, to_stage=Stage.SIGNED).order_by(
        "project_id", "-on").values_list("project_id", "on"))
    latest = {}
    for pid, on, text in FollowUp.objects.filter(project__in=signed).order_by("on", "id").values_list(
            "project_id", "on", "text"):
        latest[pid] = f"{on.isoformat()} {text}"
    title = f"签约项目履约跟踪表（{scope_label}）"
    book = Book(title=title, as_of=today, subject=SUBJECT)
    columns = [Col("序号", INTEGER, 6), Col("项目名称", wrap=True, width=26), Col("投资方企业", wrap=True, width=24),
               Col("落地园区", wrap=True, width=16), Col("签约日期"), Col("当前阶段"), Col("进入本阶段日期"),
               Col("本阶段天数（天）", INTEGER), Col(f"停滞{STALE_DAYS}天以上"), Col("计划总投资（万元）", NUMBER),
               Col("合同外资（万美元）", NUMBER), Col("实际使用外资（万美元）", NUMBER),
               Col("协议主要条款", wrap=True, width=28), Col("含特定优惠"), Col("公平竞争审查"),
               Col("最近跟进", wrap=True, width=30), Col("存在问题", wrap=True, width=20)]
    rows = []
    for i, p in enumerate(signed, start=1):
        a = agreements.get(p.pk)
        days = (today - p.stage_since).days
        rows.append([i, p.name, p.company, p.zone.name, signed_on.get(p.pk), p.get_stage_display(), p.stage_since,
                     days, "是" if days >= STALE_DAYS and p.stage != Stage.FULL else "否", _f(p.planned_investment),
                     _f(p.contracted_fdi), _f(p.actual_fdi), a.terms if a else "", a.has_preference if a else False,
                     (a.get_review_result_display() if a.review_result else "未审查") if a else "未审查",
                     latest.get(p.pk, ""), p.problems])
    book.table("履约跟踪", columns, rows, title=title, freeze_columns=2, autofilter=True, empty="暂无签约项目",
               subtitle=f"数据截至{chinese_date(today)}　签约后任一阶段{STALE_DAYS}天未推进即自动督办")
    return book.close()


def key_foreign_xlsx(projects: Sequence[Project], year: int, month: int, scope_label: str) -> bytes:
    """重点外资项目清单 of a month (专班 format): the projects as they stood at the month's end, with the
    month's follow-ups as 本月进展."""
    end = month_end(year, month)
    stages = _stages_at(projects, end)
    labels = dict(Stage.choices)
    progress: dict[int, list[str]] = {}
    for pid, on, text in FollowUp.objects.filter(project__in=projects, on__year=year, on__month=month).order_by(
            "on", "id").values_list("project_id", "on", "text"):
        progress.setdefault(pid, []).append(f"{on.month}月{on.day}日：{text}")
    title = f"重点外资项目清单（{year}年{month}月）"
    book = Book(title=title, as_of=end, subject="重点外资项目工作专班")
    columns = [Col("序号", INTEGER, 6), Col("项目名称", wrap=True, width=26), Col("投资方", wrap=True, width=26),
               Col("国别（地区）"), Col("合同外资（万美元）", NUMBER), Col("实际使用外资（万美元）", NUMBER),
               Col("所在园区", wrap=True, width=18), Col("项目阶段"), Col("新兴产业领域"),
               Col("要素需求", wrap=True, width=26), Col("存在问题", wrap=True, width=24),
               Col("本月进展", wrap=True, width=30)]
    rows: list[list[object]] = []
    for p in projects:
        if p.pk not in stages:
            continue
        stage, _ = stages[p.pk]
        rows.append([len(rows) + 1, p.name, p.company, p.investor_country or "未填写", _f(p.contracted_fdi),
                     _f(p.actual_fdi), p.zone.name, labels[stage], p.new_industry, p.factor_needs or "无",
                     p.problems or "无", "；".join(progress.get(p.pk, [])) or "本月无新进展"])
    book.table("重点外资项目清单", columns, rows, title=title, freeze_columns=2, empty="本月暂无重点外资项目",
               subtitle=f"{scope_label}　合同外资1亿美元（10000万美元）以上，新兴产业领域项目优先列示"
                        f"　阶段截至{chinese_date(end)}")
    return book.close()


def _f(v: object) -> float | None:
    return None if v is None else float(v)  # type: ignore[arg-type]
