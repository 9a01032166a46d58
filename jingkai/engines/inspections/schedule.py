"""综合查一次 schedule: the period's joint visits onto its working days, as a small integer model (HiGHS).

Enterprises drawn by the same departments (and with the same 回避 inspectors) are interchangeable, so the model
counts: n[s, t] visits of type s on day t and, with a roster, w[s, d, p, t] of them joined by inspector p of
department d. Hard constraints:
- at most one visit per enterprise in the window: Σ_t n[s, t] ≤ |s|, and a visit carries all its departments' items;
- each department's capacity per working day: Σ_{s∋d} n[s, t] ≤ capacity;
- k inspectors of each of the visit's departments (Σ_p w = k·n), distinct (w ≤ n), from that department, with a
  执法证 valid on the day and no 回避 with the type's enterprises (no other w exists), each within their own daily
  capacity (Σ_s w[s, d, p, t] ≤ c);
- caps: the pools hold only enterprises under their annual caps and one visit books each department once.
Objective: the most drawn (enterprise, department) pairs booked — a joint visit books several, so joint visits come
first and none is split — then the smallest sum over departments of their busiest day (balanced load).

Counts become visits without choices left to chance: a type's members (by uscc) fill its days in date order, and
each (type, department, day)'s inspector list (its order drawn from the published seed) is dealt so that visit j
gets entries j, j+n, …, distinct since nobody appears more than n times. Large plans are solved in blocks of
types, largest visits first, each block on the capacity the earlier ones left. HiGHS runs on one thread with a
fixed random seed and a node limit; a block that stops on the node or the time limit, or highspy missing, sends
the whole plan to the greedy (balanced first-fit, then random staffing), and the result says which ran and why.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

highspy: Any
try:
    import highspy
except ImportError:  # the greedy still plans
    highspy = None

MODEL, GREEDY = "highs-mip/1", "greedy-first-fit/1"
SOLVER = f"highspy {highspy.Highs().version()}" if highspy else ""
BLOCK_COLUMNS = 3_000  # variables per block: HiGHS proves such a block optimal well under a second
CANDIDATE_DAYS = 8  # in a plan larger than one block, a type's days beyond one per member
MAX_NODES = 5_000
TIERS = (0, 3)  # balanced load: Σ_tiers max(0, load − even share − tier), a convex penalty
GAP = 0.5  # the objective is integral: 0.5 proves the optimum  # per block: a deterministic limit (the time limit is the safety net)
FULL = "本期工作日内各部门检查力量已排满，顺延至下期"


@dataclass(frozen=True)
class Person:
    id: str
    until: dt.date | None  # 执法证 valid to; None: no valid 执法证
    conflicts: frozenset[str]  # usccs to 回避


@dataclass(frozen=True)
class Limits:
    capacity: int  # visits per department per day
    inspector_capacity: int  # visits per inspector per day (0: not limited)
    per_visit: int  # inspectors of each department per visit


@dataclass
class Schedule:
    visits: list[dict[str, Any]]
    unscheduled: list[tuple[str, str]]
    unstaffed: list[dict[str, str]]
    info: dict[str, Any] = field(default_factory=dict)


Joint = dict[str, tuple[set[str], set[str]]]
Roster = dict[str, list[Person]] | None


def schedule(joint: Joint, days: list[dt.date], limits: Limits, roster: Roster, seed: int, *,
             scheduler: str = "model", time_limit: float = 20.0) -> Schedule:
    """The model's plan, or the greedy's when asked for, when highspy is missing or a block hits a limit."""
    reason = ""
    if scheduler == "greedy":
        reason = "按要求使用贪心排程"
    elif highspy is None:
        reason = "未安装 highspy，改用贪心排程"
    else:
        done = _model(joint, days, limits, roster, seed, time_limit)
        if isinstance(done, Schedule):
            return done
        reason = done
    out = greedy(joint, days, limits, roster, seed)
    out.info = {"scheduler": GREEDY, "solver": SOLVER, "fallback": reason}
    return out


# ---- the greedy (the fallback) -----------------------------------------------------------------------------------

def greedy(joint: Joint, days: list[dt.date], limits: Limits, roster: Roster, seed: int) -> Schedule:
    """Largest joint visits first, each on the day where the busiest of its departments is least loaded (earliest
    such day), then inspectors drawn per visit among those eligible and not yet at their daily capacity."""
    depts = sorted({d for ds, _ in joint.values() for d in ds})
    index = {d: i for i, d in enumerate(depts)}
    load = np.zeros((len(depts), max(len(days), 1)), dtype=np.int64)
    placed: list[dict[str, Any]] = []
    unscheduled: list[tuple[str, str]] = []
    for u in sorted(joint, key=lambda u: (-len(joint[u][0]), u)):
        ds, codes = joint[u]
        rows = [index[d] for d in sorted(ds)]
        busiest = load[rows].max(axis=0)
        t = int(np.argmin(busiest))
        if not days or busiest[t] >= limits.capacity:
            unscheduled.append((u, FULL))
            continue
        load[rows, t] += 1
        placed.append({"uscc": u, "departments": sorted(ds), "items": sorted(codes), "date": days[t].isoformat()})
    placed.sort(key=lambda v: (v["date"], v["uscc"]))
    unstaffed = _staff(placed, roster, limits, seed) if roster is not None else []
    return Schedule(placed, sorted(unscheduled), unstaffed)


def _staff(visits: list[dict[str, Any]], roster: dict[str, list[Person]], limits: Limits, seed: int
           ) -> list[dict[str, str]]:
    from .plan import draw_stratum  # the same reproducible draw as the objects'

    used: dict[tuple[str, dt.date], int] = defaultdict(int)
    cap = limits.inspector_capacity or limits.capacity
    unstaffed: list[dict[str, str]] = []
    for v in visits:
        day = dt.date.fromisoformat(v["date"])
        team: dict[str, list[str]] = {}
        for dept in v["departments"]:
            eligible = [p.id for p in roster.get(dept, []) if _may(p, v["uscc"], day) and used[p.id, day] < cap]
            if len(eligible) < limits.per_visit:
                unstaffed.append({"uscc": v["uscc"], "department": dept,
                                  "reason": f"持有效执法证、无需回避且当日未排满的人员不足 {limits.per_visit} 名"})
                continue
            picked = draw_stratum(seed, ("inspectors", v["uscc"], dept), len(eligible), limits.per_visit)
            team[dept] = [eligible[i] for i in picked]
            for p in team[dept]:
                used[p, day] += 1
        v["inspectors"] = team
    return unstaffed


def _may(p: Person, uscc: str, day: dt.date) -> bool:
    return p.until is not None and p.until >= day and uscc not in p.conflicts


# ---- the model --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Type:
    depts: tuple[str, ...]
    avoid: tuple[frozenset[str], ...]  # per department: the inspectors who must 回避 these enterprises
    members: tuple[str, ...]


def _types(joint: Joint, roster: Roster) -> list[_Type]:
    avoid: dict[tuple[str, str], set[str]] = defaultdict(set)
    for dept, people in (roster or {}).items():
        for p in people:
            for u in p.conflicts:
                avoid[u, dept].add(p.id)
    groups: dict[tuple[tuple[str, ...], tuple[frozenset[str], ...]], list[str]] = defaultdict(list)
    for u in sorted(joint):
        ds = tuple(sorted(joint[u][0]))
        groups[ds, tuple(frozenset(avoid.get((u, d), ())) for d in ds)].append(u)
    out = [_Type(ds, av, tuple(us)) for (ds, av), us in groups.items()]
    return sorted(out, key=lambda s: (-len(s.depts), s.members[0]))


class _Rows:
    """Constraint rows collected for HiGHS (row-wise sparse)."""

    def __init__(self) -> None:
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.starts: list[int] = []
        self.index: list[int] = []
        self.value: list[float] = []

    def add(self, cols: list[int], vals: list[float], lower: float, upper: float) -> None:
        self.starts.append(len(self.index))
        self.index += cols
        self.value += vals
        self.lower.append(lower)
        self.upper.append(upper)


def _model(joint: Joint, days: list[dt.date], limits: Limits, roster: Roster, seed: int,
           time_limit: float) -> Schedule | str:
    """The model's schedule, or why the greedy must take over."""
    started = time.perf_counter()
    types = _types(joint, roster)
    depts = sorted({d for s in types for d in s.depts})
    load = {(d, t): 0 for d in depts for t in range(len(days))}
    people = {d: [p for p in (roster or {}).get(d, []) if p.until is not None] for d in depts}
    pcap = limits.inspector_capacity or limits.capacity
    used: dict[tuple[str, int], int] = defaultdict(int)
    counts: dict[tuple[int, int], int] = {}  # (type, day) → visits
    joins: dict[tuple[int, str, int], dict[str, int]] = {}  # (type, dept, day) → inspector → visits joined
    share = {d: sum(len(s.members) for s in types if d in s.depts) // max(len(days), 1) for d in depts}
    staff = {d: len(people[d]) if roster is not None else 0 for d in depts}
    width = [1 + sum(staff[d] for d in s.depts) for s in types]
    # a plan that fits one block gives every type every day (exact); a larger one gives each type its least
    # loaded days, as many as it has members plus a margin, and goes block by block
    exact = sum(width) * len(days) <= BLOCK_COLUMNS
    spread = [len(days) if exact else min(len(days), CANDIDATE_DAYS + len(s.members)) for s in types]
    blocks, start = 0, 0
    while start < len(types):
        end, columns = start, 0
        while end < len(types) and (end == start or columns + width[end] * spread[end] <= BLOCK_COLUMNS):
            columns += width[end] * spread[end]
            end += 1
        block = list(range(start, end))
        remaining = time_limit - (time.perf_counter() - started)
        status = _solve(types, block, days, spread, share, limits, people if roster is not None else None, pcap,
                        load, used, counts, joins, seed, remaining)
        if status:
            return f"整数规划第 {blocks + 1} 块{status}，改用贪心排程"
        blocks += 1
        start = block[-1] + 1
    return _visits(joint, types, days, limits, roster, seed, counts, joins, blocks, exact)


def _solve(types: list[_Type], block: list[int], days: list[dt.date], spread: list[int], share: dict[str, int],
           limits: Limits,
           people: dict[str, list[Person]] | None, pcap: int, load: dict[tuple[str, int], int],
           used: dict[tuple[str, int], int], counts: dict[tuple[int, int], int],
           joins: dict[tuple[int, str, int], dict[str, int]], seed: int, remaining: float) -> str:
    """One block's model; its solution is added to `counts`, `joins`, `load`, `used`. "" when solved, else why not."""
    if remaining <= 0:
        return "超出求解时限"
    assert highspy is not None
    cost: list[float] = []
    upper: list[float] = []
    n_col: dict[tuple[int, int], int] = {}
    w_col: dict[tuple[int, str, int], dict[str, int]] = {}
    block_depts = sorted({d for i in block for d in types[i].depts})
    big = len(TIERS) + 1  # a booked draw adds at most 1 to each tier of its department's overload: booking wins
    k = limits.per_visit
    provisional = {d: np.array([load[d, t] for t in range(len(days))], dtype=float) for d in block_depts}
    for i in block:
        s = types[i]
        chosen = list(range(len(days)))
        if spread[i] < len(days):  # the least loaded days, counting what this block's earlier types will add
            busiest = np.max([provisional[d] for d in s.depts], axis=0)
            chosen = sorted(np.argsort(busiest, kind="stable")[:spread[i]].tolist())
            for d in s.depts:
                provisional[d][chosen] += len(s.members) / spread[i]
        for t in chosen:
            day = days[t]
            room = min(limits.capacity - load[d, t] for d in s.depts)
            if room <= 0:
                continue
            staff: dict[str, list[Person]] = {}
            if people is not None:
                staff = {d: [p for p in people[d] if p.until is not None and p.until >= day and p.id not in av
                             and used[p.id, t] < pcap] for d, av in zip(s.depts, s.avoid, strict=True)}
                if any(len(ps) < k for ps in staff.values()):
                    continue
            n_col[i, t] = len(cost)
            cost.append(big * len(s.depts))
            upper.append(min(room, len(s.members)))
            for d, ps in staff.items():
                w_col[i, d, t] = {}
                for person in ps:
                    w_col[i, d, t][person.id] = len(cost)
                    cost.append(0.0)
                    upper.append(min(pcap - used[person.id, t], len(s.members)))
    if not n_col:
        return ""
    rows = _Rows()
    by_type: dict[int, list[int]] = defaultdict(list)
    by_dept_day: dict[tuple[str, int], list[int]] = defaultdict(list)
    for (i, t), c in n_col.items():
        by_type[i].append(c)
        for d in types[i].depts:
            by_dept_day[d, t].append(c)
    for i, cols in by_type.items():
        rows.add(cols, [1.0] * len(cols), 0, len(types[i].members))  # one visit per enterprise in the window
    integral = [True] * len(cost)
    for (d, t), cols in by_dept_day.items():
        rows.add(cols, [1.0] * len(cols), 0, limits.capacity - load[d, t])  # department capacity
        for above in TIERS:  # the day's load above the department's even share, penalised more the further above
            over = len(cost)
            cost.append(-1.0)
            upper.append(float(limits.capacity))
            integral.append(False)
            rows.add([*cols, over], [1.0] * len(cols) + [-1.0], -np.inf, share[d] + above - load[d, t])
    by_person_day: dict[tuple[str, int], list[int]] = defaultdict(list)
    for (i, _, t), members in w_col.items():
        n = n_col[i, t]
        rows.add([*members.values(), n], [1.0] * len(members) + [-float(k)], 0, 0)  # k inspectors per visit
        for pid, c in members.items():
            rows.add([c, n], [1.0, -1.0], -np.inf, 0)  # distinct inspectors in a visit
            by_person_day[pid, t].append(c)
    for (pid, t), cols in by_person_day.items():
        rows.add(cols, [1.0] * len(cols), 0, pcap - used[pid, t])  # the inspector's daily capacity
    h = highspy.Highs()
    for name, value in (("output_flag", False), ("threads", 1), ("random_seed", seed % 2_147_483_647),
                        ("time_limit", float(remaining)), ("mip_max_nodes", MAX_NODES), ("mip_rel_gap", 0.0),
                        ("mip_abs_gap", GAP)):
        h.setOptionValue(name, value)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(cost), len(rows.lower)
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = (np.asarray(cost), np.zeros(len(cost)),
                                                  np.asarray(upper, dtype=float))
    lp.row_lower_, lp.row_upper_ = np.asarray(rows.lower, dtype=float), np.asarray(rows.upper, dtype=float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = len(cost), len(rows.lower)
    lp.a_matrix_.start_ = np.asarray([*rows.starts, len(rows.index)], dtype=np.int32)
    lp.a_matrix_.index_ = np.asarray(rows.index, dtype=np.int32)
    lp.a_matrix_.value_ = np.asarray(rows.value, dtype=float)
    lp.integrality_ = [highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous for i in integral]
    lp.sense_ = highspy.ObjSense.kMaximize
    h.passModel(lp)
    h.run()
    status = h.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        return {highspy.HighsModelStatus.kTimeLimit: "超出求解时限",
                highspy.HighsModelStatus.kSolutionLimit: "达到搜索节点上限"}.get(status, f"未求得最优解（{h.modelStatusToString(status)}）")
    value = np.rint(np.asarray(h.getSolution().col_value)).astype(np.int64)
    for (i, t), c in n_col.items():
        if value[c]:
            counts[i, t] = int(value[c])
            for d in types[i].depts:
                load[d, t] += int(value[c])
            for d in types[i].depts:
                if (i, d, t) in w_col:
                    joins[i, d, t] = {p: int(value[cp]) for p, cp in w_col[i, d, t].items() if value[cp]}
                    for pid, times in joins[i, d, t].items():
                        used[pid, t] += times
    return ""


def _visits(joint: Joint, types: list[_Type], days: list[dt.date], limits: Limits, roster: Roster, seed: int,
            counts: dict[tuple[int, int], int], joins: dict[tuple[int, str, int], dict[str, int]],
            blocks: int, exact: bool) -> Schedule:
    """Counts into visits: members by uscc into days in date order, inspectors dealt j, j+n, …"""
    from .plan import _stream

    visits: list[dict[str, Any]] = []
    unscheduled: list[tuple[str, str]] = []
    for i, s in enumerate(types):
        members = iter(s.members)
        for t in range(len(days)):
            n = counts.get((i, t), 0)
            if not n:
                continue
            batch = [next(members) for _ in range(n)]
            teams: list[dict[str, list[str]]] = [{} for _ in batch]
            for d in s.depts if roster is not None else ():
                taken = joins[i, d, t]
                order = sorted(taken)
                order = [order[j] for j in _stream(seed, "inspectors", s.members[0], d, days[t].isoformat())
                         .permutation(len(order))]
                deck = [p for p in order for _ in range(taken[p])]
                for j, team in enumerate(teams):
                    team[d] = sorted(deck[j + r * n] for r in range(limits.per_visit))
            for u, team in zip(batch, teams, strict=True):
                visit: dict[str, Any] = {"uscc": u, "departments": list(s.depts), "items": sorted(joint[u][1]),
                                         "date": days[t].isoformat()}
                if roster is not None:
                    visit["inspectors"] = team
                visits.append(visit)
        rest = list(members)
        if rest:
            why = FULL
            if roster is not None and not any(counts.get((i, t)) for t in range(len(days))):
                why = f"{FULL}（持有效执法证、无需回避的执法人员不足或已排满）"
            unscheduled += [(u, why) for u in rest]
    visits.sort(key=lambda v: (v["date"], v["uscc"]))
    return Schedule(visits, sorted(unscheduled), [],
                    {"scheduler": MODEL, "solver": SOLVER, "blocks": blocks, "exact": exact, "fallback": ""})
