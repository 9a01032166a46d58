"""Assignment accuracy on a hand-labelled sample (data/labelled_sample.csv): 220 fictional firms written by
hand with the link(s) a chain officer would give them, labelled before the engine was run on them — 159
firms across the 14 chains (some on two links), 41 that belong to no chain (logistics, trade, services,
construction materials outside the catalogue …), and 20 whose products are phrased in words the catalogue
does not list (锂离子电池, 电积镍, 航空发动机零部件). Measured 2026-12-01: precision 0.995, recall 0.959 on all
220 (188 links right, 1 wrong, 8 missed; one of the misses is a hydrogen station coded F5265 燃油零售, which
the trade rule `words_need_code` leaves off the chain); on the 20 paraphrased: precision 1.0, recall 0.83. The sample was
written by the catalogue's author, so the first 200 favour the catalogue's own words: the paraphrased 20 are
the fairer recall figure."""

import csv
from pathlib import Path

from jingkai.engines.chains import Assigner, Enterprise, shipped

SAMPLE = Path(__file__).parent / "data" / "labelled_sample.csv"


def scores(rows):
    engine = Assigner(shipped()["gansu-key-chains"])
    tp = fp = fn = 0
    for r in rows:
        expected = {c for c in r["expected"].split(";") if c}
        got = {m.link for m in engine.assign(Enterprise(r["uscc"], r["name"], r["industry_code"], r["main_products"]))}
        tp, fp, fn = tp + len(expected & got), fp + len(got - expected), fn + len(expected - got)
    return tp / (tp + fp), tp / (tp + fn)


def test_precision_and_recall_on_the_labelled_sample():
    rows = list(csv.DictReader(SAMPLE.open(encoding="utf-8")))
    assert len(rows) == 220
    precision, recall = scores(rows)
    assert precision >= 0.99 and recall >= 0.95
    precision, recall = scores(rows[200:])  # products in words the catalogue does not list
    assert precision >= 0.95 and recall >= 0.8
    # of the 41 firms of no chain, 1 gets a link (a gas distributor on 原油与天然气开采); a steel trader (F5164)
    # would be on 钢材压延 by its product word but for the trade rule
    engine = Assigner(shipped()["gansu-key-chains"])
    none = [r for r in rows if not r["expected"]]
    placed = [r["uscc"] for r in none
              if engine.assign(Enterprise(r["uscc"], r["name"], r["industry_code"], r["main_products"]))]
    assert len(none) == 41 and placed == ["S189"]
