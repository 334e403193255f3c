"""Uploaded and imported HTML is cleaned before it is stored (and again when shown).

nh3 (ammonia) keeps an allow-list of tags and attributes: no ``<script>``, no ``on*`` event
handlers, no ``javascript:`` or ``data:`` links, no ``style``. What it keeps is what an
article needs: text structure, links, images, tables, sub/superscript for formulas.
"""

from __future__ import annotations

import html as _html
import re

import markdown as _markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "b", "em", "i", "u", "s",
    "sub", "sup", "small", "mark", "blockquote", "code", "pre", "ul", "ol", "li", "dl", "dt",
    "dd", "a", "img", "figure", "figcaption", "table", "caption", "thead", "tbody", "tfoot",
    "tr", "th", "td", "span", "div", "abbr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "abbr": {"title"},
    "span": {"class"},
    "div": {"class"},
}
URL_SCHEMES = {"http", "https", "mailto"}

_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")


def clean_html(html: str) -> str:
    """Allow-listed HTML; everything else is dropped (scripts with their content)."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        clean_content_tags={"script", "style"},
    )


def markdown_to_html(text: str) -> str:
    """Markdown (tables and fenced code included) to clean HTML."""
    html = _markdown.markdown(text or "", extensions=["tables", "fenced_code", "sane_lists"])
    return clean_html(html)


def html_to_text(html: str) -> str:
    """Visible text of an HTML fragment, single-spaced (for the search index)."""
    text = _TAG.sub(" ", html or "")
    return _SPACES.sub(" ", _html.unescape(text)).strip()
