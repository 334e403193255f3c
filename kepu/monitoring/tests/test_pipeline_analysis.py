"""Mentions, sentiment, domain, keywords and burst detection."""

import pytest

from kepu.core.text import normalize
from kepu.monitoring.pipeline.burst import bucketize, detect_burst, rank_bursts, window_sums
from kepu.monitoring.pipeline.domain import DOMAINS, classify_domain, taxonomy
from kepu.monitoring.pipeline.keywords import extract_keywords
from kepu.monitoring.pipeline.mentions import WatchlistMatcher
from kepu.monitoring.pipeline.sentiment import evaluate, load_eval, score_text
from kepu.monitoring.pipeline.tokens import cut

WATCHLIST = [
    {"key": "unit:IOP", "names": ["物理研究所", "物理所", "中科院物理所", "中國科學院物理研究所"]},
    {"key": "unit:NAOC", "names": ["国家天文台", "NAOC"]},
    {"key": "unit:CAS", "names": ["中国科学院", "中科院", "ＣＡＳ"]},
]


@pytest.fixture(scope="module")
def matcher():
    return WatchlistMatcher(WATCHLIST)


# --- mentions -------------------------------------------------------------------------


def test_mentions_prefer_longest_match(matcher):
    text = normalize("中科院物理所和物理所的同事，还有中国科学院物理研究所")
    found = matcher.find(text)
    assert [(m.key, m.name) for m in found] == [
        ("unit:IOP", "中科院物理所"),
        ("unit:IOP", "物理所"),
        ("unit:IOP", "中国科学院物理研究所"),
    ]
    for m in found:
        assert text[m.start : m.end] == m.name


def test_mentions_alias_and_other_entities(matcher):
    text = normalize("国家天文台与中科院合作")
    assert matcher.keys(text) == ["unit:NAOC", "unit:CAS"]


def test_mentions_traditional_and_full_width(matcher):
    text = normalize("中國科學院物理研究所與ＮＡＯＣ合作，CAS 发布")
    assert matcher.keys(text) == ["unit:IOP", "unit:NAOC", "unit:CAS"]


def test_mentions_latin_names_need_word_boundaries(matcher):
    assert matcher.keys(normalize("naocs and xcas")) == []
    assert matcher.keys(normalize("about naoc, cas.")) == ["unit:NAOC", "unit:CAS"]


def test_empty_watchlist():
    assert WatchlistMatcher([]).find("中科院") == []


# --- sentiment ------------------------------------------------------------------------


def test_sentiment_basic_polarity():
    assert score_text("这个科普视频太棒了，讲得清楚").label == "positive"
    assert score_text("纯属骗局，误导了很多人").label == "negative"
    assert score_text("讲座将于周五下午三点在报告厅举行").label == "neutral"


def test_negation_flips_polarity():
    pos = score_text("这次展览很好")
    neg = score_text("这次展览不好")
    assert pos.score > 0 > neg.score
    assert score_text("讲解并不专业").label == "negative"
    assert score_text("没有误导任何人").score > 0  # negated negative: mildly positive
    assert score_text("这个实验不是骗局").score > score_text("这个实验是骗局").score


def test_negation_stops_at_clause_boundary():
    # 没有 negates 干货-less clause only; 浪费时间 after the comma stays negative.
    s = score_text("一点干货都没有，浪费时间")
    assert s.label == "negative"


def test_degree_adverbs_scale():
    base = score_text("讲解清楚").score
    strong = score_text("讲解非常清楚").score
    weak = score_text("讲解有点清楚").score
    assert strong > base > weak > 0
    assert score_text("这个说法极其荒谬").score < score_text("这个说法有点荒谬").score < 0


def test_contrast_clause_weighs_more():
    assert score_text("展品很丰富，但是讲解太差了").label == "negative"


def test_sentiment_score_range():
    s = score_text("太棒了太棒了太棒了，非常精彩非常感动，强烈推荐，了不起！")
    assert 0 < s.score <= 1
    s = score_text("骗子骗局谣言造假恶心无耻可恨")
    assert -1 <= s.score < 0


