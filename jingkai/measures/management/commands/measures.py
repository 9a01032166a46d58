"""`jingkai measures export --format json|xlsx|docx [--out FILE]`: the 16 measures catalogue as a file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jingkai.measures.catalogue import load_catalogue
from jingkai.measures.catalogue.export import WRITERS


class Command(BaseCommand):
    help = "措施目录：导出 16 条措施及其任务条目（json、xlsx 或 docx 任务分工表）"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="export")
        export = actions.add_parser("export", help="导出措施目录")
        export.add_argument("--format", choices=sorted(WRITERS), default="json", help="输出格式（默认 json）")
        export.add_argument("--out", type=Path, help="输出文件；json 省略时写到标准输出")

    def handle(self, *args, action, format, out, **options):
        if out is None and format != "json":
            raise CommandError(f"{format} 为二进制格式，请用 --out 指定输出文件")
        catalogue = load_catalogue()
        data = WRITERS[format](catalogue)
        if out is None:
            self.stdout.write(data.decode("utf-8"))
            return
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
        except OSError as error:
            raise CommandError(f"无法写入 {out}：{error.strerror}") from error
        self.stdout.write(f"已导出 {len(catalogue.parts)} 个部分、{len(catalogue.measures)} 条措施、"
                          f"{len(catalogue.items)} 项任务：{out}")
