"""Browser journey: a visitor searches the library in Chinese, narrows the results to an
audience, and opens a resource."""

import pytest

from .factories import ResourceFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_visitor_searches_filters_by_audience_and_opens_a_resource(tree, browser_page, live_server):
    ResourceFactory(unit=tree.inst_a, title="老年人居家防跌倒指南", audiences=["elderly"],
                    body_text="浴室铺防滑垫，夜间留一盏小灯，起身动作要慢。")  # fmt: skip
    ResourceFactory(unit=tree.inst_b, title="青少年运动防跌倒", audiences=["youth"],
                    body_text="运动前热身，选择合适的运动鞋，防止跌倒扭伤。")  # fmt: skip
    ResourceFactory(
        unit=tree.inst_b, title="黑洞是什么", audiences=["public"], body_text="引力极强的天体。"
    )
    expect = pytest.importorskip("playwright.sync_api").expect
    page = browser_page
    page.set_extra_http_headers({"Accept-Language": "zh-CN,zh;q=0.9"})

    page.goto(f"{live_server.url}/library/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    page.fill("#library-q", "怎么防止跌倒")
    page.press("#library-q", "Enter")
    results = page.locator("#library-results .hit")
    expect(results).to_have_count(2)
    titles = results.all_inner_texts()
    assert any("老年人居家防跌倒指南" in t for t in titles)
    assert not any("黑洞" in t for t in titles)

    page.locator('[data-facet="audience"] a[data-value="elderly"]').click()
    expect(results).to_have_count(1)
    assert "audience=elderly" in page.url
    assert "老年人居家防跌倒指南" in results.first.inner_text()

    results.first.locator("a").click()
    page.wait_for_url("**/library/r/*/")
    assert page.locator("h1").inner_text() == "老年人居家防跌倒指南"
    assert "浴室铺防滑垫" in page.content()
    assert page.locator('script[type="application/ld+json"]').count() == 1
