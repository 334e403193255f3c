"""Classify a post into one top-level science domain by keyword hits.

A keyword map, not a model: editors can read and extend it, it needs no training data,
and a monitoring dashboard only needs a coarse bucket (天文 vs 生命健康). ``DOMAINS`` is
also the seed for the site's taxonomy: slug → Chinese name, English name, keywords.

Keywords are matched with the same Aho-Corasick automaton as the watch list over the
normalized text (not over tokens), so multi-word terms (碳达峰, 引力波) count even when
the segmenter splits them, and the longest keyword wins (人工智能 over 智能).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .mentions import WatchlistMatcher

# fmt: off
DOMAINS: dict[str, dict[str, object]] = {
    "astronomy": {
        "name": "天文",
        "name_en": "Astronomy",
        "keywords": [
            "天文", "天文台", "天文馆", "望远镜", "天眼", "fast", "星系", "银河", "银河系",
            "恒星", "行星", "卫星环", "土星", "木星", "火星", "金星", "水星", "天王星",
            "海王星", "冥王星", "彗星", "小行星", "流星", "流星雨", "陨石", "黑洞", "脉冲星",
            "中子星", "超新星", "星云", "宇宙", "暗物质", "暗能量", "引力波", "日食", "月食",
            "月全食", "日全食", "极光", "星空", "天象", "星座", "太阳系", "系外行星", "光年",
            "红移", "射电", "天体", "观星", "银河系", "太阳黑子", "太阳风暴",
        ],
    },
    "aerospace": {
        "name": "航空航天",
        "name_en": "Aeronautics and astronautics",
        "keywords": [
            "航天", "航天员", "宇航员", "空间站", "天宫", "神舟", "天舟", "嫦娥", "天问",
            "祝融", "玉兔", "火箭", "长征五号", "长征", "发射", "运载火箭", "卫星", "北斗",
            "探测器", "登月", "月球车", "火星车", "月背", "载人", "飞船", "航天局",
            "大飞机", "c919", "飞机", "航空", "无人机", "太空", "在轨", "返回舱", "出舱",
            "舱外", "着陆", "天宫课堂", "航天员", "空天", "风云", "遥感",
        ],
    },
    "life-health": {
        "name": "生命健康",
        "name_en": "Life sciences and health",
        "keywords": [
            "健康", "医生", "医院", "疾病", "病毒", "细菌", "疫苗", "接种", "流感", "新冠",
            "疫情", "癌症", "肿瘤", "抗癌", "基因", "基因编辑", "dna", "蛋白质", "细胞",
            "干细胞", "免疫", "抗体", "药物", "新药", "临床", "临床试验", "中医", "中医药",
            "养生", "保健品", "营养", "饮食", "减肥", "睡眠", "心血管", "糖尿病", "高血压",
            "血管", "大脑", "神经", "心理健康", "抑郁", "疾控", "传染病", "食品安全",
            "致癌", "青蒿素", "生物", "物种", "进化", "恐龙", "化石", "古生物", "大熊猫",
            "野生动物", "生物多样性", "鲸", "候鸟", "昆虫", "微生物", "体质", "血液",
            "味精", "谷氨酸钠",
        ],
    },
    "earth-environment": {
        "name": "地球环境",
        "name_en": "Earth and environment",
        "keywords": [
            "环境", "环保", "污染", "空气质量", "雾霾", "pm2.5", "水质", "河流", "湖泊",
            "海洋", "海水", "冰川", "极地", "南极", "北极", "气候", "气候变化", "全球变暖",
            "碳排放", "碳达峰", "碳中和", "减排", "温室气体", "生态", "森林", "湿地",
            "沙漠", "荒漠化", "沙尘暴", "垃圾分类", "塑料", "光污染", "噪声", "地质",
            "岩石", "矿物", "地球", "火山", "稀土", "开采", "外来物种", "排污", "核污染水",
            "气象", "天气", "高温", "寒潮", "降雨", "降水",
        ],
    },
    "energy": {
        "name": "能源",
        "name_en": "Energy",
        "keywords": [
            "能源", "新能源", "电力", "电网", "发电", "光伏", "太阳能", "风电", "风能",
            "水电", "核电", "核电站", "核聚变", "人造太阳", "聚变", "裂变", "氢能", "氢气",
            "储能", "电池", "锂电池", "充电桩", "充电", "新能源汽车", "电动车", "电动汽车",
            "石油", "天然气", "煤炭", "可再生能源", "节能", "续航", "特高压", "托卡马克",
            "聚变堆",
        ],
    },
    "information-technology": {
        "name": "信息技术",
        "name_en": "Information technology",
        "keywords": [
            "人工智能", "ai", "大模型", "算法", "机器学习", "深度学习", "芯片", "半导体",
            "集成电路", "计算机", "超算", "超级计算机", "量子计算", "互联网", "5g", "6g",
            "通信", "网络", "网速", "光纤", "数据", "大数据", "云计算", "软件", "编程",
            "机器人", "自动驾驶", "区块链", "信息安全", "网络安全", "个人信息", "app",
            "手机", "换脸", "深度伪造", "chatgpt", "智能",
        ],
    },
    "disaster-prevention": {
        "name": "防灾减灾",
        "name_en": "Disaster prevention and mitigation",
        "keywords": [
            "防灾", "减灾", "地震", "地震预警", "余震", "震级", "台风", "暴雨", "洪水",
            "洪涝", "山洪", "泥石流", "滑坡", "内涝", "汛期", "防汛", "干旱", "火灾",
            "消防", "逃生", "应急", "避险", "预警", "演练", "救援", "海啸", "雷电",
            "冰雹", "灾害", "灾情", "疏散", "烟雾报警器",
        ],
    },
    "agriculture": {
        "name": "农业",
        "name_en": "Agriculture",
        "keywords": [
            "农业", "农民", "农田", "耕地", "粮食", "水稻", "杂交水稻", "海水稻", "小麦",
            "玉米", "大豆", "种子", "育种", "太空育种", "种植", "养殖", "畜牧", "化肥",
            "农药", "转基因", "农科院", "丰收", "产量", "盐碱地", "病虫害", "蔬菜", "果树",
            "夏粮", "秋粮", "农产品", "土壤", "灌溉", "智慧农业",
        ],
    },
    "physics": {
        "name": "物理",
        "name_en": "Physics",
        "keywords": [
            "物理", "物理学", "量子", "量子力学", "量子纠缠", "量子通信", "粒子", "对撞机",
            "超导", "高温超导", "凝聚态", "激光", "光子", "电子", "原子", "中微子", "相对论",
            "引力", "磁场", "电磁", "半导体物理", "热力学", "声学", "光学", "核物理",
            "物理所", "诺贝尔物理学奖", "弦理论", "拓扑",
        ],
    },
    "chemistry": {
        "name": "化学",
        "name_en": "Chemistry",
        "keywords": [
            "化学", "化学反应", "分子", "元素", "化合物", "催化", "催化剂", "合成",
            "人工合成", "淀粉", "有机", "无机", "化工", "化工厂", "化学品", "试剂",
            "实验室", "酸碱", "ph值", "氧化", "聚合物", "塑料降解", "诺贝尔化学奖",
            "化学老师", "泄漏",
        ],
    },
    "materials": {
        "name": "材料",
        "name_en": "Materials science",
        "keywords": [
            "材料", "新材料", "石墨烯", "纳米", "纳米材料", "碳纤维", "合金", "陶瓷",
            "复合材料", "半导体材料", "钙钛矿", "超材料", "稀土材料", "高分子", "涂层",
            "3d打印", "金属材料",
        ],
    },
    "mathematics": {
        "name": "数学",
        "name_en": "Mathematics",
        "keywords": [
            "数学", "数学家", "定理", "猜想", "证明", "几何", "代数", "概率", "统计学",
            "微积分", "方程", "素数", "质数", "哥德巴赫", "黎曼", "费马", "圆周率", "π",
            "数学竞赛", "奥数", "菲尔兹奖", "数论", "拓扑学",
        ],
    },
}
# fmt: on


@dataclass(frozen=True, slots=True)
class DomainResult:
    slug: str | None  # None: no domain keyword found
    name: str | None
    confidence: float  # share of keyword hits that went to the winning domain
    scores: dict[str, int]


def taxonomy() -> list[tuple[str, str, str]]:
    """``(slug, 中文名, English name)`` for seeding a taxonomy table."""
    return [(slug, str(d["name"]), str(d["name_en"])) for slug, d in DOMAINS.items()]


@lru_cache(maxsize=1)
def _matcher() -> WatchlistMatcher:
    return WatchlistMatcher(
        {"key": slug, "names": list(d["keywords"])}  # type: ignore[call-overload]
        for slug, d in DOMAINS.items()
    )


def classify_domain(text: str) -> DomainResult:
    """Domain of normalized ``text``: most keyword hits wins; ties go to the domain
    whose keyword appeared first (the lead sentence is usually the topic)."""
    scores, first = _matcher().count(text)
    if not scores:
        return DomainResult(None, None, 0.0, {})
    best = max(scores, key=lambda k: (scores[k], -first[k]))
    return DomainResult(
        best, str(DOMAINS[best]["name"]), scores[best] / sum(scores.values()), scores
    )
