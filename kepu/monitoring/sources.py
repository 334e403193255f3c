"""Reading items from the outside: feeds, uploaded files, web pages.

Parsers yield item dicts (``id``, ``text``, ``published_at``, ``author``, ``url``,
``title``, ``reach``) or :class:`~kepu.monitoring.actions.ItemError` for an item they
could not read, so one bad row never costs the good ones; ``actions.ingest_items`` stores
the good and logs the bad on the source.

Fetching is defensive: a total deadline (a server that trickles bytes forever is cut
off, not just one that is silent), a size cap, at most ``MAX_REDIRECTS`` redirects, and
conditional GET (``ETag`` / ``Last-Modified``) so an unchanged feed costs a 304.
"""

from __future__ import annotations

import csv
import io
import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any

from django.utils.translation import gettext as _
from lxml import etree
from lxml import html as lxml_html

from .actions import ItemError
from .pipeline.normalize import DecodeError, decode_bytes

TIMEOUT = 10.0  # seconds for the whole fetch
MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
USER_AGENT = "KepuMonitor/1.0 (+https://kepu.localhost/monitoring)"
TARGET_FIELDS = ("id", "text", "title", "published_at", "author", "url", "reach")


class FetchError(Exception):
    """A fetch failed as a whole (network, HTTP status, timeout, redirect loop, size)."""


class _LimitedRedirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS
    max_repeats = 2


@dataclass
class Fetched:
    status: int
    body: bytes
    charset: str | None
    etag: str = ""
    last_modified: str = ""


def fetch(
    url: str, *, etag: str = "", last_modified: str = "", timeout: float | None = None
) -> Fetched:
    """GET ``url`` with the limits above; a 304 comes back as ``status=304``, empty body."""
    timeout = TIMEOUT if timeout is None else timeout
    if not url.startswith(("http://", "https://")):
        raise FetchError(_("not an http(s) URL: %(url)s") % {"url": url[:200]})
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    opener = urllib.request.build_opener(_LimitedRedirects)
    deadline = time.monotonic() + timeout
    try:
        response = opener.open(
            urllib.request.Request(url, headers=headers),  # noqa: S310 (http(s) only, checked above)
            timeout=timeout,
        )
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return Fetched(304, b"", None, etag, last_modified)
        if 300 <= exc.code < 400:
            raise FetchError(
                _("too many redirects (more than %(n)d)") % {"n": MAX_REDIRECTS}
            ) from exc
        raise FetchError(_("HTTP %(code)d from %(url)s") % {"code": exc.code, "url": url}) from exc
    except TimeoutError as exc:
        raise FetchError(_("timed out after %(s)g seconds") % {"s": timeout}) from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError):
            raise FetchError(_("timed out after %(s)g seconds") % {"s": timeout}) from exc
        raise FetchError(
            _("could not fetch %(url)s: %(reason)s") % {"url": url, "reason": reason}
        ) from exc
    with response:
        chunks = []
        size = 0
        while True:
            if time.monotonic() > deadline:
                raise FetchError(_("timed out after %(s)g seconds") % {"s": timeout})
            try:
                chunk = response.read1(65536)
            except TimeoutError as exc:
                raise FetchError(_("timed out after %(s)g seconds") % {"s": timeout}) from exc
            if not chunk:
                break
            size += len(chunk)
            if size > MAX_BYTES:
                raise FetchError(_("response larger than %(n)d bytes") % {"n": MAX_BYTES})
            chunks.append(chunk)
        return Fetched(
            response.status,
            b"".join(chunks),
            response.headers.get_content_charset(),
            response.headers.get("ETag", ""),
            response.headers.get("Last-Modified", ""),
        )


# ---------------------------------------------------------------------------- feeds


@dataclass
class Feed:
    items: list[Any] = field(default_factory=list)
    etag: str = ""
    last_modified: str = ""
    not_modified: bool = False


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _child_text(el: Any, *names: str) -> str:
    for child in el:
        if _local(child.tag) in names:
            text = "".join(child.itertext()).strip()
            if text:
                return text
    return ""


def _atom_link(el: Any) -> str:
    for child in el:
        if (
            _local(child.tag) == "link"
            and child.get("href")
            and child.get("rel", "alternate") == "alternate"
        ):
            return child.get("href")
    return _child_text(el, "link")


def _feed_time(value: str) -> str | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).isoformat()
    except (TypeError, ValueError):
        return value  # ISO 8601 (Atom); ingest validates it


