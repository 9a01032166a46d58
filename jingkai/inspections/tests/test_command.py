"""`jingkai inspections plan` on files, as an operator runs it: the issue's columns and JSON shape, byte-identical
output for the same inputs and seed, another draw for another seed, errors in Chinese."""

import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

ENTERPRISES = """uscc,name,zone_code,industry_code,credit_class,exempt,key_supervision
91620100000000001A,兰州甲化工有限公司,GS-LZ,C2614,C,false,false
91620100000000002B,兰州乙机械有限公司,GS-LZ,C3841,B,false,false
91620100000000003C,兰州丙食品有限公司,GS-LZ,C1311,A,false,false
91620100000000004D,兰州丁物流有限公司,GS-LZ,G5411,D,false,true
91620100000000005E,兰州戊餐饮有限公司,GS-LZ,H6210,,true,false
91620100000000006F,兰州己化工有限公司,GS-LZ,C2614,D,false,false
"""
ITEMS = """department,item_code,item_name,applies_to,published
市场监管局,SJ-001,食品生产监督检查,C13;C14,true
市场监管局,SJ-002,特种设备安全检查,,true
应急管理局,YJ-001,危险化学品安全检查,C26,true
生态环境局,HB-009,排污许可执行检查,C,false
"""


@pytest.fixture
def files(tmp_path):
    (tmp_path / "ent.csv").write_text(ENTERPRISES, encoding="utf-8")
    (tmp_path / "items.csv").write_text(ITEMS, encoding="utf-8")
    return tmp_path


def run(files, seed, out):
    call_command("inspections", "plan", "--enterprises", str(files / "ent.csv"), "--items", str(files / "items.csv"),
                 "--period", "2025Q4", "--seed", str(seed), "--format", "json", "--out", str(out))
    return out.read_bytes()


def test_plan_shape_and_byte_identical_reruns(files):
    first, again = run(files, 20251001, files / "a.json"), run(files, 20251001, files / "b.json")
    assert first == again
    plan = json.loads(first)
    assert list(plan)[:6] == ["seed", "algorithm", "pool_hash", "draws", "visits", "excluded"]
    assert set(plan["draws"][0]) == {"department", "item", "credit_class", "population", "ratio", "drawn"}
    assert {"uscc", "departments", "items", "date"} <= set(plan["visits"][0])
    assert set(plan["excluded"][0]) == {"uscc", "reason"}
    joint = {v["uscc"]: v["departments"] for v in plan["visits"]}
    assert joint["91620100000000001A"] == ["市场监管局", "应急管理局"]  # 综合查一次
    assert "91620100000000003C" not in joint and "91620100000000005E" not in joint  # 无事不扰
    assert all("HB-009" not in v["items"] for v in plan["visits"])  # unpublished
    assert plan["summary"]["visits_separate"] == 6 and plan["summary"]["visits_joint"] == 4
    assert plan["scheduler"] == "highs-mip/1" and plan["summary"]["scheduler"]["fallback"] == ""


def test_another_seed_draws_another_sample(files):
    rows = ["uscc,name,zone_code,industry_code,credit_class,exempt,key_supervision"] + [
        f"9162010000000{i:05d},企业{i},GS-LZ,C2614,C,false,false" for i in range(300)]
    (files / "ent.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    a, b = json.loads(run(files, 1, files / "a.json")), json.loads(run(files, 2, files / "b.json"))
    assert a["pool_hash"] == b["pool_hash"]
    assert {v["uscc"] for v in a["visits"]} != {v["uscc"] for v in b["visits"]}


def test_errors_are_chinese(files):
    (files / "ent.csv").write_text("uscc,name\n1,甲\n", encoding="utf-8")
    with pytest.raises(CommandError, match="企业名录缺少列"):
        run(files, 1, files / "a.json")
    with pytest.raises(CommandError, match="无法读取规则文件"):
        call_command("inspections", "plan", "--enterprises", "x", "--items", "y", "--period", "2025Q4",
                     "--seed", "1", "--rules", str(files / "missing.yaml"))


def test_the_installed_command_prints_to_stdout(files):
    done = subprocess.run([sys.executable, "-m", "jingkai.cli", "inspections", "plan", "--enterprises",
                           str(files / "ent.csv"), "--items", str(files / "items.csv"), "--period", "2025Q4",
                           "--seed", "20251001"], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == json.loads(run(files, 20251001, files / "a.json"))
