"""One rjieba pass that yields both word tokens and the raw token stream.

:func:`kepu.core.text.segment` drops punctuation, which is what keyword counting
wants, but sentiment needs to know where clauses end: the 没有 in "一点干货都没有，浪费时间"
must not reach across the comma. Cutting twice would double the most expensive step of
the pipeline, so this module cuts once with the same dictionary and the same token
filter as ``segment(..., mode="precise", normalized=True)`` (a test checks they agree)
and also returns the unfiltered stream with its punctuation.

Whether a token is a word is cached per distinct token, so filtering costs one dict
lookup per token instead of a regex search.
"""

from __future__ import annotations

import re

import rjieba

# Same rule as kepu.core.text.segment: a token is a word if it has a letter, digit or
# CJK ideograph.
_WORDLIKE = re.compile(r"[\w\u3400-\u9fff\uf900-\ufaff]", re.UNICODE)
CLAUSE_BREAKS = frozenset(",.!?;:。！？；，：…\n~～")
# Per-token caches (here, in sentiment and in keywords) are emptied when they reach this
# many distinct tokens: the frequent ones come back within a few posts, and a stream's
# long tail of names and numbers must not grow a worker without end (3 × 50,000 tokens
# is ~20 MB).
TOKEN_CACHE_LIMIT = 50_000
_is_word: dict[str, bool] = {}


def _classify(tok: str) -> bool:
    word = not tok.isspace() and _WORDLIKE.search(tok) is not None
    if len(_is_word) >= TOKEN_CACHE_LIMIT:
        _is_word.clear()
    _is_word[tok] = word
    return word


def cut(text: str) -> tuple[list[str], list[str]]:
    """``(words, raw)`` for *normalized* ``text``: ``words`` equals
    ``segment(text, mode="precise", normalized=True)``; ``raw`` keeps punctuation and
    spaces, for clause-aware scoring."""
    if not text:
        return [], []
    raw = rjieba.cut(text, True)
    is_word = _is_word
    words = [t for t in raw if (w := is_word.get(t)) or (w is None and _classify(t))]
    return words, raw