def parse_feed(data: bytes, charset: str | None = None) -> list[Any]:
    """RSS 2.0 / RSS 1.0 / Atom items as item dicts; malformed XML is recovered as far as
    lxml can and reported as an ``ItemError`` beside whatever items survived."""
    out: list[Any] = []
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        root = None
    if root is None or not len(root):
        # Undeclared GBK/BIG5 (or a lying declaration): decode ourselves and retry.
        try:
            text, _enc = decode_bytes(data)
        except DecodeError as exc:
            return [ItemError(_("feed"), str(exc))]
        text = text.lstrip("\ufeff")
        if text.startswith("<?xml"):
            text = text.split("?>", 1)[-1]
        root = etree.fromstring(text, parser)
        if root is None:
            return [ItemError(_("feed"), _("not an RSS or Atom document"))]
    if parser.error_log:
        first = parser.error_log[0]
        out.append(
            ItemError(
                _("feed"),
                _("malformed XML at line %(line)d: %(msg)s; readable items were kept")
                % {"line": first.line, "msg": first.message},
            )
        )
    for n, el in enumerate((e for e in root.iter() if _local(e.tag) in ("item", "entry")), start=1):
        link = _atom_link(el)
        item_id = _child_text(el, "guid", "id") or link
        title = _child_text(el, "title")
        body = _child_text(el, "encoded", "content", "description", "summary")
        if not item_id:
            out.append(
                ItemError(_("item %(n)d") % {"n": n}, _("item has neither guid/id nor link"))
            )
            continue
        out.append(
            {
                "id": item_id,
                "title": title,
                "text": body or title,
                "url": link if link.startswith(("http://", "https://")) else "",
                "author": _child_text(el, "author", "creator", "name"),
                "published_at": _feed_time(
                    _child_text(el, "pubdate", "published", "updated", "date")
                ),
            }
        )
    return out


def fetch_feed(url: str, *, etag: str = "", last_modified: str = "") -> Feed:
    fetched = fetch(url, etag=etag, last_modified=last_modified)
    if fetched.status == 304:
        return Feed([], etag, last_modified, not_modified=True)
    return Feed(parse_feed(fetched.body, fetched.charset), fetched.etag, fetched.last_modified)


# ---------------------------------------------------------------------------- pages

_NOISE = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe")


def _decode_page(fetched: Fetched) -> str:
    if fetched.charset:
        try:
            return fetched.body.decode(fetched.charset)
        except (LookupError, UnicodeDecodeError):
            pass
    head = fetched.body[:2048].lower()
    for marker in (b"charset=gbk", b"charset=gb2312", b'charset="gbk"', b'charset="gb2312"'):
        if marker in head:
            return fetched.body.decode("gb18030", errors="replace")
    return decode_bytes(fetched.body, errors="replace")[0]


def extract_main_text(html_text: str) -> tuple[str, str]:
    """``(title, main text)`` of an HTML page: the block whose paragraphs hold the most
    text, after dropping navigation, headers, footers, asides and scripts."""
    doc = lxml_html.document_fromstring(html_text)
    title = ""
    h1 = doc.find(".//h1")
    if h1 is not None:
        title = h1.text_content().strip()
    if not title and doc.find(".//title") is not None:
        title = doc.find(".//title").text_content().strip()
    for el in list(doc.iter(*_NOISE)):
        el.drop_tree()
    best, best_score = None, 0
    for el in doc.iter("article", "main", "div", "section", "td", "body"):
        paragraphs = [p.text_content().strip() for p in el.findall("p")]
        score = sum(len(p) for p in paragraphs if len(p) >= 10)
        if el.tag in ("article", "main"):
            score = int(score * 1.2)
        if score > best_score:
            best, best_score = el, score
    if best is None:
        body = doc.find("body")
        text = body.text_content() if body is not None else doc.text_content()
        return title, " ".join(text.split())
    paragraphs = [" ".join(p.text_content().split()) for p in best.iter("p", "h2", "h3", "li")]
    return title, "\n".join(p for p in paragraphs if p)


def fetch_page(url: str) -> dict:
    fetched = fetch(url)
    title, text = extract_main_text(_decode_page(fetched))
    if not text.strip():
        raise FetchError(_("no readable text found on %(url)s") % {"url": url})
    return {"id": url, "url": url, "title": title[:500], "text": text}


# -------------------------------------------------------------------------- uploads


