"""`jingkai serve`: the website, on gunicorn with several worker processes (Linux; a 2-core machine serves
about twice what one process does) or on waitress (one process, threads: where gunicorn cannot run). Static
files come from whitenoise. `--with-worker` starts `jingkai worker` beside it (what `make demo` does) and stops
it on exit."""

import os
import socket
import subprocess
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError


def default_workers() -> int:
    return int(os.environ.get("JINGKAI_WEB_WORKERS") or os.cpu_count() or 1)


def gunicorn_available() -> bool:
    try:
        import fcntl  # noqa: F401 — gunicorn needs POSIX

        import gunicorn  # noqa: F401
    except ImportError:
        return False
    return True


def _check_port(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise CommandError(f"无法在 {host}:{port} 上启动：{exc.strerror or exc}（端口可能已被占用，可用 --port 换一个）") from exc


def run_gunicorn(application: Any, bind: str, workers: int, threads: int) -> None:
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):  # gunicorn's documented way to embed it
        def load_config(self) -> None:
            for key, value in {"bind": bind, "workers": workers, "threads": threads, "worker_class": "gthread",
                               "timeout": 120, "graceful_timeout": 20, "accesslog": None,
                               "proc_name": "jingkai"}.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    Server().run()


def run_waitress(application: Any, host: str, port: int, threads: int) -> None:
    import waitress

    # waitress exports create_server at the top level; types-waitress declares only serve there.
    server = waitress.create_server(application, host=host, port=port,  # type: ignore[attr-defined]
                                    threads=threads, ident="jingkai")
    try:
        server.run()
    finally:
        server.close()


class Command(BaseCommand):
    help = "启动 Jingkai 网站：Linux 上用 gunicorn 多进程，否则用 waitress（静态文件由 whitenoise 提供）。"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
        parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
        parser.add_argument("--workers", type=int, default=None,
                            help="网站进程数（默认 JINGKAI_WEB_WORKERS 或 CPU 核数；仅 gunicorn）")
        parser.add_argument("--threads", type=int, default=8, help="每个进程的线程数（默认 8）")
        parser.add_argument("--server", choices=("gunicorn", "waitress"), default=None,
                            help="服务器（默认：可用时 gunicorn，否则 waitress）")
        parser.add_argument("--with-worker", action="store_true", help="同时启动后台任务进程（jingkai worker）")

    def handle(self, *args, **options):
        from jingkai.wsgi import application

        host, port = options["host"], options["port"]
        server = options["server"] or ("gunicorn" if gunicorn_available() else "waitress")
        if server == "gunicorn" and not gunicorn_available():
            raise CommandError("本机无法运行 gunicorn（需要 Linux 等 POSIX 系统并已安装 gunicorn），请用 --server waitress")
        workers = max(1, options["workers"] or default_workers())
        _check_port(host, port)
        shown = f"[{host}]" if ":" in host else host
        how = f"gunicorn，{workers} 个进程" if server == "gunicorn" else "waitress，单进程"
        self.stdout.write(self.style.SUCCESS(f"Jingkai 已启动：http://{shown}:{port}/  （{how}；按 Ctrl+C 停止）"))
        self.stdout.flush()
        job_worker = None
        if options["with_worker"]:
            job_worker = subprocess.Popen([sys.executable, "-m", "jingkai.cli", "worker"])
            self.stdout.write("后台任务进程已随网站启动。")
        try:
            if server == "gunicorn":
                run_gunicorn(application, f"{shown}:{port}", workers, options["threads"])
            else:
                run_waitress(application, host, port, options["threads"])
        except KeyboardInterrupt:
            pass
        finally:
            if job_worker is not None:
                job_worker.terminate()
                job_worker.wait(timeout=30)
            self.stdout.write("已停止。")
