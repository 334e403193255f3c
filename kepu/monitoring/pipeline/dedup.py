"""Near-duplicate and repost detection: MinHash signatures + banded LSH → stories.

Why MinHash over character 4-shingles: Chinese posts are copied with small edits
(a word swapped, punctuation changed, a hashtag or link appended, a traditional-script
re-post), and character shingles survive all of those without depending on word
segmentation. MinHash estimates Jaccard similarity directly, and banded LSH turns "find
similar posts" into a handful of dict lookups, so adding a post costs the same whether
the index holds a thousand posts or a million.

Why LSH only proposes and an exact Jaccard decides: with 128 permutations the MinHash
estimate has a standard error of about 0.04 around J = 0.5, and a news stream is full of
*different* posts built on the same phrasing (two institutes' press releases from one
template, the same 辟谣 formula about two topics). Their true similarity sits just under
the threshold, and with 10⁵ of them in the window, enough of them get an estimate above
it to chain unrelated stories together (single-link). So the candidates LSH finds are
ranked by the estimate and the best few are checked against the exact Jaccard of the two
shingle sets (sorted ``uint32`` arrays, kept per indexed post — about as big as the
signature). Why 4-shingles rather than 3: a copy differs from its original in a few
places (a prefix, a cut, an edited word), two template siblings in many scattered ones
(names, numbers, places); each differing character removes ``k`` shingles, so a longer
shingle separates the two cases further (measured on the generator of ``bench/``, seed 1:
at the same miss rate for copies, 4-shingles let through a third of the template
siblings 3-shingles did).

Why our own numpy implementation instead of ``datasketch``: datasketch hashes each
shingle in Python (``sha1`` per shingle), many times slower per post. Here a 4-shingle is
four 16-bit character units read as one 64-bit integer (a strided view, no copying per
shingle), mixed once to 32 bits, and the 128 hash functions are one vectorised
multiplication by odd constants modulo 2³² (each a permutation of the hash values).

Signatures are deterministic across processes (fixed seed, no ``hash()``), so the
Django layer can store ``signature_to_bytes(sig)`` and ``shingles_to_bytes(ids)`` per
post and rebuild the index after a restart with :meth:`StoryIndex.from_records` — no raw
text needed.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass

import numpy as np

SHINGLE = 4
NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
# Bump when any of the parameters above or the hashing below change: stored signatures
# of another version are not comparable and must be recomputed from text.
SIGNATURE_VERSION = 2
SIGNATURE_BYTES = NUM_PERM * 4
DEFAULT_THRESHOLD = 0.6  # exact Jaccard of 4-shingles (estimated when no shingles are known)
# Candidates whose estimate is this far below the threshold are still verified exactly
# (the estimate errs both ways), at most MAX_VERIFY of them, best estimate first.
VERIFY_MARGIN = 0.15
MAX_VERIFY = 8

_SEED = 0x6B657075  # "kepu"
_rng = np.random.default_rng(_SEED)
# Odd 32-bit multipliers: x ↦ a·x mod 2³² is a bijection, one "permutation" per row.
_A = (_rng.integers(0, 2**31, size=NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1))[
    None, :
]
_EMPTY = np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
_GOLD = np.uint64(0x9E3779B97F4A7C15)
_MIX32 = np.uint32(0x45D9F3B)
_S16, _S16_64, _S32 = np.uint32(16), np.uint64(16), np.uint64(32)
MAX_CORE_CHARS = 2000


def shingle_ids(core: str, k: int = SHINGLE) -> np.ndarray:
    """Character k-shingles (1 ≤ k ≤ 4) of ``core`` as sorted, distinct uint32 hashes.

    Each character becomes one 16-bit unit — its code point, or for the rare character
    outside the Basic Multilingual Plane (CJK Extension B …) a value folded into the
    surrogate range, which no real character uses — so that a 4-shingle is exactly one
    64-bit integer: an overlapping strided view of the units, no arithmetic. It is reduced
    to 32 bits by the top half of a Fibonacci multiplication and a 32-bit avalanche step.
    Texts shorter than ``k`` become one shingle of the whole text. Only the first
    ``MAX_CORE_CHARS`` characters count: enough to tell copies apart, and an enormous post
    costs no more than a long one.
    """
    if not core:
        return np.empty(0, dtype=np.uint32)
    cps = np.frombuffer(core[:MAX_CORE_CHARS].encode("utf-32-le"), dtype=np.uint32)
    if int(cps.max()) > 0xFFFF:
        cps = np.where(cps > 0xFFFF, 0xD800 + (cps & 0x7FF), cps)
    units = cps.astype("<u2")
    n = units.shape[0]
    if n < k:
        ids = np.zeros(1, dtype=np.uint64)
        for unit in units.astype(np.uint64):
            ids = (ids << _S16_64) | unit
    elif k == 4:
        ids = np.ndarray((n - 3,), dtype="<u8", buffer=units, strides=(2,)).astype(np.uint64)
    else:
        m = n - k + 1
        ids = units[:m].astype(np.uint64)
        for j in range(1, k):
            ids = (ids << _S16_64) | units[j : j + m]
    x = ((ids * _GOLD) >> _S32).astype(np.uint32)
    x ^= x >> _S16
    x *= _MIX32
    x ^= x >> _S16
    x.sort()
    if x.size > 1:
        keep = np.empty(x.size, dtype=bool)
        keep[0] = True
        np.not_equal(x[1:], x[:-1], out=keep[1:])
        x = x[keep]
    return x


def minhash(ids: np.ndarray) -> np.ndarray:
    """MinHash signature (``NUM_PERM`` uint32) of a set of shingle hashes."""
    if ids.size == 0:
        return _EMPTY.copy()
    return (ids[:, None] * _A).min(axis=0)


def signature(core: str) -> np.ndarray:
    """MinHash signature (``NUM_PERM`` uint32) of ``core`` (see ``CleanPost.core``).

    One vectorised ``(n_shingles × NUM_PERM)`` multiply and a column minimum, in 32-bit
    arithmetic, which numpy runs about twice as fast as 64-bit. All 0xFFFFFFFF for
    empty text; such signatures are never indexed.
    """
    return minhash(shingle_ids(core))


def fingerprint(core: str) -> tuple[np.ndarray, np.ndarray]:
    """``(signature, shingles)`` of ``core``: what :meth:`StoryIndex.add` takes."""
    ids = shingle_ids(core)
    return minhash(ids), ids


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two sorted, distinct shingle arrays."""
    if a.size == 0 or b.size == 0:
        return 0.0
    inter = np.intersect1d(a, b, assume_unique=True).size
    return inter / (a.size + b.size - inter)


