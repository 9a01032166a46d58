"""Each domain's long work as a job, started from its page: the page redirects to the job, `jingkai worker`
(for real) does the work, the job says what it made (or why it failed, in Chinese), 待办 tells the user, and
a job that fails after writing leaves no rows."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from jingkai.carbon.models import CarbonAccount, EnergyRecord
from jingkai.enterprises.models import Enterprise
from jingkai.enterprises.uscc import make_uscc
from jingkai.evaluation.models import EvaluationRun
from jingkai.evaluation.testing import make_evaluation_data
from jingkai.inspections import demo as inspections_demo
from jingkai.inspections.models import Draw, InspectionItem
from jingkai.jobs import kinds
from jingkai.jobs.models import Job
from jingkai.programmes.models import ProgrammeResult, ProgrammeRun
from jingkai.programmes.tests.test_runs_and_pages import enterprise
from jingkai.testing import make_user, run_queued_jobs, zone_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def started(client, django_capture_on_commit_callbacks):
    """POST (or GET) a page that hands its work to a job; run the queue; the job."""
    def go(url: str, data: dict | None = None, method: str = "post") -> Job:
        with django_capture_on_commit_callbacks(execute=True):
            response = getattr(client, method)(url, data or {})
        assert response.status_code == 302 and response["Location"].startswith("/jobs/"), response
        run_queued_jobs()
        return Job.objects.get(pk=int(response["Location"].split("/")[2]))

    return go


@pytest.fixture
def firms(zones):
    lz, jc = zones["GS-LZ"], zones["GS-JC"]
    return [enterprise(lz, 1, "兰州甲科技有限公司"), enterprise(lz, 2, "兰州乙材料有限公司", rd_expense=120),
            enterprise(jc, 5, "金昌丁新材料有限公司", tax_paid=900)]


def fail_after(monkeypatch, module, name):
    """The service writes, then something fails before the job ends (a full disk, a lost connection)."""
    real = getattr(module, name)

    def writes_then_fails(*args, **kwargs):
        real(*args, **kwargs)
        raise OSError("simulated failure after the rows were written")

    monkeypatch.setattr(module, name, writes_then_fails)


def test_every_domain_declares_its_kinds():
    assert {"intake.export", "intake.import", "programmes.list", "programmes.run", "evaluation.run",
            "monitoring.bulletin", "inspections.draw", "carbon.accounts"} <= set(kinds.kinds())


def test_a_programme_run_from_the_page_is_a_job_and_the_todo_panel_says_so(client, firms, province_user, started):
    client.force_login(province_user)
    page = client.get(reverse("programmes:page", args=["sme"])).content.decode()
    assert "运行评价" in page
    job = started(reverse("programmes:run", args=["sme"]) + "?tier=sme-specialized", {"year": 2024})
    assert job.state == Job.State.DONE, job.message
    # the rules in force today (the 2026 revision): the 2022 boundary case no longer qualifies
    assert job.message == "专精特新中小企业认定标准（2026年修订）：2024年数据评价完成，企业 3 家，符合 0 家"
    assert job.result_url == "/programmes/sme/"
    assert ProgrammeRun.objects.get().results.count() == 3
    assert "已完成待下载" in client.get(reverse("todo")).content.decode()
    assert "查看结果" in client.get(reverse("jobs:detail", args=[job.pk])).content.decode()


def test_a_failed_programme_run_leaves_no_rows(client, firms, province_user, started, monkeypatch):
    from jingkai.programmes import jobs

    fail_after(monkeypatch, jobs, "run_programme")
    client.force_login(province_user)
    job = started(reverse("programmes:run", args=["sme"]) + "?version=2022&tier=sme-specialized", {"year": 2024})
    assert job.state == Job.State.FAILED and "系统内部错误" in job.message
    assert not ProgrammeRun.objects.exists() and not ProgrammeResult.objects.exists()


def test_a_programme_run_without_data_says_why(client, zones, province_user, started):
    client.force_login(province_user)
    job = started(reverse("programmes:run", args=["mujun"]), {"year": 2019})
    assert job.state == Job.State.FAILED and job.message == "2019年没有可评价的企业年度数据"


def test_a_large_recommendation_list_is_written_by_the_worker(client, firms, province_user, started, settings):
    from jingkai.programmes.services import run_programme

    run_programme("sme-specialized", 2024, dt.date(2025, 6, 1))
    client.force_login(province_user)
    url = reverse("programmes:export", args=["sme"]) + "?version=2022&tier=sme-specialized&status=eligible"
    inline = client.get(url)
    assert inline.status_code == 200  # 3 rows: under the limit, in the request
    settings.LIST_INLINE_ROWS = 1
    job = started(url, method="get")
    assert job.state == Job.State.DONE and job.result_name.endswith("推荐名单（2024年数据）.xlsx"), job.message
    download = client.get(reverse("jobs:download", args=[job.pk]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert book.sheetnames == ["推荐名单", "培育库"]
    same = openpyxl.load_workbook(io.BytesIO(inline.content))
    assert [[c.value for c in r] for r in book["推荐名单"].iter_rows()] == [
        [c.value for c in r] for r in same["推荐名单"].iter_rows()]  # the same list as the page gives


@pytest.fixture
def evaluation_data(db):
    make_evaluation_data(n=30, years=(2022, 2023))


def test_monte_carlo_over_the_inline_limit_runs_as_a_job(client, evaluation_data, province_user, started):
    client.force_login(province_user)
    job = started(reverse("evaluation:compute"), {"methodology": "mofcom-2021", "year": 2023, "sensitivity": 500})
    assert job.state == Job.State.DONE and "已完成计算并保存（含不确定性分析 N = 500）" in job.message, job.message
    assert EvaluationRun.objects.get().sensitivity_runs == 500 and "year=2023" in job.result_url


def test_a_failed_evaluation_job_leaves_no_run(client, evaluation_data, province_user, started, monkeypatch):
    from jingkai.evaluation import jobs

    fail_after(monkeypatch, jobs, "run_evaluation")
    client.force_login(province_user)
    job = started(reverse("evaluation:compute"), {"methodology": "mofcom-2021", "year": 2023, "sensitivity": 500})
    assert job.state == Job.State.FAILED and not EvaluationRun.objects.exists()


def test_an_import_over_the_inline_limit_runs_as_a_job(client, zones, lz_user, started, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.IMPORT_INLINE_ROWS = 1
    client.force_login(lz_user)
    first, second = make_uscc("620100", "00000001"), make_uscc("620100", "00000002")
    good = ("uscc,name,zone_code,industry_code,size_class,above_scale\n"
            f"{first},兰州示例化工有限公司,GS-LZ,C2614,small,是\n{second},兰州示例二有限公司,GS-LZ,C2614,small,是\n")
    job = started(reverse("intake:import"), {"kind": "enterprises",
                                             "file": SimpleUploadedFile("企业.csv", good.encode(), "text/csv")})
    assert job.state == Job.State.DONE and job.message == "企业名录导入成功：新增 2 / 更新 0 / 未变 0", job.message
    assert Enterprise.objects.count() == 2
    bad = good.replace(second, second[:-1] + ("0" if second[-1] != "0" else "1")).replace("兰州示例二", "兰州示例三")
    failed = started(reverse("intake:import"), {"kind": "enterprises",
                                                "file": SimpleUploadedFile("企业2.csv", bad.encode(), "text/csv")})
    assert failed.state == Job.State.FAILED and "未写入任何数据" in failed.message and "第 3 行" in failed.message
    assert not Enterprise.objects.filter(name="兰州示例三有限公司").exists()


@pytest.fixture
def draw_setup(site_data):
    inspections_demo.build(7, dt.date(2026, 11, 25))
    return Draw.objects.order_by("id").first().zone


def test_a_draw_in_a_large_zone_runs_as_a_job(client, draw_setup, started, settings):
    settings.DRAW_INLINE_ENTERPRISES = 0
    province = make_user("prov", "province")
    client.force_login(province)
    items = [i.pk for i in InspectionItem.objects.filter(item_code__in=["SJ-002", "RS-001"])]
    before = Draw.objects.count()
    job = started("/inspections/draws/new/", {"zone": draw_setup.pk, "period": "2026Q4", "seed": 20261201,
                                              "items": items})
    draw = Draw.objects.get(seed=20261201)
    assert job.state == Job.State.DONE and job.result_url == f"/inspections/draws/{draw.pk}/", job.message
    assert Draw.objects.count() == before + 1 and draw.created_by == province


def test_carbon_accounts_of_every_zone_in_scope_run_as_a_job(client, site_data, started, monkeypatch):
    lz = site_data["GS-LZ"]
    for n, e in enumerate(Enterprise.objects.filter(zone=lz).order_by("uscc")[:3]):
        EnergyRecord.objects.create(enterprise=e, year=2025, electricity_kwh=1_000_000 * (n + 1))
    clerk = zone_user(lz)
    client.force_login(clerk)
    assert "核算范围内各园区" in client.get(reverse("carbon:index")).content.decode()
    job = started(reverse("carbon:compute"), {"year": 2025})
    assert job.state == Job.State.DONE and job.message.startswith("已核算 1 个园区 2025 年碳排放"), job.message
    assert CarbonAccount.objects.filter(zone=lz, year=2025).count() == 1
    from jingkai.carbon import jobs

    fail_after(monkeypatch, jobs, "compute")
    failed = started(reverse("carbon:compute"), {"year": 2025})
    assert failed.state == Job.State.FAILED and CarbonAccount.objects.count() == 1  # the second account rolled back


def test_only_holders_of_the_right_start_a_job(client, site_data):
    client.force_login(make_user("demo-dept-gxt", "dept-gxt"))
    assert client.post(reverse("carbon:compute"), {"year": 2025}).status_code == 403
    assert not Job.objects.exists()


def test_the_row_count_that_decides_inline_or_job_is_read_cheaply(tmp_path):
    from jingkai.intake.jobs import data_rows

    book = openpyxl.Workbook()
    for i in range(5):
        book.active.append([f"行{i}", i])
    book.save(tmp_path / "a.xlsx")
    (tmp_path / "a.csv").write_text("h\n1\n2\n", encoding="utf-8")
    (tmp_path / "bad.xlsx").write_bytes(b"not a workbook")
    assert (data_rows(tmp_path / "a.xlsx"), data_rows(tmp_path / "a.csv"), data_rows(tmp_path / "bad.xlsx")) == (5, 3, 0)
