"""The policy as data: Gansu's 若干措施 (2025) in 4 parts, 16 measures and their action items.

Pure Python (no Django). The catalogue ships with the project (`gansu-etdz-measures-2025.yaml`), so it
works without ../shared; `check_against_policy` compares it with the policy text where that is present.
Every item's text is a verbatim piece of its measure's body, and the pieces in order are the body.
The departments, zones, indicators and capabilities attached to items are Jingkai's default mapping,
which the province edits; they are not an official division of work.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

DATA_FILE = Path(__file__).resolve().parent / "gansu-etdz-measures-2025.yaml"

_DIGITS = "一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 16 → 十六, 20 → 二十 (1–99, as headings number them)."""
    if not 1 <= n <= 99:
        raise ValueError(f"编号超出范围：{n}")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens - 1] + "十")
    return head + (_DIGITS[ones - 1] if ones else "")


@dataclass(frozen=True)
class Item:
    code: str
    text: str
    kind: str
    lead: tuple[str, ...]
    cooperating: tuple[str, ...]
    zones: tuple[str, ...]
    indicators: tuple[str, ...]
    capabilities: tuple[str, ...]

    def to_dict(self) -> dict:
        return {"code": self.code, "text": self.text, "kind": self.kind, "lead": list(self.lead),
                "cooperating": list(self.cooperating), "zones": list(self.zones),
                "indicators": list(self.indicators), "capabilities": list(self.capabilities)}


@dataclass(frozen=True)
class Measure:
    no: int
    title: str
    items: tuple[Item, ...]

    @property
    def label(self) -> str:
        """The heading number as a 公文 writes it: （一） … （十六） (full-width brackets)."""
        return f"（{chinese_numeral(self.no)}）"

    @property
    def body(self) -> str:
        """The measure's text after its title: its items' texts in order."""
        return "".join(item.text for item in self.items)

    def to_dict(self) -> dict:
        return {"no": self.no, "title": self.title, "items": [item.to_dict() for item in self.items]}


@dataclass(frozen=True)
class Part:
    no: int
    title: str
    measures: tuple[Measure, ...]

    @property
    def label(self) -> str:
        return f"{chinese_numeral(self.no)}、"

    def to_dict(self) -> dict:
        return {"no": self.no, "title": self.title, "measures": [m.to_dict() for m in self.measures]}


@dataclass(frozen=True)
class Catalogue:
    id: str
    title: str
    source: dict
    mapping_note: str
    preamble: str
    closing: str
    default_zones: tuple[str, ...]
    kinds: tuple[str, ...]
    departments: dict[str, dict]  # short name → {code, full_name}
    capabilities: dict[str, dict]  # key → {name, app}
    parts: tuple[Part, ...]

    @property
    def measures(self) -> list[Measure]:
        return [m for part in self.parts for m in part.measures]

    @property
    def items(self) -> list[Item]:
        return [item for m in self.measures for item in m.items]

    def to_dict(self) -> dict:
        """The export shape: {"parts": [{"no", "title", "measures": [{"no", "title", "items": […]}]}]}."""
        return {"id": self.id, "title": self.title, "source": self.source, "mapping_note": self.mapping_note,
                "parts": [part.to_dict() for part in self.parts]}


def _item(raw: dict, default_zones: tuple[str, ...]) -> Item:
    return Item(code=str(raw["code"]), text=raw["text"], kind=raw["kind"], lead=tuple(raw.get("lead") or ()),
                cooperating=tuple(raw.get("cooperating") or ()), zones=tuple(raw.get("zones") or default_zones),
                indicators=tuple(raw.get("indicators") or ()), capabilities=tuple(raw.get("capabilities") or ()))


def parse_catalogue(raw: dict) -> Catalogue:
    """Build a Catalogue from the YAML's mapping; raise ValueError listing every inconsistency."""
    zones = tuple(raw["default_zones"])
    parts = tuple(
        Part(no=p["no"], title=p["title"], measures=tuple(
            Measure(no=m["no"], title=m["title"], items=tuple(_item(i, zones) for i in m["items"]))
            for m in p["measures"]))
        for p in raw["parts"])
    catalogue = Catalogue(
        id=raw["id"], title=raw["title"], source=raw["source"], mapping_note=raw["mapping"]["note"],
        preamble=raw["preamble"], closing=raw["closing"], default_zones=zones, kinds=tuple(raw["kinds"]),
        departments={d["name"]: {"code": d["code"], "full_name": d["full_name"]} for d in raw["departments"]},
        capabilities={c["key"]: {"name": c["name"], "app": c.get("app")} for c in raw["capabilities"]},
        parts=parts)
    problems = check_catalogue(catalogue)
    if problems:
        raise ValueError("措施目录数据有误：\n" + "\n".join(problems))
    return catalogue


