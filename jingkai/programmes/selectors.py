"""Reading stored programme runs, always through the user's scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Value

from jingkai.accounts.scope import Scope
from jingkai.engines.rules import RuleSet, programs, registry, select
from jingkai.enterprises.models import Enterprise, EnterpriseTag
from jingkai.programmes.models import ProgrammeResult, ProgrammeRun
from jingkai.programmes.services import STRUCTURAL


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    programs: list[str]
    lead: str  # 牵头部门
    note: str = ""
    filters: list[str] = field(default_factory=list)


PAGES = {
    "sme": Page("sme", "优质中小企业梯度培育", ["sme-innovative", "sme-specialized", "little-giant"], "省工业和信息化厅",
                "创新型中小企业 → 专精特新中小企业 → 专精特新“小巨人”企业：认定条件、评分与差距，各园区推荐候选。"),
    "mujun": Page("mujun", "亩均效益综合评价", ["mujun-gansu"], "省工业和信息化厅、省自然资源厅、省发展改革委",
                  "按亩均效益将工业企业分为A/B/C/D类（T类不参评），作为用地、用能、用水与信贷差别化政策的依据。"),
    "innovation": Page("innovation", "企业创新积分", ["innovation-points"], "省科技厅",
                       "按技术创新、成长经营与辅助指标计算企业创新积分，供银行授信参考。"),
}
# Tier programme → the tag an enterprise holds once recognised (its candidates do not hold it yet).
TIERS = {"sme-innovative": ("创新型中小企业", EnterpriseTag.Tag.INNOVATIVE_SME),
         "sme-specialized": ("专精特新中小企业", EnterpriseTag.Tag.SPECIALIZED_SME),
         "little-giant": ("专精特新“小巨人”企业", EnterpriseTag.Tag.LITTLE_GIANT)}
PROGRAM_ORDER = [p for page in PAGES.values() for p in page.programs]


def structural_failure() -> Q:
    """A stored result that fails a structural requirement (criteria JSON holds `ok:CODE`)."""
    q = Q()
    for code in STRUCTURAL:
        q |= Q(**{f"criteria__ok:{code}": False})
    return q
VERSIONED = "sme-specialized"  # the SME tier versions (2022, 2026) are the versions of this programme's files


def sme_versions() -> dict[str, RuleSet]:
    """Version label → the 专精特新 rule file whose dates bound that version's regime."""
    return {rs.version: rs for rs in sorted(programs()[VERSIONED], key=lambda r: r.effective_from or dt.date.min)}


def version_in_force(on: dt.date) -> str:
    live = [v for v, rs in sme_versions().items() if rs.in_force(on)]
    return live[-1] if live else list(sme_versions())[-1]


def latest_run(program: str, version: str | None = None) -> ProgrammeRun | None:
    """The newest run of a programme over every zone; with `version`, of the rule file that applies under that
    SME version (创新型 keeps its 2022 file under both)."""
    runs = ProgrammeRun.objects.filter(program=program, zones=[])
    if version:
        start = sme_versions()[version].effective_from or dt.date.min
        runs = runs.filter(ruleset=select(program, start).id)
    return runs.order_by("-year", "-evaluation_date", "-created_at", "-id").first()


def ruleset_of(run: ProgrammeRun) -> RuleSet | None:
    return registry().get(run.ruleset)


# What a list of results reads (the pages' rows, the exports' values): no criteria JSON, no run row per result
# (the run is the one asked for: `pages.result_rows` sets it on each row), the enterprise's and zone's names.
LIST_FIELDS = ("run_id", "enterprise_id", "zone_id", "eligible", "score", "klass", "stage", "gap_count", "gap",
               "enterprise__name", "enterprise__uscc", "enterprise__industry_code", "zone__name", "zone__code")


