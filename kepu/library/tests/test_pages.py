"""Public library pages: listing with facets, detail with JSON-LD, unit libraries and
sharing, feeds, sitemap."""

import json
import re

import pytest

from kepu.library import actions
from kepu.orgs.choices import Role

from .factories import ResourceFactory

pytestmark = pytest.mark.django_db


def json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))


@pytest.fixture
def library(tree, committed):
    with committed():
        return {
            "article": ResourceFactory(
                unit=tree.inst_b, kind="article", title="黑洞照片是怎么拍的", domain="天文/天体物理",
                audiences=["public", "youth"], body_text="事件视界望远镜把全球射电望远镜连成一台。",
                reviewers="李明", authors="王芳", publication_date="2025-03-01",
            ),
            "video": ResourceFactory(
                unit=tree.inst_b, kind="video", title="流星雨观测", domain="天文",
                audiences=["youth"], media_url="https://video.example.cn/meteor.mp4",
                duration_seconds=185, transcript="流星雨是彗星留下的尘埃。",
            ),
            "course": ResourceFactory(unit=tree.inst_a, kind="course", title="量子入门课", domain="物理"),
            "book": ResourceFactory(unit=tree.other, kind="book", title="时间简史导读", isbn="9787535732309"),
        }  # fmt: skip


def test_listing_shows_facets_with_counts_and_filters(library, client):
    page = client.get("/library/", {"q": "黑洞 流星雨"})
    assert page.status_code == 200
    html = page.content.decode()
    # titles carry <mark> around the matched words
    assert "<mark>黑洞</mark>照片是怎么拍的" in html and "<mark>流星雨</mark>观测" in html
    facet = re.search(r'data-facet="audience".*?</section>', html, re.S).group(0)
    assert re.search(r'data-value="youth">[^<]+</a> <span class="count">\(2\)', facet)
    assert re.search(r'data-value="public">[^<]+</a> <span class="count">\(1\)', facet)
    filtered = client.get("/library/", {"q": "黑洞 流星雨", "audience": "public"}).content.decode()
    assert "照片是怎么拍的" in filtered and "观测" not in filtered
    # HTMX asks for the results fragment only
    fragment = client.get(
        "/library/", {"q": "黑洞"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "<html" not in fragment and "照片是怎么拍的" in fragment


def test_detail_pages_carry_schema_org_json_ld_and_review_info(library, client):
    article = client.get(library["article"].get_absolute_url()).content.decode()
    data = json_ld(article)
    assert data["@type"] == "Article" and data["headline"] == "黑洞照片是怎么拍的"
    assert data["reviewedBy"][0]["name"] == "李明" and data["publisher"]["name"] == "国家天文台"
    assert data["datePublished"] == "2025-03-01"
    assert "李明" in article and "国家天文台" in article
    video = json_ld(client.get(library["video"].get_absolute_url()).content.decode())
    assert video["@type"] == "VideoObject" and video["duration"] == "PT185S"
    assert video["contentUrl"] == "https://video.example.cn/meteor.mp4"
    assert (
        json_ld(client.get(library["course"].get_absolute_url()).content.decode())["@type"]
        == "Course"
    )
    book = json_ld(client.get(library["book"].get_absolute_url()).content.decode())
    assert book["@type"] == "Book" and book["isbn"] == "9787535732309"


def test_shared_resource_appears_on_other_units_sub_sites_without_copying(
    library, tree, member, client
):
    own = client.get(f"/library/u/{tree.other.code}/").content.decode()
    assert "时间简史导读" in own and "黑洞照片是怎么拍的" not in own
    officer = member(tree.inst_b, Role.RESPONSIBLE_OFFICE)
    actions.share_resource(library["article"], acting_user=officer)
    other = client.get(f"/library/u/{tree.other.code}/").content.decode()
    assert "黑洞照片是怎么拍的" in other
    assert library["article"].__class__.objects.filter(title="黑洞照片是怎么拍的").count() == 1
    # sharing is a publishing decision of the owner
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.share_resource(library["book"], acting_user=officer)


def test_feeds_per_domain_and_per_unit(library, client):
    rss = client.get("/library/feeds/domain/天文/rss/")
    assert rss.status_code == 200 and rss["Content-Type"].startswith("application/rss+xml")
    body = rss.content.decode()
    assert "黑洞照片是怎么拍的" in body and "流星雨观测" in body and "量子入门课" not in body
    atom = client.get("/library/feeds/domain/天文/天体物理/atom/").content.decode()
    assert "黑洞照片是怎么拍的" in atom and "流星雨观测" not in atom
    unit_feed = client.get("/library/feeds/unit/acad/atom/").content.decode()
    assert "量子入门课" in unit_feed and "时间简史导读" not in unit_feed
    assert client.get("/library/feeds/domain/不存在/rss/").status_code == 404


def test_sitemap_lists_published_resources_only(library, tree, client):
    draft = ResourceFactory(unit=tree.inst_a, title="草稿", publish=False)
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-library.xml" in index and "sitemap-pages.xml" in index
    section = client.get("/sitemap-library.xml").content.decode()
    assert library["article"].get_absolute_url() in section
    assert draft.get_absolute_url() not in section


def test_a_draft_page_is_hidden_from_visitors(tree, client):
    draft = ResourceFactory(unit=tree.inst_a, title="草稿", publish=False)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get("/library/r/99999/").status_code == 404


def test_json_feeds_carry_the_same_items_as_atom(library, tree, client):
    response = client.get("/library/feeds/domain/天文/json/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/feed+json")
    feed = json.loads(response.content)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert "/library/feeds/domain/" in feed["feed_url"] and feed["feed_url"].endswith("/json/")
    titles = [item["title"] for item in feed["items"]]
    assert sorted(titles) == ["流星雨观测", "黑洞照片是怎么拍的"]
    atom = client.get("/library/feeds/domain/天文/atom/").content.decode()
    assert all(t in atom for t in titles)
    article = next(i for i in feed["items"] if i["title"] == "黑洞照片是怎么拍的")
    assert article["url"].startswith("http") and article["url"].endswith(
        library["article"].get_absolute_url()
    )
    assert article["id"] and article["date_published"] and article["tags"] == ["天文/天体物理"]
    assert article["authors"] == [{"name": "王芳"}]
    assert "content_text" in article or "content_html" in article  # one is required

    unit_feed = json.loads(client.get(f"/library/feeds/unit/{tree.academy.code}/json/").content)
    assert "量子入门课" in [i["title"] for i in unit_feed["items"]]
    assert "时间简史导读" not in [i["title"] for i in unit_feed["items"]]
    assert client.get("/library/feeds/unit/no-such-unit/json/").status_code == 404
    assert client.get("/library/feeds/domain/不存在/json/").status_code == 404


def test_pages_announce_their_feeds(library, tree, client):
    unit_page = client.get(f"/library/u/{tree.inst_b.code}/").content.decode()
    for kind, url in (("application/atom+xml", "atom"), ("application/rss+xml", "rss"),
                      ("application/feed+json", "json")):  # fmt: skip
        assert (
            f'<link rel="alternate" type="{kind}" '
            f'href="/library/feeds/unit/{tree.inst_b.code}/{url}/"' in unit_page
        )
    filtered = client.get("/library/", {"domain": "天文"}).content.decode()
    assert 'type="application/feed+json"' in filtered and "/feeds/domain/" in filtered
    assert 'type="application/feed+json"' not in client.get("/library/").content.decode()
