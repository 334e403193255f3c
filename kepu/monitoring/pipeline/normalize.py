"""Turn one raw post (bytes or str, maybe HTML, maybe traditional) into comparable text.

Crawled and pushed posts arrive in every state: GBK pages from old forums, BIG5 from
Hong Kong and Taiwan sources, UTF-8 with a BOM from Windows exports, HTML fragments from
RSS, full-width letters, traditional characters. Everything downstream (keywords,
dedup, mentions, sentiment) compares strings, so it must all see one normal form —
:func:`kepu.core.text.normalize` — and entities (URLs, @mentions, #话题#) are lifted out
first so they are kept as data instead of polluting word counts and shingles.

Language is detected *before* folding, because folding turns traditional into
simplified and the original script is worth knowing (zh-Hant sources are a different
audience).
"""

from __future__ import annotations

import codecs
import html
import re
from dataclasses import dataclass, field
from functools import lru_cache

from kepu.core.text import normalize as fold_text

from ._data import text_blob

MAX_CHARS = 20_000
# Raw input beyond this is cut before any regex runs, so a 50 MB paste costs no more
# than a large post; HTML markup can make raw text several times the visible text.
_RAW_FACTOR = 5


class DecodeError(ValueError):
    """Raised when bytes are neither UTF-8 (with or without BOM), GBK/GB18030 nor BIG5."""


# ---------------------------------------------------------------------------------------
# Bytes → str
# ---------------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16: its BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Chinese punctuation and symbols a real GBK or BIG5 text contains; garbage decodes
# produce bopomofo, box drawing and rare ideographs instead.
_CJK_PUNCT = set("，。、；：？！“”‘’（）《》〈〉【】「」『』…—～·％＃＠＆＊＋－／：　")


@lru_cache(maxsize=1)
def _common_chars() -> frozenset[str]:
    """The 3,000 commonest simplified characters plus their traditional forms."""
    import opencc  # only needed for decoding and language detection, not at import

    simp = text_blob("common_chars.txt")
    trad = opencc.OpenCC("s2t").convert("\n".join(simp)).split("\n")
    return frozenset(simp) | frozenset("".join(trad))


def _plausibility(text: str) -> float:
    """Share of non-ASCII characters that are common Chinese characters or punctuation.

    GBK and BIG5 overlap so much that either codec often decodes the other's bytes
    without error; the wrong one yields rare characters, so this ratio separates them.
    """
    sample = text[:4000]
    common = _common_chars()
    good = total = 0
    for ch in sample:
        if ch < "\x80":
            continue
        total += 1
        if ch in common or ch in _CJK_PUNCT:
            good += 1
    return good / total if total else 0.0


def decode_bytes(data: bytes, *, errors: str = "strict") -> tuple[str, str]:
    """Decode ``data`` and say which encoding it was: ``(text, encoding)``.

    Order: a BOM decides (``utf-8-sig``, ``utf-16``, ``utf-32``); then strict UTF-8
    (which ASCII also passes); then GBK (``gbk``, or ``gb18030`` for its extensions)
    and BIG5 (``big5``, decoded as cp950, its common superset) — when both decode
    cleanly, the one producing more common Chinese characters wins.

    ``errors="strict"`` raises :class:`DecodeError` naming what was tried;
    ``errors="replace"`` instead returns UTF-8 with U+FFFD replacements and the
    encoding ``"utf-8+replace"`` so the caller can flag the post.
    """
    if not data:
        return "", "utf-8"
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(name)
            except UnicodeDecodeError as exc:
                if errors == "replace":
                    return data.decode(name, errors="replace"), f"{name}+replace"
                raise DecodeError(
                    f"bytes start with a {name} BOM but do not decode: {exc}"
                ) from exc
            return text.lstrip("\ufeff"), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc

    candidates: list[tuple[str, str]] = []
    for codec, label in (("gbk", "gbk"), ("gb18030", "gb18030"), ("cp950", "big5")):
        if label == "gb18030" and any(lbl == "gbk" for _, lbl in candidates):
            continue  # GB18030 is a superset of GBK: only needed when GBK failed
        try:
            candidates.append((data.decode(codec), label))
        except UnicodeDecodeError:
            continue
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        # Ties go to the GB family: mainland sources dominate what this platform watches.
        return max(candidates, key=lambda c: _plausibility(c[0]))
    if errors == "replace":
        return data.decode("utf-8", errors="replace"), "utf-8+replace"
    raise DecodeError(
        "could not decode post bytes as UTF-8, GBK/GB18030 or BIG5 "
        f"(UTF-8 failed at byte {utf8_error.start}: {utf8_error.reason})"
    )


