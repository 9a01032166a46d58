"""Factor sets as data: one immutable YAML file per version (emission factors, GB/T 2589 coefficients, fuel
defaults, each with its source and status). A result pins the set's id, version and file digest; `load_pinned`
refuses a file whose content changed since, so a frozen account is recomputed with exactly what it used."""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .units import UnitError, scale

FACTOR_DIR = Path(__file__).resolve().parent / "factorsets"
PREFIX = "carbon-factors-"
NATIONAL = "全国"
STATUSES = ("official", "待确认")


class FactorError(ValueError):
    """The factor set is unusable or has no factor for a case; the message is for the user (Chinese)."""


@dataclass(frozen=True)
class Source:
    notice_no: str
    published_on: str | None
    url: str | None
    quality: str


@dataclass(frozen=True)
class Factor:
    id: str
    kind: str
    region: str
    vintage: int
    value: float | None
    unit: str
    source: Source
    status: str


@dataclass(frozen=True)
class Coefficient:
    carrier: str
    name: str
    equal: float | None  # 当量值
    equivalent: float | None  # 等价值
    unit: str
    source: Source
    status: str


@dataclass(frozen=True)
class Fuel:
    carrier: str
    ncv: float | None
    ncv_unit: str
    carbon_content: float | None
    carbon_content_unit: str
    oxidation: float | None
    source: Source
    status: str


@dataclass(frozen=True)
class Selection:
    """The grid factor chosen for a province and accounting year, and why."""

    factor: Factor
    province: str
    year: int
    reason: str


@dataclass(frozen=True)
class FactorSet:
    id: str
    version: str
    digest: str  # sha256 of the file's bytes
    electricity_kind: str
    green_power_method: str
    green_power_rule: str
    regions: dict[str, str]  # province → regional grid
    factors: tuple[Factor, ...]
    conversion: dict[str, Coefficient]
    fuels: dict[str, Fuel]

    @property
    def pin(self) -> dict[str, str]:
        return {"id": self.id, "version": self.version, "digest": self.digest}

    def factor(self, kind: str, region: str) -> list[Factor]:
        return sorted((f for f in self.factors if f.kind == kind and f.region == region), key=lambda f: f.vintage)

    def grid_factor(self, province: str, year: int, kind: str | None = None) -> Selection:
        """Province before its regional grid before the national one; the accounting year's vintage, else the
        latest earlier one (never a later one: a 2021 account is not made with 2023 factors)."""
        kind = kind or self.electricity_kind
        for level, region in (("省级", province), ("区域电网", self.regions.get(province)), ("全国", NATIONAL)):
            if not region:
                continue
            earlier = [f for f in self.factor(kind, region) if f.vintage <= year and f.value is not None]
            if earlier:
                f = earlier[-1]
                when = (f"{year} 年因子" if f.vintage == year
                        else f"{year} 年无因子，采用此前最近的 {f.vintage} 年因子")
                return Selection(f, province, year, f"{level}（{region}）{when}")
        raise FactorError(f"因子集 {self.id} 中没有 {province} {year} 年或更早年份可用的电力排放因子")


def _source(sources: dict[str, Any], key: Any, where: str) -> Source:
    if key not in sources:
        raise FactorError(f"因子集中{where}引用的出处“{key}”未在 sources 中列出")
    s = sources[key]
    return Source(str(s["notice_no"]), None if s.get("published_on") is None else str(s["published_on"]),
                  s.get("url"), str(s.get("quality", "")))


def _status(value: Any, where: str) -> str:
    if value not in STATUSES:
        raise FactorError(f"因子集中{where}的状态“{value}”应为 official 或 待确认")
    return str(value)


