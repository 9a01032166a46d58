"""The monthly bulletin (经济运行情况通报) as a Word document, from plain data (no database).

`build_bulletin(data) -> bytes` lays out a 公文 after GB/T 9704-2012 (`jingkai.documents`): red 版头
(甘肃省商务厅文件, 发文字号, red line), title, 主送机关, then the 正文 — 总体情况 (one paragraph per indicator:
amounts in 亿元, growth, its change from the previous month and the leaders' lead over the average in 个百分点,
falls said with 下降), 运行分析, 数据报送情况, 下一步工作要求 — the 附件说明, 署名 over 成文日期, and the
tables (附件1) and growth charts (附件2) on their own pages.

Everything is written from the figures. The charts are drawn with a CJK font; without one the build stops
with a clear message instead of drawing empty boxes.
"""

import io
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from docx.shared import Pt

from jingkai.documents import (
    DASH,
    NUMERALS,
    SIZE_SMALL_4,
    attachment,
    blank,
    cn_date,
    heading,
    masthead,
    new_document,
    paragraph,
    picture,
    save,
    signature,
    signed,
    table,
    title_block,
)
from jingkai.engines.monitoring import indicator_label, indicator_unit

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
    document_number: str | None = None  # 发文字号, e.g. 甘商运通〔2026〕11号
    addressee: str = "各市州商务局，各国家级经济技术开发区管委会："  # 主送机关
    masthead: str | None = None  # 发文机关标志; default: the issuer + 文件
    top: int = 3  # how many of the fastest-growing zones the summary names
    charts: bool = True


def document_number(text: str | None) -> str | None:
    """发文字号 as GB/T 9704 §7.2.4 writes it: the year in 六角括号 (甘商运通〔2026〕11号), whatever brackets were
    typed ([2026], (2026), （2026）, 【2026】); empty: none."""
    text = (text or "").strip()
    if not text:
        return None
    return re.sub(r"[\[(（【［〔]\s*(\d{4})\s*[\])）】］〕]", r"〔\1〕", text)


def period_label(period: str) -> str:
    year, _, month = period.partition("-")
    if not month:
        return f"{year}年"
    if month.startswith("Q"):
        return f"{year}年{['一季度', '上半年', '前三季度', '全年'][int(month[1]) - 1]}"
    m = int(month)
    return f"{year}年1月" if m == 1 else f"{year}年1—{m}月"


def _num(x: float | None, digits: int = 2) -> str:
    """A figure as an official text writes it: no thousands separators, the Chinese minus (−)."""
    return DASH if x is None else signed(x, f"{abs(x):.{digits}f}")


def _pct(x: float | None, signed_: bool = False) -> str:
    """A rate in per cent with one decimal, “+” only when asked for, the Chinese minus when negative."""
    if x is None:
        return DASH
    text = f"{abs(x) * 100:.1f}%"
    return signed(x, text) if x < 0 or not signed_ else f"+{text}"


def _rate(x: float) -> str:
    """增长20.0% / 下降10.0% (a fall is said with 下降, never with a minus sign)."""
    return f"{'增长' if x >= 0 else '下降'}{abs(x) * 100:.1f}%"


def _points(now: float, before: float, up: str = "提高", down: str = "回落") -> str:
    """The change of a rate in 个百分点: 提高1.2个百分点 / 回落0.3个百分点 / 持平."""
    diff = round((now - before) * 100, 1)
    if diff == 0:
        return "持平"
    return f"{up if diff > 0 else down}{abs(diff):.1f}个百分点"


# 万元 figures of 1亿 and more are written in 亿元 (4252.84亿元), as the province's bulletins do
LARGE_UNITS = {"万元": "亿元", "万美元": "亿美元"}


