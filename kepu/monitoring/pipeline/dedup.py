"""Near-duplicate and repost detection: MinHash signatures + banded LSH → stories.

Why MinHash over character 3-shingles: Chinese posts are copied with small edits
(a word swapped, punctuation changed, a hashtag or link appended, a traditional-script
re-post), and character shingles survive all of those without depending on word
segmentation. MinHash estimates Jaccard similarity directly, and banded LSH turns "find
similar posts" into a handful of dict lookups, so adding a post costs the same whether
the index holds a thousand posts or a million.

Why our own numpy implementation instead of ``datasketch``: datasketch hashes each
shingle in Python (``sha1`` per shingle), many times slower per post. Here shingles are
packed exactly into 63-bit integers straight from UTF-32 code points (three 21-bit code
points), mixed once to 32 bits, and the 128 hash functions are one vectorised
multiplication by odd constants modulo 2³² (each a permutation of the hash values).

Signatures are deterministic across processes (fixed seed, no ``hash()``), so the
Django layer can store ``signature_to_bytes(sig)`` per post and rebuild the index after
a restart with :meth:`StoryIndex.from_records` — no raw text needed.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass

import numpy as np

SHINGLE = 3
NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
# Bump when any of the parameters above or the hashing below change: stored signatures
# of another version are not comparable and must be recomputed from text.
SIGNATURE_VERSION = 1
SIGNATURE_BYTES = NUM_PERM * 4
DEFAULT_THRESHOLD = 0.6  # estimated Jaccard of 3-shingles; see bench/_posts_gen.py

_SEED = 0x6B657075  # "kepu"
_rng = np.random.default_rng(_SEED)
# Odd 32-bit multipliers: x ↦ a·x mod 2³² is a bijection, one "permutation" per row.
_A = (_rng.integers(0, 2**31, size=NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1))[
    None, :
]
_EMPTY = np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
_GOLD = np.uint64(0x9E3779B97F4A7C15)
_MIX32 = np.uint32(0x45D9F3B)
_S16, _S21, _S32, _S42 = np.uint32(16), np.uint64(21), np.uint64(32), np.uint64(42)
MAX_CORE_CHARS = 2000


def shingle_ids(core: str, k: int = SHINGLE) -> np.ndarray:
    """Character k-shingles (k ≤ 3) of ``core`` hashed to well-mixed uint32 values.

    Each shingle is first packed exactly into a 63-bit integer (three 21-bit code
    points), then reduced to 32 bits by the top half of a Fibonacci multiplication and a
    32-bit avalanche step. Texts shorter than ``k`` become one shingle of the whole text.
    Only the first ``MAX_CORE_CHARS`` characters count: enough to tell copies apart,
    and an enormous post costs no more than a long one.
    """
    if not core:
        return np.empty(0, dtype=np.uint32)
    cps = np.frombuffer(core[:MAX_CORE_CHARS].encode("utf-32-le"), dtype=np.uint32)
    cps = cps.astype(np.uint64)
    n = cps.shape[0]
    if n < k:
        ids = np.zeros(1, dtype=np.uint64)
        for cp in cps:
            ids = (ids << _S21) | cp
    else:
        ids = (cps[: n - 2] << _S42) | (cps[1 : n - 1] << _S21) | cps[2:]
    x = ((ids * _GOLD) >> _S32).astype(np.uint32)
    x ^= x >> _S16
    x *= _MIX32
    x ^= x >> _S16
    return x


def signature(core: str) -> np.ndarray:
    """MinHash signature (``NUM_PERM`` uint32) of ``core`` (see ``CleanPost.core``).

    One vectorised ``(n_shingles × NUM_PERM)`` multiply and a column minimum, in 32-bit
    arithmetic, which numpy runs about twice as fast as 64-bit. All 0xFFFFFFFF for
    empty text; such signatures are never indexed.
    """
    ids = shingle_ids(core)
    if ids.size == 0:
        return _EMPTY.copy()
    return (ids[:, None] * _A).min(axis=0)


def is_empty(sig: np.ndarray) -> bool:
    return bool((sig == 0xFFFFFFFF).all())


def signature_to_bytes(sig: np.ndarray) -> bytes:
    """512 little-endian bytes, for a ``BinaryField`` next to the post."""
    return sig.astype("<u4", copy=False).tobytes()


def signature_from_bytes(data: bytes) -> np.ndarray:
    if len(data) != SIGNATURE_BYTES:
        raise ValueError(f"a signature is {SIGNATURE_BYTES} bytes, got {len(data)}")
    return np.frombuffer(data, dtype="<u4").astype(np.uint32)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two signatures."""
    return float(np.count_nonzero(a == b)) / NUM_PERM


