"""Lexicon-based sentiment of a Chinese post: a score in [-1, 1] and a label.

Why a lexicon and not a model: it runs in microseconds per post on the precise-mode
tokens the pipeline already has, needs no weights download, and every decision can be
explained to an editor ("负面 because of 骗局, 误导"). Its known weaknesses — irony,
sentiment carried by facts rather than words ("火箭残骸掉到村里") — are measured on the
hand-written evaluation set in ``data/sentiment_eval.tsv`` (run
``python -m kepu.monitoring.pipeline.sentiment --eval``).

Scoring: each sentiment word contributes its weight (±1, ±2 for strong words).
A degree adverb (非常, 有点 …) multiplies the next sentiment word within a short scope; a
negation word (不, 没有, 并非 …) flips it — a negated positive counts as negative
(不好 ≈ 差), a negated negative only as mildly positive (不差 ≠ 好). Words after a
contrastive conjunction (但是, 不过 …) count more: the clause after 但 carries the
writer's point. The sum goes through ``tanh`` to land in [-1, 1].
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from kepu.core.text import normalize

from ._data import DATA_DIR, word_set, word_weights
from .tokens import _WORDLIKE, CLAUSE_BREAKS, TOKEN_CACHE_LIMIT, cut

SCOPE = 3  # tokens a negation or degree adverb reaches forward
NEGATED_POSITIVE = -0.9
NEGATED_NEGATIVE = 0.4
CONTRAST_WORDS = frozenset({"但", "但是", "可是", "不过", "然而", "可惜", "只是"})
CONTRAST_AFTER = 1.5
CONTRAST_BEFORE = 0.6
SCALE = 1.5  # tanh(sum / SCALE)
THRESHOLD = 0.3  # |score| below this is neutral

LABELS = ("positive", "neutral", "negative")


@dataclass(frozen=True, slots=True)
class Sentiment:
    score: float
    label: str
    hits: tuple[tuple[str, float], ...]  # (word, contribution), for explaining a label


@lru_cache(maxsize=1)
def lexicon() -> dict[str, float]:
    """word → signed weight; a word in both lists would be a lexicon bug, negative wins."""
    lex = dict(word_weights("sentiment_positive.txt"))
    for word, weight in word_weights("sentiment_negative.txt").items():
        lex[word] = -weight
    return lex


@lru_cache(maxsize=1)
def negations() -> frozenset[str]:
    return word_set("sentiment_negation.txt")


@lru_cache(maxsize=1)
def degrees() -> dict[str, float]:
    return word_weights("sentiment_degree.txt")


@lru_cache(maxsize=1)
def _prefixes() -> dict[str, tuple[str, float]]:
    """prefix → (kind, value) for splitting compounds like 太美, 非常感谢, 不通俗."""
    items = dict.fromkeys(negations(), ("negation", 0.0))
    items.update({w: ("degree", m) for w, m in degrees().items()})
    return items


@lru_cache(maxsize=1)
def _lexicon_heads() -> frozenset[str]:
    """Proper prefixes of lexicon words: only these tokens can start a split word
    (不靠 + 谱 = 不靠谱), so only they pay for a join attempt."""
    return frozenset(w[:i] for w in lexicon() for i in range(1, len(w)))


# Token classes, computed once per distinct token and cached: the scoring loop then costs
# one dict lookup for the ~90% of tokens that carry no sentiment.
_PLAIN = 0  # nothing
_WORD = 1  # sentiment word: (1, weight, degree-if-also-adverb, head)
_DEGREE = 2  # (2, multiplier, None, head)
_NEGATION = 3  # (3, 0.0, None, head)
_COMPOUND = 4  # (4, weight, (degree, negated), head): 太美, 不通俗, 纯属骗局
_BREAK = 5  # clause-ending punctuation: scopes end here
_SKIP = 6  # other punctuation and spaces
_BORING = (_PLAIN, 0.0, None, False)  # the one object for tokens that never matter
_classes: dict[str, tuple] = {}


def _decompose(tok: str) -> tuple[float, bool, float] | None:
    """``(degree, negated, weight)`` for an out-of-lexicon token that is a degree or
    negation prefix + a lexicon word (太美, 真酷, 不通俗), or ends in a lexicon word
    (纯属骗局). The segmenter's dictionary glues these together."""
    lex = lexicon()
    prefixes = _prefixes()
    if len(tok) >= 2:
        for size in (3, 2, 1):  # longest prefix first: 非常 before 非
            entry = prefixes.get(tok[:size]) if len(tok) > size else None
            if entry is not None:
                rest = lex.get(tok[size:])
                if rest is not None:
                    kind, value = entry
                    return (value, False, rest) if kind == "degree" else (1.0, True, rest)
        if len(tok) >= 3:
            for cut_at in range(1, len(tok) - 1):
                rest = lex.get(tok[cut_at:])
                if rest is not None:
                    return (1.0, False, rest)
    return None


def _classify(tok: str) -> tuple:
    if not tok.strip() or not _WORDLIKE.search(tok):
        brk = tok[:1] in CLAUSE_BREAKS or "\n" in tok
        info0 = (_BREAK if brk else _SKIP, 0.0, None, False)
        _classes[tok] = info0
        return info0
    head = tok in _lexicon_heads()
    weight = lexicon().get(tok)
    degree = degrees().get(tok)
    if weight is not None:
        info: tuple = (_WORD, weight, degree, head)
    elif degree is not None:
        info = (_DEGREE, degree, None, head)
    elif tok in negations():
        info = (_NEGATION, 0.0, None, head)
    else:
        parts = _decompose(tok)
        if parts is not None:
            info = (_COMPOUND, parts[2], (parts[0], parts[1]), head)
        elif head or tok in CONTRAST_WORDS:
            info = (_PLAIN, 0.0, None, head)
        else:
            info = _BORING
    if len(_classes) >= TOKEN_CACHE_LIMIT:
        _classes.clear()
    _classes[tok] = info
    return info


