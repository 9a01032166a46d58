"""No raw codes or English on screen: every page of the access matrix, as every role that may open it, read as
the user reads it (the text, not the markup), has no machine identifiers — snake_case keys (rd_institutions),
rule-file ids (sme-specialized-2026, 2021.1-draft), zone codes instead of names (GS-LZ), hashes, English words
and units (MWh). Codes a user needs are shown labelled, in an element of class "code" (USCC, 行业代码,
机构代码), and are not read here."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from django.urls import reverse

from jingkai.tests.test_access_matrix import RULES, _client, _samples, matrix_data, matrix_users  # noqa: F401 (fixtures)

# The operation log shows what each write stored, verbatim (its values are the record of what happened); its
# own labels are checked by the sysadmin tests.
SKIPPED_PAGES = {"sysadmin:log"}
SKIPPED_TAGS = {"script", "style", "code", "pre", "textarea", "select", "option"}
PATTERNS = {
    "snake_case": re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b"),
    "rule-file id": re.compile(r"\b[a-z]+(?:-[a-z0-9]+)+\b"),
    "version": re.compile(r"\b\d+(?:\.\d+)+-[a-z]+\b"),
    "zone code": re.compile(r"\bGS-[A-Z]{2,}\b"),
    "hash": re.compile(r"\b[0-9a-f]{10,}\b"),
    "English": re.compile(r"\b(?!(?:Excel|Word|CSV|PDF|API|HTMX|ECharts|IP|GB|GDP|PCG64|BM25|OpenAPI|Swagger|"
                          r"YYYY|MM|DD|USCC|HTTP|URL|Bearer|JSON|xlsx|xls|csv|doc|docx|pdf|jpg|JPG|png|PNG|OFD|zip)\b)[A-Za-z]{3,}\b"),
}


class Text(HTMLParser):
    """The visible text of a page: outside script, style and form options; elements of class "code" (a code
    shown as such, labelled) left out."""

    def __init__(self) -> None:
        super().__init__()
        self.skip: list[str] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if self.skip or tag in SKIPPED_TAGS or "code" in classes:
            if tag not in {"br", "img", "input", "meta", "link", "hr", "wbr"}:
                self.skip.append(tag)

    def handle_endtag(self, tag):
        if self.skip and self.skip[-1] == tag:
            self.skip.pop()

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def offenders(html: str) -> list[str]:
    parser = Text()
    parser.feed(html)
    text = " ".join(parser.parts)
    return sorted({f"{kind}: {m}" for kind, pattern in PATTERNS.items() for m in pattern.findall(text)})


def test_offenders_reads_text_not_markup():
    html = ('<p class="x" data-key="rd_institutions">研发机构 <span class="code">GS-LZ</span> 兰州</p>'
            '<script>var a_b = 1;</script><p>规则 sme-specialized-2026，版本 2021.1-draft，输入摘要 1ed3892ed5a9</p>'
            '<p>能耗 12 MWh，evaluation</p>')
    found = offenders(html)
    assert {"English: MWh", "English: evaluation", "hash: 1ed3892ed5a9", "rule-file id: sme-specialized-2026",
            "version: 2021.1-draft"} <= set(found)
    assert not [f for f in found if "GS-LZ" in f or "rd_" in f or "a_b" in f or "x" == f.split(": ")[1]]
    assert offenders("<p>兰州经开区 PDF 与 Excel（USCC 代码）</p>") == []


def test_no_page_shows_raw_codes_or_english(matrix_users):  # noqa: F811 (the fixture)
    from django.test.client import ClientHandler

    samples = _samples()
    handler = ClientHandler(enforce_csrf_checks=False)  # shared by the clients (one middleware load)
    found: dict[str, list[str]] = {}
    for name, rules in RULES.items():
        for rule in rules:
            if rule.method != "get" or name.startswith("api:") or name in SKIPPED_PAGES:
                continue
            url = reverse(name, kwargs=rule.kwargs(samples)) + rule.query
            for role in ("province", "department", "city", "zone", "bank"):
                if rule.expected[role] != 200:
                    continue
                response = _client(role, matrix_users, handler).get(url)
                if "text/html" not in response.get("Content-Type", ""):
                    continue
                for bad in offenders(response.content.decode()):
                    found.setdefault(bad, []).append(f"{url} ({role})")
    report = "\n".join(f"{bad}  ← {', '.join(sorted(set(where))[:4])}" for bad, where in sorted(found.items()))
    assert not found, "raw codes or English on screen:\n" + report


def test_rule_file_versions_read_in_chinese():
    from jingkai.web.templatetags.jingkai_web import version_label

    assert version_label("2021.1-draft") == "2021.1（草案）"
    assert version_label("provisional-2") == "临时方案第2版" and version_label("default-2") == "默认方案第2版"
    assert version_label("2026") == "2026" and version_label("x-y") == "—" and version_label(None) == "—"
