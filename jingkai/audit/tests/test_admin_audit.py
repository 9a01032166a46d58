"""Back-office writes are audited with before and after; the audit log cannot be edited."""

from datetime import date

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from jingkai.audit.admin import snapshot
from jingkai.audit.models import AuditEntry
from jingkai.enterprises.models import Enterprise, EnterpriseTag
from jingkai.enterprises.uscc import make_uscc
from jingkai.testing import make_user


@pytest.fixture
def root(zones):
    return make_user("root", "province", is_staff=True, is_superuser=True)


@pytest.fixture
def browser(root) -> Client:
    client = Client()
    client.force_login(root)
    return client


@pytest.fixture
def enterprise(zones):
    return Enterprise.objects.create(uscc=make_uscc("620100", "10000001"), name="兰州新材料有限公司",
                                     zone=zones["GS-LZ"], industry_code="C3985", size_class="medium",
                                     established=date(2010, 5, 1))


def form(enterprise, tags=(), **changes) -> dict:
    data = {"uscc": enterprise.uscc, "name": enterprise.name, "zone": enterprise.zone_id,
            "industry_code": enterprise.industry_code, "established": "2010-05-01",
            "size_class": enterprise.size_class, "ownership": "", "main_products": "",
            "credit_class": "",
            "tags-TOTAL_FORMS": len(tags), "tags-INITIAL_FORMS": sum(1 for t in tags if t.get("id")),
            "tags-MIN_NUM_FORMS": 0, "tags-MAX_NUM_FORMS": 1000} | changes
    for i, tag in enumerate(tags):
        data |= {f"tags-{i}-{key}": value for key, value in tag.items()}
        data[f"tags-{i}-enterprise"] = enterprise.pk
    return data


def test_change_records_before_and_after(browser, root, enterprise):
    url = reverse("admin:enterprises_enterprise_change", args=[enterprise.pk])
    response = browser.post(url, form(enterprise, name="兰州新材料股份有限公司", above_scale="on"))
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(model="Enterprise")
    assert (entry.user, entry.action, entry.object_key) == (root, "update", enterprise.uscc)
    assert entry.note == "后台管理"
    assert entry.before["name"] == "兰州新材料有限公司" and entry.after["name"] == "兰州新材料股份有限公司"
    assert entry.before["above_scale"] is False and entry.after["above_scale"] is True
    assert entry.before["established"] == entry.after["established"] == "2010-05-01"
    assert entry.after["zone"] == enterprise.zone_id


def test_saving_without_change_records_nothing(browser, enterprise):
    url = reverse("admin:enterprises_enterprise_change", args=[enterprise.pk])
    assert browser.post(url, form(enterprise)).status_code == 302
    assert not AuditEntry.objects.exists()


def test_inline_tags_are_audited(browser, enterprise):
    url = reverse("admin:enterprises_enterprise_change", args=[enterprise.pk])
    new_tag = {"tag": "high_tech_enterprise", "valid_from": "2023-01-01", "valid_to": ""}
    added = form(enterprise, tags=[new_tag])
    assert browser.post(url, added).status_code == 302
    tag = EnterpriseTag.objects.get()
    entry = AuditEntry.objects.get(model="EnterpriseTag")
    assert (entry.action, entry.object_key, entry.before) == ("create", enterprise.uscc, None)
    assert entry.after["tag"] == "high_tech_enterprise" and entry.after["valid_from"] == "2023-01-01"

    changed = form(enterprise, tags=[{"id": tag.pk, "tag": "high_tech_enterprise", "valid_from": "2023-01-01",
                                      "valid_to": "2025-12-31"}])
    assert browser.post(url, changed).status_code == 302
    entry = AuditEntry.objects.filter(model="EnterpriseTag", action="update").get()
    assert entry.before["valid_to"] is None and entry.after["valid_to"] == "2025-12-31"

    deleted = form(enterprise, tags=[{"id": tag.pk, "tag": "high_tech_enterprise", "valid_from": "2023-01-01",
                                      "valid_to": "2025-12-31", "DELETE": "on"}])
    assert browser.post(url, deleted).status_code == 302
    entry = AuditEntry.objects.filter(model="EnterpriseTag", action="delete").get()
    assert entry.before["valid_to"] == "2025-12-31" and entry.after is None
    assert not EnterpriseTag.objects.exists()


