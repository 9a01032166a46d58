import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from jingkai.demo.build import build_demo
from jingkai.demo.generate import DemoSize
from jingkai.jobs.progress import add_quiet, shown


class Command(BaseCommand):
    help = "建立（或重建）演示数据库，打印演示账号，然后启动网站（--no-serve 则只建库）。"

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="建好演示数据后退出，不启动网站")
        parser.add_argument("--password", help="所有演示账号的密码（不指定则随机生成并打印）")
        parser.add_argument("--seed", type=int, default=2025, help="随机种子：相同种子生成相同数据（默认 2025）")
        parser.add_argument("--enterprises", type=int, default=20_000, help="企业数量（默认 20000）")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        add_quiet(parser)

    def handle(self, *args, **options):
        started = time.monotonic()
        call_command("migrate", verbosity=0, interactive=False)
        result = build_demo(seed=options["seed"], size=DemoSize(enterprises=options["enterprises"]),
                            password=options["password"],
                            progress=options["verbosity"] > 0 and shown(options["quiet"]))
        counts = result.counts
        self.stdout.write(self.style.SUCCESS(
            f"演示数据已生成（种子 {options['seed']}，用时 {time.monotonic() - started:.1f} 秒）："
            f"园区 {counts['zones']} 个，企业 {counts['enterprises']} 家，企业年度数据 {counts['enterprise_years']} 条，"
            f"园区指标值 {counts['indicator_values']} 条。"))
        width = max(len(a.username) for a in result.accounts)
        self.stdout.write("\n演示账号：")
        for account in result.accounts:
            self.stdout.write(f"  {account.username:<{width}}  {account.role}  {account.scope}")
        self.stdout.write(f"\n所有演示账号的密码：{result.password}")
        if not options["no_serve"]:
            call_command("serve", host=options["host"], port=options["port"], with_worker=True)
