"""deploy/compose.yaml: the structure `docker compose config` checks, checked here (Docker Compose is not
installed on this machine): known keys only, services that exist, declared volumes, files that exist,
well-formed interpolation, and the four parts wired as the systemd units wire them."""

import re
from pathlib import Path

import yaml

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"
COMPOSE = DEPLOY / "compose.yaml"
TOP = {"name", "services", "volumes", "networks", "configs", "secrets", "include"}
SERVICE = {"image", "build", "command", "entrypoint", "environment", "env_file", "volumes", "ports", "expose",
           "depends_on", "healthcheck", "restart", "stop_grace_period", "networks", "user", "working_dir",
           "deploy", "labels", "logging", "profiles", "stop_signal", "ulimits", "configs", "secrets"}
RESTART = {"no", "always", "on-failure", "unless-stopped"}
CONDITIONS = {"service_started", "service_healthy", "service_completed_successfully"}
INTERPOLATION = re.compile(r"\$\$|\$\{[A-Z_][A-Z0-9_]*(?:(?::?[-?+])[^}]*)?\}|\$[A-Z_][A-Z0-9_]*")


def spec() -> dict:
    return yaml.safe_load(COMPOSE.read_text("utf-8"))  # anchors and `<<` merges resolved as Compose does


def test_only_keys_compose_knows_and_services_that_exist():
    doc = spec()
    assert {k for k in doc if not k.startswith("x-")} <= TOP
    services = doc["services"]
    assert set(services) == {"db", "app", "worker", "nginx"}
    for name, service in services.items():
        assert set(service) <= SERVICE, (name, set(service) - SERVICE)
        assert "image" in service or "build" in service
        assert service.get("restart", "no") in RESTART
        depends = service.get("depends_on", {})
        for other in depends:
            assert other in services and other != name
            if isinstance(depends, dict):
                assert set(depends[other]) <= {"condition", "restart", "required"}
                assert depends[other].get("condition", "service_started") in CONDITIONS
        for port in service.get("ports", []):
            assert re.fullmatch(r"\d+:\d+", str(port))
        check = service.get("healthcheck")
        if check:
            assert check["test"][0] in ("CMD", "CMD-SHELL", "NONE")


def test_volumes_are_declared_and_mounted_files_exist():
    doc = spec()
    declared = set(doc["volumes"])
    for service in doc["services"].values():
        for mount in service.get("volumes", []):
            source, target, *mode = mount.split(":")
            assert target.startswith("/") and mode in ([], ["ro"], ["rw"])
            if source.startswith("."):
                assert (DEPLOY / source).exists(), source
            elif not source.startswith("/"):
                assert source in declared, source
        build = service.get("build")
        if build:
            assert (DEPLOY / build["context"] / build["dockerfile"]).is_file()


def test_interpolation_is_well_formed_and_the_password_is_required():
    text = COMPOSE.read_text("utf-8")
    for dollar in re.finditer(r"(?<!\$)\$", text):
        assert INTERPOLATION.match(text, dollar.start()), text[dollar.start():][:30]
    assert "${JINGKAI_DB_PASSWORD:?" in text  # no default password: compose refuses to start without one


def test_the_parts_are_wired_as_the_systemd_units_wire_them():
    services = spec()["services"]
    app, worker, nginx, db = services["app"], services["worker"], services["nginx"], services["db"]
    assert "jingkai serve --host 0.0.0.0 --port 8000 --workers" in app["command"][-1]
    assert "jingkai migrate --noinput" in app["command"][-1]
    assert worker["command"] == ["jingkai", "worker"] and worker["image"] == app["image"]
    assert worker["environment"] == app["environment"] and "media:/var/lib/jingkai/media" in worker["volumes"]
    assert app["depends_on"]["db"]["condition"] == "service_healthy" and db["image"].startswith("postgres:")
    assert "@db:5432/jingkai" in app["environment"]["JINGKAI_DATABASE_URL"]
    shipped = (DEPLOY / "nginx" / "jingkai.conf").read_text("utf-8")
    assert "./nginx/jingkai.conf:/etc/jingkai/nginx.conf:ro" in nginx["volumes"]
    assert "server 127.0.0.1:8000;" in shipped and "s/server 127.0.0.1:8000;/server app:8000;/" in nginx["command"][-1]
