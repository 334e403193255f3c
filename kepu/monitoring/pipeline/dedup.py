"""Near-duplicate and repost detection: MinHash signatures + banded LSH → stories.

Why MinHash over character 4-shingles: Chinese posts are copied with small edits
(a word swapped, punctuation changed, a hashtag or link appended, a traditional-script
re-post), and character shingles survive all of those without depending on word
segmentation. MinHash estimates Jaccard similarity directly, and banded LSH turns "find
similar posts" into a lookup of 32 keys per post (binary searches over a few sorted
arrays, :class:`_SortedRuns`), whose cost barely changes whether the index holds a
thousand posts or a million.

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

from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
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
    units = _units(core[:MAX_CORE_CHARS])
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
    return _sorted_distinct(_mix(ids))


def _sorted_distinct(x: np.ndarray) -> np.ndarray:
    """``x`` sorted, repeats dropped (``np.unique`` hashes first in numpy 2 and is
    ~10× slower than this on integers)."""
    x = np.sort(x)
    if x.size > 1:
        keep = np.empty(x.size, dtype=bool)
        keep[0] = True
        np.not_equal(x[1:], x[:-1], out=keep[1:])
        x = x[keep]
    return x


def _mix(ids: np.ndarray) -> np.ndarray:
    """64-bit shingle values → 32-bit hashes (Fibonacci multiplication, avalanche)."""
    x = ((ids * _GOLD) >> _S32).astype(np.uint32)
    x ^= x >> _S16
    x *= _MIX32
    x ^= x >> _S16
    return x


def _units(text: str) -> np.ndarray:
    """One 16-bit unit per character (see :func:`shingle_ids`)."""
    cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    if cps.size and int(cps.max()) > 0xFFFF:
        cps = np.where(cps > 0xFFFF, 0xD800 + (cps & 0x7FF), cps)
    return cps.astype("<u2")


def shingle_ids_many(cores: Sequence[str]) -> list[np.ndarray]:
    """:func:`shingle_ids` of every text in ``cores`` (k = 4), computed for the whole
    batch at once: one encode of the joined texts, one strided view, one mix and one
    sort of ``(text number, hash)`` pairs — instead of a dozen small numpy calls per
    post. Returns one array per text, equal to what ``shingle_ids`` gives."""
    cut = [core[:MAX_CORE_CHARS] for core in cores]
    n = len(cut)
    lengths = np.fromiter(map(len, cut), dtype=np.int64, count=n)
    out: list[np.ndarray] = [_NO_SHINGLES] * n
    total = int(lengths.sum())
    if total >= SHINGLE:
        units = _units("".join(cut))
        grams = np.ndarray((total - 3,), dtype="<u8", buffer=units, strides=(2,))
        owner = np.repeat(np.arange(n, dtype=np.int64), lengths)[: total - 3]
        ends = np.cumsum(lengths)
        valid = np.arange(total - 3) <= ends[owner] - SHINGLE  # inside one text
        keyed = (owner[valid].astype(np.uint64) << _S32) | _mix(
            grams[valid].astype(np.uint64)
        ).astype(np.uint64)
        keyed = _sorted_distinct(keyed)  # by text, then hash
        hashes = (keyed & _LOW32).astype(np.uint32)
        bounds = np.searchsorted(keyed >> _S32, np.arange(n + 1, dtype=np.uint64)).tolist()
        for i in range(n):
            lo, hi = bounds[i], bounds[i + 1]
            if hi > lo:
                out[i] = hashes[lo:hi]
    for i in np.flatnonzero((lengths > 0) & (lengths < SHINGLE)).tolist():
        out[i] = shingle_ids(cut[i])  # shorter than a shingle: one shingle of it all
    return out


def minhash_many(shingles: Sequence[np.ndarray | None]) -> np.ndarray:
    """``(len(shingles), NUM_PERM)`` MinHash signatures, row ``i`` equal to
    ``minhash(shingles[i])`` (all 0xFFFFFFFF for an empty or missing set). The products
    of a whole batch go through one multiplication and one segmented minimum
    (``np.minimum.reduceat``), in slices whose product matrix stays in the CPU's cache."""
    n = len(shingles)
    out = np.tile(_EMPTY, (n, 1))
    present = [i for i, ids in enumerate(shingles) if ids is not None and ids.size]
    start = 0
    while start < len(present):
        stop, size = start, 0
        while stop < len(present) and (size == 0 or size < _MINHASH_SLICE):
            size += shingles[present[stop]].size
            stop += 1
        part = present[start:stop]
        flat = np.concatenate([shingles[i] for i in part])
        offsets = np.zeros(len(part), dtype=np.int64)
        np.cumsum([shingles[i].size for i in part[:-1]], out=offsets[1:])
        out[part] = np.minimum.reduceat(_A_COLUMN * flat, offsets, axis=1).T
        start = stop
    return out