def _number(value: Any, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise FactorError(f"因子集中{where}的数值“{value}”应为非负数或留空（null）")
    return float(value)


def parse(raw: dict[str, Any], digest: str) -> FactorSet:
    try:
        sources = raw["sources"]
        factors = []
        for f in raw["emission_factors"]:
            where = f"因子 {f['id']}"
            factors.append(Factor(str(f["id"]), str(f["kind"]), str(f["region"]), int(f["vintage"]),
                                  _number(f["value"], where), str(f["unit"]), _source(sources, f["source"], where),
                                  _status(f["status"], where)))
            scale(f["unit"], "kgCO2/kWh" if f["kind"] != "heat" else "tCO2/GJ")  # the dimension is checked here
        conversion = {}
        for carrier, c in raw["conversion"].items():
            where = f"折标准煤系数 {carrier}"
            conversion[carrier] = Coefficient(carrier, str(c["name"]), _number(c["equal"], where),
                                              _number(c.get("equivalent"), where), str(c["unit"]),
                                              _source(sources, c["source"], where), _status(c["status"], where))
        fuels = {}
        for carrier, p in raw["fuels"].items():
            where = f"燃料参数 {carrier}"
            fuels[carrier] = Fuel(carrier, _number(p["ncv"], where), str(p["ncv_unit"]),
                                  _number(p["carbon_content"], where), str(p["carbon_content_unit"]),
                                  _number(p["oxidation"], where), _source(sources, p["source"], where),
                                  _status(p["status"], where))
        defaults = raw["defaults"]
        method = str(defaults["green_power"]["method"])
        if method not in ("zero", "grid"):
            raise FactorError(f"因子集中绿电核算方法“{method}”应为 zero 或 grid")
        regions = {str(p): str(r) for r, ps in raw["regions"].items() if isinstance(ps, list) for p in ps}
        return FactorSet(str(raw["id"]), str(raw["version"]), digest, str(defaults["electricity_kind"]), method,
                         str(defaults["green_power"]["rule"]), regions, tuple(factors), conversion, fuels)
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, FactorError | UnitError):
            raise
        raise FactorError(f"因子集缺少或写错了项目：{exc}") from exc


def available(directory: Path = FACTOR_DIR) -> list[str]:
    """The ids of the factor sets in `directory`, oldest version first."""
    def key(p: Path) -> tuple[int, ...]:
        return tuple(int(x) for x in p.stem.removeprefix(PREFIX).split(".") if x.isdigit())
    return [p.stem for p in sorted(directory.glob(f"{PREFIX}*.yaml"), key=key)]


def load(source: str | Path | None = None, directory: Path = FACTOR_DIR) -> FactorSet:
    """A factor set by id (a file in `directory`), by path, or the latest in `directory` when None."""
    if source is None:
        ids = available(directory)
        if not ids:
            raise FactorError(f"{directory} 中没有因子集文件")
        source = ids[-1]
    return parse(*read_yaml(source, directory, "因子集"))


@lru_cache(maxsize=16)
def _parsed(data: bytes) -> Any:
    """A data file's content: each account reads the same few files, parsed once per content (pure-Python YAML
    costs ~0.1 s a file)."""
    return yaml.safe_load(data)


def read_yaml(source: str | Path, directory: Path, what: str) -> tuple[dict[str, Any], str]:
    """A data file by id (in `directory`) or path: its content and the sha256 of its bytes."""
    path = Path(source)
    if path.suffix not in (".yaml", ".yml"):
        path = directory / f"{source}.yaml"
    try:
        data = path.read_bytes()
        raw = copy.deepcopy(_parsed(data))  # a copy: the caller may change what it gets
    except (OSError, yaml.YAMLError) as exc:
        raise FactorError(f"无法读取{what} {source}：{exc}") from exc
    if not isinstance(raw, dict):
        raise FactorError(f"{what} {source} 的内容格式不正确")
    return raw, hashlib.sha256(data).hexdigest()


def load_pinned(pin: dict[str, str], directory: Path = FACTOR_DIR) -> FactorSet:
    """The factor set a stored result names; refused if its file no longer has the content it had."""
    fs = load(pin["id"], directory)
    if fs.version != pin["version"] or fs.digest != pin["digest"]:
        raise FactorError(f"因子集 {pin['id']} 的内容与核算时不同（版本或摘要不符）：已发布的因子集不得修改，"
                          "更正应另存为新版本")
    return fs
