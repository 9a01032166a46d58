from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from jingkai.intake.kinds import all_kinds
from jingkai.intake.management.commands._common import importing_user
from jingkai.intake.services import run_import
from jingkai.jobs.progress import add_quiet, bar

SHOWN = 500  # problems printed; all of them are in the error report


class Command(BaseCommand):
    help = ("导入 .xlsx（填好的模板）或 .csv（字段代码作表头）。全部校验通过才写入；"
            "有任何问题则退出码 2、不写入，并在文件旁生成 <文件名>.errors.xlsx")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(all_kinds()))
        parser.add_argument("file")
        parser.add_argument("--zone", help="只导入该园区的数据（缺少园区代码的行按此填充）")
        parser.add_argument("--user", help="以该平台账户导入（按其权限范围校验，记入审计日志）；"
                                           "省略时使用与操作系统用户同名的账户，没有则拒绝")
        add_quiet(parser)

    def handle(self, kind, file, zone=None, user=None, quiet=False, **options):
        path = Path(file)
        if not path.exists():
            raise CommandError(f"文件不存在：{path}")
        try:
            with bar(3, f"导入 {path.name}", quiet) as shown:
                result = run_import(kind, path, user=importing_user(user), zone_code=zone, progress=shown.progress)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        except DatabaseError as exc:  # e.g. SQLite still locked by another import after the busy timeout
            raise CommandError("数据库正忙（另一导入或操作尚未结束），未写入任何数据，请稍后重试") from exc
        if result.ok:
            self.stdout.write(result.summary())
            for note in result.notes:
                self.stdout.write(f"说明：{note}")
            return
        for error in result.errors[:SHOWN]:
            self.stdout.write(str(error))
        if len(result.errors) > SHOWN:
            self.stdout.write(f"……另有 {len(result.errors) - SHOWN} 处问题，见错误报告")
        raise CommandError(result.summary(), returncode=2)
