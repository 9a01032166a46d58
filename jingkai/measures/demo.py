"""Demo 督办 register: tasks for every action item, with milestones and reports in every state.

Deterministic for a seed; dates are placed around `today` so that every computed status occurs.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from django.contrib.auth.models import Permission
from django.utils import timezone

from jingkai.accounts.authz import ROLES
from jingkai.accounts.models import OrgUnit, User
from jingkai.measures.catalogue import load_catalogue
from jingkai.measures.models import Milestone, ProgressReport, ReportEvent, Task
from jingkai.zones.models import Indicator, Zone

NATIONAL = ["GS-LZ", "GS-JC", "GS-TS", "GS-ZY"]
# Quantitative targets for zone tasks: the indicator that measures the item, and a plausible yearly rise.
TARGETS = {"fdi_actual_usd": 1.10, "trade_total": 1.08, "high_tech_enterprises": 1.12, "tax_revenue": 1.05}


def _month(d: date) -> str:
    return f"{d.year}-{d.month:02d}"


def ensure_department_units() -> dict[str, OrgUnit]:
    """Every department the catalogue names exists as an org unit (the catalogue carries their codes)."""
    province = OrgUnit.objects.get(code="province")
    units = {}
    for name, dept in load_catalogue().departments.items():
        kind = OrgUnit.Kind.PROVINCE if dept["code"] == "province" else OrgUnit.Kind.DEPARTMENT
        unit, _ = OrgUnit.objects.get_or_create(
            code=dept["code"], defaults={"name": name, "kind": kind,  # as the catalogue and org_units.yaml name it
                                         "parent": None if kind == OrgUnit.Kind.PROVINCE else province})
        units[name] = unit
    return units


REVIEWER_SUFFIX = "-reviewer"


@dataclass(frozen=True)
class DemoRegister:
    """What the demo build reports: the number of tasks and the accounts this domain added
    (username, role, scope) for the account list."""

    tasks: int
    accounts: tuple[tuple[str, str, str], ...]


def reviewer_name(username: str) -> str:
    return "demo-province-reviewer" if username == "demo-admin" else f"{username}{REVIEWER_SUFFIX}"


def ensure_reviewers() -> list[tuple[User, OrgUnit]]:
    """A second person for every unit with a demo account: its 审核员 (demo-gs-lz-reviewer), who holds the
    review permission. Reports are reviewed by someone other than their author (separation of duties), so a
    visitor walks 填报 (demo-gs-lz) → 审核 (demo-gs-lz-reviewer) → 确认 (demo-admin). Same password as the
    unit's account."""
    permission = Permission.objects.get(codename="review_progressreport")
    reviewers = []
    for main in (User.objects.filter(username__startswith="demo-", org_unit__isnull=False)
                 .exclude(username__endswith=REVIEWER_SUFFIX).select_related("org_unit").order_by("id")):
        unit = main.org_unit
        assert unit is not None  # filtered above
        if not main.has_usable_password():  # not a login account (e.g. the bulletin clerk)
            continue
        reviewer, _ = User.objects.update_or_create(username=reviewer_name(main.username), defaults={
            "org_unit": unit, "first_name": f"{unit.name}审核员", "password": main.password,
            "email": f"{reviewer_name(main.username)}@demo.invalid"})
        reviewer.user_permissions.add(permission)
        reviewers.append((reviewer, unit))
    return reviewers


def build(seed: int, today: date) -> DemoRegister:
    rng = np.random.default_rng(seed + 5)
    Task.objects.all().delete()  # a rebuild replaces the register
    units = ensure_department_units()
    zones = {z.code: z for z in Zone.objects.filter(code__in=NATIONAL)}
    committees = {u.zone.code: u for u in OrgUnit.objects.filter(zone__code__in=NATIONAL).select_related("zone")
                  if u.zone}
    indicators = {i.key: i for i in Indicator.objects.filter(key__in=TARGETS)}
    admin = User.objects.filter(username="demo-admin").first()
    year_start = date(today.year, 1, 1)
    tasks, plans = [], []
    for item in load_catalogue().items:
        lead = units.get(item.lead[0]) if item.lead else units["省商务厅"]
        if rng.random() < 0.1:  # newly assigned: nothing is due yet (未启动)
            start, deadline = today - timedelta(days=int(rng.integers(3, 20))), date(today.year + 1, 6, 30)
        else:
            start, deadline = year_start, date(today.year, 12, 31) - timedelta(days=int(rng.integers(0, 330)))
        tasks.append(Task(item_code=item.code, title=item.text.rstrip("，。,")[:60], owner=lead,
                          start=start, deadline=deadline, created_by=admin))
        for key in item.indicators:
            if key in TARGETS and key in indicators:
                for code in NATIONAL:
                    if code in zones and code in committees:
                        tasks.append(Task(
                            item_code=item.code, title=f"{zones[code].name}{indicators[key].name}提升",
                            owner=committees[code], zone=zones[code], start=year_start,
                            deadline=date(today.year, 12, 31), target_indicator=indicators[key],
                            target_period=f"{today.year}-12", created_by=admin))
                break
    Task.objects.bulk_create(tasks)
    tasks = list(Task.objects.select_related("owner", "target_indicator", "zone"))
    _targets(tasks, today)
    for task in tasks:
        plans.append(_plan(rng, task, today))
    reviewers = ensure_reviewers()
    _reports(plans, today, admin)
    return DemoRegister(len(tasks), tuple(
        (r.username, f"{ROLES.get(unit.kind, '')}审核员", f"{unit.name}（审核进展报告）") for r, unit in reviewers))