_A_COLUMN = np.ascontiguousarray(_A.T)  # (NUM_PERM, 1): products laid out by row, which
# reduceat walks along contiguous memory (axis=0 on the transpose is ~8× slower)
# Shingles per multiplication: 8,192 × 128 × 4 bytes = 4 MB of products, which stay in
# cache for the minimum that reads them back. Measured on 20,000 generated posts (114
# shingles each): 4.4 µs a post, against 12.7 at 131,072 (64 MB: written to memory and
# read back) and 8.5 at 2,048 (a numpy call per 18 posts).
_MINHASH_SLICE = 8192
_LOW32 = np.uint64(0xFFFFFFFF)
_NO_SHINGLES = np.empty(0, dtype=np.uint32)


def minhash(ids: np.ndarray) -> np.ndarray:
    """MinHash signature (``NUM_PERM`` uint32) of a set of shingle hashes."""
    return minhash_many([ids])[0]


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
    return float(jaccard_many([a], [b])[0])


def jaccard_many(left: Sequence[np.ndarray], right: Sequence[np.ndarray]) -> np.ndarray:
    """Exact Jaccard similarity of each pair ``(left[k], right[k])`` of sorted, distinct
    shingle arrays, for all pairs at once: each side is concatenated with the pair number
    in the high 32 bits — which keeps both sides sorted — and one ``searchsorted`` finds
    every shared shingle."""
    count = len(left)
    if count == 0:
        return np.empty(0)
    la = np.fromiter((a.size for a in left), dtype=np.int64, count=count)
    lb = np.fromiter((b.size for b in right), dtype=np.int64, count=count)
    inter = np.zeros(count, dtype=np.int64)
    if la.sum() and lb.sum():
        pair = np.arange(count, dtype=np.uint64) << _S32
        a = np.repeat(pair, la) | np.concatenate(left).astype(np.uint64)
        b = np.repeat(pair, lb) | np.concatenate(right).astype(np.uint64)
        pos = np.searchsorted(b, a)
        np.minimum(pos, b.size - 1, out=pos)
        shared = b[pos] == a
        inter = np.bincount(np.repeat(np.arange(count), la)[shared], minlength=count)
    union = la + lb - inter
    return np.divide(inter, union, out=np.zeros(count), where=union > 0)


def shingles_to_bytes(ids: np.ndarray) -> bytes:
    return ids.astype("<u4", copy=False).tobytes()


def shingles_from_bytes(data: bytes | None) -> np.ndarray | None:
    if not data:
        return None
    return np.frombuffer(bytes(data), dtype="<u4").astype(np.uint32)


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
_BAND_OFFSETS = np.arange(BANDS, dtype=np.uint64) << np.uint64(56)


