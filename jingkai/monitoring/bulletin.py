"""The monthly bulletin (经济运行情况通报) as a Word document, from plain data (no database).

`build_bulletin(data) -> bytes` lays out a 公文 after GB/T 9704-2012 without the red header: title in
方正小标宋简体 (2号), 发文字号 when given, numbered sections 一、二、三、 in 黑体, sub-sections （一）in
楷体_GB2312, body in 仿宋_GB2312 (3号, fixed 28 pt lines), issuing body and date at the end, page numbers
“— 1 —”. Fonts are named, not embedded: Word or LibreOffice substitutes what the machine lacks.

The summary is written from the figures: the province's total and its growth, the zones growing fastest,
the zones falling, the zones without a comparable base, and who reported late or not at all. Each indicator
gets a table (zone, value, growth, share, rank) and a bar chart of growth drawn with a CJK font; without a
CJK font the build stops with a clear message instead of drawing empty boxes.
"""

import io
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from jingkai.documents import (
    DASH,
    HEADING_FONT,
    KAI_FONT,
    NUMERALS,
    SIZE_2,
    SIZE_3,
    SIZE_SMALL_4,
    TITLE_FONT,
    cell_text,
    new_document,
    paragraph,
    save,
)
from jingkai.engines.monitoring import EXTREME_RATE, indicator_label, indicator_unit
from jingkai.engines.monitoring.catalogue import period_label as indicator_period
from jingkai.engines.monitoring.catalogue import reported_in_month

CJK_FONTS = ("Noto Sans CJK SC", "Noto Serif CJK SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
             "Source Han Sans SC", "Source Han Serif SC", "Noto Sans CJK", "Noto Serif CJK")


class MissingCJKFont(RuntimeError):
    """No font with Chinese glyphs for the charts."""


@dataclass
class BulletinData:
    """What a bulletin says. `rows` are derived records (`jingkai monitor derive` rows) of `period`;
    rows of other periods are ignored. Zone codes are shown by name through `zone_names`."""

    period: str  # YYYY-MM, cumulative from January
    issuer: str  # 发文机关, e.g. 甘肃省商务厅
    issue_date: date
    rows: list[dict]
    indicators: list[str]  # the indicators to report, in order
    zone_names: dict[str, str] = field(default_factory=dict)
    # 报送情况 on the issue date, by the calendar's due date; each zone is in at most one list (none: on time)
    due: date | None = None  # the period's 报送截止日
    late_zones: list[str] = field(default_factory=list)  # 逾期报送 (reviewed, reported after the due date)
    missing_zones: list[str] = field(default_factory=list)  # 未报送 (the due date has not passed)
    overdue_zones: list[str] = field(default_factory=list)  # 逾期未报送
    returned_zones: list[str] = field(default_factory=list)  # 已退回待重报
    pending_zones: list[str] = field(default_factory=list)  # 已报送待审核
    title: str | None = None
    document_number: str | None = None  # 发文字号, e.g. 甘商务函〔2024〕12号
    top: int = 3  # how many of the fastest-growing zones the summary names
    charts: bool = True


def period_label(period: str) -> str:
    year, _, month = period.partition("-")
    if not month:
        return f"{year}年"
    if month.startswith("Q"):
        return f"{year}年{['一季度', '上半年', '前三季度', '全年'][int(month[1]) - 1]}"
    m = int(month)
    return f"{year}年1月" if m == 1 else f"{year}年1—{m}月"


def _num(x: float | None, digits: int = 2) -> str:
    return DASH if x is None else f"{x:,.{digits}f}"


def _pct(x: float | None, signed: bool = False) -> str:
    return DASH if x is None else f"{x * 100:+.1f}%" if signed else f"{x * 100:.1f}%"


SHARE = "占全省经开区合计比重"
EXTREME_MARK, REVISED_MARK = "※", "△"


def coverage_text(covered: int, missing: list[tuple[str, str]]) -> str:
    """The zones a total (and its shares and ranks) covers: 合计覆盖 N 个园区，缺 M 个：A、B（未审核）….
    `missing`: (zone name, why) of the zones left out."""
    if not missing:
        return f"合计覆盖全部{covered}个园区"
    groups: dict[str, list[str]] = {}
    for name, why in missing:
        groups.setdefault(why, []).append(name)
    text = f"合计覆盖{covered}个园区，缺{len(missing)}个：" + "；".join(
        f"{'、'.join(names)}（{why}）" for why, names in groups.items())
    if {"未审核", "已退回待重报"} & set(groups):
        text += "，未审核数据不计入合计、比重和排名"
    return text


