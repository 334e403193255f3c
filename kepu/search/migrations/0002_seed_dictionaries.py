"""Seed the search dictionaries: common synonym groups and domain terms.

Editors change them in the admin (检索词典); a change schedules an online rebuild.
"""

from django.db import migrations

SYNONYMS = [
    "新冠,新型冠状病毒,新冠病毒,covid-19,新冠肺炎",
    "流感,流行性感冒",
    "甲流,甲型流感",
    "手机,移动电话,智能手机",
    "土豆,马铃薯,洋芋",
    "西红柿,番茄",
    "红薯,番薯,地瓜",
    "心梗,心肌梗死,心肌梗塞",
    "中风,脑卒中",
    "老年痴呆,阿尔茨海默病,老年痴呆症",
    "打呼噜,打鼾,打呼",
    "ai,人工智能",
    "维c,维生素c",
    "维d,维生素d",
    "幽门螺旋杆菌,幽门螺杆菌,hp感染",
    "近视眼,近视",
    "大语言模型,大模型,llm",
    "全球变暖,气候变暖",
    "电动车,电动自行车,电瓶车",
    "着火,起火,失火",
    "小孩,孩子,儿童",
    "发烧,发热",
    "怀孕,孕妇,孕期,妊娠",
    "咬,叮,叮咬",
    "预测,预报",
    "宝宝,婴儿,婴幼儿",
    "b超,超声检查",
    "血脂高,高血脂,血脂异常",
    "拉肚子,腹泻",
    "晒太阳,日光浴",
    "二手烟,被动吸烟",
    "pm2.5,细颗粒物",
    "wifi,无线网络,无线信号",
    "诈骗,骗局",
    "减肥,减重,瘦身",
    "变胖,长胖,发胖",
    "原理,机制",
    "有害,危害"
]

WORDS = [
    "量子纠缠",
    "量子计算",
    "量子通信",
    "碳达峰",
    "碳中和",
    "引力波",
    "暗物质",
    "石墨烯",
    "基因编辑",
    "大模型",
    "人工智能",
    "新型冠状病毒",
    "阿尔茨海默病",
    "幽门螺杆菌",
    "空间站",
    "深空探测",
    "核聚变",
    "脑卒中",
    "微塑料",
    "生物多样性",
    "碳排放",
    "光伏",
    "锂电池",
    "北斗导航",
    "嫦娥工程",
    "天问一号",
    "中国天眼"
]


def seed(apps, schema_editor):
    SynonymGroup = apps.get_model("kepu_search", "SynonymGroup")
    UserWord = apps.get_model("kepu_search", "UserWord")
    if not SynonymGroup.objects.exists():
        SynonymGroup.objects.bulk_create(SynonymGroup(words=w) for w in SYNONYMS)
    for word in WORDS:
        UserWord.objects.get_or_create(word=word)


class Migration(migrations.Migration):
    dependencies = [("kepu_search", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
