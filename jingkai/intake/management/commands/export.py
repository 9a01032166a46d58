from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jingkai.accounts.scope import PROVINCE
from jingkai.intake.kinds import all_kinds
from jingkai.intake.management.commands._common import user_by_name
from jingkai.intake.services import HEADINGS, prepare_export, write_prepared
from jingkai.jobs.progress import add_quiet, bar


class Command(BaseCommand):
    help = ("导出数据到 .csv 或 .xlsx，均可直接再导入。.xlsx：标题、中文列名和单位、名称，与导入模板相同版式；"
            ".csv：默认与 Excel 相同的中文列名（含单位）和名称，UTF-8（带 BOM，Excel 可直接打开），"
            "--headings keys 改为字段代码作表头、代码作值，供其他系统读取；不带 --user 为全省范围")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(all_kinds()))
        parser.add_argument("--out", required=True)
        parser.add_argument("--zone", help="只导出该园区")
        parser.add_argument("--period", help="期间；企业年度数据为年份，如 2024")
        parser.add_argument("--user", help="按该用户的权限范围导出")
        parser.add_argument("--headings", choices=list(HEADINGS), default="labels",
                            help="CSV 的表头：labels 为中文列名和单位（默认，与 Excel 相同）；"
                                 "keys 为字段代码（uscc、revenue…），值为代码、true/false，供其他系统读取")
        parser.add_argument("--date", type=date.fromisoformat,
                            help="数据截至日期 YYYY-MM-DD（写入标题和文件属性，默认今天；同样的数据和日期得到相同的文件）")
        add_quiet(parser)

    def handle(self, kind, out, zone=None, period=None, user=None, date=None, headings="labels", quiet=False, **options):
        account = user_by_name(user)
        scope = account.scope if account else PROVINCE
        try:
            with bar(2, f"导出{all_kinds()[kind].title}", quiet) as shown:
                shown.progress(0, step="读取数据")
                prepared = prepare_export(kind, scope, zone_code=zone, period=period)
                shown.progress(1, step=f"写入 {prepared.rows} 行")
                count = write_prepared(prepared, Path(out), as_of=date, headings=headings)
                shown.progress(2)
        except (ValueError, PermissionError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已导出{all_kinds()[kind].title} {count} 行：{out}")
