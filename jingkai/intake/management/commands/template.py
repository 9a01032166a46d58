from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jingkai.intake.kinds import all_kinds
from jingkai.intake.services import write_template


class Command(BaseCommand):
    help = "生成导入模板（.xlsx）：标题、中文列名和单位、隐藏的字段代码行、名称下拉、示例行、代码表和说明表"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(all_kinds()))
        parser.add_argument("--out", required=True, help="输出文件，如 企业名录模板.xlsx")
        parser.add_argument("--wide", action="store_true", help="报表式模板：每个指标一列（园区指标值的月报表）")

    def handle(self, kind, out, wide=False, **options):
        try:
            path = write_template(kind, Path(out), wide=wide)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已生成{all_kinds()[kind].title}导入模板：{path}")
