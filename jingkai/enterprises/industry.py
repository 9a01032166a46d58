"""GB/T 4754-2017 国民经济行业分类 (industrial classification of national economic activities).

The table ships as data/gbt4754_2017.csv (code, name, level) with all four levels: 门类 `C`,
大类 `C38`, 中类 `C384`, 小类 `C3841`. Codes carry the section letter; the digits are the standard's
own codes. A 中类 that the standard does not subdivide has the single 小类 "中类 + 0" with the same
name (e.g. C3670 汽车零部件及配件制造), as the standard's coding rule says.

Provenance: transcribed from a public copy of the 2017 table and checked mechanically (every code
unique, every 中类/小类 under an existing parent; 20 门类, 97 大类, 473 中类). It counts 1,381 小类
where the commonly cited figure is 1,380: one 小类 is unverified against the official text
(GB/T 4754-2017 with amendment No. 1, 2019), which was not available here.

Stored enterprise codes are the section letter + digits (`C3841`). A bare numeric code (`3841`,
`38`, `384`) is accepted on import and normalised by deriving the section letter from its 大类:
each 大类 belongs to exactly one 门类, so the derivation is unambiguous.
"""

import csv
from functools import cache
from pathlib import Path

TABLE = Path(__file__).resolve().parent / "data" / "gbt4754_2017.csv"
LEVELS = ("门类", "大类", "中类", "小类")


@cache
def industry_table() -> dict[str, tuple[str, str]]:
    """code → (name, level), in the order of the standard."""
    with TABLE.open(encoding="utf-8", newline="") as f:
        return {row["code"]: (row["name"], row["level"]) for row in csv.DictReader(f)}


@cache
def _section_of_division() -> dict[str, str]:
    return {code[1:]: code[0] for code, (_, level) in industry_table().items() if level == "大类"}


def normalize_industry_code(code) -> str | None:
    """`C3841`, `c3841`, ` 3841 ` → `C3841`; None when the code is not in the table."""
    text = str(code or "").strip().upper()
    if text.isdigit() and len(text) in (2, 3, 4):
        section = _section_of_division().get(text[:2])
        text = f"{section}{text}" if section else text
    return text if text in industry_table() else None


def is_valid_industry_code(code) -> bool:
    return normalize_industry_code(code) is not None


def industry_name(code) -> str | None:
    normal = normalize_industry_code(code)
    return industry_table()[normal][0] if normal else None


def industry_level(code) -> str | None:
    normal = normalize_industry_code(code)
    return industry_table()[normal][1] if normal else None
