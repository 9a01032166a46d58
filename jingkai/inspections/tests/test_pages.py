"""The stored draw: built from the database through the engine, audited, shown with its certificate, scoped."""

import datetime as dt
import json

from jingkai.audit.models import AuditEntry
from jingkai.engines import inspections as engine
from jingkai.enterprises.models import Enterprise
from jingkai.inspections import demo
from jingkai.inspections.models import Draw, Visit
from jingkai.inspections.services import frames, run_draw

TODAY = dt.date(2026, 11, 25)


def setup_draws(site_data):
    classes = "ABCD"
    for n, e in enumerate(Enterprise.objects.order_by("uscc")):
        e.credit_class = classes[n % 4]
        e.save(update_fields=["credit_class"])
    demo.build(7, TODAY)
    return Draw.objects.get(zone=site_data["GS-LZ"]), Draw.objects.get(zone=site_data["GS-JC"])


def test_draw_is_stored_audited_and_reruns_identically(site_data, prov_user):
    lz, _ = setup_draws(site_data)
    assert lz.period == "2026Q4" and lz.result["visits"]
    assert AuditEntry.objects.filter(model="inspections.draw", object_key=str(lz.pk), action="create").exists()
    Visit.objects.all().delete()  # the demo's visit records came after the draw: the same inputs again
    again = run_draw(prov_user, site_data["GS-LZ"], "2026Q4", lz.seed, TODAY)
    assert again.result == lz.result and again.pool_hash == lz.pool_hash
    # never an unpublished item, never an inspector without a valid 执法证
    assert all("HB-009" not in v["items"] for v in lz.result["visits"])
    _, _, roster, _ = frames(site_data["GS-LZ"], TODAY)
    expired = set(roster.filter(roster["cert_valid_to"] < "2026-10-01")["person_id"])
    assert expired and not expired & {p for v in lz.result["visits"] for t in v["inspectors"].values() for p in t}
    assert {e["uscc"] for e in lz.result["excluded"]} >= set(
        Enterprise.objects.filter(zone=site_data["GS-LZ"], credit_class="A").values_list("uscc", flat=True))


def test_draw_page_shows_certificate_and_joint_visits(client, site_data, lz_zone_user):
    lz, jc = setup_draws(site_data)
    client.force_login(lz_zone_user)
    page = client.get(f"/inspections/draws/{lz.pk}/").content.decode()
    for text in ("抽取证书", str(lz.seed), lz.pool_hash, "综合查一次", "减少入企", "特种设备使用单位监督检查",
                 "A 类（信用风险低）无事不扰", "“环境信息依法披露检查（拟公布）”：检查事项未经公布，不得实施"):
        assert text in page
    assert "None" not in page
    cert = json.loads(client.get(f"/inspections/draws/{lz.pk}/certificate.json").content)
    assert cert["seed"] == lz.seed and cert["pool_hash"] == lz.pool_hash and cert["algorithm"] == engine.ALGORITHM
    assert client.get(f"/inspections/draws/{jc.pk}/").status_code == 404  # another zone's draw
    index = client.get("/inspections/").content.decode()
    assert lz.zone.name in index and jc.zone.name not in index
