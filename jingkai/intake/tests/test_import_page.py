"""File import in the browser: template download, error table with the report, then a fixed file."""

import pytest

from jingkai.zones.models import IndicatorValue

BAD = "zone_code,period,indicator,value\nGS-LZ,2025-10,industrial_output,-5\nGS-XX,2025-10,tax_revenue,100\n"
GOOD = "zone_code,period,indicator,value\nGS-LZ,2025-10,industrial_output,1900\nGS-LZ,2025-10,tax_revenue,2000\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _upload(client, name, text, kind="zone-indicators"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/import/", {"kind": kind, "file": SimpleUploadedFile(name, text.encode("utf-8"))})


def test_import_page_offers_the_templates(client, lz_zone_user):
    client.force_login(lz_zone_user)
    page = client.get("/import/").content.decode()
    for kind in ("enterprises", "enterprise-years", "zone-indicators"):
        assert f'href="/import/template/{kind}/"' in page


def test_template_download(client, lz_zone_user):
    client.force_login(lz_zone_user)
    response = client.get("/import/template/enterprise-years/")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content)[:2] == b"PK"
    assert client.get("/import/template/nonsense/").status_code == 404


def test_bad_file_shows_the_error_table_and_report(client, lz_zone_user, media):
    client.force_login(lz_zone_user)
    response = _upload(client, "指标.csv", BAD)
    assert response.status_code == 400
    page = response.content.decode()
    assert "<th class=\"num\">行</th><th>列</th><th>值</th><th>原因</th>" in page
    table = page[page.index('class="data errors"'):]
    assert "<td class=\"num\">2</td>" in table and "-5" in table and "不得小于 0" in table
    assert "GS-XX" in table and "<td class=\"num\">3</td>" in table
    assert not IndicatorValue.objects.filter(period="2025-10").exists()
    # the file is kept under MEDIA_ROOT/imports/<sha256>-<random>/ and its report can be downloaded by this session
    saved = list((media / "imports").glob("*/指标.csv"))
    assert len(saved) == 1 and len(saved[0].parent.name) == 64 + 9
    report = response.context["report_url"]
    download = client.get(report)
    assert download.status_code == 200 and b"".join(download.streaming_content)[:2] == b"PK"
    client.logout()
    client.force_login(lz_zone_user)  # a new session did not run the import
    assert client.get(report).status_code == 404


def test_fixed_file_imports(client, lz_zone_user):
    client.force_login(lz_zone_user)
    assert _upload(client, "指标.csv", BAD).status_code == 400
    response = _upload(client, "指标.csv", GOOD)
    assert response.status_code == 200
    page = response.content.decode()
    assert "导入成功" in page and "新增 <strong>2</strong> 条" in page
    assert IndicatorValue.objects.get(zone__code="GS-LZ", period="2025-10", indicator__key="industrial_output").value == 1900
    # the same file again changes nothing
    assert "未变 <strong>2</strong> 条" in _upload(client, "指标.csv", GOOD).content.decode()


def test_zone_user_cannot_import_into_another_zone(client, lz_zone_user):
    client.force_login(lz_zone_user)
    response = _upload(client, "jc.csv", GOOD.replace("GS-LZ", "GS-JC"))
    assert response.status_code == 400 and not IndicatorValue.objects.filter(period="2025-10").exists()


def test_wrong_file_type(client, lz_zone_user):
    client.force_login(lz_zone_user)
    response = _upload(client, "data.txt", GOOD)
    assert response.status_code == 400 and "只接受 .xlsx" in response.content.decode()


def test_newcomer_path_with_the_excel_template(client, lz_zone_user, media):
    """Download the template, fill it wrongly, read the errors (row numbers as Excel shows them), fix, import."""
    import openpyxl
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(lz_zone_user)
    template = media / "template.xlsx"
    template.write_bytes(b"".join(client.get("/import/template/zone-indicators/").streaming_content))

    def upload(value):
        book = openpyxl.load_workbook(template)
        book["数据"].append([None, "兰州经济技术开发区", "2025-10", "industrial_output", value])  # names or codes
        out = media / f"filled-{value}.xlsx"
        book.save(out)
        return client.post("/import/", {"kind": "zone-indicators",
                                        "file": SimpleUploadedFile("填报.xlsx", out.read_bytes())})

    response = upload("一千九")
    assert response.status_code == 400
    errors = response.context["result"].errors
    # title, subtitle, labels, keys, the example, then the first data row
    assert [(e.row, e.value) for e in errors] == [(6, "一千九")]
    assert "<td class=\"num\">6</td>" in response.content.decode()
    response = upload(1900)
    assert response.status_code == 200 and "导入成功" in response.content.decode()
    assert IndicatorValue.objects.get(zone__code="GS-LZ", period="2025-10", indicator__key="industrial_output").value == 1900


def test_upload_without_a_file_names_the_field(client, lz_zone_user):
    client.force_login(lz_zone_user)
    response = client.post("/import/", {"kind": "zone-indicators"})
    assert response.status_code == 400 and "请选择要导入的文件。" in response.content.decode()
    response = client.post("/import/", {"kind": "nonsense"})
    assert "数据类别“nonsense”不存在" in response.content.decode()


def test_department_upload_is_refused_and_not_stored(client, dept_user, media):
    client.force_login(dept_user)
    response = _upload(client, "good.csv", GOOD)
    assert response.status_code == 403 and "您无权导入园区和企业数据" in response.content.decode()
    assert not (media / "imports").exists() and not IndicatorValue.objects.filter(period="2025-10").exists()
    page = client.get("/import/").content.decode()  # the page itself explains why there is no upload form
    assert 'id="import-form"' not in page and "不能导入" in page


def test_the_monthly_report_template_is_offered_next_to_the_long_one(client, lz_zone_user):
    from urllib.parse import unquote

    client.force_login(lz_zone_user)
    page = client.get("/import/").content.decode()
    assert 'href="/import/template/zone-indicators/?layout=wide"' in page and "园区指标值月报表导入模板" in page
    response = client.get("/import/template/zone-indicators/", {"layout": "wide"})
    assert response.status_code == 200 and "园区指标值月报表导入模板.xlsx" in unquote(response["Content-Disposition"])
    assert client.get("/import/template/enterprises/", {"layout": "wide"}).status_code == 404


def test_a_figure_written_with_its_unit_is_imported_with_a_note(client, lz_zone_user):
    """A 月报表 as an office fills it in: indicator names as headings, 1900万元 in a 万元 column."""
    client.force_login(lz_zone_user)
    text = "园区代码,期间,规模以上工业总产值,进出口总额（万元）\nGS-LZ,2019年10月,1900万元,\"１，２００\"\n"
    response = _upload(client, "月报.csv", text)
    page = response.content.decode()
    assert response.status_code == 200 and "导入成功" in page, page
    assert "<li>规模以上工业总产值（万元）：1 个单元格写了单位“万元”，已去掉单位按数值读取（如第 2 行“1900万元”）</li>" in page
    assert dict(IndicatorValue.objects.filter(period="2019-10").values_list("indicator__key", "value")) == {
        "industrial_output": 1900, "trade_total": 1200}
