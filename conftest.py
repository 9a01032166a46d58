import os

import pytest
from django.conf import settings

# Let the browser tests' live server run beside the ORM in the same process (Playwright's sync API
# runs an event loop in the test thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    if os.environ.get("JINGKAI_REQUIRE_POSTGRES") == "1":
        engine = settings.DATABASES["default"]["ENGINE"]
        if "postgresql" not in engine:
            raise pytest.UsageError(f"JINGKAI_REQUIRE_POSTGRES=1 但数据库引擎是 {engine}")
