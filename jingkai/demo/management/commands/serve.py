from django.core.management.base import BaseCommand, CommandError


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
        try:
            # waitress exports create_server at the top level; types-waitress declares only serve there.
            server = waitress.create_server(application, host=host, port=port,  # type: ignore[attr-defined]
                                            threads=options["threads"], ident="jingkai")
        except OSError as exc:
            raise CommandError(f"无法在 {host}:{port} 上启动：{exc.strerror or exc}（端口可能已被占用，可用 --port 换一个）") from exc
        shown = f"[{host}]" if ":" in host else host
        self.stdout.write(self.style.SUCCESS(f"Jingkai 已启动：http://{shown}:{port}/  （按 Ctrl+C 停止）"))
        self.stdout.flush()
        try:
            server.run()
        except KeyboardInterrupt:
            self.stdout.write("已停止。")
        finally:
            server.close()
