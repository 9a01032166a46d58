"""One helper for every approval flow: states, transitions, who may act, separation of duties, comments,
row locks and the audit entry.

    REPORT_FLOW = Workflow(
        model=ProgressReport, audit_model="measures.ProgressReport", key=lambda r: f"{r.task_id}/{r.period}",
        transitions=(
            Transition("submit", "提交", {"draft", "returned"}, "submitted", SUBMIT_REPORT, may=is_owner),
            Transition("approve", "审核通过", {"submitted"}, "reviewed", REVIEW_REPORT,
                       not_by=lambda r: {r.author_id}),
            Transition("return", "退回", {"submitted"}, "returned", REVIEW_REPORT, comment_required=True),
        ))
    REPORT_FLOW.allowed(user, report)              # the transitions the user may take now
    REPORT_FLOW.apply(user, report, "approve", comment="")  # locks the row, checks, saves, audits

Separation of duties: a transition with `not_by` refuses the users it names (the submitter may not approve
their own submission) unless `settings.JINGKAI_ALLOW_SELF_APPROVAL` is true (a one-person office).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from jingkai.accounts.authz import has
from jingkai.audit.services import record
from jingkai.registry import Capability

M = TypeVar("M", bound=models.Model)
STALE_STATE, COMMENT_REQUIRED = "stale_state", "comment_required"  # codes of the ValidationErrors apply() raises


@dataclass(frozen=True)
class Transition(Generic[M]):
    action: str
    label: str  # the button: 提交, 审核通过, 退回 …
    sources: frozenset[str] | set[str]
    target: str
    capability: Capability | None = None
    may: Callable[[Any, M], bool] | None = None  # a rule beyond the capability (e.g. the owner unit only)
    not_by: Callable[[M], Iterable[int | None]] | None = None  # user ids who must not act (separation of duties)
    comment_required: bool = False
    comment_message: str = ""  # the message when a required comment is missing
    check: Callable[[M, str], None] | None = None  # raises ValidationError when the object may not move
    effect: Callable[[Any, M, str], dict[str, Any]] | None = None  # sets fields; returns them for the audit


def self_approval_allowed() -> bool:
    return bool(getattr(settings, "JINGKAI_ALLOW_SELF_APPROVAL", False))


@dataclass(frozen=True)
class Workflow(Generic[M]):
    model: type[M]
    audit_model: str
    key: Callable[[M], str]
    transitions: tuple[Transition[M], ...]
    state_field: str = "state"
    lock_related: tuple[str, ...] = ()  # select_related on the locked row (only non-null FKs on PostgreSQL)
    on_applied: Callable[[Any, M, str, str, str], None] | None = None  # (user, obj, before, after, comment)
    labels: dict[str, str] = field(default_factory=dict)

    def transition(self, action: str) -> Transition[M]:
        for t in self.transitions:
            if t.action == action:
                return t
        raise ValidationError(f"未知的操作“{action}”")

    def state_label(self, obj: M) -> str:
        value = getattr(obj, self.state_field)
        display = getattr(obj, f"get_{self.state_field}_display", None)
        return str(display()) if display else str(value)

    def _refusal(self, user: Any, obj: M, t: Transition[M]) -> Exception | None:
        """Why the user may not take `t` now (None: they may): a ValidationError when the object is not in a
        state the step starts from (it moved meanwhile: a conflict, not a refusal), else PermissionDenied."""
        if getattr(obj, self.state_field) not in t.sources:
            return ValidationError(f"当前状态“{self.state_label(obj)}”下不能{t.label}", code=STALE_STATE)
        if t.capability is not None and not has(user, t.capability):
            return PermissionDenied(f"您无权{t.capability.label}")
        if t.may is not None and not t.may(user, obj):
            return PermissionDenied(f"您无权对此{t.label}")
        if t.not_by is not None and not self_approval_allowed() and user.pk in set(t.not_by(obj)):
            return PermissionDenied(f"不能{t.label}本人提交的内容（审核与提交须由不同人员办理）")
        return None

    def allowed(self, user: Any, obj: M) -> list[Transition[M]]:
        return [t for t in self.transitions if self._refusal(user, obj, t) is None]

    def allowed_actions(self, user: Any, obj: M) -> list[str]:
        return [t.action for t in self.allowed(user, obj)]

    def apply(self, user: Any, obj: M, action: str, comment: str = "") -> M:
        """Take a transition: the row is locked and re-read, so two clicks at once move it once."""
        t = self.transition(action)
        with transaction.atomic():
            locked = self.model._default_manager.select_for_update().select_related(*self.lock_related).get(pk=obj.pk)
            refusal = self._refusal(user, locked, t)
            if refusal is not None:
                raise refusal
            comment = (comment or "").strip()
            if t.comment_required and not comment:
                raise ValidationError(t.comment_message or f"{t.label}时必须填写意见", code=COMMENT_REQUIRED)
            if t.check is not None:
                t.check(locked, comment)
            before = getattr(locked, self.state_field)
            setattr(locked, self.state_field, t.target)
            changed = t.effect(user, locked, comment) if t.effect else {}
            locked.save()
            after = {"state": t.target, **({"comment": comment} if comment else {}), **changed}
            record(user, action, self.audit_model, self.key(locked), before={"state": before}, after=after)
            if self.on_applied is not None:
                self.on_applied(user, locked, before, t.target, comment)
        return locked