def growth_text(r: dict, field: str = "yoy_cumulative") -> str:
    """A growth cell: the rate; NBS's wording where it is not computed (由亏转盈 …); a mark when extreme
    (※) or computed on a revised 上年同期 (△)."""
    rate = r.get(field)
    if rate is None:
        return (r.get("notes") or {}).get(field) or DASH
    marks = (EXTREME_MARK if (r.get("flags") or {}).get(field) else "") + (
        REVISED_MARK if r.get("base_revised") is not None else "")
    return _pct(rate) + marks


def _extreme(r: dict, field: str = "yoy_cumulative") -> bool:
    return bool((r.get("flags") or {}).get(field))


@dataclass
class _Indicator:
    key: str
    label: str
    unit: str
    rows: list[dict]  # sorted by rank, zones without a value last
    total: float
    total_growth: float | None  # over the zones with a comparable base, at current prices (现价)
    coverage: str = ""  # 合计覆盖 N 个园区，缺 M 个：…
    growth: str = "yoy_cumulative"  # the zones' growth shown: yoy_real where the 统计局 reported real growth
    span: str = ""  # 一季度 … 全年 for a quarterly indicator (地区生产总值), else "" (the bulletin's 1—n月)

    @property
    def growth_name(self) -> str:
        return "可比价增速" if self.growth == "yoy_real" else "现价增长"


def _coverage(data: BulletinData, rows: list[dict]) -> str:
    valued = {r["zone_code"] for r in rows if r["value"] is not None}
    why = {c: "未审核" for c in data.pending_zones} | {c: "已退回待重报" for c in data.returned_zones}
    why |= {c: "未报送" for c in [*data.missing_zones, *data.overdue_zones]}
    missing = [(name, why.get(code, "无该指标数据")) for code, name in data.zone_names.items() if code not in valued]
    return coverage_text(len(valued), missing)


def _indicator(data: BulletinData, key: str) -> _Indicator:
    rows = [r for r in data.rows if r["period"] == data.period and r["indicator"] == key]
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["zone_code"]))
    valued = [r for r in rows if r["value"] is not None]
    comparable = [r for r in valued if r.get("yoy_cumulative") is not None]
    now = sum(r["value"] for r in comparable)
    base = sum(r["value"] / (1 + r["yoy_cumulative"]) for r in comparable)
    growth = now / base - 1 if comparable and base > 0 else None
    u = indicator_unit(key)
    real = "yoy_real" if any(r.get("yoy_real") is not None for r in valued) else "yoy_cumulative"
    span = indicator_period(data.period, key)
    span = "" if span == period_label(data.period) else span.removeprefix(f"{data.period[:4]}年")
    return _Indicator(key, indicator_label(key), "" if u == "fraction" else u, rows,
                      sum(r["value"] for r in valued), growth, _coverage(data, rows), real, span)


def _names(data: BulletinData, codes) -> str:
    return "、".join(data.zone_names.get(c, c) for c in codes)


def summary(data: BulletinData, ind: _Indicator) -> str:
    """One paragraph on an indicator: total, growth, fastest, falling, not comparable."""
    name = lambda r: data.zone_names.get(r["zone_code"], r["zone_code"])  # noqa: E731
    valued = [r for r in ind.rows if r["value"] is not None]
    if not valued:
        return f"{ind.label}：本期无数据。"
    text = f"{ind.label}：{len(valued)}个园区{ind.span}累计{_num(ind.total)}{ind.unit}"
    if ind.total_growth is not None:  # from current-price levels: never the official (comparable-price) rate
        word = "增长" if ind.total_growth >= 0 else "下降"
        text += f"，现价{word}{abs(ind.total_growth) * 100:.1f}%"
    g = ind.growth
    growing = sorted((r for r in valued if r.get(g) is not None and not _extreme(r, g)),
                     key=lambda r: -r[g])  # an extreme rate (tiny base) is not compared
    rising = [r for r in growing if r[g] > 0][: data.top]
    falling = sorted((r for r in growing if r[g] < 0), key=lambda r: r[g])
    lead = "。按可比价计算，增速居前的是" if g == "yoy_real" else "。增速居前的是"
    if rising:
        text += lead + "、".join(f"{name(r)}（{_pct(r[g], True)}）" for r in rising)
    if falling:
        text += "；同比下降的有" + "、".join(f"{name(r)}（{_pct(r[g], True)}）" for r in falling)
    elif growing:
        text += "；无同比下降的园区"
    extreme = [r for r in valued if _extreme(r, g)]
    if extreme:
        text += "；" + "、".join(f"{name(r)}（{_pct(r[g], True)}）" for r in extreme) + (
            "上年同期基数过小，增速异常，未参与增速比较")
    fallback = "未报送可比价增速" if g == "yoy_real" else "缺少可比基数，未计算增速"
    worded: dict[str, list[str]] = {}
    for r in (r for r in valued if r.get(g) is None):
        worded.setdefault((r.get("notes") or {}).get(g) or fallback, []).append(name(r))
    for note, names in worded.items():
        text += "；" + "、".join(names) + note
    return text + "。"


