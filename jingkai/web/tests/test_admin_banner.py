from jingkai.testing import make_user, make_zone


def test_admin_shows_the_demo_banner(client, db):
    make_zone("GS-LZ", is_demo=True)
    client.force_login(make_user("root", "province", is_staff=True, is_superuser=True))
    page = client.get("/admin/").content.decode()
    assert "演示数据" in page and "经开平台后台管理" in page
