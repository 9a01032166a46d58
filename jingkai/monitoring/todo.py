"""What the reporting cycle asks of a user, for the 待办 panel (extension point "web.todo", jingkai.registry):
months to report and returned reports (a zone), reports and corrections to review (the province), bulletins to
review and publish. Each count covers the user's scope only; a few queries whatever the number of zones."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Max, Min, Q
from django.urls import reverse

from jingkai.accounts.authz import has
from jingkai.monitoring import capabilities as caps
from jingkai.monitoring.models import Bulletin, CorrectionRequest, ReportingCalendar, Submission
from jingkai.monitoring.selectors import due_date, recent_periods, visible_submissions
from jingkai.registry import TodoItem
from jingkai.workflow import self_approval_allowed
from jingkai.zones.selectors import zone_list

WINDOW = 6  # months: the window of the 报送情况 page, where they are reported
State = Submission.State


def _not_by(user: Any, field: str) -> Q:
    """Not what the user did: nobody reviews their own submission (separation of duties)."""
    return Q() if self_approval_allowed() else ~Q(**{field: user.pk})


def _counted(queryset: Any, **wanted: Q) -> dict[str, tuple[int, int | None]]:
    """{name: (count, the one row's id when there is exactly one)}, in one query."""
    found = queryset.aggregate(**{f"{k}_{n}": f("id", filter=q) for k, q in wanted.items()
                                  for n, f in (("n", Count), ("min", Min), ("max", Max))})
    return {k: (found[f"{k}_n"], found[f"{k}_min"] if found[f"{k}_min"] == found[f"{k}_max"] else None)
            for k in wanted}


def todo(user: Any, today: date) -> list[TodoItem]:
    submitter, reviewer = has(user, caps.SUBMIT), has(user, caps.REVIEW)
    calendar = ReportingCalendar.objects.filter(frequency="month").order_by("id").first()
    items: list[TodoItem] = []
    listing = reverse("monitoring:submissions")

    def link(found: tuple[int, int | None]) -> str:
        n, pk = found
        return reverse("monitoring:submission", args=[pk]) if n == 1 else listing

    if calendar is not None and (submitter or reviewer):
        zones = [z for z in zone_list(user.scope).filter(id__in=calendar.zones.all()).values_list("id", flat=True)
                 if not submitter or user.scope.can_write_zone(z)]
        found = _counted(visible_submissions(user).filter(calendar=calendar, zone__in=zones),
                         returned=Q(state=State.RETURNED),
                         to_review=Q(state=State.SUBMITTED) & _not_by(user, "submitted_by"))
        if submitter:
            periods = recent_periods(today, WINDOW)
            reported = set(Submission.objects.filter(calendar=calendar, zone__in=zones, period__in=periods)
                           .values_list("zone_id", "period"))
            missing = [p for z in zones for p in periods if (z, p) not in reported]
            overdue = sum(today > due_date(calendar, p) for p in missing)
            items.append(TodoItem("monitoring.to_submit", "待报送", "园区月报", len(missing), listing,
                                  f"近{WINDOW}个月，其中 {overdue} 项已逾期" if overdue else f"近{WINDOW}个月"))
            items.append(TodoItem("monitoring.returned", "被退回", "园区月报", found["returned"][0],
                                  link(found["returned"]), "请修改后重新报送"))
        if reviewer:
            items.append(TodoItem("monitoring.to_review", "待审核", "园区月报", found["to_review"][0],
                                  link(found["to_review"])))
    if reviewer:
        corrections = CorrectionRequest.objects.filter(
            state=CorrectionRequest.State.PENDING, submission__in=visible_submissions(user)).filter(
            _not_by(user, "requested_by"))
        rows = list(corrections.values_list("submission_id", flat=True)[:2])
        n = len(rows) if len(rows) < 2 else corrections.count()
        url = reverse("monitoring:submission", args=[rows[0]]) if n == 1 else listing
        items.append(TodoItem("monitoring.corrections", "待审核", "更正申请", n, url))
    if has(user, caps.PUBLISH_BULLETIN):
        bulletins = _counted(Bulletin.objects.all(), drafts=Q(state=Bulletin.State.DRAFT) & _not_by(user, "created_by"),
                             reviewed=Q(state=Bulletin.State.REVIEWED))
        url = reverse("monitoring:bulletins")
        items.append(TodoItem("monitoring.bulletin_drafts", "待发布通报", "通报草稿待审核", bulletins["drafts"][0], url))
        items.append(TodoItem("monitoring.bulletins_to_publish", "待发布通报", "已审核待发布", bulletins["reviewed"][0],
                              url))
    return items
