"""`jingkai evaluate --methodology ID|FILE [--data FILE.csv] [--year Y] [--sensitivity N]
[--format json|csv|xlsx] [--out FILE]`.

With --data the file is evaluated without touching the database (analysts' mode); without it the
zones' reported annual values are read from the database.
"""

import json
import sys
from datetime import date
from pathlib import Path

import polars as pl
from django.core.management.base import BaseCommand, CommandError

from jingkai.engines.evaluation import EvaluationError, diagnose, evaluate, load, monte_carlo, target_path
from jingkai.evaluation.services import payload as run_payload
from jingkai.jobs.progress import add_quiet, bar
from jingkai.spreadsheets import Book, csv_safe_frame


class Command(BaseCommand):
    help = "综合发展水平评价：计算得分与排名（可选不确定性分析、诊断与提升路径）"

    def add_arguments(self, parser):
        parser.add_argument("--methodology", required=True, help="评价方法代码（如 mofcom-2021）或 YAML 文件")
        parser.add_argument("--data", help="数据文件（CSV/Excel，宽表或 zone_code,period,indicator,value 长表）；"
                                           "给出时不读数据库")
        parser.add_argument("--year", type=int, help="评价年度（数据年份）")
        parser.add_argument("--sensitivity", type=int, metavar="N", help="不确定性与敏感性分析的基础样本数 N")
        parser.add_argument("--seed", type=int, default=0, help="随机种子")
        add_quiet(parser)
        parser.add_argument("--format", choices=["json", "csv", "xlsx"], default="json")
        parser.add_argument("--out", help="输出文件（默认标准输出；xlsx 必须给出）")
        parser.add_argument("--unit", action="append", default=[], help="对该单位做诊断（可重复）")
        parser.add_argument("--target-rank", type=int, help="与 --unit 一起：求达到全国第 N 名的最省力路径")
        parser.add_argument("--target-group-rank", type=int,
                            help="与 --unit 一起：求达到本组（第一个分组列）第 N 名的最省力路径")

    def handle(self, *args, **o):
        try:
            with bar(3 if o["sensitivity"] else 2, f"综合评价 {o['methodology']}", o["quiet"]) as shown:
                payload, result = self.run(o, shown.progress)
        except EvaluationError as exc:
            raise CommandError(str(exc)) from exc
        self.write(payload, result, o["format"], o["out"], result.methodology)

    def run(self, o, progress):
        progress(0, step="读取数据")
        meth = load(o["methodology"])
        if o["data"]:
            from jingkai.evaluation.loaders import read_table

            table = read_table(o["data"], meth, o["year"])
        else:
            from jingkai.evaluation.loaders import load_zone_table

            table = load_zone_table(meth, o["year"])
        progress(1, step="计算得分与排名")
        result = evaluate(meth, table)
        payload = run_payload(meth, result, o["year"])
        units = payload["units"]
        if o["sensitivity"]:
            progress(2, step=f"不确定性分析（N = {o['sensitivity']}）")
            mc = monte_carlo(meth, table, n=o["sensitivity"], seed=o["seed"])
            payload["sensitivity"] = {"runs": mc.runs, "assumptions": mc.assumption_labels,
                                      "overall": mc.overall_indices()}
            per_unit = mc.per_unit()
            for rec in units:
                rec.update(per_unit[rec["unit"]])
        by_unit = {rec["unit"]: rec for rec in units}
        for unit in o["unit"]:
            if unit not in by_unit:
                raise EvaluationError(f"评价结果中没有单位 {unit}")
            by_unit[unit]["diagnosis"] = diagnose(result, unit)
            target = None
            if o["target_rank"]:
                target = {"rank": o["target_rank"]}
            elif o["target_group_rank"]:
                target = {"group_rank": o["target_group_rank"]}
            if target:
                by_unit[unit]["target_path"] = target_path(meth, table, unit, target).as_dict()
        return payload, result

    def write(self, payload, result, fmt, out, meth):
        if fmt == "json":
            text = json.dumps(payload, ensure_ascii=False, indent=1)
            self._emit(text, out)
            return
        flat = pl.DataFrame([_flat(rec) for rec in payload["units"]])
        if fmt == "csv":
            self._emit(csv_safe_frame(flat).write_csv(), out)
            return
        if not out:
            raise CommandError("xlsx 格式必须用 --out 指定输出文件")
        long = pl.DataFrame([
            {"unit": rec["unit"], "indicator": code, **vals}
            for rec in payload["units"] for code, vals in rec["indicators"].items()
        ])
        labels = RANKING_LABELS | {a.code: a.name for a in meth.aggregates} | {
            f"rank_{g}": f"{GROUP_LABELS.get(g, g)}排名" for g in meth.group_keys}
        title = f"{meth.name}测算结果（{payload['year'] or '最新'}年度数据）"
        book = Book(out, title=title, as_of=date.today(), subject="综合发展水平评价")
        subtitle = f"评价方法：{meth.id}（{meth.version}版）　结果仅供内部研判，以商务部正式考核结果为准"
        book.frame("排名", flat, title=title, labels=labels, subtitle=subtitle, decimals=2, freeze_columns=2)
        names = {i.code: i.name for i in meth.indicators}
        book.frame("指标", long.with_columns(pl.col("indicator").replace(names)), title=f"{meth.name}指标得分",
                   labels=INDICATOR_LABELS, subtitle=subtitle, freeze_columns=2)
        if payload["unverified"]:
            book.frame("待核实", pl.DataFrame(payload["unverified"]), title=f"{meth.name}口径待核实事项",
                       labels={"code": "代码", "name": "名称", "reason": "待核实内容"})
        book.close()
        self.stderr.write(f"已写入 {out}")

    def _emit(self, text, out):
        if out:
            Path(out).write_text(text, encoding="utf-8")
            self.stderr.write(f"已写入 {out}")
        else:
            sys.stdout.write(text + "\n")


RANKING_LABELS = {"unit": "园区代码", "name": "园区名称", "score": "综合得分", "rank": "全国排名", "bonus": "加分",
                  "median_rank": "中位排名", "rank_p05": "排名区间5%", "rank_p95": "排名区间95%",
                  "bottom5_probability": "落入地区后五名概率"}
GROUP_LABELS = {"region": "地区", "province": "省份"}
INDICATOR_LABELS = {"unit": "园区代码", "indicator": "指标", "raw": "原始值", "treated": "处理后值",
                    "normalised": "标准化得分", "contribution": "对综合得分的贡献"}


def _flat(rec: dict) -> dict:
    row = {"unit": rec["unit"], "name": rec.get("name"), "score": rec["score"], "rank": rec["rank"]}
    row.update({f"rank_{g}": r for g, r in rec["group_ranks"].items()})
    row.update(rec["scores"])
    row["bonus"] = rec["bonus"]
    if "rank_interval" in rec:
        row.update(median_rank=rec["median_rank"], rank_p05=rec["rank_interval"][0],
                   rank_p95=rec["rank_interval"][1], bottom5_probability=rec["bottom5_probability"])
    return row