def reporting_summary(data: BulletinData) -> str:
    """报送情况: each zone named once, in the group the calendar puts it in on the issue date."""
    parts = []
    if data.overdue_zones:
        parts.append(f"{_names(data, data.overdue_zones)}逾期未报送本期数据")
    if data.returned_zones:
        parts.append(f"{_names(data, data.returned_zones)}报送的数据经审核退回，待重新报送")
    if data.pending_zones:
        parts.append(f"{_names(data, data.pending_zones)}已报送，数据尚在审核")
    if data.missing_zones:
        parts.append(f"{_names(data, data.missing_zones)}尚未报送本期数据（未到报送截止日）")
    if data.late_zones:
        parts.append(f"{_names(data, data.late_zones)}逾期报送")
    due = f"本期数据报送截止日为{data.due.year}年{data.due.month}月{data.due.day}日。" if data.due else ""
    if not parts:
        return due + "各园区均按时报送本期数据。"
    text = due + "截至发文日，" + "；".join(parts) + "。"
    if data.overdue_zones or data.returned_zones or data.pending_zones or data.missing_zones:
        text += "未报送、待重报和待审核园区的数据未纳入本通报。"
    if data.overdue_zones or data.returned_zones or data.late_zones:
        text += "请相关园区严格落实经济运行通报制度，按时报送数据。"
    return text



def _table(doc, data: BulletinData, ind: _Indicator, coverage: bool = True) -> None:
    unit = f"（{ind.unit}）" if ind.unit else ""
    real = ind.growth == "yoy_real"
    head = ["园区", f"{ind.span}累计值{unit}", "现价增长", *(["可比价增速"] if real else []), SHARE, "排名"]
    table = doc.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        cell_text(cell, text, bold=True)
    right = WD_ALIGN_PARAGRAPH.RIGHT
    for r in ind.rows:
        cells = table.add_row().cells
        cell_text(cells[0], data.zone_names.get(r["zone_code"], r["zone_code"]), align=WD_ALIGN_PARAGRAPH.LEFT)
        cell_text(cells[1], _num(r["value"]), align=right)
        figures = [growth_text(r), *([_pct(r.get("yoy_real"))] if real else []), _pct(r.get("share_province"))]
        for cell, text in zip(cells[2:], figures, strict=False):
            cell_text(cell, text, align=right)
        cell_text(cells[-1], DASH if r.get("rank") is None else str(r["rank"]))
    cells = table.add_row().cells
    total = ["合计", _num(ind.total), _pct(ind.total_growth), *([""] if real else []), "", ""]
    for cell, text in zip(cells, total, strict=True):
        cell_text(cell, text, bold=(text == "合计"), align=right if text and text != "合计" else WD_ALIGN_PARAGRAPH.CENTER)
    notes = ["“—”表示无数据或缺少可比基数（上年同期缺失），不计算；上年同期为零或为负的写明由亏转盈、增亏、减亏等",
             "“现价增长”按现价累计值计算" + ("；“可比价增速”为统计部门按可比价格核算报送的增速" if real else ""),
             f"{SHARE}为占本期已审核园区合计的比重，非统计局公布的全省数" + (f"；{ind.coverage}" if coverage else ""),
             "合计增速为有可比基数园区的现价增长"]
    if any(_extreme(r) for r in ind.rows):
        notes.append(f"标“{EXTREME_MARK}”的增速超过±{EXTREME_RATE * 100:.0f}%（平台默认阈值，非官方口径），"
                     "上年同期基数过小，不参与增速比较")
    if any(r.get("base_revised") is not None and r.get("yoy_cumulative") is not None for r in ind.rows):
        notes.append(f"标“{REVISED_MARK}”的增速按园区报送的上年同期调整值（可比口径）计算")
    paragraph(doc, "注：" + "；".join(notes) + "。", size=SIZE_SMALL_4, indent=False)


# ---- charts ----

