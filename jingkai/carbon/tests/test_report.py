"""The Word 零碳园区基准年碳排放盘查报告 outline (jingkai.documents): the inventory with each line's factor and
notice, the green power counted at zero, and the 1+5 gap table; rendered by LibreOffice it reads as a document
(page numbers in place, no heading last on its page, no number broken across lines)."""

import io
import os
import shutil
from pathlib import Path

import pytest
from django.urls import reverse
from docx import Document

from jingkai import pdfcheck
from jingkai.carbon.models import EnergyRecord
from jingkai.carbon.services import compute
from jingkai.enterprises.models import Enterprise


@pytest.fixture
def report(client, site_data, lz_zone_user):
    zone = site_data["GS-LZ"]
    for n, e in enumerate(Enterprise.objects.filter(zone=zone).order_by("uscc")[:4]):
        EnergyRecord.objects.create(enterprise=e, year=2025, electricity_kwh=2_000_000 * (n + 1),
                                    green_power_kwh=100_000, green_direct_kwh=100_000, natural_gas_m3=20_000)
    compute(lz_zone_user, zone, 2025)
    client.force_login(lz_zone_user)
    response = client.get(reverse("carbon:report", args=["GS-LZ"]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    return response.content


def test_the_outline_has_the_inventory_and_the_gap_table(report):
    doc = Document(io.BytesIO(report))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "基准年碳排放盘查报告（提纲）" in text and "为试算" in text and "1044号" in text
    for heading in ("一、盘查范围与数据条件", "二、能源消费", "三、二氧化碳排放清单", "四、绿电与绿证",
                    "五、零碳园区“1+5”指标对标与差距", "六、说明"):
        assert heading in text, heading
    inventory = next(t for t in doc.tables if t.rows[0].cells[0].text == "排放来源")
    power = next(r for r in inventory.rows if r.cells[0].text == "外购电力")
    assert "0.4471" in power.cells[2].text and power.cells[4].text == "待确认"
    gas = next(r for r in inventory.rows if r.cells[0].text == "天然气")
    assert gas.cells[3].text  # the notice of the fuel defaults
    gaps = next(t for t in doc.tables if t.rows[0].cells[0].text == "指标")
    names = [r.cells[0].text for r in gaps.rows[1:]]
    assert names[0].startswith("单位能耗碳排放") and "工业用水重复利用率" in names
    assert [r.cells[3].text for r in gaps.rows[1:]].count("待录入") == 5
    assert "None" not in text and all("None" not in c.text for t in doc.tables for r in t.rows for c in r.cells)


def test_the_outline_renders_as_a_document(report, tmp_path):
    pdf = pdfcheck.render(report, ".docx", tmp_path, "baseline")
    pages = pdfcheck.read(pdf)
    assert 1 <= len(pages) <= 4
    assert pdfcheck.page_number_problems(pages) == []
    assert pdfcheck.headings_last_on_page(pages) == []
    assert pdfcheck.broken_numbers(pages, pdfcheck.docx_numbers(report)) == []
    assert "二氧化碳排放清单" in "".join(p.text for p in pages)
    if keep := os.environ.get("JINGKAI_KEEP_RENDER"):  # to look at the pages: JINGKAI_KEEP_RENDER=/some/dir
        for n in range(1, len(pages) + 1):
            pdfcheck.page_png(pdf, n, Path(keep) / f"baseline-{n}.png")
        shutil.copy(pdf, Path(keep) / "baseline.pdf")
