"""Read a produced document as its reader would: render it to PDF with LibreOffice and look at the pages.

Used by the tests of every Word output. `render(blob, suffix, workdir)` converts with `soffice` (no skip: where
LibreOffice is missing it raises with the install command); `read(pdf)` gives the pages' lines with their
positions (poppler's `pdftotext -bbox-layout`); the checks return what a reader would object to — a line that
ends inside a number, a heading last on its page, a page number out of place, a page without its red
masthead — as Chinese sentences, empty when all is well.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

INSTALL = "apt-get install libreoffice-writer libreoffice-calc poppler-utils（或执行 make system-packages）"
# The 公文 fonts by the free faces Debian has (Noto CJK SC, AR PL KaitiM GB): without it LibreOffice draws every
# one of them in Noto Sans CJK JP. The documents still name 仿宋_GB2312 …; only this rendering substitutes.
FONTS = Path(__file__).resolve().parent / "fonts" / "fonts.conf"
MM = 72 / 25.4  # pt per mm


class MissingRenderer(RuntimeError):
    """LibreOffice or poppler is not installed."""


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise MissingRenderer(f"未找到 {name}，无法把文档转换为 PDF 检查版面。请安装：{INSTALL}")
    return path


def render(blob: bytes, suffix: str, workdir: Path, name: str = "document") -> Path:
    """The document (`.docx`, `.xlsx`) as PDF, converted by LibreOffice with a private profile."""
    soffice = _tool("soffice")
    source = workdir / f"{name}{suffix}"
    source.write_bytes(blob)
    # one LibreOffice profile per test process: its first start costs seconds, later conversions reuse it
    profile = (Path(tempfile.gettempdir()) / f"jingkai-lo-profile-{os.getpid()}").as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(workdir), str(source)], check=True, capture_output=True, timeout=180,
                   env=os.environ | {"FONTCONFIG_FILE": str(FONTS)})
    pdf = workdir / f"{name}.pdf"
    if not pdf.exists():
        raise RuntimeError(f"LibreOffice 未生成 {pdf.name}")
    return pdf


@dataclass(frozen=True)
class Line:
    text: str  # the words joined; CJK without spaces
    x0: float  # pt from the page's left edge
    y0: float  # pt from the page's top edge
    x1: float
    y1: float
    block: int  # lines of one block belong to one paragraph or table cell


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    lines: tuple[Line, ...]

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def _join(words: list[str]) -> str:
    out = ""
    for w in words:
        if out and out[-1].isascii() and w[:1].isascii() and out[-1].isalnum() and w[:1].isalnum():
            out += " "
        out += w
    return out


def read(pdf: Path) -> list[Page]:
    """The pages with their lines, top to bottom."""
    xml = subprocess.run([_tool("pdftotext"), "-bbox-layout", str(pdf), "-"], check=True, capture_output=True,
                         timeout=60).stdout.decode("utf-8")
    xml = re.sub(r"<!DOCTYPE[^>]*>", "", xml).replace('xmlns="http://www.w3.org/1999/xhtml"', "")
    root = ET.fromstring(xml)
    pages = []
    block_id = 0
    for n, page in enumerate(root.iter("page"), start=1):
        lines = []
        for block in page.iter("block"):
            block_id += 1
            for line in block.iter("line"):
                words = [w.text or "" for w in line.iter("word")]
                lines.append(Line(_join(words), float(line.get("xMin", 0)), float(line.get("yMin", 0)),
                                  float(line.get("xMax", 0)), float(line.get("yMax", 0)), block_id))
        lines.sort(key=lambda ln: (round(ln.y0), ln.x0))
        pages.append(Page(n, float(page.get("width", 0)), float(page.get("height", 0)), tuple(lines)))
    return pages


PAGE_NUMBER = re.compile(r"^—\s*(\d+)\s*—$")
HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)[^，。；：]{0,30}$|^附件\d*$")


def page_number(page: Page) -> Line | None:
    return next((ln for ln in page.lines if PAGE_NUMBER.match(ln.text.replace(" ", ""))), None)


def body_lines(page: Page) -> list[Line]:
    """The page's lines without its page number."""
    number = page_number(page)
    return [ln for ln in page.lines if ln is not number]