@cache
def cjk_font() -> str:
    """The family name of an installed font with Chinese glyphs, or MissingCJKFont."""
    from matplotlib import font_manager

    def installed() -> set[str]:
        return {f.name for f in font_manager.fontManager.ttflist}

    names = installed()
    if not any(n.startswith(c) for n in names for c in CJK_FONTS):  # fonts added after matplotlib's cache
        for path in font_manager.findSystemFonts():
            if any(k in path.lower() for k in ("cjk", "wqy", "sourcehan")):
                font_manager.fontManager.addfont(path)
        names = installed()
    for wanted in CJK_FONTS:
        found = sorted(n for n in names if n.startswith(wanted))
        if found:
            return found[0]
    raise MissingCJKFont(
        "未找到中文字体（Noto Sans CJK、Noto Serif CJK 或文泉驿），无法生成带中文的图表。"
        "请安装字体后重试：apt-get install fonts-noto-cjk（或执行 make system-packages）")


def growth_chart(data: BulletinData, ind: _Indicator) -> bytes | None:
    """A horizontal bar chart of each zone's cumulative growth, as PNG; None when no zone has a growth rate."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    g = ind.growth
    rows = sorted((r for r in ind.rows if r.get(g) is not None and not _extreme(r, g)),
                  key=lambda r: r[g])  # an extreme rate would flatten every other bar
    if not rows:
        return None
    font = cjk_font()
    names = [data.zone_names.get(r["zone_code"], r["zone_code"]) for r in rows]
    values = [r[g] * 100 for r in rows]
    fig = Figure(figsize=(6.3, 0.9 + 0.32 * len(rows)), dpi=150)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    colors = ["#c0392b" if v >= 0 else "#2e7d32" for v in values]  # Chinese convention: red up, green down
    ax.barh(names, values, color=colors)
    ax.axvline(0, color="#555", linewidth=0.8)
    for y, v in enumerate(values):
        ax.annotate(f"{v:+.1f}%", (v, y), xytext=(3 if v >= 0 else -3, 0), textcoords="offset points",
                    ha="left" if v >= 0 else "right", va="center", fontsize=8, fontfamily=font)
    span = f"{data.period[:4]}年{ind.span}" if ind.span else period_label(data.period)
    ax.set_title(f"{span}各园区{ind.label}{ind.growth_name}", fontfamily=font, fontsize=11)
    ax.set_xlabel("增速（%）", fontfamily=font, fontsize=9)
    for tick in ax.get_yticklabels() + ax.get_xticklabels():
        tick.set_fontfamily(font)
        tick.set_fontsize(8)
    ax.margins(x=0.18)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()


# ---- the document ----

def build_bulletin(data: BulletinData) -> bytes:
    """The bulletin as .docx bytes. Raises MissingCJKFont when charts are asked for and no CJK font exists."""
    month = int(data.period[5:]) if len(data.period) == 7 and data.period[5:].isdigit() else None
    # a quarterly indicator (地区生产总值) only at quarter ends; one reported 1—2月 merged not in January
    indicators = [_indicator(data, key) for key in data.indicators if month is None or reported_in_month(key, month)]
    charts = [growth_chart(data, ind) if data.charts else None for ind in indicators]  # fail before layout

    title = data.title or f"关于{period_label(data.period)}全省开发区经济运行情况的通报"
    doc = new_document(title, data.issuer, data.issue_date)

    if data.document_number:
        paragraph(doc, data.document_number, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
        paragraph(doc, "", indent=False)
    paragraph(doc, title, TITLE_FONT, SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    paragraph(doc, "", indent=False)

    sections = ["总体情况", "分指标情况", "数据报送情况"]
    paragraph(doc, f"{NUMERALS[0]}、{sections[0]}", HEADING_FONT)
    paragraph(doc, f"根据各园区报送的数据，现将{period_label(data.period)}全省开发区主要经济指标完成情况通报如下。")
    common = {ind.coverage for ind in indicators}  # the zones covered, said once when the same for all
    if len(common) == 1:
        paragraph(doc, f"本通报各指标{common.pop()}。")
    for ind in indicators:
        paragraph(doc, summary(data, ind))

    paragraph(doc, f"{NUMERALS[1]}、{sections[1]}", HEADING_FONT)
    for i, (ind, chart) in enumerate(zip(indicators, charts, strict=True)):
        paragraph(doc, f"（{NUMERALS[i] if i < 10 else i + 1}）{ind.label}", KAI_FONT)
        _table(doc, data, ind, coverage=len({i.coverage for i in indicators}) > 1)
        if chart:
            doc.add_picture(io.BytesIO(chart), width=Cm(15))
            doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER

    paragraph(doc, f"{NUMERALS[2]}、{sections[2]}", HEADING_FONT)
    paragraph(doc, reporting_summary(data))

    paragraph(doc, "", indent=False)
    paragraph(doc, data.issuer, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False, right_indent=SIZE_3 * 4)
    d = data.issue_date
    paragraph(doc, f"{d.year}年{d.month}月{d.day}日", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False,
               right_indent=SIZE_3 * 4)

    return save(doc, data.issue_date)