def upload_format(filename: str) -> str:
    name = filename.lower()
    for ext, fmt in ((".jsonl", "jsonl"), (".ndjson", "jsonl"), (".json", "jsonl")):
        if name.endswith(ext):
            return fmt
    if name.endswith(".csv"):
        return "csv"
    if name.endswith(".xlsx"):
        return "xlsx"
    raise ValueError(_("unsupported file type: use .jsonl, .csv or .xlsx"))


def _rows(data: bytes, fmt: str) -> Iterator[tuple[int, dict | ItemError]]:
    """``(line or row number, raw record or error)`` for every record in the file."""
    if fmt == "xlsx":
        import openpyxl

        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:
            yield 0, ItemError(_("file"), _("not a readable .xlsx file: %(e)s") % {"e": exc})
            return
        sheet = book.worksheets[0]
        header: list[str] | None = None
        for n, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if header is None:
                header = [str(v).strip() if v is not None else "" for v in values]
                continue
            if all(v is None for v in values):
                continue
            yield n, {h: v for h, v in zip(header, values, strict=False) if h}
        book.close()
        return
    try:
        text, _enc = decode_bytes(data)
    except DecodeError as exc:
        yield 0, ItemError(_("file"), str(exc))
        return
    if fmt == "jsonl":
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield (
                    n,
                    ItemError(
                        _("line %(n)d") % {"n": n},
                        _("malformed JSON: %(e)s") % {"e": exc.msg},
                        line[:300],
                    ),
                )
                continue
            if not isinstance(record, dict):
                yield n, ItemError(_("line %(n)d") % {"n": n}, _("not a JSON object"), line[:300])
                continue
            yield n, record
        return
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        return
    except csv.Error as exc:
        yield 1, ItemError(_("row 1"), _("malformed CSV: %(e)s") % {"e": exc})
        return
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield (
                reader.line_num,
                ItemError(
                    _("row %(n)d") % {"n": reader.line_num}, _("malformed CSV: %(e)s") % {"e": exc}
                ),
            )
            continue
        n = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            yield (
                n,
                ItemError(
                    _("row %(n)d") % {"n": n},
                    _("expected %(want)d columns, found %(got)d")
                    % {"want": len(header), "got": len(values)},
                    ",".join(values)[:300],
                ),
            )
            continue
        yield n, dict(zip(header, values, strict=True))


def detect_columns(data: bytes, fmt: str, sample: int = 50) -> list[str]:
    """Column names (or JSON keys) seen in the first records, for the mapping step."""
    seen: dict[str, None] = {}
    for i, (_n, row) in enumerate(_rows(data, fmt)):
        if isinstance(row, dict):
            for key in row:
                seen.setdefault(str(key), None)
        if i >= sample:
            break
    return list(seen)


def guess_mapping(columns: list[str]) -> dict[str, str]:
    """Target field → column, for the usual export column names (editable in the form)."""
    synonyms = {
        "id": ("id", "mid", "post_id", "编号", "微博id", "ID"),
        "text": ("text", "content", "正文", "内容", "微博正文", "body"),
        "title": ("title", "标题"),
        "published_at": ("published_at", "created_at", "time", "发布时间", "时间", "date"),
        "author": ("author", "user", "screen_name", "作者", "用户", "发布者"),
        "url": ("url", "link", "链接", "网址"),
        "reach": ("reach", "followers", "views", "粉丝数", "阅读数", "播放量"),
    }
    lower = {c.lower(): c for c in columns}
    mapping = {}
    for target, names in synonyms.items():
        for name in names:
            if name.lower() in lower:
                mapping[target] = lower[name.lower()]
                break
    return mapping


def parse_upload(data: bytes, fmt: str, mapping: dict[str, str] | None = None) -> Iterator[Any]:
    """Items of an uploaded file, renamed by ``mapping`` (target field → column)."""
    for n, row in _rows(data, fmt):
        if isinstance(row, ItemError):
            yield row
            continue
        if mapping:
            item = {t: row.get(c) for t, c in mapping.items() if c}
        else:
            item = {k: v for k, v in row.items() if k in TARGET_FIELDS}
        for key in ("id", "published_at", "reach"):
            value = item.get(key)
            if hasattr(value, "isoformat"):
                item[key] = value.isoformat()
        if item.get("id") is None or str(item.get("id")).strip() == "":
            yield ItemError(
                _("row %(n)d") % {"n": n}, _("missing “id”"), json.dumps(row, default=str)[:300]
            )
            continue
        yield item
