"""Vocabulary of the resource library (see docs/glossary.md for the Chinese terms)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ResourceKind(models.TextChoices):
    ARTICLE = "article", _("Article")
    VIDEO = "video", _("Video")
    IMAGE_SET = "image_set", _("Image set")
    AUDIO = "audio", _("Audio")
    COURSE = "course", _("Course")
    EXHIBIT = "exhibit", _("Exhibit")
    BOOK = "book", _("Book")
    ANIMATION = "animation", _("Animation")
    SCIENTIST_STORY = "scientist_story", _("Scientist story")


class Audience(models.TextChoices):
    YOUTH = "youth", _("Young people / students")
    TEACHERS = "teachers", _("Teachers")
    PUBLIC = "public", _("General public")
    ELDERLY = "elderly", _("Older people")
    FARMERS = "farmers", _("Farmers")
    WORKERS = "workers", _("Industrial workers")
    OFFICIALS = "officials", _("Leading cadres / civil servants")
    ENTREPRENEURS = "entrepreneurs", _("Entrepreneurs")
    RESEARCHERS = "researchers", _("Researchers")


#: Chinese names people write in import sheets → audience code.
AUDIENCE_ALIASES = {
    "青少年": Audience.YOUTH,
    "学生": Audience.YOUTH,
    "青少年/学生": Audience.YOUTH,
    "儿童": Audience.YOUTH,
    "中小学生": Audience.YOUTH,
    "教师": Audience.TEACHERS,
    "老师": Audience.TEACHERS,
    "公众": Audience.PUBLIC,
    "社会公众": Audience.PUBLIC,
    "老年人": Audience.ELDERLY,
    "老人": Audience.ELDERLY,
    "农民": Audience.FARMERS,
    "产业工人": Audience.WORKERS,
    "工人": Audience.WORKERS,
    "领导干部": Audience.OFFICIALS,
    "公务员": Audience.OFFICIALS,
    "领导干部/公务员": Audience.OFFICIALS,
    "企业家": Audience.ENTREPRENEURS,
    "科研人员": Audience.RESEARCHERS,
}


class Level(models.TextChoices):
    INTRO = "intro", _("Introductory")
    INTERMEDIATE = "intermediate", _("Intermediate")
    EXPERT = "expert", _("Professional")


class Language(models.TextChoices):
    ZH_HANS = "zh-hans", _("Simplified Chinese")
    ZH_HANT = "zh-hant", _("Traditional Chinese")
    EN = "en", _("English")
    OTHER = "other", _("Other")


LANGUAGE_ALIASES = {
    "zh": Language.ZH_HANS,
    "zh-cn": Language.ZH_HANS,
    "zh-hans": Language.ZH_HANS,
    "zh_hans": Language.ZH_HANS,
    "中文": Language.ZH_HANS,
    "简体中文": Language.ZH_HANS,
    "zh-tw": Language.ZH_HANT,
    "zh-hk": Language.ZH_HANT,
    "zh-hant": Language.ZH_HANT,
    "繁体中文": Language.ZH_HANT,
    "en": Language.EN,
    "en-us": Language.EN,
    "en-gb": Language.EN,
    "english": Language.EN,
    "英文": Language.EN,
}


class Licence(models.TextChoices):
    ALL_RIGHTS = "all_rights_reserved", _("All rights reserved")
    CC_BY = "cc-by-4.0", "CC BY 4.0"
    CC_BY_SA = "cc-by-sa-4.0", "CC BY-SA 4.0"
    CC_BY_NC = "cc-by-nc-4.0", "CC BY-NC 4.0"
    CC_BY_NC_ND = "cc-by-nc-nd-4.0", "CC BY-NC-ND 4.0"
    PUBLIC_DOMAIN = "public_domain", _("Public domain")


#: The seeded two-level taxonomy: top-level disciplines and popular topics → sub-domains.
SEED_DOMAINS: dict[str, list[str]] = {
    "天文": ["天体物理", "太阳系", "天象观测"],
    "航空航天": ["载人航天", "深空探测", "航空器"],
    "物理": ["量子科技", "材料与凝聚态", "光学"],
    "化学": ["化学与生活", "新材料"],
    "生命健康": ["营养", "疾病防治", "心理健康", "医药常识"],
    "生物": ["动物", "植物", "微生物", "遗传与进化"],
    "地球环境": ["气候变化", "生态保护", "海洋", "地质"],
    "能源": ["新能源", "核能", "节能减排"],
    "信息技术": ["人工智能", "网络安全", "通信"],
    "防灾减灾": ["地震", "气象灾害", "应急避险"],
    "农业": ["种植", "畜牧", "农业科技"],
    "数学": [],
    "科学家精神": [],
}


LEVEL_ALIASES = {"入门": Level.INTRO, "进阶": Level.INTERMEDIATE, "专业": Level.EXPERT}

KIND_ALIASES = {
    "文章": ResourceKind.ARTICLE,
    "图文": ResourceKind.ARTICLE,
    "视频": ResourceKind.VIDEO,
    "图集": ResourceKind.IMAGE_SET,
    "音频": ResourceKind.AUDIO,
    "课程": ResourceKind.COURSE,
    "展品": ResourceKind.EXHIBIT,
    "展览": ResourceKind.EXHIBIT,
    "图书": ResourceKind.BOOK,
    "书籍": ResourceKind.BOOK,
    "动画": ResourceKind.ANIMATION,
    "科学家故事": ResourceKind.SCIENTIST_STORY,
}