def check_catalogue(catalogue: Catalogue) -> list[str]:
    """Internal consistency: numbering, codes, and every kind/department/capability declared."""
    problems = []
    if [p.no for p in catalogue.parts] != list(range(1, len(catalogue.parts) + 1)):
        problems.append("部分编号应从 1 起连续")
    if [m.no for m in catalogue.measures] != list(range(1, len(catalogue.measures) + 1)):
        problems.append("措施编号应从 1 起连续（跨部分连续编号）")
    for m in catalogue.measures:
        if not m.items:
            problems.append(f"措施{m.label}没有任务条目")
        for n, item in enumerate(m.items, start=1):
            where = f"条目 {item.code}"
            if item.code != f"{m.no}.{n}":
                problems.append(f"{where}：编号应为 {m.no}.{n}")
            if not item.text:
                problems.append(f"{where}：任务内容为空")
            if item.kind not in catalogue.kinds:
                problems.append(f"{where}：承诺类型“{item.kind}”未在 kinds 中声明")
            if not item.lead:
                problems.append(f"{where}：缺少牵头单位")
            for name in (*item.lead, *item.cooperating):
                if name not in catalogue.departments:
                    problems.append(f"{where}：单位“{name}”未在 departments 中声明")
            if set(item.lead) & set(item.cooperating):
                problems.append(f"{where}：同一单位既牵头又配合")
            for key in item.capabilities:
                if key not in catalogue.capabilities:
                    problems.append(f"{where}：平台功能“{key}”未在 capabilities 中声明")
            for zone in item.zones:
                if zone not in catalogue.default_zones:
                    problems.append(f"{where}：园区代码“{zone}”不在 default_zones 中")
    return problems


@functools.cache
def load_catalogue(path: Path = DATA_FILE) -> Catalogue:
    """The catalogue shipped with the project (cached; the dataclasses are frozen)."""
    return parse_catalogue(yaml.safe_load(Path(path).read_text(encoding="utf-8")))


# --- the policy text -----------------------------------------------------------------------------------

_PART = re.compile(r"^([一二三四五六七八九十]+)、(.+)$")
_MEASURE = re.compile(r"^（([一二三四五六七八九十]+)）([^。]+)。(.*)$")
_FULL_WIDTH = str.maketrans({",": "，", "(": "（", ")": "）", ";": "；", ":": "：", "?": "？", "!": "！"})


def full_width(text: str) -> str:
    """Chinese text with its punctuation full-width (GB/T 15834): the published reprint of the policy uses
    ASCII , ( ) where a 公文 writes ， （ ）. The catalogue holds the texts so; the policy is compared so."""
    return text.translate(_FULL_WIDTH)


def parse_policy(text: str) -> dict:
    """Split the policy text (one paragraph a line) into title, preamble, parts → measures → body, closing.

    Raises ValueError if the headings are not numbered 一、二、… and （一）（二）… in sequence. The punctuation is
    made full-width first (`full_width`).
    """
    lines = [full_width(line.strip()) for line in text.splitlines() if line.strip()]
    title, preamble, rest = lines[0], lines[1], lines[2:]
    parts: list[dict[str, Any]] = []
    closing: list[str] = []
    for line in rest:
        if (m := _PART.match(line)) and not closing:
            if m.group(1) != chinese_numeral(len(parts) + 1):
                raise ValueError(f"部分编号不连续：{line[:20]}")
            parts.append({"no": len(parts) + 1, "title": m.group(2), "measures": []})
        elif (m := _MEASURE.match(line)) and parts and not closing:
            no = sum(len(p["measures"]) for p in parts) + 1
            if m.group(1) != chinese_numeral(no):
                raise ValueError(f"措施编号不连续：{line[:20]}")
            parts[-1]["measures"].append({"no": no, "title": m.group(2), "body": m.group(3)})
        elif parts:
            closing.append(line)
        else:
            raise ValueError(f"无法识别的段落：{line[:20]}")
    return {"title": title, "preamble": preamble, "parts": parts, "closing": "\n".join(closing)}


def check_against_policy(catalogue: Catalogue, text: str) -> list[str]:
    """Compare the catalogue with the policy text: titles exact, items verbatim and covering each body."""
    policy = parse_policy(text)
    problems = []
    for label, ours, theirs in (("标题", catalogue.title, policy["title"]),
                                ("序言", catalogue.preamble, policy["preamble"]),
                                ("结语", catalogue.closing, policy["closing"])):
        if ours != theirs:
            problems.append(f"{label}与政策原文不一致")
    if len(catalogue.parts) != len(policy["parts"]):
        problems.append(f"部分数量：目录 {len(catalogue.parts)}，原文 {len(policy['parts'])}")
    policy_measures = [m for p in policy["parts"] for m in p["measures"]]
    if len(catalogue.measures) != len(policy_measures):
        problems.append(f"措施数量：目录 {len(catalogue.measures)}，原文 {len(policy_measures)}")
    for part, theirs in zip(catalogue.parts, policy["parts"], strict=False):
        if part.title != theirs["title"]:
            problems.append(f"第{part.label}部分标题“{part.title}”与原文“{theirs['title']}”不一致")
        if len(part.measures) != len(theirs["measures"]):
            problems.append(f"第{part.label}部分措施数量：目录 {len(part.measures)}，原文 {len(theirs['measures'])}")
    for measure, theirs in zip(catalogue.measures, policy_measures, strict=False):
        if measure.title != theirs["title"]:
            problems.append(f"措施{measure.label}标题“{measure.title}”与原文“{theirs['title']}”不一致")
        for item in measure.items:
            if item.text not in theirs["body"]:
                problems.append(f"条目 {item.code} 的内容不是措施{measure.label}原文的一部分")
        if measure.body != theirs["body"]:
            problems.append(f"措施{measure.label}各条目依次连接后与原文正文不一致")
    return problems
