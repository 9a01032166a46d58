"""tqdm bars in `jingkai …` commands: shown on a terminal, never when stderr is not a TTY (cron, pipes, logs)
nor with --quiet. The commands run for real (real database, real files); only stderr is a terminal or not."""

import io
import sys

import pytest
from django.core.management import call_command

from jingkai.enterprises.uscc import make_uscc

pytestmark = pytest.mark.django_db
CSV = ("uscc,name,zone_code,industry_code,size_class,above_scale\n"
       f"{make_uscc('620100', '00000001')},兰州示例化工有限公司,GS-LZ,C2614,small,是\n")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def upload(tmp_path, zones, province_user):
    path = tmp_path / "企业.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def run(monkeypatch, stream, *args) -> str:
    monkeypatch.setattr(sys, "stderr", stream)
    call_command(*args, stdout=io.StringIO())
    return stream.getvalue()


def test_a_terminal_shows_the_bar(monkeypatch, upload):
    shown = run(monkeypatch, Terminal(), "import", "enterprises", str(upload), "--user", "demo-admin")
    assert "导入 企业.csv" in shown and "/3 [" in shown  # a bar of the three steps: read, validate, write


def test_no_bar_when_stderr_is_not_a_terminal_or_with_quiet(monkeypatch, upload, tmp_path):
    assert run(monkeypatch, io.StringIO(), "import", "enterprises", str(upload), "--user", "demo-admin") == ""
    assert run(monkeypatch, Terminal(), "import", "enterprises", str(upload), "--user", "demo-admin", "--quiet") == ""
    assert run(monkeypatch, io.StringIO(), "export", "enterprises", "--out", str(tmp_path / "e.csv")) == ""
    shown = run(monkeypatch, Terminal(), "export", "enterprises", "--out", str(tmp_path / "e.xlsx"))
    assert "导出企业名录" in shown and "/2 [" in shown
    assert "兰州示例化工有限公司" in (tmp_path / "e.csv").read_text("utf-8")

