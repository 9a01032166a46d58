"""Demo evaluation runs: mofcom-2021 for every year of the demo's annual values (the trend), a Monte Carlo
run (N = 500) for the latest complete year, and the provincial zones on the national scale for that year."""

from datetime import date

from jingkai.accounts.models import User
from jingkai.engines.evaluation import load
from jingkai.evaluation.models import EvaluationRun
from jingkai.evaluation.services import data_years, run_evaluation

SENSITIVITY = 500


def build(seed: int, today: date) -> list[EvaluationRun]:
    """`today` bounds the years: only years before the current one are complete. Earlier runs are removed
    first: the demo build replaces every zone, so they describe zones that no longer exist."""
    EvaluationRun.objects.all().delete()
    user = User.objects.filter(username="demo-admin").first()
    meth = load("mofcom-2021")
    years = [y for y in data_years(meth) if y < today.year]
    if not years:
        return []
    runs = [run_evaluation(meth.id, y, user=user).run for y in years]
    runs.append(run_evaluation(meth.id, years[-1], user=user, sensitivity=SENSITIVITY, seed=seed).run)
    upgrade = load("gansu-provincial-upgrade")
    if years[-1] in data_years(upgrade):
        runs.append(run_evaluation(upgrade.id, years[-1], user=user).run)
    return runs
