"""Demo programme runs: the SME tiers under each version in force up to `today` (2022 rules on their last
day, 2026 rules on `today`), 亩均 (Gansu default) and 创新积分 for the latest complete year of the demo data.

The enterprise-years are loaded once and shared by every run. Deterministic: the runs depend only on the
data and the rule files (`seed` is accepted for the demo interface and unused).
"""

from __future__ import annotations

import datetime as dt

from jingkai.engines.rules import input_keys, select
from jingkai.enterprises.models import YEAR_TABLES
from jingkai.programmes.loaders import load_enterprise_years
from jingkai.programmes.models import ProgrammeRun
from jingkai.programmes.selectors import TIERS, sme_versions
from jingkai.programmes.services import run_on_frame

OTHERS = ["mujun-gansu", "innovation-points"]


def evaluation_dates(today: dt.date) -> list[dt.date]:
    """One date per SME version that has come into force by `today`: its last day, or today if still in force."""
    dates = []
    for rs in sme_versions().values():
        if rs.effective_from and rs.effective_from > today:
            continue
        dates.append(min(today, rs.effective_to) if rs.effective_to else today)
    return dates


def build(seed: int, today: dt.date, year: int | None = None) -> dict[str, int]:
    """Store the demo runs; returns {rule-set id @ date: enterprises evaluated}."""
    ProgrammeRun.objects.all().delete()  # runs of an earlier demo point at enterprises that no longer exist
    year = year or latest_complete_year(today)
    plan = [(select(p, on), on) for on in evaluation_dates(today) for p in TIERS] + [(select(p, today), today)
                                                                                    for p in OTHERS]
    df = load_enterprise_years(year, keys=set().union(*(input_keys(rs, on) for rs, on in plan)))
    out: dict[str, int] = {}
    if df.height == 0:
        return out
    for rs, on in plan:
        run = run_on_frame(rs, df, on, year, [])
        out[f"{rs.id}@{on.isoformat()}"] = run.summary_info().n
    return out


def latest_complete_year(today: dt.date) -> int:
    """The newest year with enterprise data that ended before `today` (2024 for the demo data)."""
    latest = [t.objects.filter(year__lt=today.year).order_by("-year").values_list("year", flat=True).first()
              for t in YEAR_TABLES]
    return max((y for y in latest if y is not None), default=today.year - 1)