def test_create_and_delete_are_audited(browser, zones):
    uscc = make_uscc("620300", "20000001")
    blank = Enterprise(uscc=uscc, name="金昌镍钴新材料有限公司", zone=zones["GS-JC"], industry_code="C3251")
    response = browser.post(reverse("admin:enterprises_enterprise_add"), form(blank, established=""))
    assert response.status_code == 302
    created = AuditEntry.objects.get(action="create")
    assert created.before is None and created.after["uscc"] == uscc and created.after["established"] is None
    enterprise = Enterprise.objects.get(uscc=uscc)
    url = reverse("admin:enterprises_enterprise_delete", args=[enterprise.pk])
    assert browser.post(url, {"post": "yes"}).status_code == 302
    deleted = AuditEntry.objects.get(action="delete")
    assert deleted.object_key == uscc and deleted.after is None
    assert deleted.before["name"] == "金昌镍钴新材料有限公司"


def test_bulk_delete_is_audited_row_by_row(browser, enterprise):
    response = browser.post(reverse("admin:enterprises_enterprise_changelist"),
                            {"action": "delete_selected", "_selected_action": [enterprise.pk], "post": "yes"})
    assert response.status_code == 302 and not Enterprise.objects.exists()
    assert AuditEntry.objects.get(action="delete").object_key == enterprise.uscc


def test_snapshot_is_json_without_secrets(root):
    data = snapshot(root)
    assert data["username"] == "root" and "password" not in data
    assert data["org_unit"] == root.org_unit_id and data["groups"] == []


def test_audit_log_is_read_only(browser, enterprise):
    entry = AuditEntry.objects.create(action="update", model="Enterprise", object_key=enterprise.uscc)
    assert browser.get(reverse("admin:audit_auditentry_changelist")).status_code == 200
    assert browser.get(reverse("admin:audit_auditentry_add")).status_code == 403
    change = reverse("admin:audit_auditentry_change", args=[entry.pk])
    assert browser.get(change).status_code == 200  # view only
    browser.post(change, {"note": "改过"})
    entry.refresh_from_db()
    assert entry.note == ""
    delete = reverse("admin:audit_auditentry_delete", args=[entry.pk])
    assert browser.post(delete, {"post": "yes"}).status_code == 403


def test_every_page_renders(browser, root, enterprise):
    request = type("Request", (), {"user": root})()
    for model, model_admin in admin.site._registry.items():
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        assert browser.get(reverse(f"{name}_changelist")).status_code == 200, name
        assert browser.get(reverse(f"{name}_changelist"), {"q": "兰州"}).status_code == 200, name
        if model_admin.has_add_permission(request):
            assert browser.get(reverse(f"{name}_add")).status_code == 200, name
    page = browser.get(reverse("admin:enterprises_enterprise_change", args=[enterprise.pk])).content.decode()
    assert "企业标签" in page and enterprise.uscc in page
    page = browser.get(reverse("admin:accounts_user_change", args=[root.pk])).content.decode()
    assert "所属机构" in page


def test_staff_of_a_zone_sees_only_its_zone(zones, enterprise):
    Enterprise.objects.create(uscc=make_uscc("620300", "20000001"), name="金昌镍钴新材料有限公司",
                              zone=zones["GS-JC"], industry_code="C3251")
    staff = make_user("jc-staff", "zone-gs-jc", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_enterprise"))
    client = Client()
    client.force_login(staff)
    page = client.get(reverse("admin:enterprises_enterprise_changelist")).content.decode()
    assert "金昌镍钴新材料有限公司" in page and "兰州新材料有限公司" not in page
    assert client.get(reverse("admin:enterprises_enterprise_change", args=[enterprise.pk])).status_code == 302