# ---------------------------------------------------------------------------------------
# HTML → text
# ---------------------------------------------------------------------------------------

_HTML_HINT = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9]*[\s/>]|/[a-zA-Z]|!--)")
_DROP_BLOCKS = re.compile(
    r"<(script|style|noscript|template|head)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL
)
_COMMENTS = re.compile(r"<!--.*?-->", re.DOTALL)
_BLOCK_BREAK = re.compile(
    r"<(?:br|hr|/?p|/?div|/?li|/?tr|/?h[1-6]|/?blockquote|/?section|/?article)\b[^>]{0,1000}>",
    re.IGNORECASE,
)
_TAG = re.compile(r"</?[a-zA-Z][^>]{0,2000}>")
_HREF = re.compile(r"""<a\b[^>]{0,1000}?\bhref\s*=\s*["']?(https?://[^"'\s>]+)""", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """Cheap test so plain posts (most of them) skip the tag-stripping regexes."""
    return _HTML_HINT.search(text) is not None


def strip_html(text: str) -> str:
    """HTML fragment → visible text; block tags become line breaks, entities unescaped.

    Regexes rather than a parser: posts are small fragments, a parser costs ~50x more
    per post, and a mis-stripped tag only costs a few characters of text.
    """
    if looks_like_html(text):
        text = _DROP_BLOCKS.sub(" ", text)
        text = _COMMENTS.sub(" ", text)
        text = _BLOCK_BREAK.sub("\n", text)
        text = _TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    return text


# ---------------------------------------------------------------------------------------
# Language (on the raw, unfolded text)
# ---------------------------------------------------------------------------------------

# Counting by deleting everything else (len of a regex ``sub``) is ~5x faster than
# ``findall``, which builds a string per match.
_NOT_HAN = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_NOT_LATIN = re.compile(r"[^A-Za-z\uff21-\uff3a\uff41-\uff5a]+")
_NOT_LETTER = re.compile(r"[\W\d_]+")
_KANA = re.compile(r"[\u3040-\u30ff]")
_NOT_KANA = re.compile(r"[^\u3040-\u30ff]+")
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff]")
_NOT_HANGUL = re.compile(r"[^\uac00-\ud7af\u1100-\u11ff]+")
_URLISH = re.compile(r"(?:https?://|www\.)\S+|[@＠][^\s:：,，]+", re.IGNORECASE)


