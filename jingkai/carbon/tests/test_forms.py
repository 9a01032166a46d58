"""The forms of 绿色低碳 as a zone user uses them: the data gate confirmed after a preview (audited; another zone,
a department or a city cannot), an account run after a preview (through the job worker above the size limit),
and an account frozen as the baseline, which is then never recomputed and reproduces its figures."""

import pytest
from django.urls import reverse

from jingkai.audit.models import AuditEntry
from jingkai.carbon.models import CarbonAccount, DataGate, EnergyRecord
from jingkai.carbon.services import compute, freeze, recompute
from jingkai.enterprises.models import Enterprise
from jingkai.jobs.models import Job
from jingkai.testing import run_queued_jobs

GATE = {"boundary": "on", "enterprise_list": "on", "baseline_year": "2025", "factor_set": "carbon-factors-2025.1"}


@pytest.fixture
def lz(site_data):
    zone = site_data["GS-LZ"]
    for n, e in enumerate(Enterprise.objects.filter(zone=zone).order_by("uscc")[:3]):
        EnergyRecord.objects.create(enterprise=e, year=2025, electricity_kwh=1_000_000 * (n + 1), natural_gas_m3=5_000)
    return zone


def test_the_gate_is_confirmed_after_a_preview_and_audited(client, lz, lz_zone_user):
    client.force_login(lz_zone_user)
    url = reverse("carbon:gate", args=["GS-LZ"])
    assert "确认碳核算数据条件" in client.get(url).content.decode()
    preview = client.post(url, GATE).content.decode()
    assert "确认碳核算数据条件" in preview and "2025 年" in preview and not DataGate.objects.exists()
    done = client.post(url, GATE | {"confirmed": "1"})
    assert done.status_code == 302
    gate = DataGate.objects.get(zone=lz)
    assert gate.missing == [] and gate.confirmed_by == lz_zone_user
    assert AuditEntry.objects.filter(model="carbon.gate", object_key="GS-LZ", user=lz_zone_user).exists()
    assert "数据条件已全部确认" in client.get(reverse("carbon:zone", args=["GS-LZ"])).content.decode()


def test_only_the_zone_or_the_province_confirms_its_gate(client, lz, jc_zone_user, dept_user):
    url = reverse("carbon:gate", args=["GS-LZ"])
    client.force_login(jc_zone_user)
    assert client.post(url, GATE | {"confirmed": "1"}).status_code == 404
    client.force_login(dept_user)
    assert client.post(url, GATE | {"confirmed": "1"}).status_code == 403
    assert not DataGate.objects.exists()


def test_an_account_runs_after_a_preview(client, lz, lz_zone_user):
    client.force_login(lz_zone_user)
    url = reverse("carbon:account", args=["GS-LZ"])
    preview = client.post(url, {"year": "2025"}).content.decode()
    assert "确认核算" in preview and "3 条" in preview and "试算" in preview and not CarbonAccount.objects.exists()
    assert client.post(url, {"year": "2025", "confirmed": "1"}).status_code == 302
    account = CarbonAccount.objects.get()
    assert account.year == 2025 and account.created_by == lz_zone_user and account.result["zone"]["enterprises"] == 3


def test_a_large_zone_is_accounted_by_the_job_worker(client, lz, lz_zone_user, settings, tmp_path,
                                                     django_capture_on_commit_callbacks):
    settings.CARBON_INLINE_RECORDS, settings.MEDIA_ROOT = 2, tmp_path
    client.force_login(lz_zone_user)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("carbon:account", args=["GS-LZ"]), {"year": "2025", "confirmed": "1"})
    job = Job.objects.get(kind="carbon.account")
    assert answer.url == reverse("jobs:detail", args=[job.pk]) and not CarbonAccount.objects.exists()
    run_queued_jobs()
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.message
    assert "3 家企业" in job.message and CarbonAccount.objects.get().created_by == lz_zone_user


def test_a_frozen_baseline_is_kept_and_reproduced(client, lz, lz_zone_user):
    account = compute(lz_zone_user, lz, 2025)
    client.force_login(lz_zone_user)
    url = reverse("carbon:freeze", args=["GS-LZ"])
    assert "此操作不可撤销" in client.post(url, {"account": account.pk}).content.decode()
    account.refresh_from_db()
    assert not account.frozen
    client.post(url, {"account": account.pk, "confirmed": "1"})
    account.refresh_from_db()
    assert account.frozen and account.frozen_at
    assert AuditEntry.objects.filter(model="carbon.account", object_key=str(account.pk), action="update").exists()
    # more records later: the baseline is not recomputed, and recomputing it with its pinned set gives its figures
    answer = client.post(reverse("carbon:account", args=["GS-LZ"]), {"year": "2025", "confirmed": "1"}, follow=True)
    assert "已冻结为基准，不再重新核算" in answer.content.decode() and CarbonAccount.objects.count() == 1
    assert recompute(account) == account.result
    with pytest.raises(Exception, match="已冻结"):
        compute(lz_zone_user, lz, 2025)
    assert freeze(lz_zone_user, account).frozen