@dataclass
class _Indicator:
    key: str
    label: str
    unit: str
    rows: list[dict]  # sorted by rank, zones without a value last
    total: float
    total_growth: float | None  # over the zones with a comparable base
    previous_growth: float | None = None  # the same over the previous month's cumulative (1—10月 for 1—11月)
    previous_label: str = ""
    scale: float = 1.0  # 1e4 when 万元 are shown in 亿元

    @property
    def shown_unit(self) -> str:
        return LARGE_UNITS[self.unit] if self.scale != 1 else self.unit

    def amount(self, x: float | None) -> str:
        return _num(None if x is None else x / self.scale)


def _growth(rows: list[dict]) -> float | None:
    comparable = [r for r in rows if r["value"] is not None and r.get("yoy_cumulative") is not None]
    now = sum(r["value"] for r in comparable)
    base = sum(r["value"] / (1 + r["yoy_cumulative"]) for r in comparable)
    return now / base - 1 if comparable and base > 0 else None


def _previous_period(period: str) -> str | None:
    """The previous cumulative period of the same year (2026-10 for 2026-11), None for January or a year."""
    year, _, month = period.partition("-")
    if not month or month.startswith("Q") or int(month) <= 1:
        return None
    return f"{year}-{int(month) - 1:02d}"


def _indicator(data: BulletinData, key: str) -> _Indicator:
    rows = [r for r in data.rows if r["period"] == data.period and r["indicator"] == key]
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["zone_code"]))
    valued = [r for r in rows if r["value"] is not None]
    u = indicator_unit(key)
    unit = "" if u == "fraction" else u
    total = sum(r["value"] for r in valued)
    previous = _previous_period(data.period)
    before = _growth([r for r in data.rows if r["period"] == previous and r["indicator"] == key]) if previous else None
    return _Indicator(key, indicator_label(key), unit, rows, total, _growth(rows), before,
                      period_label(previous).removeprefix(f"{data.period[:4]}年") if previous else "",
                      1e4 if unit in LARGE_UNITS and total >= 1e4 else 1.0)


def _names(data: BulletinData, codes) -> str:
    return "、".join(data.zone_names.get(c, c) for c in codes)


def summary(data: BulletinData, ind: _Indicator) -> str:
    """One paragraph on an indicator: total and growth (and its change from the previous month), the zones
    growing fastest and how far above the average, the zones falling, the zones without a comparable base."""
    name = lambda r: data.zone_names.get(r["zone_code"], r["zone_code"])  # noqa: E731
    valued = [r for r in ind.rows if r["value"] is not None]
    if not valued:
        return f"{ind.label}：本期无数据。"
    text = f"{ind.label}：{len(valued)}个园区累计完成{ind.amount(ind.total)}{ind.shown_unit}"
    if ind.total_growth is not None:
        text += f"，可比口径同比{_rate(ind.total_growth)}"
        if ind.previous_growth is not None:
            change = _points(ind.total_growth, ind.previous_growth)
            text += f"，增速与{ind.previous_label}持平" if change == "持平" else \
                f"，增速比{ind.previous_label}{change}"
    growing = sorted((r for r in valued if r.get("yoy_cumulative") is not None), key=lambda r: -r["yoy_cumulative"])
    rising = [r for r in growing if r["yoy_cumulative"] > 0][: data.top]
    falling = sorted((r for r in growing if r["yoy_cumulative"] < 0), key=lambda r: r["yoy_cumulative"])
    if rising:
        text += "。" + "、".join(f"{name(r)}（{_rate(r['yoy_cumulative'])}）" for r in rising) + "增速居前"
        if ind.total_growth is not None and all(round((r["yoy_cumulative"] - ind.total_growth) * 100, 1) > 0
                                                for r in rising):
            points = "、".join(f"{(r['yoy_cumulative'] - ind.total_growth) * 100:.1f}" for r in rising)
            text += f"，{'分别' if len(rising) > 1 else ''}高于全省平均水平{points}个百分点"
    if falling:
        text += "；" + "、".join(f"{name(r)}同比{_rate(r['yoy_cumulative'])}" for r in falling)
    elif growing:
        text += "；各园区均实现增长" if len(rising) == len(growing) else "；无同比下降的园区"
    no_base = [r for r in valued if r.get("yoy_cumulative") is None]
    if no_base:
        text += "；" + "、".join(name(r) for r in no_base) + "缺少可比基数，未计算增速"
    return text + "。"


