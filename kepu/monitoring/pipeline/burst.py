"""Burst detection: is a term's or story's volume now unusual *for it*?

Each series is compared with its own history, because a constant stream of "疫苗"
posts is not news while ten posts about a small institute are. The test is a z-score
of the current window against the previous windows (mean + k·std), with two guards
that matter on small counts: a minimum count (three posts are never a burst), and a
floor on the standard deviation (a series that was always 0 has std 0, which would
make any single post infinitely surprising). Pure functions over per-bucket counts, so
the Django layer decides what a bucket is (an hour, ten minutes) and where counts live.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Burst:
    key: Hashable
    count: int  # volume in the current window
    baseline: float  # mean volume per window over the history
    std: float
    z: float  # (count - baseline) / max(std, min_std)
    ratio: float  # count / (baseline + 1)
    strength: float  # ranking score: z damped by log volume, see burst_strength()
    is_burst: bool


def bucketize(
    timestamps: Iterable[float], *, start: float, bucket_seconds: float, buckets: int
) -> list[int]:
    """Counts per bucket for UNIX ``timestamps`` in ``[start, start + buckets·size)``."""
    counts = [0] * buckets
    for ts in timestamps:
        i = int((ts - start) // bucket_seconds)
        if 0 <= i < buckets:
            counts[i] += 1
    return counts


def window_sums(counts: Sequence[int], window: int) -> list[int]:
    """Non-overlapping window totals, aligned to the *end* so the last is "now"."""
    if window <= 1:
        return list(counts)
    out = []
    end = len(counts)
    while end - window >= 0:
        out.append(sum(counts[end - window : end]))
        end -= window
    out.reverse()
    return out


def burst_strength(z: float, count: int) -> float:
    """z weighted by log volume: among equally surprising topics, the bigger one ranks
    first, without letting sheer size beat surprise."""
    return z * math.log1p(count) if z > 0 else 0.0


def detect_burst(
    counts: Sequence[int],
    *,
    key: Hashable = None,
    window: int = 1,
    history: int = 24,
    k: float = 3.0,
    min_count: int = 5,
    min_std: float = 1.0,
) -> Burst:
    """Test the last ``window`` buckets of ``counts`` against up to ``history`` windows
    before it. ``counts`` is oldest-first; a series too short for any history is
    compared against zero history (baseline 0), so a brand-new topic can still burst
    once it passes ``min_count``."""
    sums = window_sums(counts, window)
    if not sums:
        return Burst(key, 0, 0.0, 0.0, 0.0, 0.0, 0.0, False)
    current = sums[-1]
    past = sums[-1 - history : -1] if history > 0 else []
    if past:
        mean = sum(past) / len(past)
        var = sum((x - mean) ** 2 for x in past) / len(past)
        std = math.sqrt(var)
    else:
        mean, std = 0.0, 0.0
    z = (current - mean) / max(std, min_std)
    is_burst = current >= min_count and current > mean + k * max(std, min_std)
    return Burst(
        key, current, mean, std, z, current / (mean + 1.0), burst_strength(z, current), is_burst
    )


def rank_bursts(
    series: Mapping[Hashable, Sequence[int]],
    *,
    top: int | None = 20,
    only_bursting: bool = True,
    **params,
) -> list[Burst]:
    """Hot topics: every key's :func:`detect_burst`, strongest first.

    ``series`` maps a term or story id to its counts per bucket (oldest first, same
    buckets for all keys). ``params`` go to :func:`detect_burst`.
    """
    results = [detect_burst(counts, key=key, **params) for key, counts in series.items()]
    if only_bursting:
        results = [b for b in results if b.is_burst]
    results.sort(key=lambda b: (-b.strength, -b.count))
    return results[:top] if top is not None else results
