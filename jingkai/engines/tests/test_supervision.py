from datetime import date

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
