"""An .xlsx's sheet read as a stream of XML, for what the table reader (fastexcel, which loads the whole sheet
into memory even for `n_rows`) cannot do cheaply: the first rows alone (the headings are checked before the
rest of the file is read), and the formula cells that were never calculated (openpyxl and other generators
write a formula without its cached value; the table reader reads such a cell as empty).

Rows and columns are the sheet's own (row 1 = 1, column A = 0)."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree as ET
from xml.sax.saxutils import unescape

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CHUNK = 1 << 20
# a cell whose formula has no cached value: <c r="D4"><f>SUM(D2:D3)</f><v></v></c> (or <f …/>, or no <v>)
UNCALCULATED = re.compile(rb'<c\b([^>]*)>\s*<f\b[^>]*?(?:/>|>([^<]*)</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>')
REF = re.compile(rb'\br="([A-Z]+)(\d+)"')


def column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _sheet_part(archive: zipfile.ZipFile, preferred: str) -> str:
    """The XML part of the sheet named `preferred`, else of the first sheet (the table reader's choice)."""
    sheets = [(s.get("name"), s.get(f"{REL}id")) for s in ET.fromstring(archive.read("xl/workbook.xml")).iter(
        f"{MAIN}sheet")]
    rels = {r.get("Id"): r.get("Target", "") for r in ET.fromstring(
        archive.read("xl/_rels/workbook.xml.rels")).iter(f"{PKG}Relationship")}
    rid = next((rid for name, rid in sheets if name == preferred), sheets[0][1] if sheets else None)
    target = rels.get(rid or "", "")
    return target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)


def head_rows(path: Path, preferred: str, n: int) -> list[list[str | None]]:
    """The first `n` rows of the sheet as text (numbers as written in the file), without reading further."""
    with zipfile.ZipFile(path) as archive:
        cells: dict[tuple[int, int], str | int] = {}  # (row, column) → text, or the shared string's index
        with archive.open(_sheet_part(archive, preferred)) as stream:
            row = 0
            for _, el in ET.iterparse(stream):
                if el.tag != f"{MAIN}row":
                    continue
                row = int(el.get("r") or row + 1)  # r is optional: rows and cells then follow one another
                if row > n:
                    break
                col = -1
                for c in el.iter(f"{MAIN}c"):
                    m = re.match(r"([A-Z]+)\d+", c.get("r", ""))
                    col = column_index(m.group(1)) if m else col + 1
                    key = (row, col)
                    if c.get("t") == "inlineStr":
                        cells[key] = "".join(t.text or "" for t in c.iter(f"{MAIN}t"))
                    elif (value := c.find(f"{MAIN}v")) is not None and value.text is not None:
                        cells[key] = int(value.text) if c.get("t") == "s" else value.text
                el.clear()
        wanted = {i for i in cells.values() if isinstance(i, int)}
        strings = dict(_shared_strings(archive, wanted))
    width = max((col for _, col in cells), default=-1) + 1
    rows: list[list[str | None]] = [[None] * width for _ in range(n)]
    for (r, col), cell in cells.items():
        rows[r - 1][col] = strings.get(cell) if isinstance(cell, int) else cell
    return rows


def _shared_strings(archive: zipfile.ZipFile, wanted: set[int]) -> Iterator[tuple[int, str]]:
    """The shared strings with these indices, reading the table only as far as the highest one."""
    if not wanted or "xl/sharedStrings.xml" not in archive.namelist():
        return
    last = max(wanted)
    with archive.open("xl/sharedStrings.xml") as stream:
        i = 0
        for _, el in ET.iterparse(stream):
            if el.tag != f"{MAIN}si":
                continue
            if i in wanted:  # the text runs, not the phonetic guide (rPh)
                yield i, "".join(t.text or "" for t in el.iter(f"{MAIN}t") if t not in _phonetic(el))
            el.clear()
            if i >= last:
                return
            i += 1


def _phonetic(si: ET.Element) -> set[ET.Element]:
    return {t for ph in si.iter(f"{MAIN}rPh") for t in ph.iter(f"{MAIN}t")}


def uncalculated_formulas(path: Path, preferred: str) -> list[tuple[int, int, str]]:
    """(row, column, "=formula") of every formula cell without a cached value, scanning the sheet's XML as it is
    decompressed (no tree is built: a file Excel saved has none, and is only searched for them)."""
    found: list[tuple[int, int, str]] = []
    with zipfile.ZipFile(path) as archive, archive.open(_sheet_part(archive, preferred)) as stream:
        tail = b""
        while chunk := stream.read(CHUNK):
            data = tail + chunk
            cut = data.rfind(b"</c>") + 4  # search whole cells only; the rest waits for the next chunk
            if cut < 4:
                tail = data
                continue
            body, tail = data[:cut], data[cut:]
            if b"<f" in body:
                found += _formulas(body)
        found += _formulas(tail)
    return found


def _formulas(body: bytes) -> list[tuple[int, int, str]]:
    out = []
    for m in UNCALCULATED.finditer(body):
        ref = REF.search(m.group(1))
        if ref:
            text = unescape((m.group(2) or b"").decode("utf-8", "replace"), {"&quot;": '"', "&apos;": "'"})
            out.append((int(ref.group(2)), column_index(ref.group(1).decode()), f"={text}" if text else "（共享公式）"))
    return out
