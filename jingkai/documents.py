"""Word documents in 公文 layout (GB/T 9704-2012), shared by every Word output.

A4, 版心 156 × 225 mm (margins 37/35/28/26 mm), 28 characters × 22 lines (a line grid of 28 pt and characters
condensed to a 15.75 pt pitch, see CONDENSE),
方正小标宋简体 titles, 黑体 and 楷体 headings, 仿宋_GB2312 body at 3号 on fixed 28 pt lines, East Asian text
in zh-CN. Page numbers “— 1 —” in 4号 宋体 7 mm below the 版心, odd pages right and even pages left, one
character in (§7.5). Optional 版头 (red 发文机关标志, 发文字号, red 版头分隔线, §7.2), 主送机关, 附件说明, 署名
centred above the 成文日期 with room for the 印章 and kept with the last lines of the 正文 (§7.3.5), 附件 on
their own pages, landscape where a table is wide. Tables get column widths fitted to their content in both
`tblGrid` and every `tcW`, repeating heading rows and rows that do not split.

Fonts are named, not embedded: Word or LibreOffice substitutes what the machine lacks. The bytes depend on
the content only (fixed core properties and zip timestamps, created = 成文日期).
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from datetime import date, datetime

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

TITLE_FONT, BODY_FONT, HEADING_FONT, KAI_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"
PAGE_FONT = "宋体"
SIZE_1, SIZE_2, SIZE_3, SIZE_4, SIZE_SMALL_4, SIZE_5 = Pt(42), Pt(22), Pt(16), Pt(14), Pt(12), Pt(10.5)
NUMERALS = "一二三四五六七八九十"
DASH = "—"
MINUS = "\u2212"  # − : a minus that stays with its number (line-break class PR), unlike "-" or "－"
RED = RGBColor(0xFF, 0x00, 0x00)
LINE = Pt(28)  # 22 lines in the 225 mm 版心
CHARS, LINES = 28, 22
# 28 characters of 16 pt need a pitch of 15.79 pt in the 156 mm line. A `linesAndChars` grid with that
# pitch (charSpace −848) is what Word writes, but LibreOffice then gives each 16 pt character two cells
# (14 a line). So the grid snaps lines only, and the body's characters are condensed by 0.25 pt (in
# twentieths of a point): 28 a line in Word, WPS and LibreOffice alike.
CONDENSE = -5
PORTRAIT = (Mm(210), Mm(297), Mm(37), Mm(35), Mm(28), Mm(26))  # width, height, top, bottom, left, right
LANDSCAPE = (Mm(297), Mm(210), Mm(28), Mm(26), Mm(37), Mm(35))  # 225 × 156 mm
PAGE_NUMBER_GAP = Mm(7)  # 一字线 7 mm below the 版心
DASH_ABOVE_BASE = Mm(2.5)  # from the footer distance up to the 一字线 of a 14 pt line (measured in LibreOffice)


def cn_date(d: date) -> str:
    """2026年5月21日 (成文日期 in Arabic numerals, no leading zeros, GB/T 9704 §7.3.5.1)."""
    return f"{d.year}年{d.month}月{d.day}日"


ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
CJK_SPACE = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s+|\s+(?=[\u3000-\u9fff\uff00-\uffef])")


def cn_dates(text: str) -> str:
    """A message as a 公文 writes it: ISO dates (2026-05-21) as 2026年5月21日, no spaces between Chinese and
    figures (“进度 53% 落后” → “进度53%落后”)."""
    return CJK_SPACE.sub("", ISO_DATE.sub(lambda m: f"{m[1]}年{int(m[2])}月{int(m[3])}日", text))


def signed(x: float, text: str) -> str:
    """The Chinese minus (−) before a negative figure's text, no sign before a positive one."""
    return f"{MINUS}{text}" if x < 0 else text


