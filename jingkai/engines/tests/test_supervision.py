from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from jingkai.engines.supervision import (
    DONE,
    LAGGING,
    NOT_STARTED,
    ON_TRACK,
    OVERDUE,
    Rules,
    TaskFacts,
    assess,
)

START, DEADLINE = date(2026, 1, 1), date(2026, 12, 31)


def facts(**kw):
    return TaskFacts(start=START, deadline=DEADLINE, **kw)


def test_nothing_reported_early_is_not_started():
    verdict = assess(facts(), date(2026, 2, 1))
    assert verdict.status == NOT_STARTED


def test_nothing_reported_late_is_lagging():
    verdict = assess(facts(), date(2026, 6, 1))
    assert verdict.status == LAGGING and "仍未报送进展" in verdict.reasons[0]


def test_progress_in_step_with_time_is_on_track():
    assert assess(facts(progress=50), date(2026, 7, 1)).status == ON_TRACK


def test_lag_boundary_is_inclusive_of_the_allowance():
    # 2026-07-02 is 182/364 = 50% of the way; progress 30 is exactly 20 points behind: still on track
    today = date(2026, 7, 2)
    assert assess(facts(progress=30), today).status == ON_TRACK
    assert assess(facts(progress=29.9), today).status == LAGGING


def test_missed_milestone_is_lagging():
    verdict = assess(facts(progress=60, milestones=[(date(2026, 6, 30), None)]), date(2026, 7, 1))
    assert verdict.status == LAGGING and "2026-06-30" in verdict.reasons[0]


def test_milestone_due_today_is_a_warning_not_a_miss():
    verdict = assess(facts(progress=50, milestones=[(date(2026, 7, 1), None)]), date(2026, 7, 1))
    assert verdict.status == ON_TRACK and verdict.warnings == ["节点 2026-07-01 还有 0 天到期"]


def test_deadline_warning_window_is_inclusive():
    rules = Rules(warn_days=15)
    assert assess(facts(progress=95), date(2026, 12, 16), rules).warnings == ["距完成时限还有 15 天"]
    assert assess(facts(progress=95), date(2026, 12, 15), rules).warnings == []


def test_past_deadline_is_overdue_and_deadline_day_is_not():
    assert assess(facts(progress=90), date(2026, 12, 31)).status == ON_TRACK
    assert assess(facts(progress=90), date(2027, 1, 1)).status == OVERDUE


def test_confirmed_completion_wins_even_after_deadline():
    assert assess(facts(completed_on=date(2026, 11, 1)), date(2027, 3, 1)).status == DONE


def test_quantitative_target_met_fills_itself():
    met = facts(target_value=5000, actual_value=5000)  # 达到 includes the boundary
    assert assess(met, date(2026, 8, 1)).status == DONE
    lower_better = facts(target_value=0.5, actual_value=0.6, target_direction=-1, progress=50)
    assert assess(lower_better, date(2026, 7, 1)).status == ON_TRACK


def test_a_done_milestone_does_not_hide_missing_progress():
    # the 督办 register showed a task at 进度 0% with 时间进度 92% as 按期推进 (a milestone done, no confirmed
    # progress), while a task at 60% on the same date was 滞后
    today = date(2026, 12, 1)  # 334 of 364 days: 92%
    no_progress = assess(facts(milestones=[(date(2026, 3, 1), date(2026, 2, 20))]), today)
    sixty = assess(facts(progress=60, milestones=[(date(2026, 3, 1), date(2026, 2, 20))]), today)
    assert sixty.status == LAGGING and "落后于时间进度 92%" in sixty.reasons[0]
    assert no_progress.status == LAGGING
    assert "仍未报送进展" in no_progress.reasons[0] and "按进度 0% 计" in no_progress.reasons[0]


def test_every_verdict_says_why_against_the_time_elapsed():
    assert assess(facts(progress=40), date(2026, 7, 2)).reasons == ["进度 40%，时间进度 50%，落后不超过 20 个百分点"]
    assert assess(facts(progress=70), date(2026, 7, 2)).reasons == ["进度 70%，不落后于时间进度 50%"]
    assert assess(facts(progress=0), date(2026, 2, 1)).status == NOT_STARTED
    lag = assess(facts(progress=20), date(2026, 7, 2)).reasons[0]
    assert lag == "进度 20% 落后于时间进度 50% 达 30 个百分点，超过允许的 20 个百分点"


RANK = {OVERDUE: 0, LAGGING: 1, NOT_STARTED: 2, ON_TRACK: 3, DONE: 4}
days = st.integers(min_value=-30, max_value=420)
progresses = st.none() | st.floats(min_value=0, max_value=100, allow_nan=False)


@st.composite
def task_facts(draw):
    span = draw(st.integers(min_value=0, max_value=400))
    start = date(2026, 1, 1)
    deadline = start + timedelta(days=span)
    milestones = []
    for _ in range(draw(st.integers(0, 3))):
        due = start + timedelta(days=draw(st.integers(0, max(span, 0))))
        done = draw(st.none() | st.just(due - timedelta(days=1)))
        milestones.append((due, done))
    return TaskFacts(start=start, deadline=deadline, milestones=milestones)


@settings(max_examples=300, deadline=None)
@given(task_facts(), progresses, progresses, days, st.floats(min_value=0, max_value=50))
def test_status_is_monotonic_in_progress(base, p1, p2, offset, lag_points):
    """More progress at the same date never gives a worse status (no progress counts as the least)."""
    low, high = sorted([p1, p2], key=lambda p: -1.0 if p is None else p)
    today = base.start + timedelta(days=offset)
    rules = Rules(lag_points=lag_points)
    worse = assess(replace(base, progress=low), today, rules)
    better = assess(replace(base, progress=high), today, rules)
    assert RANK[better.status] >= RANK[worse.status], (low, high, worse, better)
    assert better.reasons and worse.reasons