@lru_cache(maxsize=1)
def _script_classes() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Regexes matching traditional-only and simplified-only common characters.

    Derived from the shipped common-character list with OpenCC, so no hand-made table
    can drift from the converter the rest of the system uses.
    """
    import opencc

    simp = text_blob("common_chars.txt")
    trad = opencc.OpenCC("s2t").convert("\n".join(simp)).split("\n")
    t2s = opencc.OpenCC("t2s")
    trad_only, simp_only = set(), set()
    for s_char, t_form in zip(simp, trad, strict=True):
        if len(t_form) == 1 and t_form != s_char and t2s.convert(t_form) == s_char:
            trad_only.add(t_form)
            simp_only.add(s_char)
    simp_only -= trad_only
    trad_only -= simp_only

    def klass(chars: set[str]) -> re.Pattern[str]:
        return re.compile("[" + "".join(sorted(chars)) + "]")

    return klass(trad_only), klass(simp_only)


def detect_language(raw: str) -> str:
    """``zh-Hans``, ``zh-Hant``, ``en`` or ``other`` by script ratios of the raw text.

    A heuristic, not a model: a post is Chinese when Han characters are a fair share of
    its letters (English words and brand names are common in Chinese posts), traditional
    when traditional-only forms outnumber simplified-only ones, Japanese/Korean count as
    ``other`` (kana/hangul), and English when Latin letters dominate.
    """
    sample = raw[:2000]
    if "@" in sample or "＠" in sample or "://" in sample or "www." in sample:
        sample = _URLISH.sub(" ", sample)
    han = len(_NOT_HAN.sub("", sample))
    kana = len(_NOT_KANA.sub("", sample)) if _KANA.search(sample) else 0
    if kana and kana * 10 >= han + kana:
        return "other"
    hangul = len(_NOT_HANGUL.sub("", sample)) if _HANGUL.search(sample) else 0
    if hangul and hangul >= han:
        return "other"
    latin = len(_NOT_LATIN.sub("", sample))
    if han and han * 5 >= han + latin:
        trad_re, simp_re = _script_classes()
        if trad_re.search(sample):
            trad = len(trad_re.findall(sample))
            simp = len(simp_re.findall(sample))
            if trad > simp:
                return "zh-Hant"
        return "zh-Hans"
    letters = len(_NOT_LETTER.sub("", sample))
    if latin and latin * 2 >= letters:
        return "en"
    if han:
        return "zh-Hans"
    return "other"


# ---------------------------------------------------------------------------------------
# Entities and reposts (on the normalized text: ＠ → @, ＃ → #, ： → :)
# ---------------------------------------------------------------------------------------

_URL = re.compile(r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+", re.IGNORECASE)
_URL_TRAIL = ".,;:!?)]'\"#"
_AT = re.compile(r"(?<![A-Za-z0-9_.])@([\w\u4e00-\u9fff\-·]{1,30})")
_HASHTAG = re.compile(r"#([^#\n]{1,40}?)#")
_HASHTAG_ASCII = re.compile(r"(?<![\w#&])#([A-Za-z][\w]{0,39})")
_REPOST_CHAIN = re.compile(r"//\s*@([^:\s/]{1,30})\s*:")
_REPOST_PREFIX = re.compile(
    r"^\s*(?:转发微博|转发|转载|转帖|转自[^:]{0,20}|转|rt|repost|fw|fwd)\s*:\s*"
    r"|^\s*rt\s+@[^:\s]{1,30}\s*:\s*",
    re.IGNORECASE,
)
_REPOST_ONLY = re.compile(r"^\s*(?:转发微博|转发|轉發微博|repost)\s*$", re.IGNORECASE)
_EMOTICON = re.compile(r"\[[^\[\]\s]{1,8}\]")
_NON_WORD = re.compile(r"[\W_]+")

MIN_CORE_CHARS = 10


@dataclass(slots=True)
class CleanPost:
    """One post after decoding, HTML stripping, folding and entity extraction.

    ``text`` is the full normalized text (entities left in place, for display and
    search); ``body`` drops URLs, @mentions and repost markers (for words, sentiment and
    domain); ``core`` is the punctuation-free text a dedup signature is computed from —
    for a repost, the quoted original rather than the reposter's comment.
    """

    text: str
    body: str
    core: str
    language: str
    encoding: str | None = None
    truncated: bool = False
    is_repost: bool = False
    repost_of: str | None = None  # the @name quoted last in a //@ chain, if any
    urls: list[str] = field(default_factory=list)
    at_mentions: list[str] = field(default_factory=list)
    hashtags: list[str] = field(default_factory=list)


def extract_urls(text: str) -> list[str]:
    """URLs in order of appearance, trailing punctuation trimmed, duplicates kept once."""
    out: list[str] = []
    for m in _URL.finditer(text):
        url = m.group(0).rstrip(_URL_TRAIL)
        if url and url not in out:
            out.append(url)
    return out


def extract_at_mentions(text: str) -> list[str]:
    """@names (Weibo-style nicknames: CJK, letters, digits, ``_``, ``-``), deduplicated."""
    out: list[str] = []
    for name in _AT.findall(text):
        if name not in out:
            out.append(name)
    return out


def extract_hashtags(text: str) -> list[str]:
    """Weibo ``#话题#`` topics, plus ``#word`` tags in Latin script, deduplicated."""
    out: list[str] = []
    for tag in _HASHTAG.findall(text):
        tag = tag.strip()
        if tag and tag not in out:
            out.append(tag)
    rest = _HASHTAG.sub(" ", text)
    for tag in _HASHTAG_ASCII.findall(rest):
        if tag not in out:
            out.append(tag)
    return out