def width(text: str, latin: float = 0.5) -> float:
    """Width in characters of the body size: CJK and full-width signs 1, Latin letters and digits ½ (`latin`:
    more where a substituted font's digits run wider, as when fitting table columns)."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WFA" else latin for ch in text)


LATIN = 0.62  # digits' width in a table cell, generous: a column too narrow breaks a date or a figure
SCRIPT_CHANGE = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])(?=[0-9A-Za-z])|(?<=[0-9A-Za-z])(?=[\u3000-\u9fff\uff00-\uffef])")


def cell_width(text: str) -> float:
    """Width in characters as a table cell draws it: wide digits, and the space Word and LibreOffice put
    between Chinese and figures (about 0.2 of a character each time the script changes)."""
    return width(text, LATIN) + 0.4 * text.count("%") + 0.2 * len(SCRIPT_CHANGE.findall(text))


# ---- the document ----

def new_document(title: str, author: str, when: date, landscape: bool = False):
    """An A4 document with 公文 margins, grid, styles, page numbers and fixed properties (reproducible bytes)."""
    doc = Document()
    _defaults(doc)
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    _layout(section, landscape)
    _page_numbers(section)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = title, author, author
    props.comments = props.subject = props.keywords = props.category = ""
    props.created = props.modified = datetime(when.year, when.month, when.day)
    props.revision = 1
    return doc


def _defaults(doc) -> None:
    """仿宋 3号 as the document default, East Asian language zh-CN, widow control, no space after."""
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), BODY_FONT)
    rpr.find(qn("w:sz")).set(qn("w:val"), "32")
    rpr.find(qn("w:szCs")).set(qn("w:val"), "32")
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = BODY_FONT, SIZE_3
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, LINE
    fmt.widow_control = True
    spacing = OxmlElement("w:spacing")  # 28 characters of 3号 in the 156 mm line: 16 − 0.25 pt each
    spacing.set(qn("w:val"), str(CONDENSE))
    normal.element.get_or_add_rPr().insert_element_before(
        spacing, "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr",
        "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout")


def _layout(section, landscape: bool) -> None:
    w, h, top, bottom, left, right = LANDSCAPE if landscape else PORTRAIT
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = w, h
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = top, bottom, left, right
    section.header_distance = Mm(15)
    section.footer_distance = bottom - PAGE_NUMBER_GAP - DASH_ABOVE_BASE  # the 一字线 7 mm below the 版心
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(int(LINE.pt * 20)))
    if qn("w:charSpace") in grid.attrib:
        del grid.attrib[qn("w:charSpace")]


def landscape_section(doc):
    """A new landscape section (附表 too wide for portrait), page numbers continuing."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    _layout(section, landscape=True)
    return section


def portrait_section(doc):
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    _layout(section, landscape=False)
    return section


def set_font(run, name: str, size, bold: bool = False, color: RGBColor | None = None) -> None:
    run.font.name, run.font.size, run.font.bold = name, size, bold
    if color is not None:
        run.font.color.rgb = color
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), name)


_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
               "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd")
_AFTER_SNAP = ("w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
               "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
               "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def _no_grid(p) -> None:
    """Text not on the character grid (titles, tables, footers): its own size decides its pitch."""
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    p._p.get_or_add_pPr().insert_element_before(snap, *_AFTER_SNAP)


def paragraph(doc, text: str, font: str = BODY_FONT, size=SIZE_3, *, align=None, indent: bool = True,
              bold: bool = False, right_indent=None, left_indent=None, keep_with_next: bool = False,
              color: RGBColor | None = None, line=LINE, page_break_before: bool = False):
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, line
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = size * 2
    if right_indent is not None:
        fmt.right_indent = right_indent
    if left_indent is not None:
        fmt.left_indent = left_indent
    if align is not None:
        p.alignment = align
    if keep_with_next:
        fmt.keep_with_next = True
    if page_break_before:
        fmt.page_break_before = True
    if size != SIZE_3 or font == TITLE_FONT:
        _no_grid(p)
    if text:
        set_font(p.add_run(text), font, size, bold, color)
    return p


def blank(doc, keep_with_next: bool = False):
    return paragraph(doc, "", indent=False, keep_with_next=keep_with_next)


def heading(doc, text: str, level: int = 1):
    """一、 in 黑体, （一） in 楷体; kept with the paragraph that follows (never last on a page)."""
    p = paragraph(doc, text, HEADING_FONT if level == 1 else KAI_FONT, keep_with_next=True)
    p.paragraph_format.keep_together = True
    return p


def masthead(doc, mark: str, number: str | None = None) -> None:
    """版头 (§7.2): red 发文机关标志 35 mm below the 版心's top, 发文字号 two lines below, a red line as wide as
    the 版心 4 mm under it."""
    p = paragraph(doc, mark, TITLE_FONT, SIZE_1, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, color=RED,
                  line=Pt(SIZE_1.pt * 1.2))
    p.paragraph_format.space_before = Mm(35) - Pt(SIZE_1.pt * 0.2)
    blank(doc)
    blank(doc)
    p = paragraph(doc, number or "", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "12"), ("space", "11"), ("color", "FF0000")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    p._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_PBDR, "w:snapToGrid", *_AFTER_SNAP)
    blank(doc)


