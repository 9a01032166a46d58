"""The 涉企检查 outputs: a draw's 抽查计划 (Excel, one row per joint visit), the 检查通知书 of one enterprise
(Word, 公文 layout) and the 结果公示清单 (Excel)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from jingkai import documents
from jingkai.engines import inspections as engine
from jingkai.enterprises.models import Enterprise
from jingkai.inspections.models import Draw, InspectionItem, Inspector
from jingkai.inspections.selectors import VisitRow
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


def notice_docx(draw: Draw, uscc: str) -> bytes:
    """检查通知书 for one enterprise of a draw (公文 layout, jingkai.documents): the departments, the items with
    their legal basis, the date, the inspectors drawn, the 20-working-day publication and the right to 回避."""
    visit = next(v for v in draw.result["visits"] if v["uscc"] == uscc)
    enterprise = Enterprise.objects.filter(uscc=uscc).values_list("name", flat=True).first() or uscc
    items = {(i.department, i.item_code): i for i in InspectionItem.objects.filter(item_code__in=visit["items"])}
    people = {p.person_id: p for p in Inspector.objects.filter(
        person_id__in=[p for team in visit.get("inspectors", {}).values() for p in team])}
    when = draw.created_at.date()
    departments = "、".join(visit["departments"])
    joint = len(visit["departments"]) > 1
    title = "涉企行政检查通知书"
    doc = documents.new_document(title, departments, when)
    documents.title_block(doc, title, f"{enterprise}：")
    day = documents.cn_date(dt.date.fromisoformat(visit["date"]))
    documents.paragraph(doc, (
        f"根据{departments}已公布的年度“双随机、一公开”抽查计划，经随机抽取（公布的随机种子{draw.seed}，检查对象库"
        f"快照哈希前16位{draw.pool_hash[:16]}，可凭抽取证书复核），{departments}定于{day}对你单位{'开展联合检查（综合查一次），一次入企完成以下全部事项' if joint else '开展检查'}。"
        "检查事项和依据如下："))
    rows = [[d, (items[d, c].name if (d, c) in items else c), (items[d, c].legal_basis if (d, c) in items else "")
             or "见检查事项清单"] for d in visit["departments"] for c in visit["items"] if (d, c) in items]
    documents.table(doc, ["实施部门", "检查事项", "检查依据"], rows, aligns=["l", "l", "l"])
    team = "；".join(f"{d}：" + "、".join(f"{people[p].name}（执法证号{people[p].cert_no}）" for p in ids if p in people)
                    for d, ids in visit.get("inspectors", {}).items())
    documents.paragraph(doc, f"检查人员：{team or '另行通知'}。检查时将出示执法证件，不出示的，你单位有权拒绝检查。")
    documents.paragraph(doc, (
        "请你单位指定联系人，备好与上述事项有关的证照、台账和记录。检查人员与你单位有直接利害关系的，你单位可以申请其回避。"
        f"检查结果将自检查之日起{engine.load().publication_days}个工作日内向社会公示。"))
    documents.signature(doc, visit["departments"], when)
    return documents.save(doc, when)


RESULT_COLUMNS = [Col("序号", INTEGER, 6), Col("检查编号", width=14), Col("企业名称", width=30, wrap=True),
                  Col("统一社会信用代码", width=20), Col("园区", width=20, wrap=True), Col("检查部门", width=24, wrap=True),
                  Col("检查日期", width=12), Col("检查类型", width=10), Col("检查结果", width=22, wrap=True),
                  Col("结果说明", width=30, wrap=True), Col("公示截止日期", width=12), Col("公示情况", width=18)]


def results_xlsx(rows: Sequence[VisitRow], today: dt.date) -> bytes:
    """结果公示清单: every 行政检查 with its result, the publication deadline and whether it was met."""
    lines = [[n, r.visit.visit_no, r.visit.enterprise.name, r.visit.enterprise.uscc, r.visit.zone.name,
              "、".join(r.visit.departments), r.visit.visited_on.isoformat(), r.visit.get_kind_display(),
              r.visit.get_result_display(), r.visit.result_text, r.due.isoformat() if r.due else "",
              r.status + (f"（{r.visit.published_on.isoformat()}）" if r.visit.published_on else "")]
             for n, r in enumerate((r for r in rows if r.due), start=1)]
    title = "涉企行政检查结果公示清单"
    book = Book(title=title, as_of=today, subject="涉企行政检查")
    book.table("结果公示", RESULT_COLUMNS, lines, title=title, autofilter=True, empty="无入企检查记录",
               subtitle=f"截至{chinese_date(today)}　结果自检查之日起 {engine.load().publication_days} 个工作日内公示")
    return book.close()
