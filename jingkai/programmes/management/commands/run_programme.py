"""`jingkai run_programme --program ID --year Y [--date D] [--zone CODE ...]`: evaluate and store a run."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from jingkai.jobs.progress import add_quiet, bar
from jingkai.programmes.services import ProgrammeError, run_programme


class Command(BaseCommand):
    help = "按规则集评价数据库中的企业并保存结果（相同规则与数据时沿用已有结果），供评价页面与导出使用"

    def add_arguments(self, parser):
        parser.add_argument("--program", required=True, help="评价项目或规则集 id，如 sme-specialized、mujun-gansu")
        parser.add_argument("--year", type=int, required=True, help="数据年度（上年度）")
        parser.add_argument("--date", type=dt.date.fromisoformat, help="评价日期 YYYY-MM-DD（默认今天），决定适用的规则版本")
        parser.add_argument("--zone", action="append", help="仅评价该园区（可重复）；不给则全部园区")
        add_quiet(parser)

    def handle(self, *args, **opts):
        try:
            with bar(1, f"评价 {opts['program']}", opts["quiet"]) as shown:
                shown.progress(0, step="读取企业数据、评价并保存")
                run = run_programme(opts["program"], opts["year"], opts["date"], zone_codes=opts["zone"])
                shown.progress(1)
        except ProgrammeError as exc:
            raise CommandError(str(exc)) from exc
        s = run.summary_info()
        eligible = f"，符合 {s.eligible} 家" if s.is_tier else ""
        self.stdout.write(f"评价批次 {run.pk}：{s.title}（{s.version}），{run.year}年数据，"
                          f"评价日 {run.evaluation_date}，企业 {s.n} 家{eligible}。")