def analysis(data: BulletinData, indicators: list[_Indicator]) -> str:
    """运行分析 from the figures: how many indicators grow, faster or slower than last month, and the zones
    falling in more than one indicator."""
    rated = [i for i in indicators if i.total_growth is not None]
    if not rated:
        return "本期各指标缺少可比基数，暂不作增速分析。"
    growth = {i.key: i.total_growth or 0.0 for i in rated}
    up = [i.label for i in rated if growth[i.key] >= 0]
    down = [i.label for i in rated if growth[i.key] < 0]
    text = f"从{len(rated)}项可比指标看，"
    if up:
        text += f"{'、'.join(up)}{'均' if len(up) > 1 else ''}实现同比增长"
    if down:
        text += ("，" if up else "") + f"{'、'.join(down)}同比下降"
    faster = [i.label for i in rated if i.previous_growth is not None and growth[i.key] > i.previous_growth]
    slower = [i.label for i in rated if i.previous_growth is not None and growth[i.key] < i.previous_growth]
    if faster or slower:
        parts = ([f"{'、'.join(faster)}增速加快"] if faster else []) + ([f"{'、'.join(slower)}增速放缓"] if slower else [])
        text += "；与上月相比，" + "，".join(parts)
    text += "。"
    falls: dict[str, list[str]] = {}
    for ind in rated:
        for r in ind.rows:
            if r.get("yoy_cumulative") is not None and r["yoy_cumulative"] < 0:
                falls.setdefault(r["zone_code"], []).append(ind.label)
    several = {z: labels for z, labels in falls.items() if len(labels) > 1}
    if several:
        text += "；".join(f"{_names(data, [z])}{'、'.join(labels)}{len(labels)}项指标同比下降" for z, labels in
                         sorted(several.items())) + "，需重点关注。"
    elif falls:
        text += "、".join(f"{_names(data, [z])}{labels[0]}" for z, labels in sorted(falls.items())) + \
            "同比下降，需加强调度。"
    else:
        text += "各园区主要指标均未出现同比下降。"
    return text


def requirements(data: BulletinData, indicators: list[_Indicator]) -> list[str]:
    """下一步工作要求 from the figures: the falling zones to analyse, the late zones to report on time."""
    falling = sorted({r["zone_code"] for i in indicators for r in i.rows
                      if r.get("yoy_cumulative") is not None and r["yoy_cumulative"] < 0})
    out = ["一是强化运行调度。各园区要紧盯全年目标任务，加强重点企业、重点项目跟踪服务，推动主要指标稳中有进。"]
    if falling:
        out.append(f"二是补齐短板弱项。{_names(data, falling)}要认真分析指标下降原因，制定针对性措施，"
                   "尽快扭转下滑态势。")
    else:
        out.append("二是巩固向好态势。各园区要保持工作力度，巩固主要指标增长势头。")
    late = data.overdue_zones + data.returned_zones + data.late_zones
    if late:
        out.append(f"三是严格数据报送。{_names(data, late)}要严格落实经济运行通报制度，按时、准确报送数据。")
    else:
        out.append("三是严格数据报送。各园区要继续按时、准确报送数据，确保数据真实完整。")
    return out


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
    due = f"本期数据报送截止日为{cn_date(data.due)}。" if data.due else ""
    if not parts:
        return due + "各园区均按时报送本期数据。"
    text = due + "截至发文日，" + "；".join(parts) + "。"
    if data.overdue_zones or data.returned_zones or data.pending_zones or data.missing_zones:
        text += "未报送、待重报和待审核园区的数据未纳入本通报。"
    if data.overdue_zones or data.returned_zones or data.late_zones:
        text += "请相关园区严格落实经济运行通报制度，按时报送数据。"
    return text


