"""Every URL pattern of the site, walked with malformed path and query values, as the province and as a zone
committee: no answer is a 5xx. The patterns come from the resolver and the parameter names from the forms and
views themselves, so a new page is walked without a line added here.

Two passes per pattern: the objects of the access matrix's rules (real tasks, submissions …) with malformed
query and form values (a report without a period, a page number of 20 digits …), then malformed values in
every path parameter (a month 2026-13, an id of 20 digits, a zone code that does not exist …)."""

from __future__ import annotations

import itertools
import re
import time
from pathlib import Path

import pytest
from django import forms
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from jingkai.tests.test_access_matrix import RULES, _samples, matrix_data, matrix_users  # noqa: F401  (fixtures)

# What a hostile or careless user puts into a path segment, a query value or a form field.
BAD_VALUES = ["abc", "2026-13", "9999-01", "0", "99999999999999999999", "GS-ZZ", "' OR 1=1 --", "x" * 300]
ZONE_BAD_VALUES = ["abc", "99999999999999999999", "9999-01"]  # the zone user: fewer, it is stopped by its scope
QUERY_VALUES = ["abc", "2026-13", "-1", "99999999999999999999", "' OR 1=1 --", "x" * 300]
ROTATIONS = 3  # requests per method with query/form values: parameter i gets QUERY_VALUES[(i + k) % n]
SLOW = 1.0  # seconds: an answer slower than this (a generated Word file) is not asked again with other values
# Django's admin and auth views: Django's own, tested upstream; /healthz answers 503 by design while no job
# worker runs (jobs' tests)
SKIPPED = ("admin:", "login", "logout", "healthz")


def _patterns(patterns, namespace: str = "") -> list[tuple[str, URLPattern]]:
    found: list[tuple[str, URLPattern]] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            found += _patterns(p.url_patterns, namespace + (f"{p.namespace}:" if p.namespace else ""))
        elif isinstance(p, URLPattern) and p.name:
            found.append((namespace + p.name, p))
    return found


def _parameter_names() -> list[str]:
    """Every form field of the site's forms, and every name a view reads from request.GET/POST."""
    import jingkai

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    names = {n for form in subclasses(forms.Form) if form.__module__.startswith("jingkai.")
             for n in form.base_fields}
    for source in Path(jingkai.__file__).parent.rglob("*.py"):
        if "tests" not in source.parts:
            names |= set(re.findall(r"(?:GET|POST)\.get(?:list)?\(\"(\w+)\"", source.read_text()))
    names |= {"offset", "limit", "page", "page_size", "sort", "order", "q"}  # paging and search everywhere
    return sorted(names)


def _bad_path_kwargs(pattern: URLPattern, valid: list[dict[str, object]]) -> list[dict[str, object]]:
    """Each path parameter in turn malformed, the others as in a valid address (a real zone with a month
    2026-13); without a valid address, every parameter malformed."""
    converters = pattern.pattern.converters  # type: ignore[attr-defined]
    out: list[dict[str, object]] = []
    for base in valid or [{}]:
        for name in converters:
            out += [base | {name: value} if base else dict.fromkeys(converters, value) for value in BAD_VALUES]
    return out


@pytest.fixture
def walkers(matrix_users) -> dict[str, Client]:  # noqa: F811
    clients = {}
    for role in ("province", "zone"):
        clients[role] = Client(raise_request_exception=False)
        clients[role].force_login(matrix_users[role])
    return clients


def test_no_url_answers_malformed_input_with_a_server_error(walkers):
    names = _parameter_names()
    samples = _samples()
    failures: list[str] = []
    count = 0

    def hit(role: str, method: str, url: str, params: dict[str, str]) -> int:
        nonlocal count
        count += 1
        client = walkers[role]
        response = client.get(url, params) if method == "get" else client.post(url, params)
        if response.status_code >= 500:
            failures.append(f"{method.upper()} {url} {params and next(iter(params.values()))!r} as {role}: "
                            f"{response.status_code}")
        return response.status_code

    def rotated(k: int) -> dict[str, str]:
        return {n: QUERY_VALUES[(i + k) % len(QUERY_VALUES)] for i, n in enumerate(names)}

    for name, pattern in _patterns(get_resolver().url_patterns):
        if name.startswith(SKIPPED) or name.startswith("api:openapi"):
            continue
        valid = [rule.kwargs(samples) for rule in RULES.get(name, [])]
        post_only = False
        # the access matrix's objects with malformed query and form values, and an empty form …
        for url, role in itertools.product(dict.fromkeys(reverse(name, kwargs=kw) for kw in valid), walkers):
            for method in ("get", "post"):
                for params in [*([{}] if method == "post" else []), *map(rotated, range(ROTATIONS))]:
                    started = time.monotonic()
                    post_only |= hit(role, method, url, params) == 405 and method == "get"
                    if time.monotonic() - started > SLOW:  # a Word export: once per method and role is enough
                        break
        # … and each path parameter malformed in turn, the same value in the query or form
        for kwargs in _bad_path_kwargs(pattern, valid):
            value = str(next(v for k, v in kwargs.items() if all(kw.get(k) != v for kw in valid) or not valid))
            try:
                url = reverse(name, kwargs=kwargs)
            except NoReverseMatch:  # the converter does not take the value: Django's own 404
                continue
            for role in walkers:
                if role == "province" or value in ZONE_BAD_VALUES:
                    hit(role, "post" if post_only else "get", url, dict.fromkeys(names, value))
    assert count > 500
    assert not failures, f"{len(failures)} of {count} requests answered 5xx:\n" + "\n".join(failures)


def test_the_reported_bad_inputs_are_answered_in_chinese(walkers):
    samples = _samples()
    zone, province = walkers["zone"], walkers["province"]
    for period in ("abc", "2026-13", "9999-01"):
        page = zone.post(f"/monitoring/submit/GS-LZ/{period}/", follow=True)
        assert page.status_code == 200, period
        text = page.content.decode()
        assert f"期间“{period}”" in text and ("格式应为 YYYY-MM" in text or "尚未到来" in text), period
    page = zone.post(f"/measures/tasks/{samples['own_task']}/report/", {"text": "进展", "progress": "10"})
    assert page.status_code == 200 and "进展未保存" in page.content.decode()
    answer = province.get("/api/v1/enterprises", {"offset": "99999999999999999999"})
    assert answer.status_code == 422
    assert answer.json()["errors"] == [{"param": "offset", "message": "不得大于 1000000000"}]
    answer = province.get("/api/v1/enterprises", {"offset": "abc"})
    assert answer.json()["detail"] == "请求参数有误：offset 应为整数"