def split_repost(text: str) -> tuple[str, list[str], str | None, bool]:
    """Split normalized text at repost markers.

    Returns ``(comment, quoted_segments, last_quoted_name, is_repost)``. Handles the
    Weibo ``我的评论//@甲:甲的评论//@乙:原文`` chain (the deepest segment is nearest the
    original) and ``转发：…`` / ``RT @x: …`` prefixes (everything after is the original).
    """
    prefix = _REPOST_PREFIX.match(text)
    if prefix:
        return "", [text[prefix.end() :]], None, True
    parts = _REPOST_CHAIN.split(text)
    if len(parts) == 1:
        return text, [], None, False
    # split() with one group alternates: comment, name1, seg1, name2, seg2, ...
    comment = parts[0]
    names = parts[1::2]
    segments = parts[2::2]
    return comment, segments, names[-1] if names else None, True


def _strip_for_core(text: str) -> str:
    """Only letters and digits: punctuation, spaces, @names and [emoticons] vary freely
    between copies of one post and must not make them look different."""
    if "@" in text:
        text = _AT.sub("", text)
    if "[" in text:
        text = _EMOTICON.sub("", text)
    return _NON_WORD.sub("", text)


def _core_text(comment: str, segments: list[str]) -> str:
    """What a repost is a copy of: the deepest quoted segment long enough to compare."""
    cores = [_strip_for_core(seg) for seg in segments]
    for core in reversed(cores):
        if len(core) >= MIN_CORE_CHARS:
            return core
    longest = max(cores, key=len, default="")
    return longest or _strip_for_core(comment)


def clean_post(raw: str | bytes, *, max_chars: int = MAX_CHARS) -> CleanPost:
    """Decode, strip HTML, detect language, fold, and lift out entities of one post.

    Text longer than ``max_chars`` (after stripping HTML) is cut and flagged
    ``truncated``: monitoring needs the gist of a post, and an unbounded item (a pasted
    book, a scraped page) must not stall the queue.
    """
    encoding = None
    if isinstance(raw, bytes | bytearray | memoryview):
        raw_bytes = bytes(raw)
        truncated = len(raw_bytes) > max_chars * _RAW_FACTOR * 4
        if truncated:
            raw_bytes = raw_bytes[: max_chars * _RAW_FACTOR * 4]
        raw, encoding = decode_bytes(raw_bytes, errors="replace")
    else:
        truncated = False
    if len(raw) > max_chars * _RAW_FACTOR:
        raw = raw[: max_chars * _RAW_FACTOR]
        truncated = True

    hrefs = _HREF.findall(raw) if "<" in raw else []
    visible = strip_html(raw)
    if len(visible) > max_chars:
        visible = visible[:max_chars]
        truncated = True

    language = detect_language(visible)
    text = fold_text(visible)

    # URLs come from the unfolded text: folding lower-cases, and short links are
    # case-sensitive (t.cn/AbC ≠ t.cn/abc).
    urls = extract_urls(visible) if "://" in visible or "www." in visible else []
    for href in hrefs:
        if href not in urls:
            urls.append(href)
    body = _URL.sub(" ", text) if "://" in text or "www." in text else text
    hashtags = extract_hashtags(body) if "#" in body else []

    comment, segments, repost_of, is_repost = split_repost(body)
    if not is_repost and _REPOST_ONLY.match(body):
        is_repost = True
    at_mentions = extract_at_mentions(body) if "@" in body else []
    if repost_of and repost_of not in at_mentions:
        at_mentions.append(repost_of)

    if is_repost and segments:
        body = " ".join([comment, *segments])
    if at_mentions:
        body = _AT.sub(" ", body)
    if hashtags:
        body = body.replace("#", " ")
    if segments:
        core = _core_text(comment, segments)
    elif is_repost:
        core = ""  # a bare "转发微博" carries nothing of the original
    else:
        core = _strip_for_core(body)
    if len(core) < MIN_CORE_CHARS:
        # "哈哈哈", "mark", "[赞]": identical but unrelated; too short to call a copy.
        core = ""
    return CleanPost(
        text=text,
        body=body.strip(),
        core=core,
        language=language,
        encoding=encoding,
        truncated=truncated,
        is_repost=is_repost,
        repost_of=repost_of,
        urls=urls,
        at_mentions=at_mentions,
        hashtags=hashtags,
    )
