"""Word documents in 公文 layout (GB/T 9704-2012, without the red header), shared by every output:
A4 with the standard margins, 方正小标宋简体 titles, 黑体 and 楷体 headings, 仿宋_GB2312 body at 3号 on fixed
28 pt lines, page numbers “— 1 —”. Fonts are named, not embedded: Word or LibreOffice substitutes what the
machine lacks.
"""

import io
import zipfile
from datetime import date, datetime

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

TITLE_FONT, BODY_FONT, HEADING_FONT, KAI_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"
PAGE_FONT = "宋体"
SIZE_2, SIZE_3, SIZE_4, SIZE_SMALL_4 = Pt(22), Pt(16), Pt(14), Pt(12)
NUMERALS = "一二三四五六七八九十"
DASH = "—"


def new_document(title: str, author: str, when: date, landscape: bool = False):
    """An A4 document with 公文 margins, page numbers and fixed properties (so the bytes are reproducible)."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    page_numbers(section)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = title, author, author
    props.created = props.modified = datetime(when.year, when.month, when.day)
    props.revision = 1
    return doc


def save(doc, when: date) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return deterministic(out.getvalue(), when)


def set_font(run, name: str, size, bold: bool = False) -> None:
    run.font.name, run.font.size, run.font.bold = name, size, bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), name)


def paragraph(doc, text: str, font: str = BODY_FONT, size=SIZE_3, *, align=None, indent: bool = True,
               bold: bool = False, right_indent=None):
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(28)
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = size * 2
    if right_indent is not None:
        fmt.right_indent = right_indent
    if align is not None:
        p.alignment = align
    set_font(p.add_run(text), font, size, bold)
    return p


def page_numbers(section) -> None:
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(p.add_run(f"{DASH} "), PAGE_FONT, SIZE_4)
    run = p.add_run()
    set_font(run, PAGE_FONT, SIZE_4)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._element.append(el)
    set_font(p.add_run(f" {DASH}"), PAGE_FONT, SIZE_4)


def cell_text(cell, text: str, bold: bool = False, align=WD_ALIGN_PARAGRAPH.CENTER) -> None:
    p = cell.paragraphs[0]
    p.alignment = align
    set_font(p.add_run(text), HEADING_FONT if bold else BODY_FONT, SIZE_SMALL_4)


def deterministic(blob: bytes, when: date) -> bytes:
    """The same data gives the same bytes: fixed zip timestamps (python-docx stamps the current time)."""
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    src, out = zipfile.ZipFile(io.BytesIO(blob)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=stamp), src.read(info.filename),
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