def title_lines(title: str) -> str:
    """A title longer than a line (about 20 characters of 2号) broken where its words allow (§7.3.1: 词意完整):
    before “经济运行”, “落实情况”, “的通报” …, else in the middle; a title that fits stays whole."""
    if "\n" in title or width(title) <= 19:
        return title
    for cue in ("经济运行", "若干措施", "落实情况", "进展情况", "任务分工表", "情况的", "的通报", "各园区", "综合发展水平", "的"):
        at = title.find(cue, 4)
        if at > 0 and width(title[:at]) <= 20 and width(title[at:]) <= 20:
            return title[:at] + "\n" + title[at:]
    middle = len(title) // 2
    return title[:middle] + "\n" + title[middle:]


def title_block(doc, title: str, addressee: str | None = None, wrap: bool = False) -> None:
    """标题 (2号 小标宋, centred, broken where its words allow; `wrap`: as the line wraps it, for a title of
    three lines) and 主送机关 one line below it, flush left."""
    paragraph(doc, title if wrap else title_lines(title), TITLE_FONT, SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False,
              line=Pt(35), keep_with_next=True)
    blank(doc)
    if addressee:
        paragraph(doc, addressee, indent=False)


def report_opening(title: str, issuer: str, issued: date, note: str):
    """A report's opening (得分卡, 盘查报告): the document, its 标题, the 楷体 note under it (“（内部测算，仅供研判）”)
    and a blank line; with `part(text)`, which writes the next 一、二、… heading."""
    doc = new_document(title, issuer, issued)
    title_block(doc, title)
    paragraph(doc, note, KAI_FONT, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    blank(doc)
    numerals = iter(NUMERALS)

    def part(text: str) -> None:
        heading(doc, f"{next(numerals)}、{text}")

    return doc, part


def signature(doc, issuer: str | Sequence[str], when: date, attachments: Sequence[str] = ()) -> None:
    """附件说明 (one line under the 正文, 左空二字, “附件：1．…”), then the 署名 centred above the 成文日期
    (右空四字) with two lines left for the 印章; several issuers (联合行文) one a line, each centred the same way.
    The last lines of the 正文 move with them to a new page rather than leaving them alone (§7.3.5)."""
    issuers = [issuer] if isinstance(issuer, str) else list(issuer)
    body = doc.paragraphs[-1]
    body.paragraph_format.keep_with_next = True
    if attachments:
        blank(doc, keep_with_next=True)
        for n, name in enumerate(attachments, start=1):
            if len(attachments) == 1:
                text, hang = f"附件：{name}", 3
            else:
                text, hang = f"{'附件：' if n == 1 else ''}{n}．{name}", 5
            p = paragraph(doc, text, indent=False, keep_with_next=True, left_indent=SIZE_3 * (2 + hang))
            p.paragraph_format.first_line_indent = -SIZE_3 * hang if n == 1 else -SIZE_3 * (hang - 3)
    blank(doc, keep_with_next=True)
    blank(doc, keep_with_next=True)
    dated = cn_date(when)
    widest = max(width(name) for name in issuers)
    centre = max(4 + width(dated) / 2, widest / 2)  # the shared centre, in characters from the right edge
    for name in issuers:
        p = paragraph(doc, name, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False, keep_with_next=True,
                      right_indent=Pt(SIZE_3.pt * max(centre - width(name) / 2, 0)))
        p.paragraph_format.keep_together = True
    paragraph(doc, dated, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False,
              right_indent=Pt(SIZE_3.pt * (centre - width(dated) / 2)))


def attachment(doc, n: int | None, title: str, landscape: bool = False) -> None:
    """An 附件 on a new page: “附件1” in 黑体 flush left on the first line, its title centred on the third."""
    new_page = not landscape and doc.sections[-1].orientation != WD_ORIENT.LANDSCAPE
    if doc.sections[-1].orientation == WD_ORIENT.LANDSCAPE and not landscape:
        portrait_section(doc)
        new_page = False
    elif landscape:
        landscape_section(doc)
    label = "附件" if n is None else f"附件{n}"
    paragraph(doc, label, HEADING_FONT, indent=False, keep_with_next=True, page_break_before=new_page)
    blank(doc, keep_with_next=True)
    paragraph(doc, title_lines(title), TITLE_FONT, SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False,
              line=Pt(35), keep_with_next=True)
    blank(doc, keep_with_next=True)


def picture(doc, blob: bytes, width_mm: float = 150) -> None:
    """A centred picture on a line of its own height (the body's exact 28 pt would clip it)."""
    doc.add_picture(io.BytesIO(blob), width=Mm(width_mm))
    p = doc.paragraphs[-1]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _no_grid(p)


def page_break(doc) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


# ---- page numbers ----

def _page_number_paragraph(p, align, indent_side: str) -> None:
    p.alignment = align
    fmt = p.paragraph_format
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, SIZE_4
    fmt.space_before = fmt.space_after = Pt(0)
    setattr(fmt, indent_side, SIZE_4)  # one character in from the 版心's edge
    _no_grid(p)
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


def _page_numbers(section) -> None:
    """“— N —” in 4号 宋体: odd pages right, even pages left, one character in (§7.5)."""
    _page_number_paragraph(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT, "right_indent")
    _page_number_paragraph(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT, "left_indent")


# ---- tables ----

NUMBER = re.compile(r"\d{4}年\d{1,2}月(?:\d{1,2}日)?|[−+\-]?[\d][\d,.]*%?")  # dates and figures
CELL_PAD = 2 * 5.4 + 1  # pt: the 'Table Grid' cell margins and a little air


def _min_width(text: str) -> float:
    """The narrowest a cell may be, in characters: its longest date or number (they never break), and a
    short text (up to 5 characters, 兰州经开区) whole."""
    numbers = [cell_width(m.group()) for m in NUMBER.finditer(text)]
    return max(numbers + [min(cell_width(text), 5.0)])


def fit_widths(header: Sequence[str], rows: Sequence[Sequence[str]], total: float, size: float = 12.0,
               min_chars: Sequence[float] | None = None) -> list[float]:
    """Column widths in pt that fill `total`: each column gets at least its longest number (and `min_chars`),
    then the room left goes to the columns whose text is longer, in proportion to what they lack."""
    n = len(header)
    natural = [max([width(header[j]) * 0.5] + [cell_width(str(r[j])) for r in rows]) * size + CELL_PAD
               for j in range(n)]
    least = [max([_min_width(str(r[j])) for r in rows] + [min(width(header[j]), 2.0),
                                                          (min_chars or [0] * n)[j]]) * size + CELL_PAD
             for j in range(n)]
    natural = [max(a, b) for a, b in zip(natural, least, strict=True)]
    if sum(natural) <= total:
        extra = total - sum(natural)
        return [w + extra * w / sum(natural) for w in natural]
    if sum(least) >= total:
        return [w * total / sum(least) for w in least]
    # the room left goes where the text overflows most, summed over the rows (the lines a column would add),
    # no column wider than its longest cell
    lack = [sum(max(0.0, cell_width(str(r[j])) * size + CELL_PAD - least[j]) for r in rows) for j in range(n)]
    widths, room, open_ = list(least), total - sum(least), set(range(n))
    while room > 0.5 and open_ and sum(lack[j] for j in open_) > 0:
        weight = sum(lack[j] for j in open_)
        step = {j: room * lack[j] / weight for j in open_}
        room = 0.0
        for j, add in step.items():
            grown = min(widths[j] + add, natural[j])
            room += widths[j] + add - grown
            widths[j] = grown
            if grown >= natural[j]:
                open_.discard(j)
    if room > 0.5:  # every column at its longest cell: spread the rest
        widths = [w + room * w / sum(widths) for w in widths]
    return widths


def text_width(doc) -> float:
    """The current section's 版心 width in pt."""
    s = doc.sections[-1]
    return (s.page_width - s.left_margin - s.right_margin) / 12700


def _flag(parent, tag: str) -> None:
    el = OxmlElement(tag)
    el.set(qn("w:val"), "true")
    parent.append(el)


def table(doc, header: Sequence[str], rows: Sequence[Sequence[str]], aligns: Sequence[str] | None = None,
          size=SIZE_SMALL_4, widths: Sequence[float] | None = None, min_chars: Sequence[float] | None = None):
    """A 'Table Grid' table as wide as the 版心, widths fitted to its content (pt, or `widths` in pt) in the
    grid and in every cell; the heading row repeats on each page and stays with the first row and with the
    text before the table; rows do not split across pages.
    `aligns`: per column "l", "c" or "r" (numbers right)."""
    n = len(header)
    cols = list(widths) if widths else fit_widths(header, rows, text_width(doc), size.pt, min_chars)
    body = doc.element.body
    last = body[-2] if len(body) > 1 and body[-1].tag == qn("w:sectPr") else body[-1]
    if last.tag == qn("w:p"):  # the text that introduces the table stays on its page
        last.get_or_add_pPr().get_or_add_keepNext()
    t = doc.add_table(rows=1 + len(rows), cols=n)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    tbl_w = t._tbl.tblPr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        t._tbl.tblPr.append(tbl_w)
    tbl_w.set(qn("w:w"), str(round(sum(cols) * 20)))
    tbl_w.set(qn("w:type"), "dxa")
    for col, w in zip(t.columns, cols, strict=True):
        col.width = Pt(w)
    where = {"l": WD_ALIGN_PARAGRAPH.LEFT, "c": WD_ALIGN_PARAGRAPH.CENTER, "r": WD_ALIGN_PARAGRAPH.RIGHT}
    for i, row in enumerate(t.rows):
        tr_pr = row._tr.get_or_add_trPr()
        _flag(tr_pr, "w:cantSplit")
        if i == 0:
            _flag(tr_pr, "w:tblHeader")
        values = header if i == 0 else rows[i - 1]
        for j, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            cell.width = Pt(cols[j])
            align = "c" if i == 0 else (aligns[j] if aligns else "l")
            cell_text(cell, str(value), bold=i == 0, align=where[align], size=size)
            if i == 0:  # the heading row stays with the first row
                cell.paragraphs[0].paragraph_format.keep_with_next = True
    return t


def cell_text(cell, text: str, bold: bool = False, align=WD_ALIGN_PARAGRAPH.CENTER, size=SIZE_SMALL_4,
              font: str | None = None) -> None:
    p = cell.paragraphs[0]
    p.alignment = align
    fmt = p.paragraph_format
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(size.pt * 1.3)
    fmt.space_before = fmt.space_after = Pt(0)
    _no_grid(p)
    set_font(p.add_run(text), font or (HEADING_FONT if bold else BODY_FONT), size)


# ---- bytes ----

def save(doc, when: date) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return deterministic(out.getvalue(), when)


def deterministic(blob: bytes, when: date) -> bytes:
    """The same data gives the same bytes: fixed zip timestamps (python-docx stamps the current time)."""
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    src, out = zipfile.ZipFile(io.BytesIO(blob)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=stamp), src.read(info.filename),
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
