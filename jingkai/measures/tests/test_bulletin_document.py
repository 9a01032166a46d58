"""The 督办通报 read as its reader reads it: rendered by LibreOffice (no skip: without it the test fails with the
install command), one render for the module. The rows are built in memory from the catalogue's items."""

import io
import re
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from docx import Document

from jingkai import pdfcheck
from jingkai.accounts.models import OrgUnit
from jingkai.engines.supervision import DONE, LAGGING, NOT_STARTED, ON_TRACK, OVERDUE
from jingkai.measures import exports
from jingkai.measures.catalogue import load_catalogue
from jingkai.measures.models import Task
from jingkai.measures.selectors import TaskRow, register_order

REFERENCE = Path(__file__).parent / "reference"
TODAY = date(2026, 12, 1)
STATUSES = [DONE, ON_TRACK, LAGGING, OVERDUE, DONE, NOT_STARTED, OVERDUE, ON_TRACK]


def rows() -> list[TaskRow]:
    catalogue = load_catalogue()
    out = []
    for n, item in enumerate(catalogue.items, start=1):
        lead = catalogue.departments[item.lead[0]]["full_name"] if item.lead else "甘肃省商务厅"
        deadline = TODAY + timedelta(days=(n * 37) % 300 - 150)
        task = Task(pk=n, item_code=item.code, title=item.text[:40].rstrip("，。,"), owner=OrgUnit(name=lead),
                    start=date(2026, 1, 1), deadline=deadline)
        status = STATUSES[n % len(STATUSES)]
        reasons = {OVERDUE: (f"完成时限 {deadline:%Y-%m-%d} 已过，尚未确认完成",),
                   LAGGING: ("进度 40% 落后于时间进度 92% 达 52 个百分点，超过允许的 20 个百分点",)}.get(status, ())
        out.append(TaskRow(task, status, reasons, (), 100.0 if status == DONE else 40.0))
    return sorted(out, key=lambda r: register_order(r.task))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    blob = exports.bulletin_docx(rows(), TODAY)
    pdf = pdfcheck.render(blob, ".docx", tmp_path_factory.mktemp("dubian"), "dubian")
    return blob, pdf, pdfcheck.read(pdf)


def test_a_few_pages_of_text_then_the_landscape_table(rendered):
    blob, pdf, pages = rendered
    dated = next(p for p in pages if any(ln.text == "甘肃省商务厅" for ln in p.lines))  # 署名, then 成文日期
    at = [ln.text for ln in dated.lines].index("甘肃省商务厅")
    assert dated.lines[at + 1].text == "2026年12月1日"
    assert dated.number <= 4  # the 正文 is a few pages
    annex = pages[dated.number:]
    assert annex and all(p.width > p.height for p in annex)  # the item table: landscape 附件
    assert annex[0].lines[0].text == "附件"
    assert pdfcheck.red_share(pdf, 1, 0.1, 0.35) > 0.003  # red 版头 on page 1
    assert "关于2026年11月经开区" in pages[0].text  # the month of the progress reports, not the month after
    assert pdfcheck.page_number_problems(pages) == []
    assert pdfcheck.headings_last_on_page(pages) == []
    assert pdfcheck.broken_numbers(pages, pdfcheck.docx_numbers(blob)) == []
    assert len(pages) <= 4 + len(rows()) // 6  # about ten items a landscape page


def test_the_first_page_keeps_the_structure_of_its_reference_rendering(rendered):
    """Red 版头, printed area and lines as in tests/reference/dubian-1.png (60 dpi); one table row an item."""
    _, pdf, pages = rendered
    assert pdfcheck.reference_problems(pdf, REFERENCE / "dubian-1.png") == []
    annex = [p for p in pages if p.width > p.height]
    codes = [ln.text for p in annex for ln in p.lines if re.fullmatch(r"\d+\.\d+", ln.text)]
    assert len(codes) == len(rows())


def test_the_table_reads_in_the_catalogue_order_with_chinese_dates(rendered):
    blob, _, _ = rendered
    table = Document(io.BytesIO(blob)).tables[0]
    codes = [row.cells[1].text for row in table.rows[1:]]
    assert codes.index("1.2") < codes.index("1.10")
    deadlines = [row.cells[4].text for row in table.rows[1:]]
    assert all("年" in d and "-" not in d for d in deadlines)
    reasons = " ".join(row.cells[7].text for row in table.rows[1:])
    assert "已过" in reasons and "-" not in reasons.replace("—", "") and "进度40%落后" in reasons


def test_the_month_reported_is_the_reports_month():
    row = rows()[0]
    assert exports.status_month([row], date(2026, 12, 1)) == (2026, 11)
    assert exports.status_month([row], date(2027, 1, 4)) == (2026, 12)
    reported = SimpleNamespace(task=SimpleNamespace(confirmed=[SimpleNamespace(period="2026-10")]))
    assert exports.status_month([reported], date(2026, 12, 1)) == (2026, 10)  # type: ignore[list-item]
