"""Near-duplicate signatures, story grouping, repost joining and index persistence."""

import importlib.util
import sys
from pathlib import Path

import numpy as np

from kepu.monitoring.pipeline.dedup import (
    BANDS,
    SIGNATURE_BYTES,
    Batch,
    StoryIndex,
    _SortedRuns,
    fingerprint,
    jaccard,
    match_within,
    shingle_ids,
    shingles_from_bytes,
    shingles_to_bytes,
    signature,
    signature_from_bytes,
    signature_to_bytes,
    similarity,
)
from kepu.monitoring.pipeline.normalize import clean_post

_GEN_PATH = Path(__file__).resolve().parents[3] / "bench" / "_posts_gen.py"
_spec = importlib.util.spec_from_file_location("_posts_gen", _GEN_PATH)
posts_gen = sys.modules.setdefault("_posts_gen", importlib.util.module_from_spec(_spec))
if not hasattr(posts_gen, "generate_posts"):
    _spec.loader.exec_module(posts_gen)

A = (
    "国家天文台今天发布消息：利用中国天眼FAST，研究团队新发现了一批毫秒脉冲星，"
    "相关成果已于近日在线发表。专家表示，这对引力波探测具有重要意义。"
)
B = (
    "合肥物质科学研究院全超导托卡马克装置实现了一千秒的长脉冲高约束模运行，"
    "创造了新的世界纪录，为未来聚变堆建设积累了关键经验。"
)


def sig(text):
    return signature(clean_post(text).core)


def test_signature_is_deterministic_and_serialisable():
    s = sig(A)
    assert s.dtype == np.uint32
    data = signature_to_bytes(s)
    assert len(data) == SIGNATURE_BYTES
    assert np.array_equal(signature_from_bytes(data), s)
    assert np.array_equal(sig(A), s)


def test_similarity_orders_copies_above_unrelated():
    edited = A.replace("一批", "一些").replace("，", ",") + " #天文#"
    assert similarity(sig(A), sig(A)) == 1.0
    assert similarity(sig(A), sig(edited)) > 0.7
    assert similarity(sig(A), sig(B)) < 0.2


def test_story_index_groups_near_duplicates():
    index = StoryIndex()
    s1 = index.add("p1", sig(A))
    s2 = index.add("p2", sig(B))
    s3 = index.add("p3", sig(A[:-5] + "值得期待。"))
    s4 = index.add("p4", sig(A.replace("天眼", "天眼望远镜")))
    assert s1 != s2
    assert s3 == s1 and s4 == s1
    assert len(index) == 4


def test_reposts_join_the_original_story():
    index = StoryIndex()
    story = index.add(1, sig(A))
    index.add(2, sig(B))
    for i, text in enumerate(
        [
            "转发微博：" + A,
            "转：" + A,
            "太厉害了！//@天文爱好者:为科研人员点赞//@国家天文台:" + A,
            "RT @国家天文台: " + A,
            # Traditional-script repost with full-width digits.
            "轉發：國家天文台今天發布消息：利用中國天眼FAST，研究團隊新發現了一批毫秒脈衝星，"
            "相關成果已於近日在線發表。專家表示，這對引力波探測具有重要意義。",
        ],
        start=3,
    ):
        assert index.add(i, sig(text)) == story, text


def test_empty_text_gets_its_own_story_and_is_not_indexed():
    index = StoryIndex()
    a = index.add(1, sig(""))
    b = index.add(2, sig("转发微博"))
    assert a != b
    assert len(index) == 0


def test_rebuild_from_records_gives_same_assignments():
    index = StoryIndex()
    texts = [A, B, "转发微博：" + A, B + "[赞]"]
    stories = [index.add(i, sig(t)) for i, t in enumerate(texts)]
    stored = list(index.records())
    assert [r[1] for r in stored] == stories
    rebuilt = StoryIndex.from_records(stored)
    assert len(rebuilt) == len(index)
    assert rebuilt.add(99, sig("转：" + B)) == stories[1]
    new = rebuilt.add(100, sig("一条与其他内容都无关的全新微博，讲的是植物园里的昆虫夜观活动。"))
    assert new not in stories  # the counter resumes after the stored ids


