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
    previous_growth: float | None = None  # the same over the previous month's cumulative (1—10月 for 1—11月)
    previous_label: str = ""
    scale: float = 1.0  # 1e4 when 万元 are shown in 亿元
    coverage: str = ""  # 合计覆盖 N 个园区，缺 M 个：…
    growth: str = "yoy_cumulative"  # the zones' growth shown: yoy_real where the 统计局 reported real growth
    span: str = ""  # 一季度 … 全年 for a quarterly indicator (地区生产总值), else "" (the bulletin's 1—n月)

    @property
    def growth_name(self) -> str:
        return "可比价增速" if self.growth == "yoy_real" else "现价增长"

    @property
    def shown_unit(self) -> str:
        return LARGE_UNITS[self.unit] if self.scale != 1 else self.unit

    def amount(self, x: float | None) -> str:
        return _num(None if x is None else x / self.scale)


def _coverage(data: BulletinData, rows: list[dict]) -> str:
    valued = {r["zone_code"] for r in rows if r["value"] is not None}
    why = {c: "未审核" for c in data.pending_zones} | {c: "已退回待重报" for c in data.returned_zones}
    why |= {c: "未报送" for c in [*data.missing_zones, *data.overdue_zones]}
    missing = [(name, why.get(code, "无该指标数据")) for code, name in data.zone_names.items() if code not in valued]
    return coverage_text(len(valued), missing)


def _growth(rows: list[dict]) -> float | None:
    """The current-price growth of the zones' total over those with a comparable base (extremes included:
    the total's base is not tiny)."""
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
    real = "yoy_real" if any(r.get("yoy_real") is not None for r in valued) else "yoy_cumulative"
    span = indicator_period(data.period, key)
    span = "" if span == period_label(data.period) else span.removeprefix(f"{data.period[:4]}年")
    unit = "" if u == "fraction" else u
    total = sum(r["value"] for r in valued)
    previous = _previous_period(data.period) if not span else None  # a quarterly figure has no previous month
    before = _growth([r for r in data.rows if r["period"] == previous and r["indicator"] == key]) if previous else None
    return _Indicator(key, indicator_label(key), unit, rows, total, _growth(rows), before,
                      period_label(previous).removeprefix(f"{data.period[:4]}年") if previous else "",
                      1e4 if unit in LARGE_UNITS and total >= 1e4 else 1.0, _coverage(data, rows), real, span)


def _names(data: BulletinData, codes) -> str:
    return "、".join(data.zone_names.get(c, c) for c in codes)


def summary(data: BulletinData, ind: _Indicator) -> str:
    """One paragraph on an indicator: total and growth (and its change from the previous month), the zones
    growing fastest and how far above the average, the zones falling, the zones without a comparable base."""
    name = lambda r: data.zone_names.get(r["zone_code"], r["zone_code"])  # noqa: E731
    valued = [r for r in ind.rows if r["value"] is not None]
    if not valued:
        return f"{ind.label}：本期无数据。"
    text = f"{ind.label}：{len(valued)}个园区{ind.span}累计完成{ind.amount(ind.total)}{ind.shown_unit}"
    if ind.total_growth is not None:  # from current-price levels: never the official (comparable-price) rate
        text += f"，现价{_rate(ind.total_growth)}"
        if ind.previous_growth is not None:
            change = _points(ind.total_growth, ind.previous_growth)
            text += f"，增速与{ind.previous_label}持平" if change == "持平" else \
                f"，增速比{ind.previous_label}{change}"
    g = ind.growth
    growing = sorted((r for r in valued if r.get(g) is not None and not _extreme(r, g)),
                     key=lambda r: -r[g])  # an extreme rate (tiny base) is not compared
    rising = [r for r in growing if r[g] > 0][: data.top]
    falling = sorted((r for r in growing if r[g] < 0), key=lambda r: r[g])
    if rising:
        text += "。" + ("按可比价计算，" if g == "yoy_real" else "") + "、".join(
            f"{name(r)}（{_rate(r[g])}）" for r in rising) + "增速居前"
        if g == "yoy_cumulative" and ind.total_growth is not None and all(
                round((r[g] - ind.total_growth) * 100, 1) > 0 for r in rising):  # the average is at current prices
            points = "、".join(f"{(r[g] - ind.total_growth) * 100:.1f}" for r in rising)
            text += f"，{'分别' if len(rising) > 1 else ''}高于全省平均水平{points}个百分点"
    if falling:
        text += "；" + "、".join(f"{name(r)}同比{_rate(r[g])}" for r in falling)
    elif growing:
        text += "；各园区均实现增长" if len(rising) == len(growing) else "；无同比下降的园区"
    extreme = [r for r in valued if _extreme(r, g)]
    if extreme:
        text += "；" + "、".join(f"{name(r)}（{_rate(r[g])}）" for r in extreme) + (
            "上年同期基数过小，增速异常，未参与增速比较")
    fallback = "未报送可比价增速" if g == "yoy_real" else "缺少可比基数，未计算增速"
    worded: dict[str, list[str]] = {}
    for r in (r for r in valued if r.get(g) is None):
        worded.setdefault((r.get("notes") or {}).get(g) or fallback, []).append(name(r))
    for note, names in worded.items():
        text += "；" + "、".join(names) + note
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



