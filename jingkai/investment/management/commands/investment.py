"""`jingkai investment check-stale [--date YYYY-MM-DD]`: raise a 督办 for every signed project without a stage
update for 90 days (idempotent: run it daily)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from jingkai.investment.services import STALE_DAYS, check_stale


class Command(BaseCommand):
    help = "招商项目：签约项目超过 90 天未更新阶段的，自动生成督办任务"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="check-stale")
        check = actions.add_parser("check-stale", help="检查停滞的签约项目并生成督办")
        check.add_argument("--date", help="按此日期检查（默认今天），格式 YYYY-MM-DD")

    def handle(self, *args, action, date: str | None = None, **options):
        try:
            today = _parse(date) if date else None
        except ValueError as error:
            raise CommandError(f"日期格式有误：{date}，应为 YYYY-MM-DD") from error
        alerts = check_stale(today)
        self.stdout.write(f"新增督办 {len(alerts)} 项（签约后停留同一阶段 {STALE_DAYS} 天及以上的项目）")


def _parse(text: str) -> date:
    return date.fromisoformat(text)
