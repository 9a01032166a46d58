from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from jingkai.intake.management.commands._common import importing_user
from jingkai.intake.retention import purge_uploads


class Command(BaseCommand):
    help = "删除超过保留期（JINGKAI_IMPORT_RETENTION_DAYS，默认 90 天）的上传导入文件及其错误报告，记入审计日志"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, help="保留天数（默认取配置 JINGKAI_IMPORT_RETENTION_DAYS）")
        parser.add_argument("--user", help="以该平台账户执行（需省级管理权限，记入审计日志）；"
                                           "省略时使用与操作系统用户同名的账户")

    def handle(self, days=None, user=None, **options):
        if days is not None and days < 0:
            raise CommandError("保留天数不能为负数")
        try:
            done = purge_uploads(importing_user(user), days=days)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:  # the store refused a deletion: the audit already says what was meant to go
            raise CommandError(f"删除未完成：{exc}") from exc
        if done.cutoff is None:
            self.stdout.write("保留期为 0（永久保留），未删除任何文件")
            return
        self.stdout.write(f"已删除 {done.cutoff:%Y-%m-%d %H:%M} 之前的上传 {done.folders} 批、文件 {done.files} 个，"
                          f"共 {done.bytes / 1024 / 1024:.1f} MB")
