from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "用 waitress 启动 Jingkai 网站（静态文件由 whitenoise 提供）。"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
        parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
        parser.add_argument("--threads", type=int, default=8, help="工作线程数（默认 8）")

    def handle(self, *args, **options):
        import waitress

        from jingkai.wsgi import application

        host, port = options["host"], options["port"]
        shown = f"[{host}]" if ":" in host else host
        self.stdout.write(self.style.SUCCESS(f"Jingkai 已启动：http://{shown}:{port}/  （按 Ctrl+C 停止）"))
        self.stdout.flush()
        waitress.serve(application, host=host, port=port, threads=options["threads"], ident="jingkai")
