from jingkai.testing import make_user, make_zone


def test_admin_shows_the_demo_banner(client, db):
    make_zone("GS-LZ", is_demo=True)
    client.force_login(make_user("root", "province", is_staff=True, is_superuser=True))
    page = client.get("/admin/").content.decode()
    assert "演示数据" in page and "经开平台后台管理" in page


def test_admin_pages_declare_an_icon(client, db):
    # Without it every admin page makes the browser ask for /favicon.ico, a 404 in the console.
    client.force_login(make_user("root", "province", is_staff=True, is_superuser=True))
    assert '<link rel="icon" href="data:,">' in client.get("/admin/").content.decode()
