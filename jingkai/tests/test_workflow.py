"""The shared workflow helper: states, who may act, separation of duties, comments, locks and audit."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jingkai.accounts.authz import PROVINCE
from jingkai.audit.models import AuditEntry
from jingkai.monitoring.models import Bulletin
from jingkai.registry import capability
from jingkai.testing import make_user
from jingkai.workflow import Transition, Workflow

PUBLISH = capability("test.publish", "发布测试通报", PROVINCE)
FLOW = Workflow(
    model=Bulletin, audit_model="monitoring.Bulletin", key=lambda b: str(b.pk),
    transitions=(
        Transition("review", "审核", {"draft"}, "reviewed", PUBLISH, not_by=lambda b: {b.created_by_id}),
        Transition("return", "退回", {"reviewed"}, "draft", PUBLISH, comment_required=True,
                   comment_message="退回时必须填写意见"),
        Transition("publish", "发布", {"reviewed"}, "published", PUBLISH),
    ),
)


@pytest.fixture
def people(db):
    return make_user("writer", "province"), make_user("checker", "province"), make_user("dept", "dept-gxt")


@pytest.fixture
def bulletin(people):
    return Bulletin.objects.create(period="2026-10", document=b"x", sha256="0", created_by=people[0])


def test_the_author_may_not_review_their_own_draft(people, bulletin):
    writer, checker, _ = people
    assert FLOW.allowed_actions(writer, bulletin) == []
    with pytest.raises(PermissionDenied, match="本人"):
        FLOW.apply(writer, bulletin, "review")
    assert FLOW.allowed_actions(checker, bulletin) == ["review"]
    assert FLOW.apply(checker, bulletin, "review").state == "reviewed"


def test_self_approval_when_the_setting_allows_it(people, bulletin, settings):
    settings.JINGKAI_ALLOW_SELF_APPROVAL = True
    assert FLOW.apply(people[0], bulletin, "review").state == "reviewed"


def test_a_role_without_the_capability_is_refused(people, bulletin):
    with pytest.raises(PermissionDenied, match="您无权发布测试通报"):
        FLOW.apply(people[2], bulletin, "review")


def test_a_transition_from_the_wrong_state_is_refused(people, bulletin):
    with pytest.raises(ValidationError, match="当前状态“草稿”下不能发布"):
        FLOW.apply(people[1], bulletin, "publish")


def test_a_required_comment_and_the_audit_entry(people, bulletin):
    checker = people[1]
    FLOW.apply(checker, bulletin, "review")
    with pytest.raises(ValidationError, match="退回时必须填写意见"):
        FLOW.apply(checker, bulletin, "return", comment="  ")
    FLOW.apply(checker, bulletin, "return", comment="数据口径不一致")
    entry = AuditEntry.objects.filter(model="monitoring.Bulletin", action="return").get()
    assert entry.user == checker and entry.before == {"state": "reviewed"}
    assert entry.after == {"state": "draft", "comment": "数据口径不一致"}


def test_a_stale_object_cannot_move_twice(people, bulletin):
    """Two clicks at once: the second works on the locked, re-read row and finds it already moved."""
    checker = people[1]
    stale = Bulletin.objects.get(pk=bulletin.pk)
    FLOW.apply(checker, bulletin, "review")
    with pytest.raises(ValidationError, match="当前状态“已审核”下不能审核"):
        FLOW.apply(checker, stale, "review")
    assert AuditEntry.objects.filter(model="monitoring.Bulletin", action="review").count() == 1