def score_tokens(tokens: Sequence[str]) -> Sentiment:
    """Score precise-mode tokens (see module docstring for the rules).

    Pass the *raw* stream from ``tokens.cut`` (with punctuation): negation and degree
    scopes end at clause punctuation. Word-only tokens work too, with scopes of just
    ``SCOPE`` tokens.
    """
    lex = lexicon()
    classes = _classes
    hits: list[tuple[str, float]] = []
    negated = False
    negate_until = -1
    degree = 1.0
    degree_until = -1
    contrast_at = -1
    n = len(tokens)
    skip = False
    skip_at = -1
    # Only tokens that can matter enter the Python loop below (an identity test per token
    # here, in a comprehension); scopes are token positions, so nothing else changes.
    relevant = [i for i, t in enumerate(tokens) if classes.get(t) is not _BORING]
    for i in relevant:
        if i == skip_at:
            continue
        tok = tokens[i]
        info = classes.get(tok) or _classify(tok)
        if info is _BORING:
            continue
        kind = info[0]
        if kind >= _BREAK:
            if kind == _BREAK:
                negated, negate_until, degree, degree_until = False, -1, 1.0, -1
            continue
        if kind == _PLAIN and not info[3]:
            if tok in CONTRAST_WORDS:
                contrast_at = len(hits)
            continue
        weight = info[1] if kind in (_WORD, _COMPOUND) else None
        if info[3] and kind != _WORD and i + 1 < n:
            joined = lex.get(tok + tokens[i + 1])  # 不靠+谱, 有+帮助
            if joined is not None:
                kind, weight, tok, skip = _WORD, joined, tok + tokens[i + 1], True
                skip_at = i + 1
        if kind == _PLAIN:
            continue
        # "好美": 好 is an adverb here; "太好了": 好 is the sentiment word.
        if (
            kind == _WORD
            and info[2] is not None
            and not skip
            and i + 1 < n
            and tokens[i + 1] in lex
        ):
            kind = _DEGREE
        if kind == _DEGREE:
            degree = info[2] if info[0] == _WORD else info[1]
            degree_until = i + SCOPE
            continue
        if kind == _NEGATION:
            negated = not negated if i <= negate_until else True
            negate_until = i + SCOPE
            continue
        local_degree, local_neg = info[2] if kind == _COMPOUND else (1.0, False)
        value = weight * local_degree * (degree if i <= degree_until else 1.0)
        if (negated and i <= negate_until) != local_neg:
            value = value * (NEGATED_POSITIVE if value > 0 else -NEGATED_NEGATIVE)
        negated = False
        degree = 1.0
        degree_until = negate_until = -1
        skip = False
        hits.append((tok, value))
    if contrast_at > 0:
        total = sum(v * CONTRAST_BEFORE for _, v in hits[:contrast_at]) + sum(
            v * CONTRAST_AFTER for _, v in hits[contrast_at:]
        )
    else:
        total = sum(v for _, v in hits)
    score = math.tanh(total / SCALE)
    if score >= THRESHOLD:
        label = "positive"
    elif score <= -THRESHOLD:
        label = "negative"
    else:
        label = "neutral"
    return Sentiment(round(score, 4), label, tuple(hits))


def score_text(text: str) -> Sentiment:
    """Convenience for one raw string (normalizes and segments it first)."""
    return score_tokens(cut(normalize(text))[1])


# ---------------------------------------------------------------------------------------
# Evaluation on the hand-labelled set
# ---------------------------------------------------------------------------------------


def load_eval(split: str | None = None) -> list[tuple[str, str]]:
    """``(label, text)`` rows; ``split`` "dev" = even data lines, "test" = odd ones."""
    rows: list[tuple[str, str]] = []
    with (DATA_DIR / "sentiment_eval.tsv").open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            label, _, text = line.rstrip("\n").partition("\t")
            rows.append((label, text))
    if split == "dev":
        return rows[0::2]
    if split == "test":
        return rows[1::2]
    return rows


def evaluate(rows: Sequence[tuple[str, str]]) -> dict[str, float]:
    """Accuracy and macro-F1 over ``LABELS``."""
    pairs = [(gold, score_text(text).label) for gold, text in rows]
    correct = sum(g == p for g, p in pairs)
    f1s = []
    for label in LABELS:
        tp = sum(g == label and p == label for g, p in pairs)
        fp = sum(g != label and p == label for g, p in pairs)
        fn = sum(g == label and p != label for g, p in pairs)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return {
        "n": float(len(pairs)),
        "accuracy": correct / len(pairs) if pairs else 0.0,
        "macro_f1": sum(f1s) / len(f1s),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", action="store_true", help="print accuracy and macro-F1")
    parser.add_argument("--errors", choices=["dev", "test"], help="list misclassified rows")
    parser.add_argument("text", nargs="*", help="score these texts")
    args = parser.parse_args(argv)
    if args.eval:
        for split in ("dev", "test"):
            m = evaluate(load_eval(split))
            print(
                f"{split}: n={int(m['n'])} accuracy={m['accuracy']:.3f} "
                f"macro_f1={m['macro_f1']:.3f}"
            )
    if args.errors:
        for gold, text in load_eval(args.errors):
            s = score_text(text)
            if s.label != gold:
                print(f"{gold:8} {s.label:8} {s.score:+.2f} {text}  {s.hits}")
    for text in args.text:
        s = score_text(text)
        print(f"{s.label} {s.score:+.3f} {s.hits}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