def test_eval_set_is_large_balanced_and_scored():
    rows = load_eval()
    assert len(rows) >= 300
    labels = {label for label, _ in rows}
    assert labels == {"positive", "neutral", "negative"}
    dev, test = load_eval("dev"), load_eval("test")
    assert len(dev) + len(test) == len(rows)
    metrics = evaluate(test)
    assert metrics["accuracy"] > 0.6  # a floor against regressions, not a target


# --- domain ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("今晚英仙座流星雨迎来极大，天文爱好者可用肉眼观测", "astronomy"),
        ("神舟十八号载人飞船发射成功，航天员顺利进驻空间站", "aerospace"),
        ("流感疫苗接种后出现低热属于常见反应", "life-health"),
        ("台风明天登陆，请做好防汛和避险准备", "disaster-prevention"),
        ("新一代杂交水稻亩产再创新高，农民丰收", "agriculture"),
        ("全超导托卡马克核聚变装置创造新纪录", "energy"),
        ("大模型和人工智能芯片成为热门话题", "information-technology"),
        ("石墨烯纳米材料在柔性屏上的应用", "materials"),
        ("数学家在黎曼猜想的证明上取得进展", "mathematics"),
        ("單原子催化劑讓化學反應效率大幅提升", "chemistry"),
        ("量子纠缠与超导现象的物理学原理", "physics"),
        ("冰川消融和全球变暖加剧", "earth-environment"),
    ],
)
def test_domain_classification(text, slug):
    result = classify_domain(normalize(text))
    assert result.slug == slug, result
    assert result.name == DOMAINS[slug]["name"]
    assert 0 < result.confidence <= 1


def test_domain_none_and_taxonomy():
    assert classify_domain("今天中午吃什么").slug is None
    tax = taxonomy()
    assert len(tax) >= 12
    assert ("astronomy", "天文", "Astronomy") in tax
    assert len({slug for slug, _, _ in tax}) == len(tax)


# --- keywords -------------------------------------------------------------------------


def test_keywords_skip_stopwords_and_rank_content_words():
    text = normalize(
        "我们的研究团队在超导材料方面取得了进展，超导材料的临界温度提高了，这是一个好消息"
    )
    words, _ = cut(text)
    kws = extract_keywords(words, top_k=5)
    top = [w for w, _ in kws]
    assert "超导" in top or "超导材料" in top
    assert not {"我们", "的", "了", "这是"} & set(top)
    assert abs(sum(s for _, s in extract_keywords(words, top_k=100)) - 1.0) < 0.01
    assert extract_keywords([]) == []


# --- burst ----------------------------------------------------------------------------


def test_burst_on_synthetic_spike():
    quiet = [2, 3, 1, 2, 3, 2, 2, 1, 3, 2, 2, 3]
    spike = detect_burst([*quiet, 25], key="天问一号")
    assert spike.is_burst and spike.z > 5
    flat = detect_burst([*quiet, 3], key="日常")
    assert not flat.is_burst


def test_burst_min_count_and_zero_history():
    assert not detect_burst([0, 0, 0, 0, 3], min_count=5).is_burst  # 3 posts: never a burst
    assert detect_burst([0, 0, 0, 0, 8], min_count=5).is_burst  # std floor avoids z=inf
    assert detect_burst([9], min_count=5).is_burst  # brand-new topic
    assert not detect_burst([]).is_burst


def test_burst_relative_to_own_history():
    # 60 posts/hour is normal for a big topic, and 12 is a spike for a small one.
    ranked = rank_bursts(
        {
            "疫苗": [55, 62, 58, 61, 60, 57, 63, 59, 60],
            "某研究所": [0, 1, 0, 0, 1, 0, 0, 1, 12],
            "火箭": [1, 2, 1, 2, 1, 2, 1, 2, 30],
        }
    )
    assert [b.key for b in ranked] == ["火箭", "某研究所"]
    assert ranked[0].strength > ranked[1].strength


def test_windows_and_buckets():
    assert window_sums([1, 2, 3, 4, 5], 2) == [5, 9]  # aligned to the end
    assert bucketize([0, 59, 60, 61, 250], start=0, bucket_seconds=60, buckets=4) == [2, 2, 0, 0]
    assert detect_burst([1, 1, 1, 1, 1, 1, 10, 10], window=2).count == 20
