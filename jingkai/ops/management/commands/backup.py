from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jingkai.ops.backup import backup


class Command(BaseCommand):
    help = "备份数据库和附件等文件到一个归档（PostgreSQL 用 pg_dump，SQLite 用在线备份，运行中也可备份）。"

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="归档文件，如 backup-2026-12-01.tar.gz")

    def handle(self, *args, out: str, **options):
        try:
            manifest = backup(Path(out))
        except (RuntimeError, OSError) as exc:
            raise CommandError(f"备份失败：{exc}") from exc
        rows = sum(manifest["rows"].values())
        self.stdout.write(self.style.SUCCESS(f"已备份到 {out}：{len(manifest['rows'])} 张表，{rows} 行"))
