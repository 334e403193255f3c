"""process_post end to end."""

import numpy as np
import opencc

from kepu.monitoring.pipeline.dedup import StoryIndex
from kepu.monitoring.pipeline.mentions import WatchlistMatcher
from kepu.monitoring.pipeline.process import process_post, process_posts

MATCHER = WatchlistMatcher([{"key": "unit:IOP", "names": ["物理研究所", "物理所", "中科院物理所"]}])
POST = (
    "<p>中科院物理所团队在高温超导材料研究中取得重大突破，临界温度大幅提升！"
    "专家表示这项成果意义重大。#科学新发现# @科普中国 http://t.cn/AbC</p>"
)


def test_process_post_fields():
    p = process_post(POST, watchlist_matcher=MATCHER)
    assert p.language == "zh-Hans"
    assert "<p>" not in p.text
    assert p.urls == ["http://t.cn/AbC"]
    assert p.at_mentions == ["科普中国"]
    assert p.hashtags == ["科学新发现"]
    assert p.mention_keys == ["unit:IOP"]
    assert p.mentions[0].name == "中科院物理所"
    assert p.sentiment_label == "positive"
    assert p.domain == "physics"
    assert "超导" in {w for w, _ in p.keywords} or "高温超导" in {w for w, _ in p.keywords}
    assert "http" not in p.tokens
    assert len(p.signature_bytes) == 512
    assert not p.truncated and not p.is_repost


def test_process_post_bytes_and_repost_join_story():
    original = process_post(POST)
    trad = opencc.OpenCC("s2t").convert("转发微博：" + POST)
    repost = process_post(trad.encode("big5"))
    assert repost.encoding == "big5"
    assert repost.is_repost
    index = StoryIndex()
    assert index.add(1, original.signature) == index.add(2, repost.signature)


def test_process_post_without_matcher_and_enormous():
    p = process_post("天文" * 50_000)
    assert p.truncated
    assert p.mentions == []
    assert len(p.text) == 20_000
    assert isinstance(p.signature, np.ndarray)


def test_process_posts_batch():
    out = list(process_posts(["今天天气很好", "", "转发微博"]))
    assert [p.sentiment_label for p in out] == ["positive", "neutral", "neutral"]
    assert out[1].tokens == [] and out[1].keywords == []
