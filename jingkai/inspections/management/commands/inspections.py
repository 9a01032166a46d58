"""`jingkai inspections plan --enterprises FILE --items FILE [--rules FILE.yaml] --period 2027Q1 --seed N`:
the 双随机 draw and the 综合查一次 schedule of one period, from files. Never touches the database.

Optional: `--visits FILE` (入企记录 this year: uscc, department, date[, level, exemption]) for the frequency caps,
`--inspectors FILE` (执法检查人员名录: department, person_id, cert_no, cert_valid_to[, conflicts]).
The same inputs and seed give a byte-identical output.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jingkai.engines import inspections as engine


class Command(BaseCommand):
    help = "涉企行政检查：按信用分类分层随机抽取检查对象，合并为“综合查一次”并排入工作日（plan）"
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="plan")
        p = sub.add_parser("plan", help="生成一期抽查计划")
        p.add_argument("--enterprises", required=True,
                       help="企业名录（CSV/Excel）：uscc, name, zone_code, industry_code, credit_class, exempt, "
                            "key_supervision")
        p.add_argument("--items", required=True,
                       help="检查事项清单（CSV/Excel）：department, item_code, item_name, applies_to, published")
        p.add_argument("--rules", default=engine.DEFAULT, help="规则文件（YAML）或规则编号，默认为示例规则")
        p.add_argument("--period", required=True, help="计划期间：2027Q1、2027-03 或 2027")
        p.add_argument("--seed", required=True, type=int, help="公布的随机种子（非负整数）")
        p.add_argument("--visits", help="本年度入企记录（CSV/Excel），用于频次上限")
        p.add_argument("--inspectors", help="执法检查人员名录（CSV/Excel），每次入企随机抽取执法人员")
        p.add_argument("--scheduler", choices=["model", "greedy"], default="model",
                       help="排程：model 为整数规划（HiGHS，超时或未安装时自动改用贪心），greedy 为贪心")
        p.add_argument("--format", choices=["json"], default="json")
        p.add_argument("--out", help="写入文件（默认输出到屏幕）")

    def handle(self, *args, **opts):
        if opts["seed"] < 0:
            raise CommandError("随机种子应为非负整数")
        try:
            rules = engine.load(opts["rules"])
            period = engine.parse_period(opts["period"])
            ent = engine.read_table(opts["enterprises"], "企业名录", engine.ENTERPRISE_COLUMNS)
            items = engine.read_table(opts["items"], "检查事项清单", engine.ITEM_COLUMNS)
            visits = engine.read_table(opts["visits"], "入企记录", engine.VISIT_COLUMNS) if opts["visits"] else None
            roster = (engine.read_table(opts["inspectors"], "执法检查人员名录", engine.INSPECTOR_COLUMNS)
                      if opts["inspectors"] else None)
            result = engine.plan(ent, items, rules, period, opts["seed"], visits, roster, scheduler=opts["scheduler"])
        except (engine.DataError, engine.RulesError) as exc:
            raise CommandError(str(exc)) from exc
        text = json.dumps(result, ensure_ascii=False, indent=1) + "\n"
        if opts["out"]:
            Path(opts["out"]).write_text(text, encoding="utf-8")
            s = result["summary"]
            self.stderr.write(f"已写入 {opts['out']}：抽取 {s['visits_separate']} 户次，合并为 {s['visits_joint']} 次入企，"
                              f"减少 {s['reduction']:.1%}")
        else:
            self.stdout.write(text, ending="")
