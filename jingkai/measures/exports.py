"""The register's exports: the progress table (Excel) and the monthly 督办通报 (Word, 公文 layout).

Both take the rows of `selectors.register` (typed TaskRow), never a page's context.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

from jingkai.documents import (
    SIZE_5,
    attachment,
    cn_date,
    cn_dates,
    heading,
    masthead,
    new_document,
    paragraph,
    save,
    signature,
    table,
    title_block,
)
from jingkai.engines.supervision import DONE, LAGGING, NOT_STARTED, ON_TRACK, OVERDUE
from jingkai.measures.catalogue import chinese_numeral, load_catalogue
from jingkai.measures.selectors import PROVINCE_COVERAGE, BulletinCoverage, TaskRow, register_order
from jingkai.spreadsheets import INTEGER, Book, Col, chinese_date

COLUMNS = ["序号", "措施事项", "任务名称", "责任单位", "涉及园区", "完成时限", "完成进度", "状态", "情况说明"]


def _cells(n: int, row: TaskRow) -> list[object]:
    task = row.task
    progress = "—" if row.progress is None else f"{row.progress:.0f}%"
    return [n, task.item_code, task.title, task.owner.name, task.zone.name if task.zone else "全省",
            f"{task.deadline:%Y-%m-%d}", progress, row.status, "；".join(row.reasons + row.warnings)]


PROGRESS_COLUMNS = [Col("序号", INTEGER, 6), Col("措施事项", width=9), Col("任务名称", width=40, wrap=True),
                    Col("责任单位", width=20, wrap=True), Col("涉及园区", width=20, wrap=True), Col("完成时限", width=11),
                    Col("完成进度", width=9), Col("状态", width=8), Col("情况说明", width=40, wrap=True)]


def progress_xlsx(rows: Sequence[TaskRow], today: date | None = None) -> bytes:
    """The progress table (jingkai.spreadsheets: title, heading repeated, landscape one page wide); lagging
    and overdue tasks in red."""
    today = today or date.today()
    title = "措施任务督办进展表"
    book = Book(title=title, as_of=today, subject="措施督办")
    lines = [_cells(n, row) for n, row in enumerate(rows, start=1)]
    table = book.table("任务进展", PROGRESS_COLUMNS, lines, title=title, autofilter=True, empty="无任务",
                       subtitle=f"截至{chinese_date(today)}　共 {len(rows)} 项任务")
    for i, (row, values) in enumerate(zip(rows, lines, strict=True)):
        if row.status in {LAGGING, OVERDUE}:
            for j, (c, v) in enumerate(zip(PROGRESS_COLUMNS, values, strict=True)):
                book.write(table.sheet, table.first_row + i, j, v, c, book.format(c, font_color="#B00020"))
    return book.close()


def status_month(rows: Sequence[TaskRow], today: date) -> tuple[int, int]:
    """The month whose progress the 通报 reports: the latest confirmed report's period (reports of a month come
    in early the next month), else the month before `today`."""
    periods = [r.period for row in rows for r in getattr(row.task, "confirmed", ()) if r.period <= f"{today:%Y-%m}"]
    if periods:
        year, month = max(periods).split("-")
        return int(year), int(month)
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


def _count_text(counts: Counter) -> str:
    parts = [f"{label}{counts[status]}项" for status, label in
             ((DONE, "已完成"), (ON_TRACK, "按期推进"), (NOT_STARTED, "未启动"), (LAGGING, "滞后"), (OVERDUE, "已逾期"))
             if counts[status]]
    return "、".join(parts) if parts else "暂无任务"


def _parts(rows: Sequence[TaskRow]) -> list[tuple[int, str, list[TaskRow]]]:
    """The rows by the catalogue's part, in the catalogue's order; codes not in it last (part 0, 其他任务)."""
    part_of = {item.code: part for part in load_catalogue().parts for m in part.measures for item in m.items}
    by_part: dict[tuple[int, str], list[TaskRow]] = {}
    for row in rows:
        part = part_of.get(row.task.item_code)
        by_part.setdefault((part.no, part.title) if part else (0, "其他任务"), []).append(row)
    return [(no, name, rs) for (no, name), rs in sorted(by_part.items(), key=lambda kv: kv[0][0] or 99)]


LONGEST = 5  # the 正文 names the five longest overdue items; the 附件 lists every item

CAUSES = (("已过", "超过完成时限尚未确认完成"), ("未按期完成", "节点未按期完成"), ("仍未报送进展", "未报送进展"),
          ("落后于时间进度", "进度落后于时间进度"))


def _causes(rows: Sequence[TaskRow]) -> str:
    """What holds the items back, from the engine's reasons: 其中节点未按期完成的12项、未报送进展的8项."""
    counts = Counter(label for r in rows for cue, label in CAUSES if any(cue in reason for reason in r.reasons))
    parts = [f"{label}的{counts[label]}项" for _, label in CAUSES if counts[label]]
    return ("其中" + "、".join(parts) + "（一项可有多种原因）") if parts else "原因未说明"


