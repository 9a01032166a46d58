from datetime import date

from jingkai.accounts.models import OrgUnit
from jingkai.measures.models import Task
from jingkai.measures.selectors import register
from jingkai.testing import make_user


def test_the_register_lists_items_in_their_numbered_order(db):
    """事项 1.2 comes before 1.10 and 2.1, as the measures number them (not as text sorts them)."""
    owner = OrgUnit.objects.get(code="dept-gxt")
    for code in ("2.1", "1.10", "1.2", "10.1"):
        Task.objects.create(item_code=code, title=f"任务 {code}", owner=owner, start=date(2026, 1, 1),
                            deadline=date(2026, 12, 31))
    rows = register(make_user("prov", "province"), date(2026, 6, 1))
    assert [r.task.item_code for r in rows] == ["1.2", "1.10", "2.1", "10.1"]
