from datetime import date

from jingkai.accounts.models import User
from jingkai.engines.supervision import DONE, LAGGING, NOT_STARTED, ON_TRACK, OVERDUE
from jingkai.measures import demo
from jingkai.measures.catalogue import load_catalogue
from jingkai.measures.models import ProgressReport, Task
from jingkai.measures.selectors import task_rows
from jingkai.measures.services import REPORT_FLOW, save_draft, transition
from jingkai.testing import make_zone, zone_user


def test_demo_register_covers_every_item_and_every_state(db, province_user):
    for code in demo.NATIONAL:
        make_zone(code)
    today = date(2026, 11, 25)
    count = demo.build(seed=7, today=today).tasks
    assert count == Task.objects.count() > len(load_catalogue().items)
    assert {t.item_code for t in Task.objects.all()} == {i.code for i in load_catalogue().items}
    assert set(ProgressReport.objects.values_list("state", flat=True)) == {
        "draft", "submitted", "reviewed", "confirmed", "returned"}
    statuses = {row.status for row in task_rows(Task.objects.all(), today)}
    assert statuses == {NOT_STARTED, ON_TRACK, LAGGING, OVERDUE, DONE}


def test_demo_accounts_walk_the_path_under_separation_of_duties(db, province_user):
    lz = zone_user(make_zone("GS-LZ"))
    result = demo.build(seed=7, today=date(2026, 11, 25))
    assert [a[0] for a in result.accounts] == ["demo-province-reviewer", "demo-gs-lz-reviewer"]
    reviewer = User.objects.get(username="demo-gs-lz-reviewer")
    assert reviewer.org_unit == lz.org_unit and reviewer.password == lz.password  # the same demo password
    # nobody in the demo history reviewed or confirmed a report they wrote
    for report in ProgressReport.objects.prefetch_related("events"):
        assert all(e.user_id != report.author_id for e in report.events.all() if e.to_state != "submitted")
    task = Task.objects.filter(owner=lz.org_unit).first()
    report = save_draft(lz, task=task, period="2027-01", text="演示填报", progress=50)
    report = transition(lz, report, "submit")
    assert REPORT_FLOW.allowed_actions(lz, report) == []
    transition(User.objects.get(pk=reviewer.pk), report, "approve")
    assert transition(province_user, report, "confirm").state == "confirmed"
