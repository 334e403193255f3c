"""Synthetic popular-science library in real Chinese words, for load benchmarks.

Why synthetic: the benchmark needs 10⁵–10⁶ documents and we ship no corpus. Why real words:
segmentation speed, term statistics and posting-list lengths depend on the vocabulary, so
random characters would measure the wrong thing. The vocabulary is a few hundred words
written here, per science domain, plus general connective words; documents draw from it
with Zipf-like weights (a few words everywhere, a long tail of rare ones) and mix their own
domain with others, like real articles do. Deterministic for a given seed.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from itertools import accumulate

DOMAINS: dict[str, list[str]] = {
    "生命健康/营养": """营养 蛋白质 维生素 膳食纤维 碳水化合物 脂肪 热量 钙 铁 锌 肥胖 减肥 代谢
        血糖 胆固醇 膳食 早餐 蔬菜 水果 牛奶 鸡蛋 全谷物 坚果 饮水 盐 糖 油脂 肠道 益生菌
        消化 体重 饱腹感 食谱 咖啡 茶叶 酸奶 豆制品 肉类 海鲜 营养素""",
    "生命健康/疾病": """疫苗 病毒 细菌 感染 免疫 抗体 流感 新冠 冠状病毒 肺炎 发烧 咳嗽 高血压
        糖尿病 癌症 肿瘤 心脏病 中风 过敏 哮喘 抑郁症 失眠 睡眠 抗生素 耐药性 传染病
        潜伏期 症状 诊断 治疗 药物 医院 医生 体检 筛查 基因 遗传 手术 康复 疼痛""",
    "天文航天": """宇宙 星系 银河系 恒星 行星 太阳 月球 火星 木星 土星 彗星 小行星 陨石 黑洞
        中子星 引力波 暗物质 暗能量 大爆炸 望远镜 天文台 卫星 火箭 航天员 空间站 探测器
        轨道 光年 日食 月食 流星雨 星座 极光 太阳风 天宫 嫦娥 天问 引力 宇航服 发射""",
    "物理": """量子 量子纠缠 量子计算 粒子 电子 质子 中子 原子 原子核 光子 激光 磁场 电场
        电流 电压 超导 半导体 相对论 能量 动量 速度 加速度 摩擦力 重力 温度 热力学 熵
        波长 频率 声波 光速 折射 反射 干涉 衍射 核聚变 核裂变 对撞机 实验""",
    "化学材料": """分子 化学反应 催化剂 元素 周期表 氧气 氢气 二氧化碳 甲醛 塑料 微塑料 纳米
        石墨烯 锂电池 电池 材料 合金 钢铁 陶瓷 玻璃 涂料 高分子 聚合物 溶液 酸碱 氧化
        还原 燃烧 爆炸 晶体 化肥 农药 洗涤剂 防腐剂 添加剂 香精 色素 降解""",
    "地球环境": """气候变化 全球变暖 温室气体 碳排放 碳中和 碳达峰 雾霾 空气质量 PM2.5 臭氧
        森林 湿地 海洋 冰川 地震 火山 台风 暴雨 洪水 干旱 沙尘暴 泥石流 地质 岩石 化石
        土壤 水资源 污染 垃圾分类 回收 生态 生物多样性 物种 灭绝 保护区 新能源 风能 光伏""",
    "生物": """细胞 DNA 基因编辑 蛋白 进化 物种起源 动物 植物 昆虫 鸟类 鱼类 哺乳动物
        恐龙 微生物 真菌 光合作用 叶绿体 线粒体 神经元 大脑 记忆 激素 克隆 干细胞 胚胎
        繁殖 迁徙 冬眠 食物链 捕食者 寄生虫 蜜蜂 蚂蚁 熊猫 鲸鱼 候鸟 花粉 种子""",
    "信息技术": """人工智能 机器学习 深度学习 神经网络 大模型 算法 数据 大数据 云计算 芯片
        处理器 计算机 互联网 网络安全 隐私 密码 区块链 机器人 自动驾驶 无人机 5G 通信
        手机 软件 编程 程序 传感器 物联网 虚拟现实 元宇宙 搜索引擎 电信诈骗 谣言 辐射
        WiFi 蓝牙 存储 服务器""",
}


def _wordlist(text: str) -> list[str]:
    return text.split()


GENERAL = _wordlist("""研究 发现 科学家 专家 表示 认为 可能 影响 重要 问题 原因 方法 过程 结果 变化
    作用 系统 技术 发展 社会 生活 健康 安全 风险 知识 科普 科学 实验室 数据 证据 观察
    孩子 老人 公众 学生 家长 日常 世界 中国 国家 城市 农村 环境 自然 人类 身体 时间 空间
    方面 情况 部分 过去 未来 今天 近年来 目前 一般 通常 其中 同时 因此 然而 例如 比如
    需要 能够 应该 利用 提高 减少 增加 降低 避免 保护 了解 解释 理解 介绍 讨论 说明 告诉""")

PARTICLES = _wordlist("的 是 在 和 了 也 都 就 会 有 对 与 而 被 把 从 到 更 最 很 还")

AUDIENCES = ["公众", "青少年", "儿童", "老年人", "教师", "医务人员", "农民", "领导干部"]
TYPES = ["article", "video", "course", "audio", "infographic", "book"]
LANGUAGES = ["zh"] * 18 + ["en", "bo"]
# A small unit tree: academy → institutes, association → societies.
UNITS: dict[str, list[str]] = {
    "CAS": ["CAS.IOP", "CAS.NAOC", "CAS.IOZ", "CAS.IGG", "CAS.ICT", "CAS.IBP"],
    "CAST": ["CAST.CMA", "CAST.CCS", "CAST.CAS-ASTRO", "CAST.CES"],
    "MUSEUM": ["MUSEUM.NATURE", "MUSEUM.SCI"],
}


def _zipf(words: list[str], s: float = 1.05) -> list[float]:
    return list(accumulate(1.0 / (rank**s) for rank in range(1, len(words) + 1)))


class LibraryGenerator:
    """Yields document dicts accepted by ``kepu.search.engine.ResourceDoc``."""

    def __init__(self, seed: int = 7):
        self.rng = random.Random(seed)
        self.domains = list(DOMAINS)
        self.domain_words = {d: ws.split() for d, ws in DOMAINS.items()}
        # Shuffle once (seeded) so the Zipf head is not always the first words written.
        for ws in self.domain_words.values():
            self.rng.shuffle(ws)
        self.domain_cum = {d: _zipf(ws) for d, ws in self.domain_words.items()}
        self.general = list(GENERAL)
        self.rng.shuffle(self.general)
        self.general_cum = _zipf(self.general, 0.9)
        self.all_words = [w for ws in self.domain_words.values() for w in ws]
        self.unit_list = [(parent, child) for parent, kids in UNITS.items() for child in kids]
        self.unit_list += [(None, parent) for parent in UNITS]
        self._mixtures: dict[str, tuple[list[str], list[float]]] = {}

    def _word(self, domain: str) -> str:
        r = self.rng.random()
        if r < 0.45:
            ws, cum = self.domain_words[domain], self.domain_cum[domain]
            return self.rng.choices(ws, cum_weights=cum)[0]
        if r < 0.55:
            other = self.rng.choice(self.domains)
            return self.rng.choices(self.domain_words[other], cum_weights=self.domain_cum[other])[0]
        if r < 0.85:
            return self.rng.choices(self.general, cum_weights=self.general_cum)[0]
        return self.rng.choice(PARTICLES)

    def _text(self, domain: str, chars: int) -> str:
        # One bulk draw per document from a per-domain mixture (see _mixture): a Python
        # call per word made generation slower than the indexing being measured.
        words, cum = self._mixture(domain)
        drawn = self.rng.choices(words, cum_weights=cum, k=chars // 2 + 16)
        out: list[str] = []
        n = 0
        next_stop = self.rng.randint(6, 14)
        for k, w in enumerate(drawn, 1):
            out.append(w)
            n += len(w)
            if n >= chars:
                break
            if k == next_stop:
                out.append(self.rng.choice("，，，。。？；"))
                next_stop += self.rng.randint(6, 14)
        out.append("。")
        return "".join(out)

    def _mixture(self, domain: str) -> tuple[list[str], list[float]]:
        """Words and cumulative weights: 45 % own domain, 10 % others, 30 % general, 15 %
        particles — each part Zipf-weighted inside."""
        cached = self._mixtures.get(domain)
        if cached:
            return cached
        words: list[str] = []
        weights: list[float] = []

        def part(ws: list[str], share: float, s: float) -> None:
            raw = [1.0 / (r**s) for r in range(1, len(ws) + 1)]
            total = sum(raw)
            words.extend(ws)
            weights.extend(share * x / total for x in raw)

        part(self.domain_words[domain], 0.45, 1.05)
        others = [d for d in self.domains if d != domain]
        for d in others:
            part(self.domain_words[d], 0.10 / len(others), 1.05)
        part(self.general, 0.30, 0.9)
        part(PARTICLES, 0.15, 0.5)
        cached = self._mixtures[domain] = (words, list(accumulate(weights)))
        return cached

    def doc(self, i: int) -> dict:
        rng = self.rng
        domain = rng.choice(self.domains)
        words, cum = self._mixture(domain)
        title = "".join(w for w in rng.choices(words, cum_weights=cum, k=rng.randint(3, 6)))
        parent, unit = rng.choice(self.unit_list)
        return {
            "id": i,
            "external_id": f"res-{i}",
            "title": title,
            "body": self._text(domain, rng.randint(240, 360)),
            "domain": domain,
            "audiences": rng.sample(AUDIENCES, rng.randint(1, 3)),
            "type": rng.choice(TYPES),
            "unit": unit,
            "unit_ancestors": [parent] if parent else [],
            "language": rng.choice(LANGUAGES),
            "published": dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 3650)),
            "visibility": "public" if rng.random() < 0.97 else "draft",
        }

    def docs(self, n: int, start: int = 1) -> Iterator[dict]:
        for i in range(start, start + n):
            yield self.doc(i)

    def query(self, n_terms: int) -> str:
        """A query of ``n_terms`` words, mostly from one domain, sometimes with a particle."""
        domain = self.rng.choice(self.domains)
        words: list[str] = []
        while len(words) < n_terms:
            w = self._word(domain)
            if w not in PARTICLES and w not in words:
                words.append(w)
        return "".join(words) + self.rng.choice(["", "", "吗", "？", "是什么"])

    def filters(self) -> dict:
        rng = self.rng
        choice = rng.randint(0, 3)
        if choice == 0:
            return {"domain": rng.choice(self.domains).split("/")[0]}
        if choice == 1:
            return {"type": rng.choice(TYPES), "audience": rng.choice(AUDIENCES)}
        if choice == 2:
            return {"unit": rng.choice(list(UNITS))}
        return {
            "published_from": dt.date(2015 + rng.randint(0, 8), 1, 1),
            "language": "zh",
        }
