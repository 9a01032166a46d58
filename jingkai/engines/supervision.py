"""Task status for the 督办 register, computed — never typed — from dates, milestones and reports.

Pure Python so that the rule is testable on its own and the same everywhere (pages, lists, 通报).
"""

from dataclasses import dataclass, field
from datetime import date

NOT_STARTED = "未启动"
ON_TRACK = "按期推进"
LAGGING = "滞后"
DONE = "已完成"
OVERDUE = "已逾期"

__all__ = ["DONE", "LAGGING", "NOT_STARTED", "ON_TRACK", "OVERDUE", "Rules", "TaskFacts", "Verdict", "assess"]


@dataclass(frozen=True)
class Rules:
    warn_days: int = 15  # 预警: a deadline or milestone this many days ahead (inclusive)
    lag_points: float = 20.0  # 滞后: reported progress this many points behind the time elapsed


@dataclass
class TaskFacts:
    start: date
    deadline: date
    milestones: list[tuple[date, date | None]] = field(default_factory=list)  # (due, done_on)
    progress: float | None = None  # latest confirmed progress, 0–100
    completed_on: date | None = None  # confirmed as completed
    target_value: float | None = None  # quantitative target, when the task has one
    actual_value: float | None = None  # filled from reported indicator data
    target_direction: int = 1  # -1 when lower is better (e.g. energy per value added)


@dataclass
class Verdict:
    status: str
    reasons: list[str]
    warnings: list[str]


def _target_met(facts: TaskFacts) -> bool:
    if facts.target_value is None or facts.actual_value is None:
        return False
    return (facts.actual_value - facts.target_value) * facts.target_direction >= 0


def assess(facts: TaskFacts, today: date, rules: Rules = Rules()) -> Verdict:
    if facts.completed_on or _target_met(facts):
        why = f"{facts.completed_on:%Y-%m-%d} 确认完成" if facts.completed_on else (
            f"目标值 {facts.target_value:g} 已达到（实际 {facts.actual_value:g}）")
        return Verdict(DONE, [why], [])
    if today > facts.deadline:
        return Verdict(OVERDUE, [f"完成时限 {facts.deadline:%Y-%m-%d} 已过，尚未确认完成"], [])

    reasons, warnings = [], []
    missed = [due for due, done in facts.milestones if done is None and due < today]
    for due in missed:
        reasons.append(f"节点 {due:%Y-%m-%d} 未按期完成")
    span = (facts.deadline - facts.start).days
    elapsed = 100.0 * max(0, (today - facts.start).days) / span if span > 0 else 100.0
    if facts.progress is not None and elapsed - facts.progress > rules.lag_points:
        reasons.append(f"进度 {facts.progress:.0f}% 落后于时间进度 {elapsed:.0f}%")
    days_left = (facts.deadline - today).days
    if days_left <= rules.warn_days:
        warnings.append(f"距完成时限还有 {days_left} 天")
    for due, done in facts.milestones:
        if done is None and 0 <= (due - today).days <= rules.warn_days:
            warnings.append(f"节点 {due:%Y-%m-%d} 还有 {(due - today).days} 天到期")

    if reasons:
        return Verdict(LAGGING, reasons, warnings)
    started = facts.progress is not None or any(done for _, done in facts.milestones)
    if not started:
        if today > facts.start and elapsed > rules.lag_points:
            return Verdict(LAGGING, [f"时间进度已过 {elapsed:.0f}%，仍未报送进展"], warnings)
        return Verdict(NOT_STARTED, ["尚无已确认的进展"], warnings)
    return Verdict(ON_TRACK, [f"进度 {facts.progress or 0:.0f}%，时间进度 {elapsed:.0f}%"], warnings)