NUMBER = re.compile(r"[−\-]?\d[\d,.]*%?")


def numbers(texts: list[str]) -> set[str]:
    return {m.group() for t in texts for m in NUMBER.finditer(t)}


def docx_numbers(blob: bytes) -> set[str]:
    """The figures a Word document writes, in its paragraphs and table cells (the `source` of broken_numbers)."""
    import io

    from docx import Document

    doc = Document(io.BytesIO(blob))
    return numbers([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])


def broken_numbers(pages: list[Page], source: set[str]) -> list[str]:
    """Figures the reader sees that are not figures of the document (`source`, from its text): a number
    broken at a line's end shows as two pieces (“4252.” and “84亿元”), a minus alone at a line's end."""
    problems = []
    for page in pages:
        for line in body_lines(page):
            for m in NUMBER.finditer(line.text):
                if m.group() not in source:
                    problems.append(f"第{page.number}页：数字“{m.group()}”不完整（行“{line.text[:30]}”）")
            if line.text.endswith(("−", "-", "－")):
                problems.append(f"第{page.number}页：负号在行尾与数字分开（行“{line.text[-20:]}”）")
    return problems


def headings_last_on_page(pages: list[Page]) -> list[str]:
    """Headings (一、… （一）… 附件1) on a page's last line, their text on the next page."""
    problems = []
    for page in pages[:-1]:
        lines = body_lines(page)
        if lines and HEADING.match(lines[-1].text):
            problems.append(f"第{page.number}页：标题“{lines[-1].text}”位于页末")
    return problems


def page_number_problems(pages: list[Page], version_bottom_mm: float = 35.0, left_mm: float = 28.0,
                         right_mm: float = 26.0, tolerance: float = 2.0) -> list[str]:
    """§7.5 on portrait pages: “— N —” 7 mm below the 版心, odd pages right and even pages left, one
    character (4号, 14 pt) in from the 版心's edge."""
    problems = []
    for page in pages:
        if page.width > page.height:
            continue  # a landscape 附表: numbered, not measured here
        line = page_number(page)
        if line is None:
            problems.append(f"第{page.number}页：没有页码")
            continue
        shown = int(PAGE_NUMBER.match(line.text.replace(" ", "")).group(1))  # type: ignore[union-attr]
        if shown != page.number:
            problems.append(f"第{page.number}页：页码为{shown}")
        dash = line.y1 - 3.5 * MM  # the 一字线 of a 14 pt line: 3.5 mm above its bottom
        gap = (dash - (page.height - version_bottom_mm * MM)) / MM
        if abs(gap - 7) > tolerance:
            problems.append(f"第{page.number}页：页码距版心下边缘{gap:.1f}毫米（应为7毫米）")
        if page.number % 2:
            inset = (page.width - right_mm * MM - line.x1) / MM
            side = "右"
        else:
            inset = (line.x0 - left_mm * MM) / MM
            side = "左"
        if abs(inset - 14 / MM) > tolerance:
            problems.append(f"第{page.number}页：页码距版心{side}边缘{inset:.1f}毫米（应空一字，约4.9毫米）")
    return problems


def red_share(pdf: Path, page: int = 1, top: float = 0.0, bottom: float = 0.35) -> float:
    """The share of clearly red pixels in a horizontal band of a page (fractions of its height), at 30 dpi."""
    out = subprocess.run([_tool("pdftoppm"), "-r", "30", "-f", str(page), "-l", str(page), str(pdf)],
                         check=True, capture_output=True, timeout=60).stdout
    header = re.match(rb"P6\s+(\d+)\s+(\d+)\s+(\d+)\s", out)
    if header is None:
        raise RuntimeError("pdftoppm 输出无法识别")
    w, h = int(header.group(1)), int(header.group(2))
    pixels = out[header.end():]
    rows = range(int(h * top), int(h * bottom))
    red = total = 0
    for y in rows:
        row = pixels[y * w * 3:(y + 1) * w * 3]
        for x in range(0, len(row), 3):
            r, g, b = row[x], row[x + 1], row[x + 2]
            total += 1
            red += r > 180 and g < 110 and b < 110
    return red / total if total else 0.0


