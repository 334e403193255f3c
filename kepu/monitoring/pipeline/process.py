"""Everything the pipeline knows about one post, in one call.

``process_post`` is what a Django background task calls per incoming post. It does
each expensive step once — one fold (OpenCC + NFKC), one rjieba cut, one MinHash — and
hands the same normalized text and tokens to every analyser, so the whole thing costs a
fraction of a plain ``jieba.lcut`` of the same post. Stateful parts (the story index,
burst counters, the watch-list automaton) stay outside: the caller builds the
``WatchlistMatcher`` once per watch-list version and feeds ``signature`` and
``shingles`` to its ``StoryIndex``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np

from .dedup import fingerprint, shingles_to_bytes, signature_to_bytes
from .domain import classify_domain
from .keywords import DEFAULT_TOP_K, extract_keywords
from .mentions import Mention, WatchlistMatcher
from .normalize import MAX_CHARS, clean_post
from .sentiment import score_tokens
from .tokens import cut


@dataclass(slots=True)
class ProcessedPost:
    """Result of :func:`process_post`. ``text`` is the normalized full text; mention
    spans index into it. ``signature`` is the MinHash array for ``StoryIndex.add``;
    ``signature_bytes`` is what to store per post to rebuild the index later."""

    text: str
    body: str
    language: str
    encoding: str | None
    truncated: bool
    is_repost: bool
    repost_of: str | None
    urls: list[str]
    at_mentions: list[str]
    hashtags: list[str]
    tokens: list[str]
    keywords: list[tuple[str, float]]
    mentions: list[Mention]
    sentiment_score: float
    sentiment_label: str
    domain: str | None
    domain_scores: dict[str, int]
    core: str = field(repr=False)  # what the fingerprint is computed from
    # MinHash and sorted shingle hashes; None when the caller fingerprints a whole batch
    # at once (``dedup.Batch.from_texts`` over the ``core`` of each post).
    signature: np.ndarray | None = field(default=None, repr=False)
    shingles: np.ndarray | None = field(default=None, repr=False)

    @property
    def signature_bytes(self) -> bytes:
        assert self.signature is not None
        return signature_to_bytes(self.signature)

    @property
    def shingles_bytes(self) -> bytes:
        assert self.shingles is not None
        return shingles_to_bytes(self.shingles)

    @property
    def mention_keys(self) -> list[str]:
        seen: dict[str, None] = {}
        for m in self.mentions:
            seen.setdefault(m.key, None)
        return list(seen)


def process_post(
    raw: str | bytes,
    *,
    watchlist_matcher: WatchlistMatcher | None = None,
    top_k: int = DEFAULT_TOP_K,
    max_chars: int = MAX_CHARS,
    with_fingerprint: bool = True,
) -> ProcessedPost:
    """Normalize, tokenize and analyse one raw post (``str``, or ``bytes`` in any
    encoding :func:`~.normalize.decode_bytes` knows). ``with_fingerprint=False`` leaves
    ``signature`` and ``shingles`` to the caller, which fingerprints its batch at once."""
    post = clean_post(raw, max_chars=max_chars)
    tokens, raw_tokens = cut(post.body)
    sentiment = score_tokens(raw_tokens)
    domain = classify_domain(post.body)
    mentions = watchlist_matcher.find(post.text) if watchlist_matcher is not None else []
    sig, shingles = fingerprint(post.core) if with_fingerprint else (None, None)
    return ProcessedPost(
        text=post.text,
        body=post.body,
        language=post.language,
        encoding=post.encoding,
        truncated=post.truncated,
        is_repost=post.is_repost,
        repost_of=post.repost_of,
        urls=post.urls,
        at_mentions=post.at_mentions,
        hashtags=post.hashtags,
        tokens=tokens,
        keywords=extract_keywords(tokens, top_k),
        mentions=mentions,
        sentiment_score=sentiment.score,
        sentiment_label=sentiment.label,
        domain=domain.slug,
        domain_scores=domain.scores,
        core=post.core,
        signature=sig,
        shingles=shingles,
    )


def process_posts(raws: Iterable[str | bytes], **kwargs) -> Iterator[ProcessedPost]:
    """:func:`process_post` over a batch (a task pulling N posts from the queue)."""
    for raw in raws:
        yield process_post(raw, **kwargs)
