"""How surnames are read.

pypinyin has no surname mode: in heteronym mode it gives every reading of a
character, so a surname gets readings it never has as a surname (王 wang/yu, 单
dan/chan/shan, 曾 ceng/zeng), and its first reading is sometimes not the surname's
at all (单 dan, 曾 ceng, 仇 chou).  These tables say how a surname is read; any
other surname character is read by pypinyin's first reading only.

The readings are common knowledge of Chinese surnames (the 百家姓 readings as
dictionaries give them), written for this project; the list of characters was
checked against the surname data of pinyin-pro and hotoo's pinyin.  Readings are
pypinyin's TONE3 style.  The first reading is the usual one; a second is kept only
where offices really meet both (覃 qin/tan, 谌 chen/shen, 翟 zhai/di, 乐 yue/le),
or where the other reading is a common surname that an input method offers the
character for (长 for 张).
"""

from __future__ import annotations

#: Single surnames whose reading is not pypinyin's first (or first toned) reading,
#: or is only some of its readings; a few read as pypinyin reads them first are
#: written down too (沈 shen, not chen; 叶 ye, not xie) so that they do not hang on
#: the order of pypinyin's dictionary.
SINGLE: dict[str, tuple[str, ...]] = {
    "单": ("shan4",),
    "曾": ("zeng1",),
    "区": ("ou1",),
    "仇": ("qiu2",),
    "朴": ("piao2",),
    "覃": ("qin2", "tan2"),
    "翟": ("zhai2", "di2"),
    "乐": ("yue4", "le4"),
    "盖": ("ge3", "gai4"),
    "查": ("zha1",),
    "解": ("xie4",),
    "缪": ("miao4",),
    "尉": ("wei4", "yu4"),
    "蔚": ("yu4", "wei4"),
    "华": ("hua4",),
    "繁": ("po2",),
    "种": ("chong2",),
    "秘": ("bi4",),
    "冼": ("xian3",),
    "燕": ("yan1",),
    "纪": ("ji3",),
    "过": ("guo1",),
    "石": ("shi2",),
    "薄": ("bo2",),
    "黑": ("he4", "hei1"),
    "员": ("yun4",),
    "隗": ("wei3", "kui2"),
    "眭": ("sui1",),
    "洗": ("xian3",),
    "谌": ("chen2", "shen4"),
    "折": ("she2",),
    "那": ("na1",),
    "召": ("shao4",),
    "句": ("gou1",),
    "能": ("nai4",),
    "任": ("ren2",),
    "相": ("xiang4",),
    "宁": ("ning4",),
    "訾": ("zi3",),
    "长": ("chang2", "zhang3"),  # and 长 typed for 张 (zhang) is an input-method slip
    "重": ("chong2",),
    "都": ("du1",),
    "么": ("yao1",),
    "佴": ("nai4",),
    "哈": ("ha3",),
    "藏": ("zang4",),
    "祭": ("zhai4",),
    "卜": ("bu3",),
    "阚": ("kan4",),
    "粘": ("nian2",),
    "乜": ("nie4",),
    "宓": ("mi4", "fu2"),
    "郇": ("huan2", "xun2"),
    "澹": ("tan2",),
    "贲": ("ben1",),
    "颉": ("xie2", "jie2"),
    "莘": ("shen1",),
    "逄": ("pang2",),
    "柏": ("bai3",),
    "曲": ("qu1",),
    "沈": ("shen3",),
    "车": ("che1",),
    "叶": ("ye4",),
    "贾": ("jia3",),
    "牟": ("mou2",),
    "殷": ("yin1",),
    "宿": ("su4",),
    "朝": ("chao2",),
    "隽": ("juan4",),
    "万": ("wan4",),
}

#: Compound surnames, one reading per character.
COMPOUND: dict[str, tuple[str, str]] = {
    "欧阳": ("ou1", "yang2"),
    "司马": ("si1", "ma3"),
    "上官": ("shang4", "guan1"),
    "诸葛": ("zhu1", "ge3"),
    "东方": ("dong1", "fang1"),
    "皇甫": ("huang2", "fu3"),
    "尉迟": ("yu4", "chi2"),
    "万俟": ("mo4", "qi2"),
    "单于": ("chan2", "yu2"),
    "长孙": ("zhang3", "sun1"),
    "令狐": ("ling2", "hu2"),
    "慕容": ("mu4", "rong2"),
    "司徒": ("si1", "tu2"),
    "端木": ("duan1", "mu4"),
    "公孙": ("gong1", "sun1"),
    "轩辕": ("xuan1", "yuan2"),
    "夏侯": ("xia4", "hou2"),
    "宇文": ("yu3", "wen2"),
    "澹台": ("tan2", "tai2"),
    "南宫": ("nan2", "gong1"),
    "西门": ("xi1", "men2"),
    "呼延": ("hu1", "yan2"),
    "独孤": ("du2", "gu1"),
    "申屠": ("shen1", "tu2"),
    "闻人": ("wen2", "ren2"),
    "公冶": ("gong1", "ye3"),
    "公羊": ("gong1", "yang2"),
    "太史": ("tai4", "shi3"),
    "太叔": ("tai4", "shu1"),
    "宗政": ("zong1", "zheng4"),
    "濮阳": ("pu2", "yang2"),
    "淳于": ("chun2", "yu2"),
    "鲜于": ("xian1", "yu2"),
    "赫连": ("he4", "lian2"),
    "钟离": ("zhong1", "li2"),
    "拓跋": ("tuo4", "ba2"),
    "百里": ("bai3", "li3"),
    "东郭": ("dong1", "guo1"),
    "第五": ("di4", "wu3"),
    "乐正": ("yue4", "zheng4"),
    "仲孙": ("zhong4", "sun1"),
    "亓官": ("qi2", "guan1"),
    "司空": ("si1", "kong1"),
    "司寇": ("si1", "kou4"),
    "左丘": ("zuo3", "qiu1"),
    "谷梁": ("gu3", "liang2"),
    "段干": ("duan4", "gan1"),
    "巫马": ("wu1", "ma3"),
    "羊舌": ("yang2", "she2"),
    "梁丘": ("liang2", "qiu1"),
    "东门": ("dong1", "men2"),
    "宰父": ("zai3", "fu3"),
    "颛孙": ("zhuan1", "sun1"),
}

#: Marks between the parts of a transliterated (minority) name, 阿不都·热合曼: such
#: a name has no Chinese surname.  Spaces are not among them (张 伟 is 张伟).
TRANSLITERATION_MARKS = "·•‧・.．-－"


def surname_length(raw: str, normal: str) -> int:
    """How many leading characters of a name are its surname: 0 for a single
    character or a transliterated name, 2 for a compound surname followed by a
    given name, else 1.  ``normal`` is ``raw`` normalised."""
    if len(normal) < 2 or any(mark in raw for mark in TRANSLITERATION_MARKS):
        return 0
    if len(normal) >= 3 and normal[:2] in COMPOUND:
        return 2
    return 1


def toneless(reading: str) -> str:
    return reading.rstrip("012345")
