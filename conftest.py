import os
from pathlib import Path

import pytest
from django.conf import settings

pytest_plugins = ["jingkai.browser", "jingkai.site_fixtures", "jingkai.s3_fixtures"]

# Let the browser tests' live server run beside the ORM in the same process (Playwright's sync API
# runs an event loop in the test thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing costs ~1 s a user; tests check behaviour, not the hash."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class _RememberedPlans:
    """The inspections engine as the demo sees it, with `plan` remembered by its exact inputs (pickled). The demo
    plans every zone's past quarters through the integer model (about half a second each, ~100 a build); the
    suite builds the same demo (same seed, same site) many times over, in both test processes. Same inputs, same
    plan: each distinct one is still computed once per run; the draws the demo stores (services.run_draw) are
    not remembered. The plans are kept in this run's temporary directory, which the xdist workers share."""

    def __init__(self, engine, directory):
        self._engine = engine
        self._directory = directory

    def __getattr__(self, name):
        return getattr(self._engine, name)

    def plan(self, *args, **kwargs):
        import fcntl
        import hashlib
        import pickle

        path = self._directory / f"{hashlib.sha256(pickle.dumps((args, kwargs))).hexdigest()}.pickle"
        with open(path.with_suffix(".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # the other process, planning the same, waits for this plan
            if path.exists():
                return pickle.loads(path.read_bytes())
            result = self._engine.plan(*args, **kwargs)
            path.write_bytes(pickle.dumps(result))
            return result


@pytest.fixture(autouse=True, scope="session")
def remembered_demo_plans(tmp_path_factory):
    from jingkai.inspections import demo

    directory = _run_directory(tmp_path_factory) / "demo-plans"
    directory.mkdir(exist_ok=True)
    engine = demo.engine
    demo.engine = _RememberedPlans(engine, directory)
    yield
    demo.engine = engine


def _run_directory(tmp_path_factory):
    """This run's temporary directory, which the xdist workers share (each has its own below it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory):
    """A site's SQLite database migrated from scratch by the CLI, once per run: the tests that start the CLI or
    a server in a subprocess on a database of its own copy it into their var directory (jingkai.testing.copy_sqlite), then
    run their own `migrate`, which finds nothing left to do (from scratch each took most of such a test)."""
    import fcntl
    import subprocess
    import sys

    root = _run_directory(tmp_path_factory)
    template = root / "migrated-var"
    with open(root / "migrated-var.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the other worker waits for this one's migration
        if not template.exists():
            partial = root / f"migrating-{os.getpid()}"
            env = {k: v for k, v in os.environ.items() if k not in ("JINGKAI_DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
            subprocess.run([sys.executable, "-m", "jingkai.cli", "migrate", "-v0"], check=True, timeout=600,
                           env=env | {"JINGKAI_VAR_DIR": str(partial), "PYTHONPATH": str(Path(__file__).parent)})
            partial.rename(template)
    return template / "jingkai.sqlite3"


@pytest.fixture(autouse=True)
def fresh_cache():
    """Cached lookups (the demo-data flag of the menu) must not carry over from one test's data to another."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# The slowest modules (each a demo build or subprocesses, a minute or more) go first: with `--dist loadfile` a
# module runs whole in one process, and one of them started last would leave the other process idle at the end.
SLOWEST_FIRST = (
    "jingkai/demo/tests/test_demo.py",
    "jingkai/tests/test_malformed_urls.py",
    "jingkai/tests/test_access_matrix.py",
    "jingkai/tests/test_screen_text.py",
    "jingkai/tests/test_outputs.py",
    "jingkai/monitoring/tests/test_demo_cycle.py",
    "jingkai/web/tests/test_csp_browser.py",
    "jingkai/tests/test_security_headers.py",
    "jingkai/intake/tests/test_concurrent_import.py",
    "jingkai/demo/tests/test_serve.py",
)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    rank = {path: n for n, path in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))  # stable: the rest as collected


def pytest_configure(config):
    # xdist hands out the modules with the most tests first (its "loadscope reorder"): the slowest ones, one or
    # two tests each, then came last. Keep the collected order, SLOWEST_FIRST's.
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False
    if os.environ.get("JINGKAI_REQUIRE_POSTGRES") == "1":
        engine = settings.DATABASES["default"]["ENGINE"]
        if "postgresql" not in engine:
            raise pytest.UsageError(f"JINGKAI_REQUIRE_POSTGRES=1 但数据库引擎是 {engine}")


@pytest.fixture
def zones(db):
    """Two Gansu national zones, each with its committee."""
    from jingkai.testing import make_zone

    return {code: make_zone(code) for code in ("GS-LZ", "GS-JC")}


@pytest.fixture
def province_user(db):
    from jingkai.testing import make_user

    return make_user("demo-admin", "province")


@pytest.fixture
def department_user(db):
    from jingkai.testing import make_user

    return make_user("demo-dept-gxt", "dept-gxt")


@pytest.fixture
def lz_user(zones):
    from jingkai.testing import zone_user

    return zone_user(zones["GS-LZ"])


def _transactional(item: pytest.Item) -> bool:
    from pytest_django.plugin import validate_django_db

    marker = item.get_closest_marker("django_db")
    if marker is not None:
        transaction, reset_sequences, *_ = validate_django_db(marker)
        if transaction or reset_sequences:
            return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends by emptying every table, the data migrations' rows (org units, indicators,
    permissions …) included. Run alone, pytest-django orders those tests after the others; under xdist a worker
    may run another file after them, which would then find no reference data. So put it back at once."""
    yield
    if nextitem is None or not _transactional(item):
        return
    from django.db import DEFAULT_DB_ALIAS, connections
    from pytest_django.plugin import blocking_manager_key

    from jingkai.zones.services import ensure_reference_data

    with item.config.stash[blocking_manager_key].unblock():
        # Django's own copy first, so the rows come back with their ids (a later serialized-rollback test loads
        # the same copy over them); then whatever that copy did not bring back
        connection = connections[DEFAULT_DB_ALIAS]
        if contents := getattr(connection, "_test_serialized_contents", None):
            connection.creation.deserialize_db_from_string(contents)
        ensure_reference_data()