def _band_keys(sig: np.ndarray) -> list[bytes]:
    raw = sig.tobytes()
    step = ROWS * 4
    return [raw[i : i + step] for i in range(0, SIGNATURE_BYTES, step)]


@dataclass(frozen=True, slots=True)
class Match:
    story_id: Hashable
    item_id: Hashable
    similarity: float


class StoryIndex:
    """Incremental grouping of posts into stories by near-duplicate similarity.

    ``add(item_id, sig)`` returns the story id of the most similar indexed post when
    its estimated Jaccard similarity reaches ``threshold``, else a fresh story id; the
    post is then indexed so later copies find it. Single-link by design: a chain of
    small edits stays one story, which is how reposting behaves.

    Story ids come from ``new_story_id`` (default: 1, 2, 3 …); pass one that creates a
    ``Story`` row if ids should be database keys. State is just ``(item_id, story_id,
    signature)`` per post, so :meth:`records` / :meth:`from_records` persist and rebuild
    it; :meth:`prune` keeps memory bounded to a recent window.
    """

    def __init__(
        self,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        new_story_id: Callable[[], Hashable] | None = None,
    ) -> None:
        self.threshold = threshold
        self._next = 1
        self._new_story_id = new_story_id or self._counter
        self._buckets: list[dict[bytes, list[int]]] = [{} for _ in range(BANDS)]
        self._sigs = np.empty((1024, NUM_PERM), dtype=np.uint32)
        self._items: list[Hashable] = []
        self._stories: list[Hashable] = []

    def _counter(self) -> int:
        sid = self._next
        self._next += 1
        return sid

    def __len__(self) -> int:
        return len(self._items)

    def query(self, sig: np.ndarray) -> Match | None:
        """Best indexed match at or above the threshold, without adding anything."""
        if is_empty(sig):
            return None
        cands: set[int] = set()
        for bucket, key in zip(self._buckets, _band_keys(sig), strict=True):
            hit = bucket.get(key)
            if hit:
                cands.update(hit)
        if not cands:
            return None
        idx = np.fromiter(cands, dtype=np.intp, count=len(cands))
        sims = np.count_nonzero(self._sigs[idx] == sig, axis=1)
        best = int(np.argmax(sims))
        sim = float(sims[best]) / NUM_PERM
        if sim < self.threshold:
            return None
        row = int(idx[best])
        return Match(self._stories[row], self._items[row], sim)

    def add(self, item_id: Hashable, sig: np.ndarray, story_id: Hashable | None = None) -> Hashable:
        """Index one post and return its story id (``story_id`` forces one, for rebuilds)."""
        if story_id is None:
            match = self.query(sig)
            story_id = match.story_id if match else self._new_story_id()
        elif isinstance(story_id, int) and story_id >= self._next:
            self._next = story_id + 1
        if is_empty(sig):
            return story_id
        row = len(self._items)
        if row == self._sigs.shape[0]:
            grown = np.empty((row * 2, NUM_PERM), dtype=np.uint32)
            grown[:row] = self._sigs
            self._sigs = grown
        self._sigs[row] = sig
        self._items.append(item_id)
        self._stories.append(story_id)
        for bucket, key in zip(self._buckets, _band_keys(sig), strict=True):
            hit = bucket.get(key)
            if hit is None:
                bucket[key] = [row]
            else:
                hit.append(row)
        return story_id

    def records(self) -> Iterator[tuple[Hashable, Hashable, bytes]]:
        """``(item_id, story_id, signature_bytes)`` for every indexed post, in order."""
        for row, (item, story) in enumerate(zip(self._items, self._stories, strict=True)):
            yield item, story, signature_to_bytes(self._sigs[row])

    @classmethod
    def from_records(
        cls,
        records: Iterable[tuple[Hashable, Hashable, bytes | np.ndarray]],
        **kwargs,
    ) -> StoryIndex:
        """Rebuild from stored ``(item_id, story_id, signature)`` rows, oldest first."""
        index = cls(**kwargs)
        for item, story, sig in records:
            if isinstance(sig, bytes | bytearray | memoryview):
                sig = signature_from_bytes(bytes(sig))
            index.add(item, sig, story_id=story)
        return index

    def prune(self, keep_last: int) -> None:
        """Forget all but the newest ``keep_last`` posts (a story older than the window
        can only be joined again through a newer member)."""
        if len(self._items) <= keep_last:
            return
        kept = list(self.records())[-keep_last:]
        fresh = StoryIndex.from_records(kept, threshold=self.threshold)
        self._buckets, self._sigs = fresh._buckets, fresh._sigs
        self._items, self._stories = fresh._items, fresh._stories
