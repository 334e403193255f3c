"""Loading the small lexicons shipped in ``kepu/monitoring/data``.

Kept in one place so every module reads files the same way (UTF-8, ``#`` comments,
optional TAB-separated value) and each file is parsed once per process.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def _lines(name: str) -> list[str]:
    path = DATA_DIR / name
    out = []
    with path.open(encoding="utf-8") as fh:
        for raw in fh:
            line = raw.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            out.append(line)
    return out


@cache
def word_set(name: str) -> frozenset[str]:
    """A one-word-per-line file as a set (the first TAB field of each line)."""
    return frozenset(line.split("\t", 1)[0].strip() for line in _lines(name))


@cache
def word_weights(name: str, default: float = 1.0) -> dict[str, float]:
    """A ``word[<TAB>weight]`` file as a dict; lines without a weight get ``default``."""
    out: dict[str, float] = {}
    for line in _lines(name):
        word, _, weight = line.partition("\t")
        out[word.strip()] = float(weight) if weight.strip() else default
    return out


@cache
def text_blob(name: str) -> str:
    """The non-comment lines of a file joined together (used for character lists)."""
    return "".join(line.strip() for line in _lines(name))