def _targets(tasks: list[Task], today: date) -> None:
    from jingkai.zones.models import IndicatorValue

    for task in tasks:
        if task.target_indicator is not None:
            last = IndicatorValue.objects.filter(zone=task.zone, indicator=task.target_indicator,
                                                 period=f"{today.year - 1}-12").first()
            if last:
                task.target_value = round(last.value * TARGETS[task.target_indicator.key], 1)
                task.save(update_fields=["target_value"])


def _plan(rng, task: Task, today: date) -> tuple[Task, str, float]:
    """Choose a storyline for the task: the state of its latest report and the progress it claims."""
    if task.start > today - timedelta(days=30):
        return task, "none", 0.0
    Milestone.objects.bulk_create([
        Milestone(task=task, title="制定工作方案", due=task.start + timedelta(days=60),
                  done_on=task.start + timedelta(days=int(rng.integers(30, 75)))),
        Milestone(task=task, title="中期推进", due=task.start + (task.deadline - task.start) / 2,
                  done_on=None if rng.random() < 0.3 else task.start + (task.deadline - task.start) / 2),
    ])
    state = rng.choice(["confirmed", "confirmed", "confirmed", "reviewed", "submitted", "returned", "draft", "none"])
    elapsed = max(0.0, min(1.0, (today - task.start).days / max(1, (task.deadline - task.start).days)))
    progress = float(np.clip(round(100 * elapsed + rng.normal(-5, 20)), 0, 100))
    if state == "confirmed" and task.deadline < today and rng.random() < 0.6:
        progress = 100.0  # finished and confirmed (已完成); the rest of the past-deadline ones are overdue
    return task, str(state), progress


def _reports(plans, today: date, admin) -> None:
    """Reports are written by the unit's account, reviewed by its 审核员 and confirmed by demo-admin (by the
    province's 审核员 where demo-admin wrote the report): nobody approves their own report."""
    people = User.objects.filter(org_unit__isnull=False).order_by("-id")  # the first account of a unit wins
    owners = {u.org_unit_id: u for u in people.exclude(username__endswith=REVIEWER_SUFFIX)}
    reviewers = {u.org_unit_id: u for u in people.filter(username__endswith=REVIEWER_SUFFIX)}
    province_reviewer = User.objects.filter(username=reviewer_name("demo-admin")).first()
    now = timezone.now()
    for task, state, progress in plans:
        if state == "none":
            continue
        author = owners.get(task.owner_id) or admin
        reviewer = reviewers.get(task.owner_id) or province_reviewer or admin  # a unit without accounts
        confirmer = admin if author != admin else province_reviewer or admin
        prev = ProgressReport.objects.create(
            task=task, period=_month(today - timedelta(days=60)), text="按计划推进，已完成阶段性工作。",
            progress=max(0.0, progress - 15), state="confirmed", author=author)
        _history(prev, ["submitted", "reviewed", "confirmed"], (author, reviewer, confirmer), now - timedelta(days=55))
        completes = state == "confirmed" and progress >= 100
        report = ProgressReport.objects.create(
            task=task, period=_month(today - timedelta(days=25)), state=state, author=author, progress=progress,
            completes_task=completes, text="本月推进情况：完成项目对接和政策宣讲，正在协调要素保障。")
        path = {"confirmed": ["submitted", "reviewed", "confirmed"], "reviewed": ["submitted", "reviewed"],
                "submitted": ["submitted"], "returned": ["submitted", "returned"], "draft": []}[state]
        _history(report, path, (author, reviewer, confirmer), now - timedelta(days=20))


def _history(report: ProgressReport, path: list[str], people: tuple, start) -> None:
    author, reviewer, confirmer = people
    state, events = "draft", []
    for to in path:
        # a return comes from whoever had the report: the reviewer (submitted) or the province (reviewed)
        user = {"submitted": author, "reviewed": reviewer}.get(to) or (reviewer if state == "submitted" else confirmer)
        comment = "请补充量化数据和佐证材料" if to == "returned" else ""
        events.append(ReportEvent(report=report, user=user, from_state=state, to_state=to, comment=comment))
        state = to
    ReportEvent.objects.bulk_create(events)
    ReportEvent.objects.filter(report=report).update(at=start)
