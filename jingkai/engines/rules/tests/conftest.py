import datetime as dt

import polars as pl
import pytest

ON = dt.date(2025, 6, 1)


def frame(**cols):
    """A frame from keyword columns; scalars are broadcast to the longest list."""
    n = max((len(v) for v in cols.values() if isinstance(v, list)), default=1)
    return pl.DataFrame({k: v if isinstance(v, list) else [v] * n for k, v in cols.items()})


@pytest.fixture
def on():
    return ON
