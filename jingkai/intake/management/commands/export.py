from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jingkai.accounts.scope import PROVINCE
from jingkai.intake.kinds import all_kinds
from jingkai.intake.management.commands._common import user_by_name
from jingkai.intake.services import export


class Command(BaseCommand):
    help = "导出数据到 .csv（字段代码作表头）或 .xlsx（与导入模板相同版式）；不带 --user 为全省范围"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(all_kinds()))
        parser.add_argument("--out", required=True)
        parser.add_argument("--zone", help="只导出该园区")
        parser.add_argument("--period", help="期间；企业年度数据为年份，如 2024")
        parser.add_argument("--user", help="按该用户的权限范围导出")

    def handle(self, kind, out, zone=None, period=None, user=None, **options):
        account = user_by_name(user)
        scope = account.scope if account else PROVINCE
        try:
            count = export(kind, Path(out), scope, zone_code=zone, period=period)
        except (ValueError, PermissionError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已导出{all_kinds()[kind].title} {count} 行：{out}")
