"""Issue 16's speed lines for exports and lists, each against a baseline doing the same work in the same run:

1. the enterprise-years .xlsx export (every row of the demo, 80,000) against the CSV export of the same rows
   (both: the same fetch, then the writer); target within 2×;
2. the last page of the largest programme result list (keyset) against its first page, and OFFSET paging of the
   same query as it was; target last within 2× first;
3. a province-wide programme list (亩均 评价结果名单) as the site makes it against the same sheet written from plain
   column values fetched by one values_list; target within ~1.2×.

    jingkai demo --no-serve            # builds the demo database first (README)
    .venv/bin/python benchmarks/bench_lists_exports.py

Each figure is the best of three; the database is the one the settings name (JINGKAI_DATABASE_URL).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jingkai.settings")
# the site's list in the request, as the job worker writes it (over 5,000 rows the page hands it to a job)
os.environ["JINGKAI_LIST_INLINE_ROWS"] = "10000000"

import django

django.setup()

from django.core.paginator import Paginator  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from jingkai.accounts.models import User  # noqa: E402
from jingkai.enterprises.industry import industry_name  # noqa: E402
from jingkai.intake import services  # noqa: E402
from jingkai.paging import page_of  # noqa: E402
from jingkai.programmes.exports import COLUMNS, NOT_SCORED, Lists, scored, subtitle, title_of  # noqa: E402
from jingkai.programmes.models import ProgrammeResult, ProgrammeRun  # noqa: E402
from jingkai.programmes.presentation import conclusion_of, is_tier  # noqa: E402
from jingkai.programmes.selectors import PAGES, results, ruleset_of  # noqa: E402


def best(work, n: int = 3) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def exports(user: User, out: Path) -> None:
    prepared = services.prepare_export("enterprise-years", user.scope)
    fetch = best(lambda: services.prepare_export("enterprise-years", user.scope))
    csv = best(lambda: services.export("enterprise-years", out / "a.csv", user.scope))
    xlsx = best(lambda: services.export("enterprise-years", out / "a.xlsx", user.scope))
    print(f"1. 企业年度数据导出 {prepared.rows:,} 行 × {prepared.frame.width} 列：读取 {fetch:.2f} s；"
          f"CSV {csv:.2f} s（{(out / 'a.csv').stat().st_size / 1e6:.1f} MB）；"
          f"xlsx {xlsx:.2f} s（{(out / 'a.xlsx').stat().st_size / 1e6:.1f} MB）；xlsx / CSV = {xlsx / csv:.2f}（目标 ≤ 2）")


def paging(user: User) -> ProgrammeRun:
    biggest = ProgrammeResult.objects.values("run").annotate(n=Count("id")).order_by("-n").first()
    run = ProgrammeRun.objects.get(pk=biggest["run"])
    rows = results(user.scope, run)
    count = rows.count()
    last = (count - 1) // 50 + 1

    def keyset(page: int) -> None:
        list(page_of(rows, {"page": str(page), "size": "50"}).object_list)

    def offset(page: int) -> None:  # django's Paginator over the same query, the wide rows as before
        old = rows.select_related("run").defer(None)
        list(Paginator(old, 50).get_page(page).object_list)
    first_k, last_k = best(lambda: keyset(1)), best(lambda: keyset(last))
    first_o, last_o = best(lambda: offset(1)), best(lambda: offset(last))
    print(f"2. {run.program} 评价结果列表（{connection.vendor}，{count:,} 行，每页 50）：keyset 首页 {first_k * 1000:.0f} ms，"
          f"末页（第 {last} 页）{last_k * 1000:.0f} ms，末页 / 首页 = {last_k / first_k:.2f}（目标 ≤ 2）；"
          f"基线 OFFSET 含逐项结果与批次行：首页 {first_o * 1000:.0f} ms，末页 {last_o * 1000:.0f} ms")
    return run


def recommendation(user: User) -> None:
    client = Client()
    client.force_login(user)
    page = PAGES["mujun"]
    run = ProgrammeRun.objects.filter(program=page.programs[0], zones=[]).order_by("-year", "-created_at").first()
    if run is None:
        print("3. 未运行：演示数据库没有亩均评价批次")
        return
    rs = ruleset_of(run)
    response = client.get("/programmes/mujun/export.xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml"), response
    site = best(lambda: client.get("/programmes/mujun/export.xlsx"))

    def plain() -> None:  # the same sheet from the same columns, fetched by one values_list
        tier, has_score = is_tier(run.program, rs), scored(rs)
        rows = results(user.scope, run).values_list("enterprise__name", "enterprise__uscc", "zone__name",
                                                      "enterprise__industry_code", "score", "eligible", "klass", "stage")
        industries = {c: f"{c} {industry_name(c) or ''}".strip() for c in set(rows.values_list(
            "enterprise__industry_code", flat=True))}
        lines = [[i, n, u, z, industries[c], s if s is not None else "无数据" if has_score else NOT_SCORED,
                  conclusion_of(tier, rs, e, k, s, st)] for i, (n, u, z, c, s, e, k, st) in enumerate(rows, start=1)]
        name = title_of(run, rs, page, None, "评价结果名单")
        book = Lists(run, name, user)
        book.book.table("评价结果名单", COLUMNS[:7], lines, title=name, subtitle=subtitle(run, rs), sample=[],
                        landscape=True)
        book.book.close()
    base = best(plain)
    print(f"3. 亩均评价结果名单（{run.results.count():,} 行）：网站导出 {site:.2f} s；基线（同列 values_list 直接写表）"
          f"{base:.2f} s；比值 {site / base:.2f}（目标 ≤ 1.2）")


def main() -> None:
    if "accounts_user" not in connection.introspection.table_names() or \
            not User.objects.filter(username="demo-admin").exists():
        print("未运行：没有演示数据库，请先执行 jingkai demo --no-serve")
        return
    setup_test_environment()
    user = User.objects.get(username="demo-admin")
    out = Path(tempfile.mkdtemp(prefix="jingkai-bench-lists-"))
    try:
        exports(user, out)
        paging(user)
        recommendation(user)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    load = os.getloadavg()[0]
    print(f"负载 {load:.1f}（{os.cpu_count()} 个 CPU；其他进程会拖慢墙钟时间）")


if __name__ == "__main__":
    main()
