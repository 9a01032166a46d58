"""tqdm progress bars for `jingkai …` commands, for the same work the job worker reports on the job page. A bar
shows on a terminal only: nothing is written when stderr is not a TTY (cron, pipes, logs) or with --quiet."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from tqdm import tqdm

T = TypeVar("T")


def shown(quiet: bool = False, stream: Any = None) -> bool:
    stream = stream or sys.stderr
    return not quiet and bool(getattr(stream, "isatty", lambda: False)())


def add_quiet(parser: Any) -> None:
    parser.add_argument("--quiet", action="store_true", help="不显示进度条（非终端输出时本来就不显示）")


@contextmanager
def bar(total: int | None, desc: str, quiet: bool = False, unit: str = "步") -> Iterator[Any]:
    """A bar on stderr; `progress(done, total=None, step="")` of the yielded object moves it, as a job's does."""
    with tqdm(total=total, desc=desc, unit=unit, disable=not shown(quiet), file=sys.stderr, leave=False,
              dynamic_ncols=True) as t:
        def progress(done: int, total: int | None = None, step: str = "") -> None:
            if total is not None and total != t.total:
                t.total = total
            if step:
                t.set_description_str(f"{desc}：{step}", refresh=False)
            t.update(done - t.n)

        t.progress = progress  # type: ignore[attr-defined]  # tqdm has no slot for it; the commands call it
        yield t


def each(items: Iterable[T], desc: str, quiet: bool = False, total: int | None = None, unit: str = "项") -> Iterator[T]:
    """Iterate with a bar (the demo builders, the programmes of `assess`)."""
    yield from tqdm(items, desc=desc, total=total, unit=unit, disable=not shown(quiet), file=sys.stderr,
                    leave=False, dynamic_ncols=True)
