"""The 补链清单 of a zone (措施（四）“紧盯产业链薄弱环节，大力引进关键环节及配套企业”): every missing or weak
link of each chain, the outside firms suggested for it (best first, with why), and who answers for it (the zone's
management committee, with the chain's local 链主 as partner where there is one). Excel through
jingkai.spreadsheets, Word (公文 layout, the list as a landscape 附件) through jingkai.documents."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from jingkai import documents as gw
from jingkai.engines.chains import ChainGap
from jingkai.spreadsheets import INTEGER, NUMBER, Book, Col, chinese_date

GAPS = ("missing", "weak")  # the statuses a 补链清单 lists (the target ranking's, too)
SUGGESTED = 3  # targets named per link


@dataclass(frozen=True)
class GapRow:
    chain: str
    link: str
    stage: str
    key: bool
    status: str  # missing or weak
    status_label: str
    rule: str
    enterprises: int
    targets: tuple[dict[str, Any], ...]  # zone_targets' entries for the link, best first
    team: str


@dataclass(frozen=True)
class LinkTeam:
    """A team that answers for links (招商小分队/专班, from the extension point chains.link_teams): its label as
    the 补链清单 prints it and the chains ("GS-NE") or links ("GS-NE/GS-NE-03") it covers."""

    label: str
    coverage: tuple[str, ...]

    def covers(self, chain: str, link: str) -> bool:
        return chain in self.coverage or f"{chain}/{link}" in self.coverage


def gap_rows(gaps: Sequence[ChainGap], targets: Sequence[dict[str, Any]], committee: str,
             leaders: dict[str, list[str]], teams: Sequence[LinkTeam] = ()) -> list[GapRow]:
    """The 补链清单's rows: missing and weak links of every chain, with up to SUGGESTED targets each.
    `leaders`: {chain code: names of the zone's 链主 of it}. The 责任单位 of a link is the teams covering it, else
    the committee; the chain's 链主 are named as partners either way."""
    by_link: dict[str, list[dict[str, Any]]] = {}
    for t in targets:
        by_link.setdefault(t["link"], []).append(t)
    rows = []
    for gap in gaps:
        partners = leaders.get(gap.chain.code, [])
        with_leaders = f"（协同链主：{'、'.join(partners)}）" if partners else ""
        for lg in gap.links:
            if lg.status in GAPS:
                covering = [t.label for t in teams if t.covers(gap.chain.code, lg.link.code)]
                team = ("、".join(covering) if covering else committee) + with_leaders
                rows.append(GapRow(gap.chain.name, lg.link.name, lg.link.stage, lg.link.key, lg.status, lg.label, lg.rule,
                                   lg.enterprises, tuple(by_link.get(lg.link.code, [])[:SUGGESTED]), team))
    return rows


def _target_text(t: dict[str, Any]) -> str:
    return f"{t['name']}{'（演示）' if t.get('demo') else ''}（{t['score']:.2f}分：{'；'.join(t['why'])}）"


def gaps_xlsx(zone_name: str, rows: Sequence[GapRow], today: date, catalogue_label: str) -> bytes:
    title = f"{zone_name}补链清单"
    book = Book(title=title, as_of=today, subject="产业链补链强链")
    columns = [Col("序号", INTEGER, 6), Col("产业链", width=16, wrap=True), Col("环节", width=18, wrap=True),
               Col("链上位置"), Col("关键环节"), Col("状态"), Col("本地企业（家）", INTEGER),
               Col("判定依据", width=30, wrap=True), Col("建议招引目标企业", width=24, wrap=True),
               Col("匹配得分", NUMBER, 8), Col("推荐理由", width=40, wrap=True), Col("责任单位", width=24, wrap=True)]
    lines = []
    for n, r in enumerate(rows, start=1):
        for t in r.targets or ({"name": "暂无匹配的目标企业，请补充目标企业库", "score": None, "why": []},):
            lines.append([n, r.chain, r.link, r.stage, r.key, r.status_label, r.enterprises, r.rule,
                          t["name"] + ("（演示）" if t.get("demo") else ""), t["score"], "；".join(t["why"]), r.team])
    book.table("补链清单", columns, lines, title=title, freeze_columns=3, autofilter=True,
               empty="本园区各产业链无缺失或薄弱环节",
               subtitle=f"数据截至{chinese_date(today)}　{catalogue_label}　"
                        f"每个缺失、薄弱环节列示得分前{SUGGESTED}位的目标企业")
    return book.close()


def gaps_docx(zone_name: str, committee: str, rows: Sequence[GapRow], today: date, catalogue_label: str) -> bytes:
    title = f"{zone_name}补链清单"
    doc = gw.new_document(title, committee, today)
    gw.title_block(doc, title)
    missing = [r for r in rows if r.status == "missing"]
    chains = sorted({r.chain for r in rows})
    gw.paragraph(doc, f"按照{catalogue_label}，截至{gw.cn_date(today)}，本园区共有{len(chains)}条产业链"
                   f"存在缺失或薄弱环节{len(rows)}个，其中缺失{len(missing)}个、薄弱{len(rows) - len(missing)}个。"
                   if rows else f"按照{catalogue_label}，截至{gw.cn_date(today)}，本园区各产业链无缺失或薄弱环节。")
    if rows:
        gw.heading(doc, "一、缺失和薄弱环节")
        per_chain = Counter(r.chain for r in missing if r.key)
        gw.paragraph(doc, ("缺失关键环节的产业链有：" + "、".join(f"{c}（{n}个）" for c, n in per_chain.most_common())
                        + "。各环节见附件。") if per_chain else "各产业链的关键环节均有本地企业。")
        gw.heading(doc, "二、招引方向")
        with_targets = sum(1 for r in rows if r.targets)
        gw.paragraph(doc, f"{with_targets}个环节在目标企业库中有匹配企业，按行业代码和主营产品匹配度、榜单和承接转移来源排序，"
                       f"每个环节列示前{SUGGESTED}位；其余{len(rows) - with_targets}个环节须补充目标企业。")
        gw.heading(doc, "三、工作要求")
        gw.paragraph(doc, "各责任单位要紧盯产业链薄弱环节，大力引进关键环节及配套企业，将建议目标企业纳入招商线索跟踪，"
                       "签约项目按月更新进展。")
    annex = "缺失和薄弱环节及建议招引企业表"
    gw.signature(doc, committee, today, [annex] if rows else [])
    if rows:
        gw.attachment(doc, None, annex, landscape=True)
        gw.table(doc, ["序号", "产业链", "环节", "状态", "本地企业", "建议招引目标企业", "责任单位"],
              [[str(n), r.chain, f"{r.link}（{r.stage}{'，关键环节' if r.key else ''}）", r.status_label, str(r.enterprises),
                "；".join(_target_text(t) for t in r.targets) or "暂无匹配的目标企业", r.team]
               for n, r in enumerate(rows, start=1)], aligns="cllccll", size=gw.SIZE_5)
    return gw.save(doc, today)
