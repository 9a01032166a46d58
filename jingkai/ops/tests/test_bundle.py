"""The offline bundle's coverage check, on real wheel file names (as PyPI names them), and the tested
environment against the project's pins."""

import importlib.metadata as metadata
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from jingkai.ops.bundle import missing_wheels, pins

LOCK = ["Django==5.2.19", "polars==2.1.0", "psycopg-binary==3.3.9", "chinese_calendar==1.11.0  # 调休",
        "", "RapidFuzz==3.14.3"]
WHEELS = ["django-5.2.19-py3-none-any.whl", "polars-2.1.0-cp39-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
          "psycopg_binary-3.3.9-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
          "chinese_calendar-1.11.0-py2.py3-none-any.whl",
          "rapidfuzz-3.14.3-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"]


def test_every_pin_with_its_wheel_is_covered():
    assert missing_wheels(LOCK, WHEELS) == []


def test_a_missing_wheel_or_another_version_is_reported():
    wheels = [w for w in WHEELS if not w.startswith("polars")] + ["django-5.2.18-py3-none-any.whl"]
    assert missing_wheels(LOCK, wheels[1:]) == ["django==5.2.19", "polars==2.1.0"]


def test_an_unpinned_line_is_refused():
    with pytest.raises(ValueError, match="未固定版本"):
        pins(["Django>=5"])


def test_the_tested_environment_has_every_pin_of_the_project():
    """The bundle is written from the installed environment: it must be the pinned one."""
    project = tomllib.loads((Path(__file__).resolve().parents[3] / "pyproject.toml").read_text())["project"]
    wanted = [Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]]
    wrong = [f"{r.name}: 固定 {r.specifier}，已安装 {metadata.version(r.name)}" for r in wanted
             if not r.specifier.contains(metadata.version(canonicalize_name(r.name)))]
    assert wrong == []
