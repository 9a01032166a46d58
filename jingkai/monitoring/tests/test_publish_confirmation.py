"""发布 a bulletin asks for confirmation first, with a preview of what is published (title, 发文字号, 成文日期,
period, the draft document); nothing is published until it is confirmed. A user who may not publish gets the
refusal, not a confirmation page."""

from datetime import date

from jingkai.audit.models import AuditEntry
from jingkai.monitoring.models import Bulletin
from jingkai.monitoring.services import advance_bulletin, draft_bulletin
from jingkai.testing import make_user

from .test_views import calendar  # noqa: F401  (the fixture)


def test_publish_shows_what_will_be_published_then_publishes(client, calendar, province_user):  # noqa: F811
    draft = draft_bulletin(make_user("drafter", "province"), calendar, "2026-09", date(2026, 10, 20),
                           "甘商运通[2026]11号")
    advance_bulletin(make_user("checker", "province"), draft, "review")
    client.force_login(province_user)
    page = client.post(f"/monitoring/bulletins/{draft.pk}/advance/", {"action": "publish"}).content.decode()
    assert Bulletin.objects.get().state == "reviewed"  # the first POST writes nothing
    assert not AuditEntry.objects.filter(model="monitoring.Bulletin", action="publish").exists()
    for shown in ("确认发布通报", "关于2026年1—9月全省开发区经济运行情况的通报", "甘商运通〔2026〕11号",
                  "2026年10月20日", "2026年1—9月", "已审核", f"/monitoring/bulletins/{draft.pk}/download/",
                  'name="action" value="publish"', 'name="confirmed" value="1"', "不能再修改或撤回"):
        assert shown in page, shown
    assert client.get(f"/monitoring/bulletins/{draft.pk}/download/").status_code == 200  # the draft opens

    response = client.post(f"/monitoring/bulletins/{draft.pk}/advance/", {"action": "publish", "confirmed": "1"},
                           follow=True)
    assert Bulletin.objects.get().state == "published" and "已发布" in response.content.decode()


def test_review_needs_no_confirmation_and_a_refusal_is_no_preview(client, calendar, province_user):  # noqa: F811
    draft = draft_bulletin(province_user, calendar, "2026-09", date(2026, 10, 20))
    client.force_login(make_user("checker", "province"))
    client.post(f"/monitoring/bulletins/{draft.pk}/advance/", {"action": "review"})
    assert Bulletin.objects.get().state == "reviewed"
    client.force_login(make_user("zone-viewer", "zone-gs-lz"))  # sees no draft: 404, no preview
    assert client.post(f"/monitoring/bulletins/{draft.pk}/advance/", {"action": "publish"}).status_code == 404
    client.force_login(make_user("dept", "dept-gxt"))
    response = client.post(f"/monitoring/bulletins/{draft.pk}/advance/", {"action": "publish"})
    assert response.status_code in (403, 404) and Bulletin.objects.get().state == "reviewed"
