"""SQLite writers queue instead of failing: a web write during a long import failed after 5 s with "database is
locked", and two concurrent approvals gave an instant 500 (a read transaction upgraded to a write). With the
settings' OPTIONS (busy timeout, BEGIN IMMEDIATE) the second writer waits for the first."""

import threading
import time

import pytest
from django.conf import settings
from django.db.backends.sqlite3.base import DatabaseWrapper

pytestmark = pytest.mark.skipif("sqlite" not in settings.DATABASES["default"]["ENGINE"], reason="SQLite only")


def _connection(path) -> DatabaseWrapper:
    options = dict(settings.DATABASES["default"]["OPTIONS"])
    wrapper = DatabaseWrapper({**settings.DATABASES["default"], "NAME": str(path), "OPTIONS": options}, alias=str(path))
    return wrapper


def test_settings_ask_for_immediate_transactions_and_a_busy_timeout():
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE" and options["timeout"] >= 20
    assert "journal_mode=WAL" in options["init_command"]


def test_a_second_writer_waits_for_the_first(tmp_path, django_db_blocker):
    with django_db_blocker.unblock():  # two connections of our own to a file of our own
        _two_writers(tmp_path / "queue.sqlite3")


def _two_writers(path) -> None:
    first = _connection(path)
    with first.cursor() as c:
        c.execute("CREATE TABLE t (n INTEGER)")
    first.set_autocommit(False)  # BEGIN IMMEDIATE: the write lock is taken here
    with first.cursor() as c:
        c.execute("SELECT count(*) FROM t")  # a read first: the approval's pattern
        c.execute("INSERT INTO t VALUES (1)")
    outcome: dict = {}

    def write():
        second = _connection(path)
        started = time.monotonic()
        try:
            second.set_autocommit(False)
            with second.cursor() as c:
                c.execute("SELECT count(*) FROM t")
                c.execute("INSERT INTO t VALUES (2)")
            second.commit()
            outcome["waited"] = time.monotonic() - started
        except Exception as exc:  # the failure this test exists for
            outcome["error"] = exc
        finally:
            second.close()

    worker = threading.Thread(target=write)
    worker.start()
    time.sleep(1.0)
    first.commit()
    worker.join(30)
    with first.cursor() as c:
        c.execute("SELECT n FROM t ORDER BY n")
        rows = [r[0] for r in c.fetchall()]
    first.close()
    assert "error" not in outcome, outcome
    assert outcome["waited"] >= 0.9 and rows == [1, 2]
