from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jingkai.ops.backup import restore


class Command(BaseCommand):
    help = "从 jingkai backup 的归档恢复数据库和文件（会覆盖当前数据；恢复前请停止网站和后台任务进程）。"

    def add_arguments(self, parser):
        parser.add_argument("archive", help="jingkai backup 生成的归档文件")
        parser.add_argument("--yes", action="store_true", help="确认覆盖当前数据库和文件")

    def handle(self, *args, archive: str, yes: bool = False, **options):
        if not yes:
            raise CommandError("恢复会覆盖当前数据库和文件：确认无误后加 --yes 再执行")
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"找不到备份文件 {archive}")
        try:
            manifest = restore(path)
        except (ValueError, RuntimeError, OSError) as exc:
            raise CommandError(f"恢复失败：{exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"已从 {archive} 恢复（备份于 {manifest['created']}）"))
