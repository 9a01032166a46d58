"""A record's 操作记录: who, when, what, before → after with the models' Chinese labels (choices as their
names), on the record's own page; the operation log's bulk entries say so instead of their rows."""

from datetime import date, timedelta

from jingkai.accounts.models import OrgUnit
from jingkai.audit.models import AuditEntry
from jingkai.audit.presentation import history, line
from jingkai.audit.services import record, record_many
from jingkai.enterprises.models import Enterprise
from jingkai.measures.models import Task


def test_labels_are_the_models_own_in_chinese(db, django_user_model):
    user = django_user_model.objects.create(username="u", first_name="张三")
    record(user, "withdraw", "monitoring.Submission", "GS-LZ/2026-10", before={"state": "submitted"},
           after={"state": "withdrawn", "reason": "数据有误"})
    [entry] = history("monitoring.Submission", "GS-LZ/2026-10")
    assert (entry.who, entry.action, entry.object_type) == ("张三", "撤回", "数据报送")
    assert [(c.label, c.before, c.after) for c in entry.changes] == [("状态", "已报", "已撤回"),
                                                                    ("原因", "—", "数据有误")]
    record(None, "something_new", "nowhere.Thing", "1", after={"flag": True})
    [other] = history("nowhere.Thing", "1")
    assert (other.who, other.action, other.object_type, other.changes[0].after) == ("系统", "其他操作", "其他", "是")


def test_bulk_entries_are_one_line_in_the_log(db):
    record_many(None, "import", "enterprises.Enterprise", [("9162", None, {"name": "甲"})])
    bulk = AuditEntry.objects.get()
    assert line(bulk).action == "导入"


def test_the_enterprise_and_task_pages_show_their_own_history(client, prov_user):
    enterprise = Enterprise.objects.order_by("uscc").first()
    record(prov_user, "update", "enterprises.Enterprise", enterprise.uscc, before={"above_scale": False},
           after={"above_scale": True}, note="后台管理")
    record(prov_user, "update", "enterprises.Enterprise", "another", after={"name": "别的企业"})
    client.force_login(prov_user)
    page = client.get(f"/enterprises/{enterprise.uscc}/").content.decode()
    history_part = page[page.index('id="history"'):]
    assert "是否规上：</span>否 → 是" in history_part and "修改" in history_part and "别的企业" not in history_part
    today = date.today()
    task = Task.objects.create(item_code="1.1", title="测试任务", owner=OrgUnit.objects.get(code="zone-gs-lz"),
                               start=today, deadline=today + timedelta(days=30))
    record(prov_user, "create", "measures.Task", task.pk, after={"title": "测试任务"})
    page = client.get(f"/measures/tasks/{task.pk}/").content.decode()
    assert "操作记录" in page and "新增" in page and "任务名称：</span>测试任务" in page


def test_a_task_history_holds_its_progress_reports_and_unknown_keys_show_as_labelled_codes(client, prov_user):
    today = date.today()
    task = Task.objects.create(item_code="2.1", title="任务甲", owner=OrgUnit.objects.get(code="zone-gs-lz"),
                               start=today, deadline=today + timedelta(days=30))
    record(prov_user, "submit", "measures.ProgressReport", f"{task.pk}/2026-10", before={"state": "draft"},
           after={"state": "submitted"})
    record(prov_user, "submit", "measures.ProgressReport", f"{task.pk}1/2026-10", after={"state": "submitted"})
    record(prov_user, "update", "measures.Task", task.pk, after={"odd_key": 1})
    lines = history(Task, task.pk, parts="measures.ProgressReport")
    assert [(line.action, line.object_key) for line in lines] == [("修改", str(task.pk)), ("提交", "2026-10")]
    assert lines[0].changes[0].known is False
    client.force_login(prov_user)
    text = client.get(f"/measures/tasks/{task.pk}/").content.decode()
    assert "进展报告 2026-10" in text and '其他项 <span class="code">odd_key</span>' in text


def test_what_services_record_beside_the_fields_is_named_in_chinese(client, prov_user):
    """The 操作日志 as the demo leaves it: a stalled project's days and task, a rule-raised task's item, an import's
    counts, a programme run's figures, the demo's counts: each named, none as 其他项 with a code."""
    record(None, "stale", "investment.Project", 151, after={"days": 114, "task": 217})
    record(None, "create", "measures.Task", 217, after={"item": "4.5", "raised_by_rule": True})
    record(None, "import", "zones.IndicatorValue", "zone-indicators", after={"created": 3, "updated": 0, "unchanged": 1})
    record(None, "run", "programmes.ProgrammeRun", 1, after={"date": "2026-06-01", "n": 8, "eligible": 2})
    record(None, "demo", "demo", after={"zones": 247, "enterprises": 2000, "enterprise_years": 8000,
                                            "jingkai.carbon.demo": 19})
    client.force_login(prov_user)
    text = client.get("/system/log/").content.decode()
    assert "其他项" not in text, text[text.find("其他项") - 200:text.find("其他项") + 200]
    for label in ("停滞天数", "督办任务编号", "措施条目", "按规则自动发起", "新增条数", "未变条数", "评价企业数",
                  "符合条件企业数", "园区数", "企业年度数据条数", "绿色低碳演示记录数"):
        assert label in text, label