def band_keys(sigs: np.ndarray) -> np.ndarray:
    """``(n, BANDS)`` LSH keys of ``(n, NUM_PERM)`` signatures: one integer per band, the
    band's ``ROWS`` values (ROWS = 4, two 64-bit words) mixed together, with the band
    number folded in so that all bands share one dict."""
    words = np.ascontiguousarray(sigs, dtype=np.uint32).view(np.uint64)
    words = words.reshape(words.shape[0], BANDS, ROWS // 2)
    return words[:, :, 0] * _BAND_MIX ^ words[:, :, 1] ^ _BAND_OFFSETS


def _empty_rows(sigs: np.ndarray) -> np.ndarray:
    """Which signatures are of empty text (never indexed, never matched)."""
    return (sigs == 0xFFFFFFFF).all(axis=1)


@dataclass(frozen=True, slots=True)
class Match:
    story_id: Hashable
    item_id: Hashable
    similarity: float


@dataclass(slots=True)
class Batch:
    """Fingerprints of a batch of posts, as the index wants them: signatures, shingle
    arrays, and the LSH keys of the posts with text."""

    sigs: np.ndarray
    shingles: list[np.ndarray | None]
    live: np.ndarray  # positions of the posts with text (the ones with keys), int64
    key_rows: np.ndarray  # (len(live), BANDS) keys of those posts

    @classmethod
    def of(cls, sigs: np.ndarray, shingles: Sequence[np.ndarray | None]) -> Batch:
        sigs = np.ascontiguousarray(sigs, dtype=np.uint32).reshape(-1, NUM_PERM)
        live_mask = ~_empty_rows(sigs)
        return cls(sigs, list(shingles), np.flatnonzero(live_mask), band_keys(sigs[live_mask]))

    @classmethod
    def from_texts(cls, cores: Sequence[str]) -> Batch:
        """Fingerprint ``cores`` (``CleanPost.core`` of each post) in one go."""
        shingles = shingle_ids_many(cores)
        return cls.of(minhash_many(shingles), shingles)

    def __len__(self) -> int:
        return self.sigs.shape[0]

    @property
    def keys(self) -> list[list[int] | None]:
        """LSH keys per post, ``None`` for a post of empty text (never indexed)."""
        out: list[list[int] | None] = [None] * len(self)
        for pos, row in zip(self.live.tolist(), self.key_rows.tolist(), strict=True):
            out[pos] = row
        return out

    def subset(self, positions: Sequence[int]) -> Batch:
        """The posts at ``positions``, in that order."""
        return Batch.of(self.sigs[list(positions)], [self.shingles[p] for p in positions])


def _decide(
    queries: np.ndarray,
    cands: np.ndarray,
    batch: Batch,
    cand_sigs: np.ndarray,
    cand_shingles: Callable[[int], np.ndarray | None],
    threshold: float,
) -> dict[int, tuple[int, float]]:
    """Best candidate at or above ``threshold`` for each query post.

    ``queries[k]`` (a position in ``batch``) and ``cands[k]`` (a row of ``cand_sigs``)
    are the pairs LSH proposed, possibly repeated. The MinHash estimate ranks each
    query's candidates; up to ``MAX_VERIFY`` of them at or above ``threshold -
    VERIFY_MARGIN`` are checked with the exact Jaccard of the shingle sets (the estimate
    decides where either side has none). Returns ``{query: (cand, similarity)}``.
    """
    pairs = _sorted_distinct((queries.astype(np.int64) << 32) | cands.astype(np.int64))
    queries, cands = pairs >> 32, pairs & 0xFFFFFFFF
    est = np.count_nonzero(cand_sigs[cands] == batch.sigs[queries], axis=1) / NUM_PERM
    keep = est >= threshold - VERIFY_MARGIN
    if not keep.any():
        return {}
    queries, cands, est = queries[keep], cands[keep], est[keep]
    order = np.lexsort((-est, queries))  # by query, best estimate first
    queries, cands, est = queries[order], cands[order], est[order]
    first = np.flatnonzero(np.r_[True, queries[1:] != queries[:-1]])
    rank = np.arange(queries.size) - np.repeat(first, np.diff(np.r_[first, queries.size]))
    keep = rank < MAX_VERIFY
    q_list, c_list = queries[keep].tolist(), cands[keep].tolist()
    sims = est[keep]
    exact_at, left, right = [], [], []
    for k, (q, c) in enumerate(zip(q_list, c_list, strict=True)):
        mine, theirs = batch.shingles[q], cand_shingles(c)
        if mine is not None and theirs is not None:
            exact_at.append(k)
            left.append(mine)
            right.append(theirs)
    if exact_at:
        sims[exact_at] = jaccard_many(left, right)
    best: dict[int, tuple[int, float]] = {}
    for q, c, sim in zip(q_list, c_list, sims.tolist(), strict=True):
        if sim >= threshold and (q not in best or sim > best[q][1]):
            best[q] = (c, sim)
    return best


def match_within(
    batch: Batch, threshold: float = DEFAULT_THRESHOLD
) -> dict[int, tuple[int, float]]:
    """``{j: (i, similarity)}``: for each post ``j`` of ``batch``, the earlier post ``i <
    j`` of the same batch it is most similar to, at or above ``threshold`` — what an index
    holding posts ``0 … j-1`` would answer, found for the whole batch with one sort of its
    LSH keys (posts sharing a key are the candidate pairs)."""
    if batch.live.size < 2:
        return {}
    keys = batch.key_rows.ravel()
    owners = np.repeat(batch.live, BANDS)
    order = np.argsort(keys, kind="stable")  # equal keys keep their posts in batch order
    keys, owners = keys[order], owners[order]
    same = np.flatnonzero(keys[1:] == keys[:-1])
    if same.size == 0:
        return {}
    later: list[int] = []
    earlier: list[int] = []
    # Runs of equal keys: every later member pairs with every earlier one (runs are short).
    run_starts = same[np.r_[True, same[1:] != same[:-1] + 1]]
    ends = same[np.r_[same[1:] != same[:-1] + 1, True]] + 2
    for lo, hi in zip(run_starts.tolist(), ends.tolist(), strict=True):
        members = owners[lo:hi].tolist()
        for a in range(1, len(members)):
            for b in range(a):
                if members[b] != members[a]:
                    later.append(members[a])
                    earlier.append(members[b])
    if not later:
        return {}
    return _decide(
        np.array(later, dtype=np.int64),
        np.array(earlier, dtype=np.int64),
        batch,
        batch.sigs,
        batch.shingles.__getitem__,
        threshold,
    )


class _SortedRuns:
    """The LSH table: ``(key, row)`` pairs kept in a few sorted numpy arrays ("runs").

    A batch's pairs are sorted into a new run; a run is merged into the one before it
    while it is at least half that one's size, so there are about log₂(entries / batch)
    runs, older ones bigger, and each pair is merged about that many times — by a stable
    sort of the two runs put end to end, which numpy's timsort does in linear time. A
    lookup is a binary search per run for the whole batch of keys at once. Pairs of rows
    the index has forgotten are left out when their run is merged, or all at once by
    :meth:`drop_rows_below`.

    Against a ``dict`` of buckets this holds 16 bytes a pair instead of ~100 (a key, a
    bucket, an int object per row), and inserting or looking up a batch is a few numpy
    calls instead of a Python operation per key: a worker spent more time keeping its
    index than matching against it.
    """

    __slots__ = ("keys", "rows", "size")

    def __init__(self) -> None:
        self.keys: list[np.ndarray] = []  # uint64, each sorted
        self.rows: list[np.ndarray] = []  # int64, aligned with keys
        self.size = 0

    def add(self, keys: np.ndarray, rows: np.ndarray, first: int = 0) -> None:
        """Add pairs; merges leave out the pairs of rows below ``first`` (forgotten)."""
        order = np.argsort(keys, kind="stable")
        self.keys.append(keys[order])
        self.rows.append(rows[order])
        while len(self.keys) > 1 and self.keys[-1].size * 2 >= self.keys[-2].size:
            keys = np.concatenate(self.keys[-2:])
            rows = np.concatenate(self.rows[-2:])
            del self.keys[-2:], self.rows[-2:]
            live = rows >= first
            if not live.all():
                keys, rows = keys[live], rows[live]
            order = np.argsort(keys, kind="stable")  # two sorted runs: a linear merge
            self.keys.append(keys[order])
            self.rows.append(rows[order])
        self.size = sum(keys.size for keys in self.keys)

    def lookup(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(k, row)`` for every stored pair whose key is ``keys[k]``."""
        found_at: list[np.ndarray] = []
        found_rows: list[np.ndarray] = []
        order = np.argsort(keys)  # sorted needles: each search starts where the last ended
        needles = keys[order]
        for run_keys, run_rows in zip(self.keys, self.rows, strict=True):
            lo = np.searchsorted(run_keys, needles)
            hit = np.flatnonzero(run_keys[np.minimum(lo, run_keys.size - 1)] == needles)
            if hit.size == 0:
                continue
            lo = lo[hit]
            n = np.searchsorted(run_keys, needles[hit], side="right") - lo
            total = int(n.sum())
            # Positions lo[i], lo[i] + 1, … lo[i] + n[i] - 1 for every hit i, flattened.
            pos = np.repeat(lo - (np.cumsum(n) - n), n) + np.arange(total)
            found_at.append(np.repeat(order[hit], n))
            found_rows.append(run_rows[pos])
        if not found_at:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        return np.concatenate(found_at), np.concatenate(found_rows)

    def drop_rows_below(self, first: int) -> None:
        """Forget the pairs of rows numbered below ``first``."""
        kept_keys, kept_rows = [], []
        for keys, rows in zip(self.keys, self.rows, strict=True):
            keep = rows >= first
            if keep.all():
                kept_keys.append(keys)
                kept_rows.append(rows)
            elif keep.any():
                kept_keys.append(keys[keep])
                kept_rows.append(rows[keep])
        self.keys, self.rows = kept_keys, kept_rows
        self.size = sum(keys.size for keys in kept_keys)


class StoryIndex:
    """Incremental grouping of posts into stories by near-duplicate similarity.

    ``add(item_id, sig, shingles=…)`` returns the story id of the most similar indexed
    post when their Jaccard similarity reaches ``threshold``, else a fresh story id; the
    post is then indexed so later copies find it. LSH proposes candidates, the MinHash
    estimate ranks them, and the exact Jaccard of the shingle sets decides (see the module
    docstring); a post indexed without shingles is judged on the estimate alone.
    Single-link by design: a chain of small edits stays one story, which is how reposting
    behaves. :meth:`match` and :meth:`insert` do the same for a whole :class:`Batch`, the
    way the worker uses them (find matches, decide, index once committed).

    Story ids come from ``new_story_id`` (default: 1, 2, 3 …); pass one that creates a
    ``Story`` row if ids should be database keys. State is just ``(item_id, story_id,
    signature, shingles)`` per post, so :meth:`records` / :meth:`from_records` persist and
    rebuild it.

    Memory: with ``capacity`` set, the index holds at most that many posts — inserting
    one more forgets the oldest (its LSH pairs are skipped, then dropped; its slots freed) — so a
    worker's index stays the same size however long the stream runs; :meth:`prune` does
    the same on demand. Rows are numbered in insertion order and stored in arrays that
    are compacted, not rebuilt, as old rows leave.
    """

    def __init__(
        self,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        new_story_id: Callable[[], Hashable] | None = None,
        capacity: int | None = None,
    ) -> None:
        self.threshold = threshold
        self.capacity = capacity
        self._next = 1
        # Not ``or self._counter``: a bound method stored on the instance is a reference
        # cycle, which only the (deliberately rare, see processing._tune_gc) cycle
        # collector would free — a worker builds a small index per batch.
        self._new_story_id = new_story_id
        self._lsh = _SortedRuns()
        self._base = 0  # row number of slot 0 of the arrays below
        self._first = 0  # oldest row still indexed
        self._end = 0  # next row number
        self._sigs = np.empty((64, NUM_PERM), dtype=np.uint32)
        self._items: list[Hashable] = []
        self._stories: list[Hashable] = []
        self._shingles: list[np.ndarray | None] = []

    def _counter(self) -> int:
        sid = self._next
        self._next += 1
        return sid

    def __len__(self) -> int:
        return self._end - self._first

    def lsh_entries(self) -> int:
        """``(key, row)`` pairs held, forgotten rows' included until they are dropped
        (at most twice the live ones)."""
        return self._lsh.size

    # -- matching ----------------------------------------------------------------------

    def match(self, batch: Batch) -> list[Match | None]:
        """Best indexed match of each post of ``batch``, without adding anything."""
        out: list[Match | None] = [None] * len(batch)
        at, rows = self._lsh.lookup(batch.key_rows.ravel())
        if rows.size == 0:
            return out
        live = rows >= self._first
        at, rows = at[live], rows[live]
        if rows.size == 0:
            return out
        best = _decide(
            batch.live[at // BANDS],
            rows - self._base,
            batch,
            self._sigs,
            self._shingles.__getitem__,
            self.threshold,
        )
        for q, (slot, sim) in best.items():
            out[q] = Match(self._stories[slot], self._items[slot], sim)
        return out

    def query(self, sig: np.ndarray, shingles: np.ndarray | None = None) -> Match | None:
        """Best indexed match at or above the threshold, without adding anything."""
        return self.match(Batch.of(sig, [shingles]))[0]

    # -- indexing ----------------------------------------------------------------------

    def add(
        self,
        item_id: Hashable,
        sig: np.ndarray,
        story_id: Hashable | None = None,
        *,
        shingles: np.ndarray | None = None,
    ) -> Hashable:
        """Index one post and return its story id (``story_id`` forces one, for rebuilds)."""
        batch = Batch.of(sig, [shingles])
        if story_id is None:
            match = self.match(batch)[0]
            story_id = match.story_id if match else (self._new_story_id or self._counter)()
        self.insert(batch, [item_id], [story_id])
        return story_id

    def insert(self, batch: Batch, items: Sequence[Hashable], stories: Sequence[Hashable]):
        """Index the posts of ``batch`` under the given item and story ids (decided by
        the caller, e.g. from :meth:`match`); posts of empty text are skipped."""
        ints = [story for story in stories if isinstance(story, int)]
        if ints and max(ints) >= self._next:
            self._next = max(ints) + 1
        live = batch.live.tolist()
        if not live:
            return
        slot = self._reserve(len(live))
        end = slot + len(live)
        self._sigs[slot:end] = batch.sigs[batch.live]
        self._items.extend([items[pos] for pos in live])
        self._stories.extend([stories[pos] for pos in live])
        self._shingles.extend([batch.shingles[pos] for pos in live])
        first_row = self._end
        self._end += len(live)
        rows = np.repeat(np.arange(first_row, self._end, dtype=np.int64), BANDS)
        self._lsh.add(batch.key_rows.ravel(), rows, self._first)
        if self.capacity is not None:
            self.prune(self.capacity)

    def _reserve(self, count: int) -> int:
        """Array slot for the next ``count`` rows: drop the slots of rows already
        forgotten when they are half of the arrays, else grow the arrays."""
        slot = self._end - self._base
        size = self._sigs.shape[0]
        if slot + count <= size:
            return slot
        gone = self._first - self._base
        live = slot - gone
        if gone and (live + count) * 2 <= size:
            self._sigs[:live] = self._sigs[gone:slot]
        else:
            while size < live + count:
                size *= 2
            grown = np.empty((size, NUM_PERM), dtype=np.uint32)
            grown[:live] = self._sigs[gone:slot]
            self._sigs = grown
        del self._items[:gone], self._stories[:gone], self._shingles[:gone]
        self._base = self._first
        return live

    def prune(self, keep_last: int) -> None:
        """Forget all but the newest ``keep_last`` posts (a story older than the window
        can only be joined again through a newer member). Their LSH pairs are skipped
        by lookups at once and dropped when they are as many as the live ones."""
        count = len(self) - max(keep_last, 0)
        if count <= 0:
            return
        lo = self._first - self._base
        for column in (self._items, self._stories, self._shingles):
            column[lo : lo + count] = [None] * count
        self._first += count
        if self._lsh.size > 2 * len(self) * BANDS:
            self._lsh.drop_rows_below(self._first)

    # -- persistence -------------------------------------------------------------------

    def records(self) -> Iterator[tuple[Hashable, Hashable, bytes, bytes | None]]:
        """``(item_id, story_id, signature_bytes, shingles_bytes)`` per indexed post, in order."""
        for slot in range(self._first - self._base, self._end - self._base):
            sh = self._shingles[slot]
            yield (
                self._items[slot],
                self._stories[slot],
                signature_to_bytes(self._sigs[slot]),
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
