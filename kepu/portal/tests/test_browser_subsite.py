"""Browser journey: an institute officer edits the institute's sub-site in the Chinese admin,
sees the change on the public sub-site, and is refused another institute's page."""

import pytest

from kepu.accounts.tests.factories import PASSWORD
from kepu.orgs.choices import Role

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_officer_edits_own_sub_site_and_is_refused_another(tree, member, browser_page, live_server):
    page = browser_page
    officer = member(tree.inst_a, Role.OFFICER, username="iop-officer")
    own = tree.inst_a.home_page
    other = tree.inst_b.home_page

    # signs in — the admin speaks Chinese even to a browser that asks for English
    page.goto(f"{live_server.url}/admin/login/")
    assert "登录" in page.content()
    page.fill("input[name=username]", officer.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    assert page.locator("html").get_attribute("lang") in ("zh-hans", "zh-Hans")

    # edits the institute's home page introduction and publishes
    page.goto(f"{live_server.url}/admin/pages/{own.pk}/edit/")
    editor = page.locator("[data-contentpath=intro] [contenteditable=true]").first
    editor.click()
    page.keyboard.type("本所将于五月举办超导开放日，欢迎中小学生报名参观。")
    # Draftail writes its hidden input when the editor loses focus
    page.locator("#id_title").click()
    page.wait_for_timeout(300)
    page.locator("footer .dropdown-toggle, [data-w-dropdown-target=toggle]").last.click()
    page.locator("button[name=action-publish]").click()
    page.wait_for_url(f"{live_server.url}/admin/pages/**")
    assert "已发布" in page.content()

    # the public sub-site shows it
    page.goto(f"{live_server.url}/acad/acad-bj/acad-iop/")
    assert "超导开放日" in page.content()

    # another institute's page is refused
    page.goto(f"{live_server.url}/admin/pages/{other.pk}/edit/")
    assert f"/admin/pages/{other.pk}/edit/" not in page.url or "权限" in page.content()
    assert "没有权限" in page.content()