def shingles_to_bytes(ids: np.ndarray) -> bytes:
    return ids.astype("<u4", copy=False).tobytes()


def shingles_from_bytes(data: bytes | None) -> np.ndarray | None:
    if not data:
        return None
    return np.frombuffer(bytes(data), dtype="<u4").astype(np.uint32)


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


_BAND_MIX = np.uint64(0x9E3779B97F4A7C15)


def _band_keys(sig: np.ndarray) -> list[int]:
    """One integer key per band: the band's ``ROWS`` values (ROWS = 4, two 64-bit words)
    mixed together, with the band number folded in so that all bands share one dict."""
    words = sig.view(np.uint64).reshape(BANDS, ROWS // 2)
    keys = words[:, 0] * _BAND_MIX ^ words[:, 1] ^ _BAND_OFFSETS
    return keys.tolist()


_BAND_OFFSETS = np.arange(BANDS, dtype=np.uint64) << np.uint64(56)


@dataclass(frozen=True, slots=True)
class Match:
    story_id: Hashable
    item_id: Hashable
    similarity: float


class StoryIndex:
    """Incremental grouping of posts into stories by near-duplicate similarity.

    ``add(item_id, sig, shingles=…)`` returns the story id of the most similar indexed
    post when their Jaccard similarity reaches ``threshold``, else a fresh story id; the
    post is then indexed so later copies find it. LSH proposes candidates, the MinHash
    estimate ranks them, and the exact Jaccard of the shingle sets decides (see the module
    docstring); a post indexed without shingles is judged on the estimate alone.
    Single-link by design: a chain of small edits stays one story, which is how reposting
    behaves.

    Story ids come from ``new_story_id`` (default: 1, 2, 3 …); pass one that creates a
    ``Story`` row if ids should be database keys. State is just ``(item_id, story_id,
    signature, shingles)`` per post, so :meth:`records` / :meth:`from_records` persist and
    rebuild it; :meth:`prune` keeps memory bounded to a recent window.
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
        self._buckets: dict[int, list[int] | int] = {}
        self._sigs = np.empty((1024, NUM_PERM), dtype=np.uint32)
        self._items: list[Hashable] = []
        self._stories: list[Hashable] = []
        self._shingles: list[np.ndarray | None] = []

    def _counter(self) -> int:
        sid = self._next
        self._next += 1
        return sid

    def __len__(self) -> int:
        return len(self._items)

    def _candidates(self, keys: list[int]) -> tuple[list[int], list]:
        """Rows sharing a band with ``keys``, and each band's bucket (for :meth:`add`)."""
        get = self._buckets.get
        hits = [get(key) for key in keys]
        cands: set[int] = set()
        for hit in hits:
            if hit is not None:
                if type(hit) is int:
                    cands.add(hit)
                else:
                    cands.update(hit)
        return list(cands), hits

    def query(self, sig: np.ndarray, shingles: np.ndarray | None = None) -> Match | None:
        """Best indexed match at or above the threshold, without adding anything."""
        if sig[0] == 0xFFFFFFFF and is_empty(sig):
            return None
        return self._query(sig, shingles, self._candidates(_band_keys(sig))[0])

    def _query(self, sig: np.ndarray, shingles: np.ndarray | None, cands: list[int]):
        if not cands:
            return None
        idx = np.array(cands, dtype=np.intp)
        sims = np.count_nonzero(self._sigs[idx] == sig, axis=1) / NUM_PERM
        floor = self.threshold - VERIFY_MARGIN if shingles is not None else self.threshold
        order = np.flatnonzero(sims >= floor)
        if order.size == 0:
            return None
        order = order[np.argsort(-sims[order], kind="stable")][:MAX_VERIFY]
        best_row, best_sim = -1, -1.0
        for i in order.tolist():
            row = cands[i]
            theirs = self._shingles[row]
            if shingles is None or theirs is None:
                sim = float(sims[i])
            else:
                sim = jaccard(shingles, theirs)
            if sim > best_sim:
                best_row, best_sim = row, sim
        if best_sim < self.threshold:
            return None
        return Match(self._stories[best_row], self._items[best_row], best_sim)

    def add(
        self,
        item_id: Hashable,
        sig: np.ndarray,
        story_id: Hashable | None = None,
        *,
        shingles: np.ndarray | None = None,
    ) -> Hashable:
        """Index one post and return its story id (``story_id`` forces one, for rebuilds)."""
        empty = sig[0] == 0xFFFFFFFF and is_empty(sig)
        keys = None if empty else _band_keys(sig)
        hits: list = []
        if keys is not None:
            cands, hits = self._candidates(keys)
        if story_id is None:
            match = None if keys is None else self._query(sig, shingles, cands)
            story_id = match.story_id if match else self._new_story_id()
        elif isinstance(story_id, int) and story_id >= self._next:
            self._next = story_id + 1
        if keys is None:
            return story_id
        row = len(self._items)
        if row == self._sigs.shape[0]:
            grown = np.empty((row * 2, NUM_PERM), dtype=np.uint32)
            grown[:row] = self._sigs
            self._sigs = grown
        self._sigs[row] = sig
        self._items.append(item_id)
        self._stories.append(story_id)
        self._shingles.append(shingles)
        buckets = self._buckets
        for key, hit in zip(keys, hits, strict=True):
            if hit is None:
                buckets[key] = row  # most buckets hold one post: no list for them
            elif type(hit) is int:
                buckets[key] = [hit, row]
            else:
                hit.append(row)
        return story_id

    def records(self) -> Iterator[tuple[Hashable, Hashable, bytes, bytes | None]]:
        """``(item_id, story_id, signature_bytes, shingles_bytes)`` per indexed post, in order."""
        for row, (item, story) in enumerate(zip(self._items, self._stories, strict=True)):
            sh = self._shingles[row]
            yield (
                item,
                story,
                signature_to_bytes(self._sigs[row]),
                None if sh is None else shingles_to_bytes(sh),
            )

    @classmethod
    def from_records(
        cls,
        records: Iterable[tuple],
        **kwargs,
    ) -> StoryIndex:
        """Rebuild from stored ``(item_id, story_id, signature[, shingles])`` rows, oldest
        first (bytes as stored, or arrays)."""
        index = cls(**kwargs)
        for item, story, sig, *rest in records:
            if isinstance(sig, bytes | bytearray | memoryview):
                sig = signature_from_bytes(bytes(sig))
            shingles = rest[0] if rest else None
            if isinstance(shingles, bytes | bytearray | memoryview):
                shingles = shingles_from_bytes(shingles)
            index.add(item, sig, story_id=story, shingles=shingles)
        return index

    def prune(self, keep_last: int) -> None:
        """Forget all but the newest ``keep_last`` posts (a story older than the window
        can only be joined again through a newer member)."""
        if len(self._items) <= keep_last:
            return
        first = len(self._items) - keep_last
        fresh = StoryIndex(threshold=self.threshold)
        for row in range(first, len(self._items)):
            fresh.add(
                self._items[row],
                self._sigs[row],
                story_id=self._stories[row],
                shingles=self._shingles[row],
            )
        self._buckets, self._sigs = fresh._buckets, fresh._sigs
        self._items, self._stories = fresh._items, fresh._stories
        self._shingles = fresh._shingles