def test_custom_story_ids_and_prune():
    ids = iter(range(1000, 2000))
    index = StoryIndex(new_story_id=lambda: next(ids))
    assert index.add("a", sig(A)) == 1000
    assert index.add("b", sig(B)) == 1001
    index.prune(keep_last=1)
    assert len(index) == 1
    assert index.query(sig(A)) is None
    assert index.query(sig(B)).story_id == 1001


def test_pairwise_precision_recall():
    prf = posts_gen.pairwise_precision_recall
    assert prf([[1, 2, 3], [4]], [[1, 2, 3], [4]]) == (1.0, 1.0)
    p, r = prf([[1, 2], [3], [4]], [[1, 2, 3], [4]])
    assert p == 1.0 and abs(r - 1 / 3) < 1e-9
    p, r = prf({1: "x", 2: "x", 3: "x", 4: "x"}, {1: 0, 2: 0, 3: 1, 4: 1})
    assert abs(p - 2 / 6) < 1e-9 and r == 1.0


def fp(text):
    return fingerprint(clean_post(text).core)


def test_shingles_are_sorted_distinct_and_fold_rare_characters_consistently():
    ids = shingle_ids("科普科普科普科普")
    assert ids.tolist() == sorted(set(ids.tolist())) and len(ids) == 2  # 科普科普, 普科普科
    rare = "𠮷野家的牛肉饭在北京开了新店，排队的人很多。"
    assert np.array_equal(shingle_ids(rare), shingle_ids(rare))
    plain = rare.replace("𠮷", "吉")
    shared = jaccard(shingle_ids(rare), shingle_ids(plain))
    assert 0.7 < shared < 1.0  # only the shingles over the rare character differ
    assert jaccard(shingle_ids(A), shingle_ids(A)) == 1.0
    assert shingles_from_bytes(shingles_to_bytes(shingle_ids(A))).tolist() == list(shingle_ids(A))


def test_exact_jaccard_decides_over_the_estimate():
    index = StoryIndex()
    sig_a, sh_a = fp(A)
    first = index.add("a", sig_a, shingles=sh_a)
    # the same signature with a disjoint shingle set: LSH proposes it, the check refuses
    _, sh_b = fp(B)
    assert index.query(sig_a, shingles=sh_b) is None
    assert index.add("b", sig_a, shingles=sh_b) != first
    # a real copy passes both
    assert index.add("c", *fp("转发微博：" + A)[:1], shingles=fp("转发微博：" + A)[1]) == first
    # without shingles (posts stored before they were kept) the estimate decides
    assert index.query(sig_a).story_id == first
    rebuilt = StoryIndex.from_records(index.records())
    _, sh_other = fp("一条与其他内容都无关的全新微博，讲的是植物园里的昆虫夜观活动。")
    assert rebuilt.query(sig_a, shingles=sh_other) is None
    assert rebuilt.query(sig_a, shingles=sh_a).story_id == first


def test_generated_corpus_dedup_quality():
    posts = posts_gen.generate_posts(3000, seed=7)
    assert 0.25 < sum(p.kind != "original" for p in posts) / len(posts) < 0.35
    assert all(60 <= len(p.text) <= 200 for p in posts)
    index = StoryIndex()
    pred = {}
    for p in posts:
        signature_, shingles = fp(p.text)
        pred[p.id] = index.add(p.id, signature_, shingles=shingles)
    precision, recall = posts_gen.pairwise_precision_recall(pred, posts_gen.true_groups(posts))
    assert precision >= 0.95
    assert recall >= 0.95


