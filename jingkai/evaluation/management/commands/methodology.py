"""`jingkai methodology from-coinr META.csv --out FILE.yaml`: a methodology from a COINr/COIN Tool meta table.

`jingkai methodology list` and `jingkai methodology show ID` print the shipped methodologies.
"""

from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError

from jingkai.engines.evaluation import EvaluationError, available, from_coinr, load


class Command(BaseCommand):
    help = "评价方法：从 COINr 元数据表生成（from-coinr）、列出（list）、查看（show）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        conv = sub.add_parser("from-coinr", help="从 COINr/COIN Tool 的 iMeta 表生成评价方法 YAML")
        conv.add_argument("meta", help="iMeta CSV（Level, iCode, iName, Direction, Weight, Unit, Parent, Type…）")
        conv.add_argument("--out", required=True, help="输出 YAML 文件")
        conv.add_argument("--id", help="评价方法代码（默认取文件名）")
        conv.add_argument("--name", help="评价方法名称（默认取根节点名称）")
        conv.add_argument("--unit-key", default="uCode")
        conv.add_argument("--name-key", default="uName")
        conv.add_argument("--impute", default="none", help="none|mean|median|group_mean|group_median")
        conv.add_argument("--impute-group", help="分组插补所用的分组列")
        conv.add_argument("--treat", default="none", help="none|coinr")
        conv.add_argument("--normalise", default="minmax", help="minmax（0–100）")
        conv.add_argument("--min-coverage", type=float, default=0.0, help="单位数据覆盖率下限")
        conv.add_argument("--source-document", help="来源文件")
        conv.add_argument("--source-url", help="来源网址")
        sub.add_parser("list", help="列出内置评价方法")
        show = sub.add_parser("show", help="显示评价方法（含待核实项）")
        show.add_argument("methodology")

    def handle(self, *args, action, **opts):
        try:
            getattr(self, action.replace("-", "_"))(**opts)
        except EvaluationError as exc:
            raise CommandError(str(exc)) from exc

    def from_coinr(self, meta, out, id, name, unit_key, name_key, impute, impute_group, treat, normalise,
                   min_coverage, source_document, source_url, **_):
        meta_path = Path(meta)
        if not meta_path.is_file():
            raise CommandError(f"找不到文件 {meta}")
        imp = {"method": impute, **({"group": impute_group} if impute_group else {})}
        defaults = {"impute": imp, "treat": {"method": treat}, "normalise": {"method": normalise, "low": 0,
                                                                               "high": 100},
                    "aggregate": {"method": "arithmetic"}}
        if treat == "coinr":
            defaults["treat"].update(skew=2, kurt=3.5, winmax=5)
        source = {"document": source_document or f"COINr meta table {meta_path.name}",
                  "notes": "由 jingkai methodology from-coinr 生成；插补、处理、筛选等构建选择来自命令参数"}
        if source_url:
            source["url"] = source_url
        doc = from_coinr(meta_path, id=id or Path(out).stem, name=name, source=source, unit_key=unit_key,
                         name_key=name_key, defaults=defaults, screen={"min_coverage": min_coverage})
        Path(out).write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=110),
                             encoding="utf-8")
        n = sum(1 for _ in _leaves(doc["tree"]))
        self.stdout.write(f"已写入 {out}：{n} 个指标")

    def list(self, **_):
        for mid in available():
            m = load(mid)
            self.stdout.write(f"{mid}\t{m.name}\t{len(m.indicators)} 个指标\t待核实 {len(m.unverified_items())} 项")

    def show(self, methodology, **_):
        m = load(methodology)
        self.stdout.write(f"{m.id} {m.name}（版本 {m.version}）")
        for k, v in m.source.items():
            self.stdout.write(f"  {k}: {v}")
        for agg in m.aggregates:
            self.stdout.write(f"{agg.code} {agg.name} 权重 {agg.weight:g}：{'、'.join(agg.children)}")
        for item in m.unverified_items():
            self.stdout.write(f"  [待核实] {item['code']} {item['name']}：{item['reason']}")


def _leaves(nodes):
    for n in nodes:
        if n.get("children"):
            yield from _leaves(n["children"])
        else:
            yield n
