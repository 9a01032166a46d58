"""The 抽查计划 of one draw as an Excel workbook (jingkai.spreadsheets): one row per (joint) visit."""

from __future__ import annotations

from jingkai.enterprises.models import Enterprise
from jingkai.inspections.models import Draw, InspectionItem, Inspector
from jingkai.spreadsheets import INTEGER, Book, Col, chinese_date

PLAN_COLUMNS = [Col("序号", INTEGER, 6), Col("企业名称", width=30, wrap=True), Col("统一社会信用代码", width=20),
                Col("检查部门", width=24, wrap=True), Col("检查事项", width=40, wrap=True), Col("检查日期", width=12),
                Col("执法检查人员", width=28, wrap=True), Col("结果公示截止日期", width=14)]


def draw_plan_xlsx(draw: Draw) -> bytes:
    r = draw.result
    names = dict(Enterprise.objects.filter(uscc__in=[v["uscc"] for v in r["visits"]]).values_list("uscc", "name"))
    items = {i.item_code: i.name for i in InspectionItem.objects.all()}
    people = dict(Inspector.objects.values_list("person_id", "name"))
    rows = [[n, names.get(v["uscc"], "（企业已不在名录中）"), v["uscc"], "、".join(v["departments"]),
             "、".join(items.get(c, c) for c in v["items"]), v["date"],
             "；".join(f"{d}：{'、'.join(people.get(p, p) for p in team)}" for d, team in v.get("inspectors", {}).items())
             or "待抽取", v["publish_by"]]
            for n, v in enumerate(r["visits"], start=1)]
    title = f"{draw.zone.name}{draw.period}双随机抽查计划"
    book = Book(title=title, as_of=draw.created_at.date(), subject="涉企行政检查")
    summary = r["summary"]
    book.table("抽查计划", PLAN_COLUMNS, rows, title=title, autofilter=True, empty="本期无入企检查",
               subtitle=f"随机种子 {r['seed']}　对象库哈希 {r['pool_hash'][:16]}…　综合查一次：分别检查 "
                        f"{summary['visits_separate']} 户次，合并后 {summary['visits_joint']} 次　"
                        f"抽取于{chinese_date(draw.created_at.date())}")
    return book.close()