def _batch_grouping(posts, size):
    """Story per post the way a worker groups a stream: per batch, matches in the index
    and within the batch, then the batch is indexed."""
    index = StoryIndex()
    story_of, next_story = {}, 0
    for start in range(0, len(posts), size):
        chunk = posts[start : start + size]
        batch = Batch.from_texts([clean_post(p.text).core for p in chunk])
        early, within = index.match(batch), match_within(batch)
        stories = []
        for pos, post in enumerate(chunk):
            best = (early[pos].similarity, early[pos].story_id) if early[pos] else None
            if pos in within and (best is None or within[pos][1] > best[0]):
                best = (within[pos][1], stories[within[pos][0]])
            if best is None:
                next_story += 1
                best = (1.0, next_story)
            stories.append(best[1])
            story_of[post.id] = best[1]
        index.insert(batch, [p.id for p in chunk], stories)
    return story_of


def test_batches_group_exactly_as_one_post_at_a_time():
    posts = posts_gen.generate_posts(1500, seed=11, max_lag=400)
    index = StoryIndex()
    one_by_one = {p.id: index.add(p.id, *fp(p.text)[:1], shingles=fp(p.text)[1]) for p in posts}
    for size in (1, 97, 500):
        batched = _batch_grouping(posts, size)
        assert posts_gen.pairwise_precision_recall(batched, one_by_one) == (1.0, 1.0), size


def test_batch_fingerprints_equal_single_ones():
    texts = [A, B, "", "科普", "𠮷野家的牛肉饭在北京开了新店，排队的人很多。", "转发微博：" + A]
    cores = [clean_post(t).core for t in texts] + ["", "abc", "abcd"]
    batch = Batch.from_texts(cores)
    for core, shingles, sig_ in zip(cores, batch.shingles, batch.sigs, strict=True):
        assert np.array_equal(shingles, shingle_ids(core))
        assert np.array_equal(sig_, signature(core))
    assert batch.keys[cores.index("")] is None  # empty text: never indexed


def test_capacity_keeps_the_newest_posts_and_frees_the_rest():
    posts = posts_gen.generate_posts(2500, seed=5, max_lag=50)
    index = StoryIndex(capacity=100)
    for start in range(0, len(posts), 50):
        chunk = posts[start : start + 50]
        batch = Batch.from_texts([clean_post(p.text).core for p in chunk])
        index.insert(batch, [p.id for p in chunk], [p.id for p in chunk])
        assert len(index) <= 100
    assert len(index) == 100
    # The LSH pairs of forgotten posts are dropped once they outnumber the live ones.
    assert 100 * BANDS <= index.lsh_entries() <= 2 * 100 * BANDS
    assert [r[0] for r in index.records()] == [p.id for p in posts[-100:]]
    old, new = posts[0], posts[-1]
    assert index.query(*fp(old.text)[:1], shingles=fp(old.text)[1]) is None
    assert index.query(*fp(new.text)[:1], shingles=fp(new.text)[1]).item_id == new.id
    # 2,500 rows went through arrays of 256: compacted, not grown.
    assert index._sigs.shape[0] == 256


def test_sorted_runs_find_what_a_dict_of_buckets_finds():
    """The LSH table against the obvious reference, through merges and forgetting: keys
    drawn from a small range repeat within and across batches."""
    rng = np.random.default_rng(7)
    table, reference = _SortedRuns(), {}
    row = first = 0
    for step in range(120):
        size = int(rng.integers(1, 400))
        keys = rng.integers(0, 3000, size=size).astype(np.uint64)
        rows = np.arange(row, row + size, dtype=np.int64)
        row += size
        if step % 10 == 9:
            first = row - 2000  # forget all but the newest 2,000 rows
        table.add(keys, rows, first)
        for key, r in zip(keys.tolist(), rows.tolist(), strict=True):
            reference.setdefault(key, []).append(r)
        if step % 25 == 24:
            table.drop_rows_below(first)
            assert table.size == sum(k.size for k in table.keys)
        queries = rng.integers(0, 3500, size=300).astype(np.uint64)
        at, found = table.lookup(queries)
        live = found >= first
        got = sorted(zip(at[live].tolist(), found[live].tolist(), strict=True))
        want = sorted(
            (k, r)
            for k, q in enumerate(queries.tolist())
            for r in reference.get(q, [])
            if r >= first
        )
        assert got == want, step
    assert len(table.keys) < 12  # merged, not one run per batch
