"""Task status for the 督办 register, computed — never typed — from dates, milestones and reports.

Pure Python so that the rule is testable on its own and the same everywhere (pages, lists, 通报).

The rule, in order: 已完成 (confirmed, or the quantitative target met); 已逾期 (past the deadline); 滞后 (a
milestone missed, or the confirmed progress — 0% when none is confirmed — more than `lag_points` behind the
share of time elapsed); 未启动 (no progress and no milestone done); otherwise 按期推进. It is monotonic in
progress: at the same date more progress never gives a worse status. Every verdict says why.
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
    # One rule for every task, monotonic in progress: a task without a confirmed report counts as 0%, and the
    # comparison with the time elapsed is the same whether a milestone is done or not — so more progress at
    # the same date never gives a worse status (滞后 < 未启动 < 按期推进).
    progress = facts.progress if facts.progress is not None else 0.0
    behind = elapsed - progress
    if behind > rules.lag_points:
        if facts.progress is None:
            reasons.append(f"时间进度已过 {elapsed:.0f}%，仍未报送进展（按进度 0% 计），"
                           f"落后超过 {rules.lag_points:g} 个百分点")
        else:
            reasons.append(f"进度 {progress:.0f}% 落后于时间进度 {elapsed:.0f}% 达 {behind:.0f} 个百分点，"
                           f"超过允许的 {rules.lag_points:g} 个百分点")
    days_left = (facts.deadline - today).days
    if days_left <= rules.warn_days:
        warnings.append(f"距完成时限还有 {days_left} 天")
    for due, done in facts.milestones:
        if done is None and 0 <= (due - today).days <= rules.warn_days:
            warnings.append(f"节点 {due:%Y-%m-%d} 还有 {(due - today).days} 天到期")

    if reasons:
        return Verdict(LAGGING, reasons, warnings)
    within = (f"时间进度 {elapsed:.0f}%，落后不超过 {rules.lag_points:g} 个百分点" if behind > 0
              else f"不落后于时间进度 {elapsed:.0f}%")
    if progress <= 0 and not any(done for _, done in facts.milestones):
        shown = "尚无已确认的进展" if facts.progress is None else "已确认进度 0%"
        return Verdict(NOT_STARTED, [f"{shown}，{within}"], warnings)
    return Verdict(ON_TRACK, [f"进度 {progress:.0f}%，{within}"], warnings)
