"""Synthetic Chinese science posts with known duplicate groups, for benchmarks.

Real monitoring data cannot be shipped (it is other people's posts), so benchmarks use
posts assembled from templates: an event sentence, a detail sentence and a reaction,
filled from pools of institutes, topics, places, people and numbers, ~100–140
characters each. A known fraction are copies of earlier posts, made the ways copies
happen on Weibo-like platforms: ``转发微博：`` prefixes, ``评论//@作者:原文`` repost
chains, small edits (dropped or changed characters, swapped punctuation, appended
hashtags, links and emoticons), traditional-script re-posts, truncation with "…全文",
and a replaced reaction sentence. Every post carries its ground-truth group, so
:func:`pairwise_precision_recall` can score any grouping.

Run ``python bench/_posts_gen.py --n 20000`` for the pipeline benchmark (throughput
against ``jieba.lcut`` and duplicate precision/recall of ``StoryIndex``).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

# fmt: off
INSTITUTES = [
    "中科院物理所", "中国科学院物理研究所", "国家天文台", "紫金山天文台", "中国科学技术大学",
    "清华大学", "北京大学", "复旦大学", "浙江大学", "南京大学", "中科院动物所",
    "中科院植物所", "中国地震局", "国家气象中心", "中国疾控中心", "中国农科院",
    "中科院大气所", "中科院化学所", "中科院数学所", "中科院计算所", "中科院半导体所",
    "上海光机所", "中国航天科技集团", "中国空间技术研究院", "国家海洋局", "中科院海洋所",
    "中科院地质所", "中科院昆明动物所", "西湖大学", "武汉病毒所", "中科院上海药物所",
    "合肥物质科学研究院", "中国极地研究中心", "中科院遥感所", "中国科学院大学",
    "北京天文馆", "上海科技馆", "中国科技馆", "广东科学中心", "国家植物园",
]
TOPICS = [
    ("高温超导材料", "physics"), ("量子纠缠光源", "physics"), ("拓扑绝缘体", "physics"),
    ("引力波信号", "astronomy"), ("快速射电暴", "astronomy"), ("系外行星大气", "astronomy"),
    ("超新星遗迹", "astronomy"), ("脉冲星计时阵", "astronomy"), ("月球背面样品", "aerospace"),
    ("火星巡视器数据", "aerospace"), ("空间站生命实验", "aerospace"), ("可重复使用火箭", "aerospace"),
    ("新冠变异株监测", "health"), ("阿尔茨海默病早筛", "health"), ("肠道菌群", "health"),
    ("基因编辑水稻", "agri"), ("耐盐碱大豆", "agri"), ("杂交小麦新品种", "agri"),
    ("钙钛矿太阳能电池", "energy"), ("固态锂电池", "energy"), ("全超导托卡马克", "energy"),
    ("海上风电", "energy"), ("大模型推理芯片", "it"), ("光量子计算机", "it"),
    ("类脑计算芯片", "it"), ("地震预警系统", "disaster"), ("台风路径预报", "disaster"),
    ("山洪灾害监测", "disaster"), ("青藏高原冰川", "earth"), ("长江江豚种群", "earth"),
    ("珊瑚礁白化", "earth"), ("大熊猫栖息地", "earth"), ("二维半导体材料", "materials"),
    ("石墨烯薄膜", "materials"), ("高熵合金", "materials"), ("人工合成淀粉", "chemistry"),
    ("二氧化碳制糖", "chemistry"), ("单原子催化剂", "chemistry"), ("黎曼猜想相关证明", "math"),
    ("球面堆积问题", "math"), ("恐龙足迹化石", "paleo"), ("古人类头骨", "paleo"),
]
PLACES = [
    "北京", "上海", "合肥", "南京", "杭州", "武汉", "成都", "西安", "广州", "深圳", "昆明",
    "兰州", "拉萨", "青岛", "厦门", "长沙", "哈尔滨", "乌鲁木齐", "贵州平塘", "海南文昌",
    "酒泉", "西昌", "三亚", "大连", "天津", "重庆", "郑州", "济南", "福州", "南宁",
]
JOURNALS = ["《自然》", "《科学》", "《细胞》", "《物理评论快报》", "《自然·天文》", "《美国化学会志》"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建红晓峰志军宇浩然子涵欣怡思远佳琪博文雨泽一鸣嘉懿梓轩俊杰"
USERS = [
    "科普中国", "中科院之声", "果壳", "科学松鼠会", "天文君", "物理所小编", "气象科普君",
    "地震速报", "航天爱好者", "星空观测者", "辟谣联盟", "健康科普号", "农科小站",
    "科学网", "新华科技", "央视科教", "知识分子", "赛先生", "环球科学", "中国气象爱好者",
]
HASHTAGS = [
    "科学新发现", "辟谣", "科普日", "航天日", "天文观测", "防灾减灾日", "科技周", "科学之夜",
    "世界气象日", "全国科普日", "前沿科技", "中国科学家", "科学辟谣", "身边的科学",
]
EMOTICONS = ["[赞]", "[good]", "[鼓掌]", "[哈哈]", "[吃惊]", "[doge]", "[心]", "[思考]", "[泪]"]

EVENT_TEMPLATES = [
    "{date}，{inst}{person}团队在{journal}发表论文，报道了{topic}方面的最新进展。",
    "{inst}今天发布消息：{topic}研究取得重要突破，相关成果已于{date}在线发表。",
    "据{place}媒体报道，{inst}联合多家单位完成了{topic}的关键实验，历时{years}年。",
    "{date}上午，{inst}举办{topic}专题发布会，{person}研究员介绍了研究背景。",
    "{inst}的科研人员在{place}开展{topic}野外观测，累计获取数据{num}余组。",
    "网传“{topic}已经可以大规模应用”，{inst}专家{person}回应称目前仍处于实验阶段。",
    "{place}科技馆本周推出{topic}主题展，由{inst}提供展品和讲解，预约人数已超{num}人。",
    "{inst}发布{topic}年度报告，报告显示过去{years}年相关指标提升了{pct}%。",
    "关于{topic}的谣言最近在朋友圈流传，{inst}{person}在直播中逐条做了辟谣。",
    "{person}院士在{place}的科普讲座上谈到{topic}，现场{num}多名中学生参加。",
    "{date}晚，{inst}与{place}电视台合作的{topic}科普节目首播，收视反响热烈。",
    "{inst}研究团队利用新方法研究{topic}，将测量精度提高了约{pct}%。",
]
DETAIL_TEMPLATES = [
    "研究人员介绍，这项工作共使用了{num}个样本，比以往研究多出{pct}%。",
    "论文第一作者{person}表示，团队在{place}的实验平台上反复验证了{years}年。",
    "据悉，下一步将在{place}建设中试装置，预计{years}年内完成。",
    "专家提醒，相关说法需以正式发表的数据为准，不要轻信网络传言。",
    "该项目得到了国家重点研发计划支持，总经费约{num}万元。",
    "{person}博士说，最难的是在极端条件下保持设备稳定运行。",
    "现场还设置了互动体验区，观众可以亲手操作{num}台仪器。",
    "记者了解到，{place}的中小学生也将通过网络同步参加这一活动。",
    "数据显示，相关指标在过去{years}年里平均每年变化{pct}%。",
    "团队成员平均年龄只有{age}岁，其中不少是在读研究生。",
    "合作单位还包括{inst}，双方将共享观测数据和样品。",
    "这一结果与{years}年前的理论预测基本一致，误差小于{pct}%。",
    "{person}告诉记者，{topic}的难点在于样品制备，团队为此改进了{num}次工艺。",
    "活动持续到{date}，{place}市民可凭身份证免费入场，每天限流{num}人。",
    "{inst}相关负责人称，{topic}领域我国与国际先进水平的差距正在缩小。",
    "评审专家认为，这项研究为{topic}提供了新的思路，但样本量仍偏小。",
    "{place}气象台提醒，{date}夜间有{pct}毫米以上降水，请注意出行安全。",
    "直播在线观看人数一度超过{num}万，弹幕里提问最多的是{topic}会不会影响日常生活。",
    "第一批{num}份样品已送往{place}的实验室，{person}负责后续的成分分析。",
    "{person}在接受采访时坦言，{years}年里团队经历过多次失败，差点放弃。",
]
REACTIONS = [
    "太厉害了，为科研人员点赞！", "期待早日走进普通人的生活。", "看完涨知识了，转给家里人看看。",
    "希望更多年轻人关注基础研究。", "这才是值得追的星！", "有没有懂行的来解释一下原理？",
    "说实话没太看懂，但感觉很重要。", "科普就应该这样讲，清楚又有趣。", "又是被国产科技圈粉的一天。",
    "别再相信那些伪科学了。", "什么时候能在{place}也办一场？", "孩子看完说长大也要当科学家。",
    "数据很扎实，结论也很谨慎。", "标题有点夸张，实际还要很多年。", "默默收藏，周末慢慢看。",
    "想去现场看看，不知道还有没有名额。", "十年磨一剑，致敬！", "这个进展对{place}意义很大。",
    "辟谣及时，谣言止于智者。", "原来如此，以前一直理解错了。",
    "{place}的朋友们有去现场的吗？", "第一次知道{place}还有这样的研究团队。",
    "收藏了，等孩子放假带他去{place}看看。", "希望{place}也能多办这样的活动。",
    "我们老师上课刚讲过这个，太巧了。", "这种新闻应该上热搜，而不是明星八卦。",
    "求问有没有论文链接？", "评论区有没有做这个方向的研究生？", "已经转给爸妈群了，别再信谣言。",
    "看得我热血沸腾，科研人真了不起。", "看到{person}老师的名字，想起大学时上过他的课。",
]
# fmt: on
DATES = ["昨天", "今天", "近日", "日前", "本周一", "本周三", "上周五", "{m}月{d}日", "{m}月{d}日"]


@dataclass(frozen=True, slots=True)
class GenPost:
    id: int
    text: str
    group: int  # ground-truth story: the id of the original post
    kind: str  # "original" or the kind of copy
    author: str


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def _fill(template: str, rng: random.Random, ctx: dict[str, str]) -> str:
    values = {
        "inst": ctx.get("inst") or rng.choice(INSTITUTES),
        "topic": ctx["topic"],
        "place": ctx.get("place") or rng.choice(PLACES),
        "journal": rng.choice(JOURNALS),
        "person": _person(rng),
        "num": str(rng.choice([rng.randint(12, 99), rng.randint(100, 9999)])),
        "pct": str(rng.randint(3, 95)),
        "years": str(rng.randint(2, 15)),
        "age": str(rng.randint(24, 36)),
        "date": rng.choice(DATES).format(m=rng.randint(1, 12), d=rng.randint(1, 28)),
    }
    return template.format(**values)


def _original(rng: random.Random) -> str:
    topic, _ = rng.choice(TOPICS)
    ctx = {"topic": topic, "inst": rng.choice(INSTITUTES), "place": rng.choice(PLACES)}
    for _ in range(20):
        parts = [_fill(rng.choice(EVENT_TEMPLATES), rng, ctx)]
        details = rng.sample(DETAIL_TEMPLATES, 3)
        parts.append(_fill(details[0], rng, ctx))
        parts.append(_fill(rng.choice(REACTIONS), rng, ctx))
        text = "".join(parts)
        i = 1
        while len(text) < 100 and i < 3:
            parts.insert(-1, _fill(details[i], rng, ctx))
            text = "".join(parts)
            i += 1
        if rng.random() < 0.3:
            text += f"#{rng.choice(HASHTAGS)}#"
        if rng.random() < 0.15:
            text += f"@{rng.choice(USERS)} "
        if 95 <= len(text) <= 145:
            return text
    return text[:140]


_PUNCT_SWAPS = {
    "，": [",", " ", "、"],
    "。": [".", "！", " "],
    "：": [":", "，"],
    "！": ["!", "。"],
}


def _edit(text: str, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 3)):  # drop or change a few characters
        i = rng.randrange(len(chars))
        if rng.random() < 0.5:
            del chars[i]
        else:
            chars[i] = rng.choice("的了是在有和也就都")
    for i, ch in enumerate(chars):
        if ch in _PUNCT_SWAPS and rng.random() < 0.3:
            chars[i] = rng.choice(_PUNCT_SWAPS[ch])
    out = "".join(chars)
    extra = rng.random()
    if extra < 0.3:
        out += f" #{rng.choice(HASHTAGS)}#"
    elif extra < 0.55:
        out += f" http://t.cn/{rng.randrange(16**6):06x}"
    elif extra < 0.8:
        out += rng.choice(EMOTICONS)
    return out


_s2t = None


def _traditional(text: str) -> str:
    global _s2t
    if _s2t is None:
        import opencc

        _s2t = opencc.OpenCC("s2t")
    out = _s2t.convert(text)
    # Hong Kong/Taiwan reposts often also use full-width digits.
    return out.translate(str.maketrans("0123456789", "０１２３４５６７８９"))


def _reword(text: str, rng: random.Random) -> str:
    """Replace the last sentence (the reaction) with another one."""
    cut = max(text.rfind("。", 0, len(text) - 2), text.rfind("，", 0, len(text) - 2))
    if cut < len(text) * 0.6:
        return _edit(text, rng)
    return text[: cut + 1] + _fill(rng.choice(REACTIONS), rng, {"topic": ""})


COPY_KINDS = ("repost_prefix", "repost_chain", "edit", "traditional", "truncated", "reword")


def _copy(text: str, author: str, rng: random.Random) -> tuple[str, str]:
    kind = rng.choice(COPY_KINDS)
    if kind == "repost_prefix":
        prefix = rng.choice(["转发微博：", "转发：", "转：", "【转】", "RT @" + author + ": "])
        if prefix == "【转】":
            return prefix + text, kind
        return prefix + text, kind
    if kind == "repost_chain":
        comment = _fill(rng.choice(REACTIONS), rng, {"topic": ""})
        if rng.random() < 0.3:
            comment = rng.choice(["转发微博", "mark", "[赞]", "哈哈哈"])
        return f"{comment}//@{author}:{text}", kind
    if kind == "edit":
        return _edit(text, rng), kind
    if kind == "traditional":
        return _traditional(text), kind
    if kind == "truncated":
        keep = int(len(text) * rng.uniform(0.7, 0.9))
        return text[:keep] + "...全文", kind
    return _reword(text, rng), kind


def generate_posts(
    n: int, *, dup_fraction: float = 0.3, seed: int = 0, max_lag: int | None = None
) -> list[GenPost]:
    """``n`` posts; about ``dup_fraction`` of them copy an earlier post (an original or
    another copy, favouring recent ones, as reposting does).

    ``max_lag`` bounds how far back a copy reaches (in posts): a stream's stories go
    quiet, and a monitoring index only remembers a recent window. ``None`` lets a copy
    reach back to the first post (the default, as before)."""
    rng = random.Random(seed)
    posts: list[GenPost] = []
    for i in range(n):
        if posts and rng.random() < dup_fraction:
            # Recent posts are reposted more: pick from the last 2,000 most of the time.
            oldest = 0 if max_lag is None else max(0, len(posts) - max_lag)
            lo = max(oldest, len(posts) - 2000) if rng.random() < 0.8 else oldest
            src = posts[rng.randrange(lo, len(posts))]
            if (
                src.kind in ("repost_chain", "truncated", "reword") or rng.random() < 0.6
            ) and src.group >= oldest:
                src = posts[src.group]  # copy the original itself
            text, kind = _copy(src.text, src.author, rng)
            posts.append(GenPost(i, text, src.group, kind, rng.choice(USERS) + str(i % 97)))
        else:
            author = rng.choice(USERS) if rng.random() < 0.3 else _person(rng) + str(i % 1000)
            posts.append(GenPost(i, _original(rng), i, "original", author))
    return posts


def true_groups(posts: Iterable[GenPost]) -> list[list[int]]:
    groups: dict[int, list[int]] = {}
    for p in posts:
        groups.setdefault(p.group, []).append(p.id)
    return list(groups.values())


def _labels(groups: Iterable[Iterable[Hashable]] | Mapping[Hashable, Hashable]) -> dict:
    if isinstance(groups, Mapping):
        return dict(groups)
    out: dict[Hashable, int] = {}
    for gid, members in enumerate(groups):
        for item in members:
            out[item] = gid
    return out


def _pairs(counts: Iterable[int]) -> int:
    return sum(c * (c - 1) // 2 for c in counts)


def pairwise_precision_recall(
    pred_groups: Iterable[Iterable[Hashable]] | Mapping[Hashable, Hashable],
    true_groups: Iterable[Iterable[Hashable]] | Mapping[Hashable, Hashable],
) -> tuple[float, float]:
    """Pairwise duplicate precision and recall of a grouping.

    Both arguments are either lists of groups (lists of item ids) or mappings item id →
    group label; items missing from one side are singletons there. A pair of items is
    "predicted duplicate" when they share a predicted group; precision = correct pairs /
    predicted pairs, recall = correct pairs / true pairs (1.0 when there are none).
    """
    pred = _labels(pred_groups)
    true = _labels(true_groups)
    pred_pairs = _pairs(Counter(pred.values()).values())
    true_pairs = _pairs(Counter(true.values()).values())
    both = Counter((pred[item], true[item]) for item in pred.keys() & true.keys())
    correct = _pairs(both.values())
    precision = correct / pred_pairs if pred_pairs else 1.0
    recall = correct / true_pairs if true_pairs else 1.0
    return precision, recall


def _bench(n: int, seed: int) -> None:  # pragma: no cover - a manual benchmark
    import time

    import jieba

    from kepu.monitoring.pipeline.dedup import StoryIndex
    from kepu.monitoring.pipeline.mentions import WatchlistMatcher
    from kepu.monitoring.pipeline.process import process_post

    posts = generate_posts(n, seed=seed)
    texts = [p.text for p in posts]
    print(
        f"{n} posts, mean length {sum(map(len, texts)) / n:.0f} chars, "
        f"{sum(p.kind != 'original' for p in posts)} copies"
    )
    matcher = WatchlistMatcher(
        [{"key": f"unit:{i}", "names": [name]} for i, name in enumerate(INSTITUTES)]
    )
    process_post(texts[0], watchlist_matcher=matcher)  # warm caches
    jieba.lcut(texts[0])

    # Alternate chunks of both so that load from other processes on the machine hits
    # both measurements alike.
    processed = []
    t_proc = t_jieba = 0.0
    for lo in range(0, n, 1000):
        chunk = texts[lo : lo + 1000]
        t0 = time.perf_counter()
        processed.extend(process_post(t, watchlist_matcher=matcher) for t in chunk)
        t1 = time.perf_counter()
        for t in chunk:
            jieba.lcut(t)
        t2 = time.perf_counter()
        t_proc += t1 - t0
        t_jieba += t2 - t1

    index = StoryIndex()
    t0 = time.perf_counter()
    story = {p.id: index.add(p.id, pp.signature) for p, pp in zip(posts, processed, strict=True)}
    t_index = time.perf_counter() - t0
    precision, recall = pairwise_precision_recall(story, {p.id: p.group for p in posts})

    print(f"process_post: {n / t_proc:,.0f} posts/s ({t_proc / n * 1e6:.0f} µs/post)")
    print(f"jieba.lcut:   {n / t_jieba:,.0f} posts/s ({t_jieba / n * 1e6:.0f} µs/post)")
    print(
        f"StoryIndex.add: {n / t_index:,.0f} posts/s; stories {len(set(story.values()))}, "
        f"true groups {len({p.group for p in posts})}"
    )
    print(f"duplicate pairs: precision {precision:.4f} recall {recall:.4f}")
    by_kind: dict[str, list[int]] = {}
    for p in posts:
        if p.kind != "original":
            by_kind.setdefault(p.kind, []).append(int(story[p.id] == story[p.group]))
    for kind, hits in sorted(by_kind.items()):
        print(f"  {kind:14} joined original's story: {sum(hits) / len(hits):.3f} ({len(hits)})")


if __name__ == "__main__":  # pragma: no cover
    import argparse
    import logging
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import jieba

    jieba.setLogLevel(logging.WARNING)
    parser = argparse.ArgumentParser(description="monitoring pipeline benchmark")
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    _bench(args.n, args.seed)
