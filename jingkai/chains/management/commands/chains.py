"""`jingkai chains assign|gaps|targets|run`.

    jingkai chains assign --catalogue FILE.yaml --data FILE.csv|FILE.xlsx [--format json|csv] [--out FILE]
        places the file's enterprises (columns uscc, name, industry_code, main_products; others ignored) on
        the catalogue's links, without the database
    jingkai chains gaps --zone CODE [--chain CODE] [--catalogue ID] --format json
    jingkai chains targets --zone CODE [--chain CODE] [--catalogue ID] --format json
    jingkai chains run [--catalogue ID]       stores the automatic assignment of every enterprise (database)
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import polars as pl
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from jingkai.engines.chains import Assigner, CatalogueError, Enterprise, assign_all, load, report, shipped

INPUT = ("uscc", "name", "industry_code", "main_products")


def read_enterprises(path: Path) -> list[Enterprise]:
    if not path.exists():
        raise CommandError(f"数据文件不存在：{path}")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        df = pl.read_csv(path, infer_schema_length=0, encoding="utf8-lossy")
    elif suffix in (".xlsx", ".xls"):
        df = pl.read_excel(path, infer_schema_length=0)
    else:
        raise CommandError(f"不支持的数据文件类型 {suffix}（请用 .csv 或 .xlsx）")
    if "uscc" not in df.columns:
        raise CommandError("数据文件缺少 uscc 列（统一社会信用代码）")
    df = df.select([pl.col(c).cast(pl.String).fill_null("") if c in df.columns else pl.lit("").alias(c) for c in INPUT])
    return [Enterprise(*row) for row in df.iter_rows()]


def catalogue_from(value: str):
    try:
        if value in shipped():
            return shipped()[value]
        return load(Path(value))
    except CatalogueError as exc:
        raise CommandError(str(exc)) from exc


class Command(BaseCommand):
    help = "产业链：企业归链（可不用数据库）、园区补链分析、招商目标企业"
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        a = sub.add_parser("assign", help="按目录给文件中的企业归链（不读写数据库）")
        a.add_argument("--catalogue", required=True, help="产业链目录 YAML 文件，或平台目录 id（如 gansu-key-chains）")
        a.add_argument("--data", type=Path, required=True, help="企业文件 CSV/XLSX：uscc, name, industry_code, main_products")
        a.add_argument("--format", choices=["json", "csv"], default="json")
        a.add_argument("--out", type=Path, help="输出文件；不给则写到标准输出")
        for name, text in (("gaps", "园区各产业链环节的缺失、薄弱、较强、风险状态"), ("targets", "补链招商目标企业")):
            p = sub.add_parser(name, help=text)
            p.add_argument("--zone", required=True, help="园区代码，如 GS-LZ")
            p.add_argument("--chain", help="产业链代码；不给则为目录中全部产业链")
            p.add_argument("--catalogue", default="gansu-key-chains", help="平台目录 id")
            p.add_argument("--format", choices=["json"], default="json")
            p.add_argument("--out", type=Path)
        r = sub.add_parser("run", help="给数据库中全部企业自动归链（保留园区已确认、否定和人工添加的环节）")
        r.add_argument("--catalogue", default="gansu-key-chains")

    def handle(self, *args, **opts):
        action = opts["action"]
        if action == "assign":
            return self.assign(opts)
        if action == "run":
            return self.run(opts)
        return self.zone_report(action, opts)

    def assign(self, opts: dict[str, Any]) -> None:
        cat = catalogue_from(opts["catalogue"])
        enterprises = read_enterprises(opts["data"])
        engine = Assigner(cat)
        with tqdm(total=len(enterprises), desc="归链", unit="家", file=sys.stderr,
                  disable=not sys.stderr.isatty()) as bar:
            results = list(assign_all(engine, enterprises, progress=bar.update))
            bar.update(len(enterprises) - bar.n)
        data = report(cat, results)
        if opts["format"] == "csv":
            rows = [{"uscc": e.uscc, "rank": i, "chain": m.chain, "link": m.link, "score": m.score,
                     "why": "；".join(m.why)} for e, ms in results for i, m in enumerate(ms, 1)]
            buf = io.StringIO()
            pl.DataFrame(rows, schema={"uscc": pl.String, "rank": pl.Int64, "chain": pl.String, "link": pl.String,
                                       "score": pl.Float64, "why": pl.String}).write_csv(buf)
            self.write(buf.getvalue(), opts["out"])
        else:
            self.write(json.dumps(data, ensure_ascii=False, indent=1), opts["out"])
        placed = sum(1 for _, ms in results if ms)
        self.stderr.write(f"{len(results)} 家企业，{placed} 家归入至少一个环节；目录：{cat.label}")

    def run(self, opts: dict[str, Any]) -> None:
        from django.core.exceptions import ValidationError

        from jingkai.chains.services import run_assignment

        try:
            with tqdm(desc="归链", unit="家", file=sys.stderr, disable=not sys.stderr.isatty()) as bar:
                out = run_assignment(None, opts["catalogue"], progress=bar.update)  # a system run: every zone
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stderr.write(f"{out['enterprises']} 家企业，{out['placed']} 家在链上；新归链 {out['links']} 条，"
                          f"保留园区已处理 {out['kept']} 条")

    def zone_report(self, action: str, opts: dict[str, Any]) -> None:
        from django.core.exceptions import ValidationError

        from jingkai.accounts.scope import PROVINCE
        from jingkai.chains.selectors import gaps_report, zone_targets
        from jingkai.zones.models import Zone

        zone = Zone.objects.filter(code=opts["zone"].upper()).first()
        if zone is None:
            raise CommandError(f"园区代码不存在：{opts['zone']}")
        try:
            if action == "gaps":
                data = gaps_report(PROVINCE, zone, opts["catalogue"], opts.get("chain"))
            else:
                data = {"zone": zone.code, "targets": zone_targets(PROVINCE, zone, opts["catalogue"], opts.get("chain"))}
        except (ValidationError, KeyError) as exc:
            raise CommandError(f"目录或产业链代码有误：{exc}") from exc
        self.write(json.dumps(data, ensure_ascii=False, indent=1, default=str), opts["out"])

    def write(self, text: str, out: Path | None) -> None:
        if out:
            out.write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text)
