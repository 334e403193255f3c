"""Uploaded and imported HTML is cleaned before it is stored (and again when shown).

nh3 (ammonia) keeps an allow-list of tags and attributes: no ``<script>``, no ``on*`` event
handlers, no ``javascript:`` or ``data:`` links, no ``style``. What it keeps is what an
article needs: text structure, links, images, tables, sub/superscript for formulas.
"""

from __future__ import annotations

import html as _html
import re

import markdown as _markdown

from kepu.core.html import sanitize_html as clean_html

_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")


def markdown_to_html(text: str) -> str:
    """Markdown (tables and fenced code included) to clean HTML."""
    html = _markdown.markdown(text or "", extensions=["tables", "fenced_code", "sane_lists"])
    return clean_html(html)


def html_to_text(html: str) -> str:
    """Visible text of an HTML fragment, single-spaced (for the search index)."""
    text = _TAG.sub(" ", html or "")
    return _SPACES.sub(" ", _html.unescape(text)).strip()
