"""Packages for new-media accounts, built from one piece of content.

* WeChat official-account articles accept no stylesheet and no scripts: every element carries
  its style inline, and the images are listed so an editor can upload them to the WeChat
  material library.
* A Weibo post is short: the title and as much of the summary as fits, then the link.
* Short-video platforms want a title, a description, tags and a cover.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import html as lxml_html

from kepu.core.html import sanitize_html

WECHAT_STYLES = {
    "p": "margin:0 0 1em;line-height:1.75;font-size:16px;color:#333;",
    "h2": "margin:1.2em 0 .6em;font-size:20px;font-weight:bold;color:#0b5fa5;",
    "h3": "margin:1em 0 .5em;font-size:18px;font-weight:bold;color:#333;",
    "blockquote": "margin:1em 0;padding:.5em 1em;border-left:4px solid #0b5fa5;background:#f6f8fa;color:#555;",
    "img": "display:block;max-width:100%;height:auto;margin:1em auto;",
    "table": "border-collapse:collapse;width:100%;margin:1em 0;font-size:14px;",
    "td": "border:1px solid #ddd;padding:6px;",
    "th": "border:1px solid #ddd;padding:6px;background:#f6f8fa;",
    "li": "margin:.3em 0;line-height:1.75;",
    "a": "color:#0b5fa5;",
    "figcaption": "text-align:center;font-size:13px;color:#888;",
}


@dataclass
class WeChatPackage:
    title: str
    digest: str
    html: str
    images: list[str] = field(default_factory=list)


def wechat_package(
    title: str, summary: str, body_html: str, *, source_url: str = ""
) -> WeChatPackage:
    """Inline-styled, script-free HTML plus the list of images it uses."""
    clean = sanitize_html(body_html)
    root = lxml_html.fragment_fromstring(clean or "<p></p>", create_parent="section")
    images: list[str] = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        element.attrib.pop("class", None)
        style = WECHAT_STYLES.get(element.tag)
        if style:
            element.set("style", style)
        if element.tag == "img" and element.get("src"):
            images.append(element.get("src"))
    root.set("style", "font-family:-apple-system,'PingFang SC','Microsoft YaHei',sans-serif;")
    html = lxml_html.tostring(root, encoding="unicode")
    if source_url:
        html += f'<p style="{WECHAT_STYLES["p"]}color:#888;font-size:13px;">原文：{source_url}</p>'
    return WeChatPackage(title=title, digest=(summary or "")[:120], html=html, images=images)


def weibo_post(title: str, summary: str, url: str, *, limit: int = 140) -> str:
    """【title】summary… url, within ``limit`` characters (a link counts as its length)."""
    head = f"【{title.strip()}】"
    tail = f" {url}" if url else ""
    room = limit - len(head) - len(tail)
    text = re.sub(r"\s+", " ", summary or "").strip()
    if room <= 1:
        return (
            (head + tail)[: max(limit, len(tail))] if not tail else head[: limit - len(tail)] + tail
        )
    if len(text) > room:
        text = text[: room - 1] + "…"
    return head + text + tail


def short_video_metadata(title: str, summary: str, *, tags: list[str], cover: str = "",
                         duration_seconds: int | None = None, url: str = "") -> dict:  # fmt: skip
    """Title ≤ 30 characters, description ≤ 300, at most 10 #tags, as most platforms accept."""
    return {
        "title": title[:30],
        "description": (summary or "")[:300],
        "tags": [f"#{t.strip('#')}" for t in tags if t.strip("#")][:10],
        "cover": cover,
        "duration_seconds": duration_seconds,
        "link": url,
    }
