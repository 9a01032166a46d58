"""Every file Jingkai hands out (Excel exports, lists, templates, Word 公文), and how a user gets it: through the
web as the province's administrator, or through the `jingkai` command. One list for the structure test
(`test_outputs.py`, on the small demo) and the benchmark (`benchmarks/bench_outputs.py`, on the full demo).
Investment and chains outputs are listed by their own apps' tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from jingkai.measures.catalogue import load_catalogue
from jingkai.measures.catalogue.export import to_docx, to_xlsx
from jingkai.monitoring.models import Bulletin


@dataclass(frozen=True)
class Output:
    name: str  # what an office calls it
    suffix: str  # .xlsx or .docx
    make: Callable[[Client, Path], bytes]  # the file's bytes, from the web (logged-in client) or a command


def web(name: str, *args: object, **query: str) -> Callable[[Client, Path], bytes]:
    """The download of URL `name` (its args: values, or callables run at download time)."""
    def get(client: Client, _: Path) -> bytes:
        url = reverse(name, args=[a() if callable(a) else a for a in args])
        response = client.get(url, query)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        return b"".join(response.streaming_content) if response.streaming else response.content
    return get


def command(*args: str) -> Callable[[Client, Path], bytes]:
    def run(_: Client, tmp: Path) -> bytes:
        out = tmp / f"{args[0]}.xlsx"
        call_command(*args, "--format", "xlsx", "--out", str(out), stdout=open("/dev/null", "w"))
        return out.read_bytes()
    return run


def _latest_bulletin() -> int:
    return Bulletin.objects.order_by("-period", "-pk").values_list("pk", flat=True)[0]


def _demo_push() -> int:
    from jingkai.finance.models import Push

    return Push.objects.filter(is_demo=True).order_by("pk").values_list("pk", flat=True)[0]


def _catalogue(writer: Callable) -> Callable[[Client, Path], bytes]:
    return lambda _client, _tmp: writer(load_catalogue())


OUTPUTS = [
    Output("经济运行通报", ".docx", web("monitoring:bulletin_download", _latest_bulletin)),
    Output("措施督办通报", ".docx", web("measures:export_bulletin")),
    Output("综合评价得分卡", ".docx", web("evaluation:export_scorecard", "GS-LZ")),
    Output("零碳园区基准年碳排放盘查报告提纲", ".docx", web("carbon:report", "GS-LZ")),
    Output("绿证登记", ".xlsx", web("carbon:certificates", export="xlsx")),
    Output("绿证登记导入模板", ".xlsx", web("intake:template", "green-certificates")),
    Output("园区绿色低碳指标导入模板", ".xlsx", web("intake:template", "zone-green-facts")),
    Output("任务分工表", ".docx", _catalogue(to_docx)),
    Output("任务清单", ".xlsx", _catalogue(to_xlsx)),
    Output("措施任务督办进展表", ".xlsx", web("measures:export_progress")),
    Output("综合评价排名", ".xlsx", web("evaluation:export_ranking")),
    Output("综合评价排名（命令行）", ".xlsx", command("evaluate", "--methodology", "mofcom-2021")),
    Output("专精特新推荐名单", ".xlsx", web("programmes:export", "sme", status="candidates")),
    Output("亩均评价结果名单", ".xlsx", web("programmes:export", "mujun")),
    Output("亩均评价结果（命令行）", ".xlsx", command("assess", "--program", "mujun-gansu")),
    Output("企业名录", ".xlsx", web("intake:export", "enterprises", "xlsx")),
    Output("企业年度数据", ".xlsx", web("intake:export", "enterprise-years", "xlsx")),
    Output("园区指标值", ".xlsx", web("intake:export", "zone-indicators", "xlsx")),
    Output("企业名录导入模板", ".xlsx", web("intake:template", "enterprises")),
    Output("企业年度数据导入模板", ".xlsx", web("intake:template", "enterprise-years")),
    Output("园区指标值导入模板", ".xlsx", web("intake:template", "zone-indicators")),
    Output("园区指标值月报表导入模板", ".xlsx", web("intake:template", "zone-indicators", layout="wide")),
    Output("绿色项目清单（推送给银行）", ".xlsx", web("finance:push_export", _demo_push)),
    Output("绿色项目清单（本单位项目）", ".xlsx", web("finance:export")),
    Output("绿色和重点项目导入模板", ".xlsx", web("intake:template", "green-projects")),
]