# ---- reference renderings: structure, not pixels ----

REFERENCE_DPI = 60
UPDATE = "JINGKAI_UPDATE_REFERENCES"  # =1: write the reference PNGs anew (then look at them before committing)


@dataclass(frozen=True)
class Layout:
    """What a reader sees of a page at a glance: its size, the red 版头 band, the printed area, the text lines."""

    size: tuple[int, int]
    red: tuple[int, int] | None  # first and last pixel row with red
    ink: tuple[int, int, int, int] | None  # left, top, right, bottom of everything printed
    lines: int  # bands of printed rows (text lines, rules, table rows)


def layout(png: Path) -> Layout:
    from PIL import Image

    with Image.open(png) as im:
        rgb = im.convert("RGB")
    w, h = rgb.size
    data = rgb.tobytes()
    red_rows, ink_rows, left, right = [], [], w, -1
    for y in range(h):
        inked = False
        for x in range(w):
            r, g, b = data[(y * w + x) * 3:(y * w + x) * 3 + 3]
            if r > 180 and g < 110 and b < 110:
                red_rows.append(y)
            if min(r, g, b) < 200:
                inked = True
                left, right = min(left, x), max(right, x)
        if inked:
            ink_rows.append(y)
    bands = sum(1 for i, y in enumerate(ink_rows) if i == 0 or y != ink_rows[i - 1] + 1)
    return Layout((w, h), (red_rows[0], red_rows[-1]) if red_rows else None,
                  (left, ink_rows[0], right, ink_rows[-1]) if ink_rows else None, bands)


def page_png(pdf: Path, page: int, out: Path) -> Path:
    """Page `page` of the PDF as a PNG at the reference resolution."""
    subprocess.run([_tool("pdftoppm"), "-r", str(REFERENCE_DPI), "-f", str(page), "-l", str(page), "-png",
                    "-singlefile", str(pdf), str(out.with_suffix(""))], check=True, capture_output=True, timeout=60)
    return out


def reference_problems(pdf: Path, reference: Path, page: int = 1, px: int = 3, lines: int = 2) -> list[str]:
    """How page `page` differs in structure from its reference rendering (a PNG kept with the tests): page
    size, the red band (there or not, where), the printed area (within `px` pixels) and the number of
    printed bands (within `lines`)."""
    fresh = page_png(pdf, page, pdf.with_name(f"{pdf.stem}-{page}.png"))
    if os.environ.get(UPDATE) == "1":
        reference.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(fresh, reference)
    if not reference.exists():
        return [f"缺少参考渲染 {reference.name}：以 {UPDATE}=1 运行测试生成，查看后提交"]
    want, got = layout(reference), layout(fresh)
    problems = []
    if got.size != want.size:
        problems.append(f"页面尺寸 {got.size}，参考为 {want.size}")
    if (got.red is None) != (want.red is None):
        problems.append("红色版头" + ("缺失" if got.red is None else "多出"))
    elif got.red and want.red and max(abs(a - b) for a, b in zip(got.red, want.red, strict=True)) > px:
        problems.append(f"红色版头位于第{got.red}行像素，参考为{want.red}")
    if got.ink and want.ink and max(abs(a - b) for a, b in zip(got.ink, want.ink, strict=True)) > px:
        problems.append(f"版面范围 {got.ink}，参考为 {want.ink}")
    if abs(got.lines - want.lines) > lines:
        problems.append(f"{got.lines}行，参考为{want.lines}行")
    return problems
