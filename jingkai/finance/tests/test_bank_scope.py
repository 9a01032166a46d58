"""A bank sees the lists pushed to it and nothing else: every API list answers it empty but its pushes, and of
the pages without parameters it opens only its lists and the pages every account has (待办, 我的账户, 数据字典, and the indicator catalogue's definitions).
The pages with parameters are in the access matrix (jingkai/tests/test_access_matrix.py, role "bank")."""

from decimal import Decimal

from django.test import Client
from django.urls import NoReverseMatch, reverse

from jingkai.accounts.models import OrgUnit
from jingkai.enterprises.uscc import make_uscc
from jingkai.finance import services
from jingkai.testing import make_user
from jingkai.tests.test_access_matrix import every_url_name

EVERY_ACCOUNT = {"todo", "account", "dictionary"}
BANK_PAGES = {"finance:pushes"}


def test_a_bank_reads_nothing_but_its_lists(site_data, lz_zone_user, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    OrgUnit.objects.create(code="bank-x", name="测试银行分行", kind=OrgUnit.Kind.BANK)
    bank = make_user("bank-x-user", "bank-x")
    project = services.create_project(lz_zone_user, services.ProjectData(
        zone_id=site_data["GS-LZ"].pk, name="项目", category="storage", borrower="某公司",
        uscc=make_uscc("620100", "MA00000A"), capex=Decimal(1), finance_need=Decimal(1)))
    services.push(lz_zone_user, services.PushRequest([project.pk], [bank.org_unit_id], "清单"))
    client = Client(raise_request_exception=False)
    client.force_login(bank)
    opened, api = set(), {}
    for name in every_url_name():
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue  # needs parameters: the access matrix
        if name in {"healthz", "login", "logout", "api:openapi-view"}:
            continue
        response = client.get(url)
        if name.startswith("api:"):
            if response.status_code == 200 and response["Content-Type"].startswith("application/json") \
                    and "items" in (body := response.json()):
                api[name] = body["count"]
        elif response.status_code == 200:
            opened.add(name)
        else:
            assert response.status_code in (302, 403, 405), (url, response.status_code)
    assert opened == EVERY_ACCOUNT | BANK_PAGES
    assert api.pop("api:list_pushes") == 1
    # the indicator catalogue is definitions, as the 数据字典 every account reads; no figure comes with it
    assert api.pop("api:list_indicators") > 0
    assert api and set(api.values()) == {0}, api
    assert client.get(reverse("home")).url == reverse("finance:pushes")
