"""Decoding, HTML, folding, entities, language and size caps of one raw post."""

import codecs

import pytest

from kepu.core.text import segment
from kepu.monitoring.pipeline.normalize import (
    DecodeError,
    clean_post,
    decode_bytes,
    detect_language,
    split_repost,
    strip_html,
)
from kepu.monitoring.pipeline.tokens import cut

SIMP = "中国科学院物理研究所发布了新的研究成果，引起广泛关注。"
TRAD = "中國科學院物理研究所發布了新的研究成果，引起廣泛關注。"


def test_decode_gbk():
    text, enc = decode_bytes(SIMP.encode("gbk"))
    assert text == SIMP
    assert enc == "gbk"


def test_decode_gb18030_extension():
    text, enc = decode_bytes("科学𠀀".encode("gb18030"))
    assert text == "科学𠀀"
    assert enc == "gb18030"


def test_decode_big5():
    text, enc = decode_bytes(TRAD.encode("big5"))
    assert text == TRAD
    assert enc == "big5"


def test_decode_short_big5_and_gbk_are_told_apart():
    assert decode_bytes("這個研究很重要".encode("big5")) == ("這個研究很重要", "big5")
    assert decode_bytes("这个研究很重要".encode("gbk")) == ("这个研究很重要", "gbk")


@pytest.mark.parametrize(
    ("bom", "codec", "name"),
    [
        (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
    ],
)
def test_decode_bom(bom, codec, name):
    text, enc = decode_bytes(bom + SIMP.encode(codec))
    assert text == SIMP
    assert enc == name


def test_decode_plain_utf8_and_empty():
    assert decode_bytes(SIMP.encode()) == (SIMP, "utf-8")
    assert decode_bytes(b"") == ("", "utf-8")


def test_decode_garbage_raises_clear_error_or_replaces():
    junk = b"\xff\xfe\xfd\x80\x81"[2:] + b"\xff\xff\xff"
    with pytest.raises(DecodeError, match="UTF-8, GBK/GB18030 or BIG5"):
        decode_bytes(junk)
    text, enc = decode_bytes(junk, errors="replace")
    assert enc == "utf-8+replace"
    assert "\ufffd" in text


def test_clean_post_accepts_bytes():
    post = clean_post(TRAD.encode("big5"))
    assert post.encoding == "big5"
    assert post.language == "zh-Hant"
    assert post.text.startswith("中国科学院")


def test_strip_html():
    html = (
        "<div><p>天宫课堂&nbsp;第四课</p><script>alert(1)</script>"
        "<style>p{}</style><!-- c --><br/>真精彩&amp;好看</div>"
    )
    out = strip_html(html)
    assert "alert" not in out and "p{}" not in out and "<" not in out
    assert "天宫课堂\xa0第四课" in out
    assert "真精彩&好看" in out


def test_strip_html_leaves_comparisons_alone():
    assert strip_html("温度<0度，a < b") == "温度<0度，a < b"


def test_entities_extracted_and_removed_from_body():
    post = clean_post(
        "【重磅】＠科普中国 发布：#天问一号# 成功着陆！详情 https://t.cn/AbC9x。"
        "抄送@中科院之声 #火星探测#"
    )
    assert post.urls == ["https://t.cn/AbC9x"]  # case kept: short links are case-sensitive
    assert post.at_mentions == ["科普中国", "中科院之声"]
    assert post.hashtags == ["天问一号", "火星探测"]
    assert "http" not in post.body and "@" not in post.body and "#" not in post.body
    assert "天问一号" in post.body  # hashtag words stay as words


def test_html_links_become_urls():
    post = clean_post('<p>见<a href="https://www.cas.cn/x">中科院官网</a></p>')
    assert post.urls == ["https://www.cas.cn/x"]
    assert post.text == "见中科院官网"


def test_folding_width_and_script():
    post = clean_post("ＦＡＳＴ望遠鏡發現了新脈衝星１２顆")
    assert post.text == "fast望远镜发现了新脉冲星12颗"
    assert post.language == "zh-Hant"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("中国天眼发现新的脉冲星，太厉害了", "zh-Hans"),
        ("中國天眼發現新的脈衝星，太厲害了", "zh-Hant"),
        ("The FAST telescope found new pulsars http://x.cn/a", "en"),
        ("FAST望远镜又有新发现 https://example.com/very/long/english/path", "zh-Hans"),
        ("東京大学の研究チームが新しい発見をした", "other"),
        ("서울대학교 연구팀", "other"),
        ("12345 !!!", "other"),
    ],
)
def test_language(text, lang):
    assert detect_language(text) == lang


def test_repost_forms():
    comment, segs, name, is_repost = split_repost("说得好//@张三:同意//@科普中国:原文内容")
    assert (comment, segs, name, is_repost) == ("说得好", ["同意", "原文内容"], "科普中国", True)
    _, segs, _, is_repost = split_repost("转发微博:原文内容在这里")
    assert is_repost and segs == ["原文内容在这里"]
    assert split_repost("普通的一条微博")[3] is False


def test_repost_core_is_the_original():
    original = "中国科学院物理研究所发现新型超导材料，临界温度显著提升。"
    a = clean_post(original)
    b = clean_post("厉害了//@某网友:转发一下//@科普中国:" + original + "[赞]")
    c = clean_post("转发微博：" + original + " http://t.cn/zz")
    assert a.core == b.core == c.core
    assert b.is_repost and c.is_repost and not a.is_repost
    assert b.repost_of == "科普中国"


def test_enormous_input_is_capped_and_flagged():
    huge = "科学" * 60_000
    post = clean_post(huge)
    assert post.truncated
    assert len(post.text) == 20_000
    small = clean_post("科学" * 10)
    assert not small.truncated


def test_enormous_html_bytes_capped():
    blob = ("<p>" + "天文" * 50 + "</p>").encode("gbk") * 5000
    post = clean_post(blob, max_chars=1000)
    assert post.truncated
    assert len(post.text) <= 1000


def test_tokens_match_core_segment():
    text = clean_post("中国科学院物理研究所的团队，在《自然》发表论文!  @科普 http://t.cn/x").text
    words, raw = cut(text)
    assert words == segment(text, mode="precise", normalized=True)
    assert "," in raw
