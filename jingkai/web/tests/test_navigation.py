"""The side menu by group, the breadcrumbs, and the user's unit and role in the header."""

import re


def headings(page: str) -> list[str]:
    return re.findall(r'<div class="nav-heading">(.*?)</div>', page)


def test_menu_is_grouped_in_order(client, prov_user):
    client.force_login(prov_user)
    page = client.get("/enterprises/").content.decode()
    assert headings(page) == ["园区与企业", "运行与评价", "督办", "数据管理", "系统管理"]  # 系统管理: the province's
    group = page[page.index(">运行与评价<"):page.index(">督办<")]
    assert [label for label in re.findall(r'<a href="[^"]+"[^>]*>([^<]+)', group)] == [
        "综合评价", "经济运行", "报送情况", "经济运行通报"]
    assert 'href="/enterprises/" class="active"' in page


def test_system_admin_pages_mark_their_own_entry(client, prov_user, lz_zone_user):
    client.force_login(prov_user)
    page = client.get(f"/system/users/{lz_zone_user.pk}/").content.decode()
    assert 'href="/system/users/" class="active"' in page and 'href="/system/log/" class="active"' not in page
    assert 'href="/system/log/" class="active"' in client.get("/system/log/").content.decode()
    client.force_login(lz_zone_user)
    assert "系统管理" not in headings(client.get("/todo/").content.decode())


def test_sub_pages_mark_their_entry(client, prov_user):
    client.force_login(prov_user)
    page = client.get("/measures/tasks/").content.decode()
    assert 'href="/measures/tasks/" class="active"' in page and 'href="/measures/" class="active"' not in page
    assert 'href="/measures/" class="active"' in client.get("/measures/").content.decode()


def test_breadcrumbs(client, prov_user):
    client.force_login(prov_user)
    page = client.get("/measures/tasks/").content.decode()
    crumbs = page[page.index('class="breadcrumbs"'):page.index("</nav>", page.index('class="breadcrumbs"'))]
    assert '<a href="/">首页</a>' in crumbs and "<span>督办</span>" in crumbs and "<span>任务清单</span>" in crumbs
    assert 'class="breadcrumbs"' not in client.get("/").content.decode()  # home is the start


def test_header_shows_unit_and_role(client, lz_zone_user, dept_user):
    client.force_login(lz_zone_user)
    page = client.get("/todo/").content.decode()
    assert '<span class="unit" title="所属单位">兰州经济技术开发区管委会</span>' in page
    assert '<span class="role" title="角色">园区管委会</span>' in page
    client.force_login(dept_user)
    assert '<span class="role" title="角色">省直部门</span>' in client.get("/todo/").content.decode()


def test_zone_committee_menu(client, lz_zone_user):
    client.force_login(lz_zone_user)
    page = client.get("/todo/").content.decode()
    assert 'href="/zones/mine/"' in page and 'href="/zones/"' not in page and "数据字典" in page
