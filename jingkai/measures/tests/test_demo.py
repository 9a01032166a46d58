from datetime import date

from jingkai.engines.supervision import DONE, LAGGING, NOT_STARTED, ON_TRACK, OVERDUE
from jingkai.measures import demo
from jingkai.measures.catalogue import load_catalogue
from jingkai.measures.models import ProgressReport, Task
from jingkai.measures.selectors import task_rows
from jingkai.testing import make_zone


def test_demo_register_covers_every_item_and_every_state(db, province_user):
    for code in demo.NATIONAL:
        make_zone(code)
    today = date(2026, 11, 25)
    count = demo.build(seed=7, today=today)
    assert count == Task.objects.count() > len(load_catalogue().items)
    assert {t.item_code for t in Task.objects.all()} == {i.code for i in load_catalogue().items}
    assert set(ProgressReport.objects.values_list("state", flat=True)) == {
        "draft", "submitted", "reviewed", "confirmed", "returned"}
    statuses = {row.status for row in task_rows(Task.objects.all(), today)}
    assert statuses == {NOT_STARTED, ON_TRACK, LAGGING, OVERDUE, DONE}