def results(scope: Scope, run: ProgrammeRun, *, zone_code: str | None = None, q: str | None = None,
            klass: str | None = None, stage: str | None = None, status: str | None = None) -> QuerySet:
    """A run's results the user may see. status: eligible | not | undecided | candidates (not eligible yet, not
    holding the tier's tag on the evaluation date, an SME; closest first)."""
    rows = scope.filter(ProgrammeResult.objects.filter(run=run).select_related("enterprise", "zone").only(
        *LIST_FIELDS))
    if zone_code:
        rows = rows.filter(zone__code=zone_code)
    if q:
        rows = rows.filter(Q(enterprise__name__contains=q) | Q(enterprise__uscc__startswith=q.upper()))
    if klass:
        rows = rows.filter(klass=klass)
    if stage:
        rows = rows.filter(stage=stage)
    if status == "eligible":
        rows = rows.filter(eligible=True)
    elif status == "not":
        rows = rows.filter(eligible=False)
    elif status == "undecided":
        rows = rows.filter(eligible__isnull=True)
    elif status == "candidates":
        rows = rows.exclude(eligible=True)
        if run.program in TIERS:
            rows = rows.exclude(Exists(holding(run.program, run.evaluation_date))).exclude(structural_failure())
        return rows.order_by("gap_count", F("score").desc(nulls_last=True), "enterprise__name")
    if run.program in TIERS and status != "candidates":
        return rows.order_by(F("eligible").desc(nulls_last=True), "gap_count", F("score").desc(nulls_last=True),
                             "enterprise__name")
    return rows.order_by(F("score").desc(nulls_last=True), "enterprise__name")


NEAR_MISS_GAPS = 1  # 培育库: candidates this many requirements short at most (the pages' “最接近” count)


def recommendation(scope: Scope, run: ProgrammeRun, *, zone_code: str | None = None,
                   q: str | None = None) -> tuple[QuerySet, QuerySet]:
    """A tier's 推荐名单 and 培育库: the qualifiers (highest score first), and the near-misses (not qualifying,
    not yet recognised, not failing a structural requirement, at most NEAR_MISS_GAPS requirements short;
    closest first). Complete: no row limit."""
    qualifiers = results(scope, run, zone_code=zone_code, q=q, status="eligible").order_by(
        F("score").desc(nulls_last=True), "enterprise__name")
    near = results(scope, run, zone_code=zone_code, q=q, status="candidates").filter(gap_count__lte=NEAR_MISS_GAPS)
    return qualifiers, near


def holding(program: str, on: dt.date) -> QuerySet:
    """Tags of the tier valid on `on`, for the enterprise of the outer result row."""
    tag = TIERS[program][1]
    return EnterpriseTag.objects.filter(
        enterprise=OuterRef("enterprise"), tag=tag).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=on), Q(valid_to__isnull=True) | Q(valid_to__gte=on))


def zone_counts(scope: Scope, run: ProgrammeRun) -> dict[str, dict]:
    """Per visible zone: enterprises, eligible, undecided, candidates one requirement away (not yet
    recognised, not failing a structural requirement); class counts."""
    rows = scope.filter(ProgrammeResult.objects.filter(run=run))
    tier = run.program in TIERS
    out_of_reach = Q(Exists(holding(run.program, run.evaluation_date))) | structural_failure() if tier else Q(Value(False))
    out: dict[str, dict] = {}
    agg = rows.values("zone__code").annotate(
        n_all=Count("id"), n_eligible=Count("id", filter=Q(eligible=True)),
        n_undecided=Count("id", filter=Q(eligible__isnull=True)),
        n_near=Count("id", filter=~Q(eligible=True) & Q(gap_count__lte=1) & ~out_of_reach))
    for r in agg:
        out[r["zone__code"]] = {"n": r["n_all"], "eligible": r["n_eligible"], "undecided": r["n_undecided"],
                                "near": r["n_near"], "classes": {}}
    for r in rows.exclude(klass=None).values("zone__code", "klass").annotate(n=Count("id")):
        out[r["zone__code"]]["classes"][r["klass"]] = r["n"]
    return out


def enterprise_results(scope: Scope, uscc: str) -> list[ProgrammeResult]:
    """The newest stored result of every programme for one enterprise (its latest data year, the version in
    force at the latest evaluation date)."""
    enterprise = Enterprise.objects.filter(uscc=uscc)
    rows = scope.filter(ProgrammeResult.objects.filter(enterprise__in=enterprise), "zone")
    rows = rows.select_related("run", "enterprise", "zone").order_by(
        "run__program", "-run__year", "-run__evaluation_date", "-run__created_at", "-run_id")
    newest: dict[str, ProgrammeResult] = {}
    for r in rows:
        newest.setdefault(r.run.program, r)
    order = {p: i for i, p in enumerate(PROGRAM_ORDER)}
    return sorted(newest.values(), key=lambda r: order.get(r.run.program, len(order)))
