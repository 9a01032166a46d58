"""绿色项目清单 (Excel) for banks, laid out by jingkai.spreadsheets: a pushed list exactly as it was sent
(its snapshots, with each bank's answer), or the projects of an office's scope as they stand today."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from jingkai.finance import catalogue
from jingkai.finance.models import Feedback, Push, PushItem
from jingkai.spreadsheets import INTEGER, NUMBER, Book, Col, chinese_date

SUBJECT = "绿色和重点项目融资对接"
FEEDBACK = dict(Feedback.choices)
COLUMNS = [Col("序号", INTEGER, 6), Col("项目名称", wrap=True, width=28), Col("所在园区", wrap=True, width=18),
           Col("项目类别"), Col("绿色项目"), Col("融资主体", wrap=True, width=26), Col("统一社会信用代码", width=21),
           Col("总投资（万元）", NUMBER), Col("融资需求（万元）", NUMBER), Col("预计年减排二氧化碳（吨二氧化碳/年）", NUMBER),
           Col("拟申请融资渠道", wrap=True, width=22), Col("项目状态"), Col("建设内容", wrap=True, width=30),
           Col("联系人及电话", wrap=True, width=16)]
ANSWER = [Col("对接情况"), Col("反馈说明", wrap=True, width=26)]


def _row(n: int, s: dict[str, Any]) -> list[Any]:
    category = s["category_name"] + ("" if s.get("category_confirmed") else "（类别待确认）")
    return [n, s["name"], s["zone"], category, bool(s["green"]), s["borrower"], s["uscc"], s["capex"],
            s["finance_need"], s["co2_saved"], s["channel_names"], s["status_name"], s["description"], s["contact"]]


def _notes(book: Book) -> None:
    cat = catalogue.current()
    book.notes("说明", "说明", [
        ("类别目录", f"{cat.title}（第{cat.version}版）"), ("目录依据", "；".join(cat.documents)),
        ("可靠性", f"{cat.reliability}。标“类别待确认”的类别尚未对照国家《绿色产业指导目录》。"),
        ("预计减排", "由项目单位填报，未经第三方核算"), ("数据性质", "含“演示”字样的项目和机构为演示数据，非真实项目")])


def push_xlsx(push: Push, items: Sequence[PushItem]) -> bytes:
    """The list as the bank received it (snapshots), with its answers so far."""
    as_of = push.pushed_at.date()
    title = f"绿色项目清单（{push.title}）"
    book = Book(title=title, as_of=as_of, subject=SUBJECT)
    rows = [_row(i.position, i.snapshot) + [FEEDBACK[i.feedback], i.feedback_note] for i in items]
    book.table("绿色项目清单", COLUMNS + ANSWER, rows, title=title, freeze_columns=2, autofilter=True,
               subtitle=f"{push.owner.name}推送至{push.bank.name}　推送日期{chinese_date(as_of)}　共 {len(rows)} 个项目",
               empty="清单中没有项目")
    _notes(book)
    return book.close()


def projects_xlsx(snapshots: Sequence[dict[str, Any]], today: date, scope_label: str) -> bytes:
    """The projects of the scope today (what a push would send)."""
    title = f"绿色项目清单（{scope_label}）"
    book = Book(title=title, as_of=today, subject=SUBJECT)
    rows = [_row(n, s) for n, s in enumerate(snapshots, start=1)]
    book.table("绿色项目清单", COLUMNS, rows, title=title, freeze_columns=2, autofilter=True,
               subtitle=f"数据截至{chinese_date(today)}　共 {len(rows)} 个项目", empty="暂无项目")
    _notes(book)
    return book.close()