def _table(doc, data: BulletinData, ind: _Indicator, last: bool = False) -> None:
    unit = f"（{ind.shown_unit}）" if ind.shown_unit else ""
    head = ["园区", f"累计值{unit}", "累计同比", "占全省比重", "排名"]
    rows = [[data.zone_names.get(r["zone_code"], r["zone_code"]), ind.amount(r["value"]),
             _pct(r.get("yoy_cumulative")), _pct(r.get("share_province")),
             DASH if r.get("rank") is None else str(r["rank"])] for r in ind.rows]
    rows.append(["合计", ind.amount(ind.total), _pct(ind.total_growth), "", ""])
    t = table(doc, head, rows, aligns="lrrrc")
    if last:  # the note follows the last table and does not stand alone on a page
        for cell in t.rows[-1].cells:
            cell.paragraphs[0].paragraph_format.keep_with_next = True
        paragraph(doc, NOTE, size=SIZE_SMALL_4, indent=False, line=Pt(20))
    else:
        blank(doc)


NOTE = "注：“—”表示无数据或缺少可比基数（上年同期缺失、为零或为负），不计算；合计增速按可比口径计算。"


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

    rows = sorted((r for r in ind.rows if r.get("yoy_cumulative") is not None), key=lambda r: r["yoy_cumulative"])
    if not rows:
        return None
    font = cjk_font()
    names = [data.zone_names.get(r["zone_code"], r["zone_code"]) for r in rows]
    values = [r["yoy_cumulative"] * 100 for r in rows]
    fig = Figure(figsize=(6.3, 0.9 + 0.32 * len(rows)), dpi=150)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    colors = ["#c0392b" if v >= 0 else "#2e7d32" for v in values]  # Chinese convention: red up, green down
    ax.barh(names, values, color=colors)
    ax.axvline(0, color="#555", linewidth=0.8)
    for y, v in enumerate(values):
        ax.annotate(signed(v, f"{abs(v):.1f}%") if v < 0 else f"+{v:.1f}%", (v, y), xytext=(3 if v >= 0 else -3, 0), textcoords="offset points",
                    ha="left" if v >= 0 else "right", va="center", fontsize=8, fontfamily=font)
    ax.set_title(f"{period_label(data.period)}各园区{ind.label}累计同比增速", fontfamily=font, fontsize=11)
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
    indicators = [_indicator(data, key) for key in data.indicators]
    charts = [growth_chart(data, ind) if data.charts else None for ind in indicators]  # fail before layout
    label = period_label(data.period)

    title = data.title or f"关于{label}全省开发区经济运行情况的通报"
    doc = new_document(title, data.issuer, data.issue_date)
    masthead(doc, data.masthead or f"{data.issuer}文件", data.document_number)
    title_block(doc, title, data.addressee)
    paragraph(doc, f"根据各园区报送并经审核的数据，现将{label}全省开发区主要经济指标完成情况通报如下：")

    section = iter(NUMERALS)
    heading(doc, f"{next(section)}、总体情况")
    for ind in indicators:
        paragraph(doc, summary(data, ind))
    heading(doc, f"{next(section)}、运行分析")
    paragraph(doc, analysis(data, indicators))
    heading(doc, f"{next(section)}、数据报送情况")
    paragraph(doc, reporting_summary(data))
    heading(doc, f"{next(section)}、下一步工作要求")
    for text in requirements(data, indicators):
        paragraph(doc, text)

    annexes = [f"{label}各园区主要经济指标完成情况表"]
    if any(charts):
        annexes.append(f"{label}各园区主要经济指标增速图")
    signature(doc, data.issuer, data.issue_date, annexes)

    attachment(doc, 1 if len(annexes) > 1 else None, annexes[0])
    for i, ind in enumerate(indicators):
        heading(doc, f"{'（' + NUMERALS[i] + '）' if i < 10 else str(i + 1) + '．'}{ind.label}", level=2)
        _table(doc, data, ind, last=i == len(indicators) - 1)
    if len(annexes) > 1:
        attachment(doc, 2, annexes[1])
        for chart in charts:
            if chart:
                picture(doc, chart)
    return save(doc, data.issue_date)