def _units_text(rows: Sequence[TaskRow]) -> str:
    units: dict[str, list[TaskRow]] = {}
    for row in rows:
        units.setdefault(row.task.owner.name, []).append(row)
    late = {u: sum(r.status in {OVERDUE, LAGGING} for r in rs) for u, rs in units.items()}
    behind = sorted((u for u in late if late[u]), key=lambda u: (-late[u], u))
    if not rows:
        return "本期无任务。"
    if not behind:
        return f"从责任单位看，{len(units)}个责任单位承担的任务均无逾期和滞后。"
    done = sorted(u for u in units if not late[u])
    text = (f"从责任单位看，{len(units)}个责任单位中有{len(behind)}个存在逾期或滞后事项，较多的是"
            + "、".join(f"{u}（{late[u]}项）" for u in behind[:LONGEST]) + "。")
    if done:
        text += f"{'、'.join(done[:LONGEST])}{'等' if len(done) > LONGEST else ''}{len(done)}个单位承担的任务均按进度推进。"
    return text


def bulletin_docx(rows: Sequence[TaskRow], today: date, coverage: BulletinCoverage = PROVINCE_COVERAGE) -> bytes:
    """督办通报 in GB/T 9704 layout, a few pages of 正文 and the item-by-item table as a landscape 附件:
    总体进展, 分部分和责任单位推进情况, 逾期和滞后事项 (what and why), 工作要求, 附件说明, 署名 and 成文日期.

    The document says what it covers (`coverage`, from `selectors.bulletin_coverage`): the province's 通报 of
    every task, signed 甘肃省商务厅 under its red 版头; a unit's of its own tasks, titled and signed by that unit.
    Its month is the month the progress reports are of (`status_month`), its date `today`."""
    counts = Counter(r.status for r in rows)
    year, month = status_month(rows, today)
    title = coverage.title(date(year, month, 1))
    doc = new_document(title, coverage.issuer, today)
    if coverage.whole_province:
        masthead(doc, f"{coverage.issuer}文件")
    title_block(doc, title, "各责任单位，各国家级经济技术开发区管委会：" if coverage.whole_province else None)
    paragraph(doc, f"现将截至{cn_date(today)}{coverage.subject}{coverage.verb}任务推进情况通报如下：")

    heading(doc, "一、总体进展")
    done = counts[DONE] / len(rows) * 100 if rows else 0
    paragraph(doc, (
        f"截至{cn_date(today)}，{coverage.subject}共{coverage.verb}任务{len(rows)}项，其中{_count_text(counts)}，"
        f"完成率{done:.1f}%。{coverage.note}"))

    heading(doc, "二、分部分和责任单位推进情况")
    for no, name, part_rows in _parts(rows):
        label = f"第{chinese_numeral(no)}部分“{name}”" if no else name
        paragraph(doc, f"{label}共{len(part_rows)}项，{_count_text(Counter(r.status for r in part_rows))}。")
    paragraph(doc, _units_text(rows))

    heading(doc, "三、逾期和滞后事项")
    overdue = sorted((r for r in rows if r.status == OVERDUE), key=lambda r: (r.task.deadline, register_order(r.task)))
    lagging = [r for r in rows if r.status == LAGGING]
    if not overdue and not lagging:
        paragraph(doc, "本期无逾期和滞后事项。")
    if overdue:
        text = f"（一）已逾期事项{len(overdue)}项，{_causes(overdue)}。"
        oldest = overdue[:LONGEST]
        text += f"逾期时间最长的{len(oldest)}项是：" + "；".join(
            f"{r.task.item_code}{r.task.title}（{r.task.owner.name}，完成时限{cn_date(r.task.deadline)}，"
            f"已逾期{(today - r.task.deadline).days}天）" for r in oldest) + "。"
        paragraph(doc, text)
    if lagging:
        paragraph(doc, f"（{'二' if overdue else '一'}）滞后事项{len(lagging)}项，{_causes(lagging)}。")
    if overdue or lagging:
        paragraph(doc, "各事项的进度和原因见附件。")

    heading(doc, "四、工作要求")
    paragraph(doc, coverage.request)
    if overdue or lagging:
        paragraph(doc, "对已逾期事项，相关责任单位要倒排工期、挂图作战，确保尽快完成；对滞后事项，要查找原因、"
                       "压实责任，确保按期完成。")

    annex = f"{year}年{month}月督办任务进展情况表"
    signature(doc, coverage.issuer, today, [annex])
    attachment(doc, None, annex, landscape=True)
    table(doc, WORD_COLUMNS, [_word_cells(n, row) for n, row in enumerate(rows, start=1)],
          aligns="clllcccl", size=SIZE_5)
    return save(doc, today)


WORD_COLUMNS = ["序号", "事项", "任务名称", "责任单位", "完成时限", "进度", "状态", "情况说明"]


def _word_cells(n: int, row: TaskRow) -> list[str]:
    """A row of the 附件 table: Chinese dates, 经开区 for 经济技术开发区, the zone in the 责任单位 (a zone's
    task is its 管委会's; a department's covers the province) — the table is read across a landscape page."""
    cells = [str(c) for c in _cells(n, row)]
    owner = cells[3].replace("经济技术开发区", "经开区")
    return [cells[0], cells[1], cells[2], owner, cn_date(row.task.deadline), cells[6], cells[7],
            cn_dates(cells[8]) or "—"]
