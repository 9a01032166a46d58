"""Create and edit pages of 招商活动, 合作共建 agreements and 招商小分队: a zone for its own zone, the province for
all (province-wide events its alone), another zone's record a 404, every save audited."""

from django.urls import reverse

from jingkai.audit.models import AuditEntry
from jingkai.investment import services
from jingkai.investment.models import CoBuild, Event, Team
from jingkai.investment.tests.test_pipeline import new


def test_zone_creates_and_edits_its_events_only(client, site_data, lz_zone_user, prov_user):
    client.force_login(lz_zone_user)
    url = reverse("investment:event_create")
    page = client.get(url).content.decode()
    assert "（全省性活动）" not in page and "金昌" not in page
    response = client.post(url, {"name": "兰州推介会", "kind": "promotion", "held_on": "2025-05-01",
                                 "zone": site_data["GS-LZ"].pk, "participants": "甲公司\n乙公司"})
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.participant_list == ["甲公司", "乙公司"]
    assert AuditEntry.objects.filter(model="investment.Event", action="create", object_key=str(event.pk)).exists()
    # a zone cannot post another zone, nor a province-wide event
    bad = client.post(url, {"name": "金昌推介会", "kind": "promotion", "held_on": "2025-05-01",
                            "zone": site_data["GS-JC"].pk})
    assert bad.status_code == 400 and Event.objects.count() == 1
    assert client.post(url, {"name": "全省", "kind": "promotion", "held_on": "2025-05-01"}).status_code == 400
    edit = reverse("investment:event_edit", args=[event.pk])
    assert client.post(edit, {"name": "兰州推介会（春季）", "kind": "promotion", "held_on": "2025-05-02",
                              "zone": site_data["GS-LZ"].pk}).status_code == 302
    entry = AuditEntry.objects.get(model="investment.Event", action="update")
    assert entry.before["name"] == "兰州推介会" and entry.after["name"] == "兰州推介会（春季）"
    # the province registers a province-wide event, which a zone sees but may not edit
    client.force_login(prov_user)
    assert client.post(url, {"name": "投资中国专场", "kind": "invest_china", "held_on": "2025-06-01"}).status_code == 302
    wide = Event.objects.get(name="投资中国专场")
    assert wide.zone is None
    client.force_login(lz_zone_user)
    assert client.get(reverse("investment:event", args=[wide.pk])).status_code == 200
    assert client.get(reverse("investment:event_edit", args=[wide.pk])).status_code == 403


def test_co_build_projects_must_be_the_zones(client, site_data, lz_zone_user, jc_zone_user):
    mine = services.create_project(lz_zone_user, new(site_data["GS-LZ"], name="承接项目"))
    client.force_login(lz_zone_user)
    url = reverse("investment:co_build_create")
    data = {"zone": site_data["GS-LZ"].pk, "partner": "江苏某经开区", "partner_region": "江苏省",
            "signed_on": "2024-03-01", "sharing": "税收五五分成", "projects": [mine.pk]}
    assert client.post(url, data).status_code == 302
    co = CoBuild.objects.get()
    assert list(co.projects.all()) == [mine]
    assert AuditEntry.objects.get(model="investment.CoBuild").after["projects"] == str(mine.pk)
    client.force_login(jc_zone_user)
    assert client.get(reverse("investment:co_build_edit", args=[co.pk])).status_code == 404
    theirs = services.create_project(jc_zone_user, new(site_data["GS-JC"], name="金昌项目"))
    response = client.post(url, data | {"zone": site_data["GS-JC"].pk, "projects": [theirs.pk, mine.pk]})
    assert response.status_code == 400 and CoBuild.objects.count() == 1  # 兰州's project is not even a choice


def test_teams_page_and_lead_owner(client, site_data, lz_zone_user, jc_zone_user):
    client.force_login(lz_zone_user)
    url = reverse("investment:team_create")
    bad = client.post(url, {"zone": site_data["GS-LZ"].pk, "name": "新能源小分队", "kind": "squad", "leader": "张三",
                            "coverage": ["GS-NE", "GS-XX"]})
    assert bad.status_code == 400 and "GS-XX" in bad.content.decode()  # not a choice: refused
    form = client.get(url).content.decode()
    assert '<option value="GS-NE">新能源（整条产业链）</option>' in form
    assert client.post(url, {"zone": site_data["GS-LZ"].pk, "name": "新能源小分队", "kind": "squad", "leader": "张三",
                             "members": "李四\n王五", "coverage": ["GS-NE", "GS-PC/GS-PC-02"]}).status_code == 302
    team = Team.objects.get()
    assert team.coverage == ["GS-NE", "GS-PC/GS-PC-02"] and team.covers("GS-NE", "GS-NE-01")
    assert team.covers("GS-PC", "GS-PC-02") and not team.covers("GS-PC", "GS-PC-01")
    page = client.get(reverse("investment:teams")).content.decode()
    assert "新能源小分队" in page and "李四、王五" in page and "新能源、石油化工 · " in page and "GS-NE" not in page
    # the team is a lead's owner choice, within the lead's zone
    data = {"name": "储能项目", "company": "某储能科技有限公司", "origin": "event", "zone": site_data["GS-LZ"].pk,
            "team": team.pk}
    assert client.post(reverse("investment:create"), data).status_code == 302
    project = services.Project.objects.get(name="储能项目")
    assert project.team == team
    assert "新能源小分队（负责人 张三）" in client.get(reverse("investment:project", args=[project.pk])).content.decode()
    client.force_login(jc_zone_user)
    assert "新能源小分队" not in client.get(reverse("investment:teams")).content.decode()
    assert client.get(reverse("investment:team_edit", args=[team.pk])).status_code == 404
