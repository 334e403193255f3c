"""TF-IDF keywords of one post over precise-mode tokens.

TF-IDF rather than TextRank: a post is ~100 characters, too short for a co-occurrence
graph to say more than term frequency does, and TF-IDF is a dict lookup per token.
The IDF table is the 30,000 commonest entries of jieba's ``idf.txt`` (shipped in
``data/idf.tsv``, ~370 KB); rarer words get the table's median IDF, which ranks them
as informative — right for new terms (a new probe's name) that no table knows yet.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from ._data import DATA_DIR, word_set
from .tokens import TOKEN_CACHE_LIMIT

DEFAULT_TOP_K = 8


@lru_cache(maxsize=1)
def idf_table() -> tuple[dict[str, float], float]:
    table: dict[str, float] = {}
    default = 11.95
    with (DATA_DIR / "idf.tsv").open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            word, _, value = line.rstrip("\n").partition("\t")
            if word == "__default__":
                default = float(value)
            elif word:
                table[word] = float(value)
    return table, default


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    return word_set("stopwords.txt")


def is_candidate(token: str, stop: frozenset[str]) -> bool:
    """Keyword candidates: two or more characters, not a stopword, not a bare number."""
    if len(token) < 2 or token in stop:
        return False
    first = token[0]
    return not (first.isdigit() or (first == "-" and token[1:2].isdigit()))


def extract_keywords(tokens: Sequence[str], top_k: int = DEFAULT_TOP_K) -> list[tuple[str, float]]:
    """Top ``top_k`` ``(word, weight)`` by TF-IDF, weights summing to at most 1-ish.

    ``tokens`` come from ``segment(..., mode="precise")``: search mode would count
    中国科学院 and its parts 科学院, 科学 as separate words.
    """
    if not tokens:
        return []
    weights = _weights
    # (-score, word) tuples sort in C without a key function; ties break by word.
    scored = [
        (-c * idf, w)
        for w, c in Counter(tokens).items()
        if (idf := weights.get(w) or _weigh(w)) > 0.0
    ]
    if not scored:
        return []
    norm = -sum([s for s, _ in scored]) or 1.0
    scored.sort()
    return [(w, round(-s / norm, 4)) for s, w in scored[:top_k]]


# token → IDF, or -1.0 for tokens that are not keyword candidates; filled lazily so the
# per-token cost in extract_keywords is one dict lookup.
_weights: dict[str, float] = {}


def _weigh(tok: str) -> float:
    if len(_weights) >= TOKEN_CACHE_LIMIT:
        _weights.clear()
    table, default = idf_table()
    weight = table.get(tok, default) if is_candidate(tok, stopwords()) else -1.0
    _weights[tok] = weight
    return weight
