"""Exports of a stored run: the ranking as an Excel workbook, a zone's scorecard as a Word document. Both read
the selectors' typed results (`Ranking`, `Scorecard`), the same the pages show."""

from __future__ import annotations

from datetime import date

from jingkai.documents import (
    DASH,
    cn_date,
    paragraph,
    report_opening,
    save,
    signature,
    table,
)
from jingkai.evaluation.results import GROUP_KEY
from jingkai.evaluation.selectors import Ranking, Scorecard, region_label
from jingkai.spreadsheets import INTEGER, NUMBER, PERCENT, Book, Col, chinese_date

ISSUER = "甘肃省商务厅"


def ranking_xlsx(ranking: Ranking) -> bytes:
    """Sheets 排名 (Gansu's zones highlighted, region bottom five marked), 说明 (methodology, hashes)
    and 口径待核实 (the methodology's unverified items), laid out by jingkai.spreadsheets."""
    run, meth, rows, groups = ranking.run, ranking.meth, ranking.rows, ranking.groups
    has_sens = ranking.has_sensitivity
    title = f"{run.methodology_name}排名（{run.year}年度数据，{ranking.region_label}）"
    book = Book(title=title, as_of=run.created_at.date(), subject="综合发展水平评价")
    columns = [Col("全国排名", INTEGER, 7), Col("地区排名", INTEGER, 7), Col("园区代码", width=9),
               Col("园区名称", width=28, wrap=True), Col("省份", width=9), Col("地区", width=7),
               Col("综合得分", NUMBER, 8), *[Col(g.name, NUMBER, 8, wrap=True) for g in groups],
               Col("加分", NUMBER, 6), Col("地区后五名", width=7)]
    if has_sens:
        columns += [Col("中位排名", NUMBER, 7, decimals=0), Col("排名区间5%", NUMBER, 7, decimals=0),
                    Col("排名区间95%", NUMBER, 7, decimals=0), Col("落入地区后五名概率", PERCENT, 9)]
    lines = []
    for r in rows:
        values = [r.rank, r.region_rank, r.unit, r.name, r.province or "", region_label(r.region), r.score]
        values += [r.scores.get(g.code) for g in groups] + [r.bonus, "是" if r.bottom5 else ""]
        if has_sens:
            lo, hi = r.rank_interval or (None, None)
            values += [r.median_rank, lo, hi, r.bottom5_probability]
        lines.append(values)
    computed = chinese_date(run.created_at.date())
    table = book.table("排名", columns, lines, title=title, freeze_columns=4, autofilter=True,
                       subtitle=f"底色标注的为甘肃省园区　计算时间：{computed}　结果仅供内部研判，以商务部正式考核结果为准")
    highlighted = {c: book.format(c, bg_color="#FFF4D6") for c in columns}
    for i, (r, values) in enumerate(zip(rows, lines, strict=True)):
        if r.gansu:
            for j, (c, v) in enumerate(zip(columns, values, strict=True)):
                book.write(table.sheet, table.first_row + i, j, v, c, highlighted[c])

    source = meth.source or {}
    book.notes("说明", f"{title}说明", [
        ("评价方法", f"{run.methodology_name}（{run.methodology}）"), ("版本", run.methodology_version),
        ("依据", source.get("document") or ""), ("发布日期", str(source.get("issued") or "")),
        ("数据年度", f"{run.year}年"), ("范围", ranking.region_label),
        ("参与排名园区数", str(ranking.n_reference)),
        ("计算时间", f"{run.created_at:%Y-%m-%d %H:%M}"),
        ("评价方法摘要（SHA-256）", run.methodology_hash), ("输入数据摘要（SHA-256）", run.input_hash),
        ("说明", "底色标注的为甘肃省园区。二级指标口径、权重与计分公式未经官方文本核实，"
                "结果仅供内部研判，以商务部正式考核结果为准。"),
    ])
    items = meth.unverified_items()
    if items:
        book.table("口径待核实", [Col("代码", width=24), Col("名称", width=36, wrap=True),
                                  Col("待核实内容", width=80, wrap=True)],
                   [[item["code"], item["name"], item["reason"]] for item in items],
                   title=f"{run.methodology_name}口径待核实事项")
    return book.close()


def _n(x, digits=2) -> str:
    return DASH if x is None else f"{x:,.{digits}f}"


def scorecard_docx(c: Scorecard, issued: date) -> bytes:
    """The zone's scorecard as a 公文 of jingkai.documents (GB/T 9704): title, 一、… headings, fitted tables
    with repeating heading rows, 署名 and 成文日期 (`issued`, also the created date: the same data and day give
    the same bytes)."""
    zone, run, rec = c.zone, c.run, c.rec
    title = f"{zone.name}{run.year}年度综合发展水平评价得分卡"
    doc, part = report_opening(title, ISSUER, issued, "（内部测算，仅供研判）")

    part("总体情况")
    text = (f"按{run.methodology_name}（版本{run.methodology_version}）测算，{zone.name}{run.year}年度综合得分"
            f"{_n(rec.score)}分，全国第{rec.rank}名（共{c.n_reference}个），"
            f"{c.region_label}第{rec.group_ranks.get(GROUP_KEY)}名（共{c.region_size}个）。")
    sens = c.sens
    if sens:
        lo, hi = sens.rank_interval
        text += (f"在权重、标准化、加总和插补方法的不确定性下，全国排名的5%—95%区间为第{lo:.0f}—{hi:.0f}名，"
                 f"中位排名第{sens.median_rank:.0f}名；落入本地区后五名的概率为"
                 f"{(sens.bottom5_probability or 0) * 100:.0f}%。")
    paragraph(doc, text)

    part("分组得分")
    paragraph(doc, "各分组得分为标准化后的百分制得分，权重为该分组在综合得分中的权重（%）。")
    table(doc, ["分组", "权重（%）", "本园区得分", f"{c.region_label}中位数", "全国中位数"],
          [[g.name, _n(g.weight, 0), _n(g.score), _n(g.region_median), _n(g.national_median)] for g in c.group_rows],
          aligns="lrrrr")

    part("主要拖累指标")
    if c.drags:
        paragraph(doc, "下表为较同地区园区中位数失分最多的指标（失分=标准化得分差×该指标在综合得分中的权重）。")
        table(doc, ["指标", "标准化得分", "同组中位数", "较中位数失分", "较前四分之一失分"],
              [[d["name"] + ("（口径待核实）" if d["unverified"] else ""), _n(d["normalised"]), _n(d["peer_median"]),
                _n(d["lost_vs_median"], 3), _n(d["lost_vs_top_quartile"], 3)] for d in c.drags],
              aligns="lrrrr", min_chars=(0, 5, 5, 6, 6))  # figures' headings on two lines, not three
    else:
        paragraph(doc, "各项指标均不低于同地区园区中位数。")

    part("历年排名")
    table(doc, ["年度", "综合得分", "全国排名", f"{c.region_label}排名"],
          [[str(t.year), _n(t.score), DASH if t.rank is None else str(t.rank), str(t.region_rank or DASH)]
           for t in c.trend], aligns="crrr")

    part("说明")
    paragraph(doc, f"本得分卡由平台按内置评价方法测算。评价方法中有{c.unverified_count}项口径待核实"
                   "（二级指标清单、定义、权重与计分公式未见官方文本），结果以商务部正式考核结果为准。")
    paragraph(doc, f"评价方法摘要：{run.methodology_hash[:16]}；输入数据摘要：{run.input_hash[:16]}；"
                   f"计算时间：{cn_date(run.created_at.date())}。")
    signature(doc, ISSUER, issued)
    return save(doc, issued)