def _table(doc, data: BulletinData, ind: _Indicator, last: bool = False, coverage: bool = True) -> None:
    """One indicator's table; its own notes (coverage, extreme and revised marks) below it, the general note
    after the last table, kept with it so that it does not stand alone on a page."""
    unit = f"（{ind.shown_unit}）" if ind.shown_unit else ""
    real = ind.growth == "yoy_real"
    head = ["园区", f"{ind.span}累计值{unit}", "现价增长", *(["可比价增速"] if real else []), SHARE, "排名"]
    rows = [[data.zone_names.get(r["zone_code"], r["zone_code"]), ind.amount(r["value"]), growth_text(r),
             *([_pct(r.get("yoy_real"))] if real else []), _pct(r.get("share_province")),
             DASH if r.get("rank") is None else str(r["rank"])] for r in ind.rows]
    rows.append(["合计", ind.amount(ind.total), _pct(ind.total_growth), *([""] if real else []), "", ""])
    t = table(doc, head, rows, aligns="lrr" + ("r" if real else "") + "rc")
    notes = [ind.coverage] if coverage and ind.coverage else []
    if any(_extreme(r) for r in ind.rows):
        notes.append(f"标“{EXTREME_MARK}”的增速超过±{EXTREME_RATE * 100:.0f}%（平台默认阈值，非官方口径），"
                     "上年同期基数过小，不参与增速比较")
    if any(r.get("base_revised") is not None and r.get("yoy_cumulative") is not None for r in ind.rows):
        notes.append(f"标“{REVISED_MARK}”的增速按园区报送的上年同期调整值（可比口径）计算")
    if real:
        notes.append("“可比价增速”为统计部门按可比价格核算报送的增速")
    if last:
        notes = [*NOTES, *notes]
    if notes:
        for cell in t.rows[-1].cells:
            cell.paragraphs[0].paragraph_format.keep_with_next = True
        paragraph(doc, "注：" + "；".join(notes) + "。", size=SIZE_SMALL_4, indent=False, line=Pt(20))
    else:
        blank(doc)


NOTES = ("“—”表示无数据或缺少可比基数（上年同期缺失），不计算；上年同期为零或为负的写明由亏转盈、增亏、减亏等",
         "“现价增长”按现价累计值计算，合计增速为有可比基数园区的现价增长",
         f"{SHARE}为占本期已审核园区合计的比重，非统计局公布的全省数")


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
        ax.annotate(signed(v, f"{abs(v):.1f}%") if v < 0 else f"+{v:.1f}%", (v, y), xytext=(3 if v >= 0 else -3, 0), textcoords="offset points",
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

def bulletin_title(period: str, title: str | None = None) -> str:
    return title or f"关于{period_label(period)}全省开发区经济运行情况的通报"


def build_bulletin(data: BulletinData) -> bytes:
    """The bulletin as .docx bytes. Raises MissingCJKFont when charts are asked for and no CJK font exists."""
    month = int(data.period[5:]) if len(data.period) == 7 and data.period[5:].isdigit() else None
    # a quarterly indicator (地区生产总值) only at quarter ends; one reported 1—2月 merged not in January
    indicators = [_indicator(data, key) for key in data.indicators if month is None or reported_in_month(key, month)]
    charts = [growth_chart(data, ind) if data.charts else None for ind in indicators]  # fail before layout
    label = period_label(data.period)

    title = bulletin_title(data.period, data.title)
    doc = new_document(title, data.issuer, data.issue_date)
    masthead(doc, data.masthead or f"{data.issuer}文件", data.document_number)
    title_block(doc, title, data.addressee)
    paragraph(doc, f"根据各园区报送并经审核的数据，现将{label}全省开发区主要经济指标完成情况通报如下：")

    section = iter(NUMERALS)
    heading(doc, f"{next(section)}、总体情况")
    common = {ind.coverage for ind in indicators}  # the zones covered, said once when the same for all
    if len(common) == 1:
        paragraph(doc, f"本通报各指标{common.pop()}。")
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
        _table(doc, data, ind, last=i == len(indicators) - 1, coverage=len({i.coverage for i in indicators}) > 1)
    if len(annexes) > 1:
        attachment(doc, 2, annexes[1])
        for chart in charts:
            if chart:
                picture(doc, chart)
    return save(doc, data.issue_date)
