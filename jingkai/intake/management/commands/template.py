from pathlib import Path

from django.core.management.base import BaseCommand

from jingkai.intake.kinds import all_kinds
from jingkai.intake.services import write_template


class Command(BaseCommand):
    help = "生成导入模板（.xlsx）：中文列名和单位、隐藏的字段代码行、代码下拉、说明表"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(all_kinds()))
        parser.add_argument("--out", required=True, help="输出文件，如 企业名录模板.xlsx")

    def handle(self, kind, out, **options):
        path = write_template(kind, Path(out))
        self.stdout.write(f"已生成{all_kinds()[kind].title}导入模板：{path}")
