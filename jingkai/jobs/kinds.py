"""What kinds of work run as jobs. A domain declares its kinds at the extension point "jobs.kinds"
(`Domain.provides`, a "module:KINDS" sequence of JobKind); the jobs app finds them there and never imports
the domain. A kind's `run` receives a JobContext and returns a JobOutput."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

from jingkai.registry import Capability, provided

KINDS_POINT = "jobs.kinds"


class JobCancelled(Exception):
    """Raised by JobContext.progress when the user cancelled the job."""


class JobFailed(ValidationError):
    """A kind's failure (said in Chinese) that leaves the user a complete file about it, a failed import's
    error report: already in the media storage as `stored`, downloaded from the job's page as `filename`
    while it is there (its own folder's retention decides how long)."""

    def __init__(self, message: str, stored: str, filename: str) -> None:
        super().__init__(message)
        self.stored, self.filename = stored, filename


@dataclass(frozen=True)
class JobOutput:
    path: Path | None  # the result file the kind wrote (inside JobContext.workdir); None when it has none
    filename: str  # the Chinese name it downloads under
    message: str  # what was produced, in Chinese: "已导出企业年度数据 80000 行"
    url: str = ""  # the page of what it wrote (the run, the draw, the bulletin), shown as 查看结果


@dataclass
class JobContext:
    """What a running kind sees: its parameters, the user it runs for, a scratch directory that is removed
    afterwards (so nothing half-written survives), and `progress` to report and to be cancelled through."""

    params: dict[str, Any]
    user: Any
    workdir: Path
    progress: Callable[..., None]  # progress(done, total=None, step="") — raises JobCancelled when cancelled
    # checkpoint(): reads the cancel request now (not throttled). A kind calls it inside its transaction
    # after writing, so that a job cancelled meanwhile rolls back and leaves nothing.
    checkpoint: Callable[[], None] = lambda: None


@dataclass(frozen=True)
class JobKind:
    code: str  # "intake.export"
    label: str  # 数据导出
    run: Callable[[JobContext], JobOutput]
    capability: Capability | None = None  # checked when submitted and again when it runs


@cache
def kinds() -> dict[str, JobKind]:
    found: dict[str, JobKind] = {}
    for declared in provided(KINDS_POINT):
        for kind in declared:
            if kind.code in found:
                raise ValueError(f"后台任务类别 {kind.code} 被重复声明")
            found[kind.code] = kind
    return found
