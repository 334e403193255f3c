"""Benchmark the library search: indexing speed, latency, and relevance against a baseline.

    python bench/search.py --docs 100000 [--queries 400] [--workers 2] [--dir DIR]

Latency is measured through ``SearchIndex.search`` — the call the portal makes — and
includes normalizing and segmenting the query, building it, filters, running it, and
fetching the ten hits' titles and highlighted snippets. ``p50_ms``/``p99_ms`` are without
facet counts, ``facets_p50_ms``/``facets_p99_ms`` with the five default facets.
``raw_*`` is the bare engine (``SearchIndex.raw_search``) running the same compiled query
on the same index: tantivy's top-10 plus total count, no Python around it.

Relevance: ``bench/data/corpus.jsonl`` + ``queries.jsonl`` (judged by meaning), our engine
against a baseline of plain BM25 over jieba precise-mode words (no normalization beyond
lower case, no stopwords, no synonyms, no field boosts), implemented below in Python.
The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _chinese_gen import LibraryGenerator  # noqa: E402

from kepu.search.engine import SearchIndex  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    if not values:
        return 0.0
    k = min(len(values) - 1, max(0, math.ceil(q / 100 * len(values)) - 1))
    return values[k]


# ------------------------------------------------------------------------- relevance


def load_judged() -> tuple[list[dict], list[dict], dict]:
    corpus = [json.loads(line) for line in (DATA / "corpus.jsonl").open(encoding="utf-8")]
    queries = [json.loads(line) for line in (DATA / "queries.jsonl").open(encoding="utf-8")]
    synonyms = json.loads((DATA / "synonyms.json").read_text(encoding="utf-8"))
    return corpus, queries, synonyms


def mrr_at_10(ranked: list[str], relevant: dict[str, int]) -> float:
    for i, doc_id in enumerate(ranked[:10], 1):
        if relevant.get(doc_id, 0) > 0:
            return 1.0 / i
    return 0.0


def ndcg_at_10(ranked: list[str], relevant: dict[str, int]) -> float:
    dcg = sum(
        (2 ** relevant.get(d, 0) - 1) / math.log2(i + 1) for i, d in enumerate(ranked[:10], 1)
    )
    ideal = sorted(relevant.values(), reverse=True)[:10]
    idcg = sum((2**g - 1) / math.log2(i + 1) for i, g in enumerate(ideal, 1))
    return dcg / idcg if idcg else 0.0


class BaselineBM25:
    """Plain BM25 (k1=1.2, b=0.75) over jieba precise-mode words of title + body."""

    _word = re.compile(r"\w", re.UNICODE)

    def __init__(self, corpus: list[dict]):
        import jieba

        jieba.setLogLevel(60)
        self.cut = lambda s: [
            t for t in jieba.lcut(s.lower()) if not t.isspace() and self._word.search(t)
        ]
        self.ids = [d["id"] for d in corpus]
        self.tfs = [Counter(self.cut(d["title"] + " " + d["body"])) for d in corpus]
        self.lens = [sum(tf.values()) for tf in self.tfs]
        self.avg = sum(self.lens) / len(self.lens)
        df: Counter[str] = Counter()
        for tf in self.tfs:
            df.update(tf.keys())
        n = len(corpus)
        self.idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}

    def search(self, query: str, k: int = 10) -> list[str]:
        terms = self.cut(query)
        scores = []
        for doc_id, tf, dl in zip(self.ids, self.tfs, self.lens, strict=True):
            s = 0.0
            for t in terms:
                f = tf.get(t, 0)
                if f:
                    s += self.idf[t] * f * 2.2 / (f + 1.2 * (0.25 + 0.75 * dl / self.avg))
            if s > 0:
                scores.append((s, doc_id))
        scores.sort(key=lambda x: -x[0])
        return [d for _, d in scores[:k]]


def relevance(workdir: Path) -> dict[str, float]:
    corpus, queries, synonyms = load_judged()
    index = SearchIndex(workdir / "judged", synonyms=synonyms)
    index.rebuild(
        {"id": i, "external_id": d["id"], "title": d["title"], "body": d["body"]}
        for i, d in enumerate(corpus, 1)
    )
    baseline = BaselineBM25(corpus)
    ours_mrr, ours_ndcg, base_mrr, base_ndcg = [], [], [], []
    for q in queries:
        rel = {k: int(v) for k, v in q["relevant"].items()}
        ranked = [h.external_id for h in index.search(q["query"], limit=10, facets=()).hits]
        ours_mrr.append(mrr_at_10(ranked, rel))
        ours_ndcg.append(ndcg_at_10(ranked, rel))
        b = baseline.search(q["query"])
        base_mrr.append(mrr_at_10(b, rel))
        base_ndcg.append(ndcg_at_10(b, rel))
    mean = statistics.fmean
    return {
        "judged_queries": len(queries),
        "judged_docs": len(corpus),
        "mrr_at_10": round(mean(ours_mrr), 4),
        "ndcg_at_10": round(mean(ours_ndcg), 4),
        "baseline_mrr_at_10": round(mean(base_mrr), 4),
        "baseline_ndcg_at_10": round(mean(base_ndcg), 4),
    }


# --------------------------------------------------------------------------- latency


def latency(index: SearchIndex, gen: LibraryGenerator, n_queries: int) -> dict[str, float]:
    cases = []
    for i in range(n_queries):
        n_terms = 2 if i % 2 == 0 else 5
        filters = gen.filters() if (i // 2) % 2 == 0 else {}
        cases.append((gen.query(n_terms), filters))
    for text, filters in cases[:20]:  # warm caches (page cache, jieba dictionary)
        index.search(text, filters=filters, facets=())
    full, faceted, raw = [], [], []
    by_kind: dict[str, list[float]] = {}
    totals = []
    for i, (text, filters) in enumerate(cases):
        t0 = time.perf_counter()
        res = index.search(text, filters=filters, facets=())
        t1 = time.perf_counter()
        index.search(text, filters=filters)
        t2 = time.perf_counter()
        t3 = time.perf_counter()
        index.raw_search(res.engine_query)
        t4 = time.perf_counter()
        full.append((t1 - t0) * 1000)
        faceted.append((t2 - t1) * 1000)
        raw.append((t4 - t3) * 1000)
        kind = f"{2 if i % 2 == 0 else 5}term{'_filtered' if filters else ''}"
        by_kind.setdefault(kind, []).append((t1 - t0) * 1000)
        totals.append(res.total)
    for kind, values in sorted(by_kind.items()):
        print(f"  {kind:16s} p50 {pct(values, 50):7.2f} ms  p99 {pct(values, 99):7.2f} ms")
    print(f"  median total hits per query: {statistics.median(totals):.0f}")
    p99, raw_p99 = pct(full, 99), pct(raw, 99)
    return {
        "queries": n_queries,
        "p50_ms": round(pct(full, 50), 2),
        "p99_ms": round(p99, 2),
        "facets_p50_ms": round(pct(faceted, 50), 2),
        "facets_p99_ms": round(pct(faceted, 99), 2),
        "raw_p50_ms": round(pct(raw, 50), 2),
        "raw_p99_ms": round(raw_p99, 2),
        "overhead_p99": round(p99 / raw_p99, 3) if raw_p99 else None,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--queries", type=int, default=400)
    ap.add_argument("--workers", type=int, default=2, help="segmenting processes")
    ap.add_argument("--dir", type=Path, default=None, help="index root (default: temp dir)")
    ap.add_argument("--skip-relevance", action="store_true")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="kepu-bench-") as tmp:
        root = args.dir or Path(tmp)
        out: dict[str, object] = {"docs": args.docs}
        if not args.skip_relevance:
            rel = relevance(Path(tmp))
            print(
                f"relevance on {rel['judged_queries']} judged queries: "
                f"MRR@10 {rel['mrr_at_10']} (baseline {rel['baseline_mrr_at_10']}), "
                f"nDCG@10 {rel['ndcg_at_10']} (baseline {rel['baseline_ndcg_at_10']})"
            )
        else:
            rel = {}
        gen = LibraryGenerator(seed=7)
        index = SearchIndex(root / "library")
        print(f"indexing {args.docs} synthetic documents with {args.workers} workers …")
        t0 = time.perf_counter()
        info = index.rebuild(gen.docs(args.docs), workers=args.workers)
        index_seconds = time.perf_counter() - t0
        mb = index.size_bytes() / 1e6
        print(f"  {info['docs']} docs in {index_seconds:.1f} s, index {mb:.0f} MB")
        out.update({"index_seconds": round(index_seconds, 2), "index_mb": round(mb, 1)})
        print(f"latency over {args.queries} queries (half 2-term, half 5-term, half filtered):")
        out.update(latency(index, LibraryGenerator(seed=11), args.queries))
        out.update(rel)
        print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
