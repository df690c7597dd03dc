"""Surnames are read as surnames (issue #21), in pinyin keys and in the columns."""

from datetime import date

import numpy as np
import pytest

from matching import names
from matching.columns import encode
from matching.engine import HOMOPHONE_NAME, REVIEW, Record, match


def sounds(*raw: str) -> list[set[int]]:
    """The sound keys (first and second readings) the engine blocks and compares on."""
    cols = encode(list(raw), [""] * len(raw))
    return [{int(a), int(b)} for a, b in zip(cols.sound, cols.sound_alt, strict=True)]


def test_wang_is_not_read_yu():
    """王祖 read "yu jie" was a homophone of 于杰."""
    assert not set(names.toneless_keys("王祖")) & set(names.toneless_keys("于杰"))
    assert not set(names.toned_keys("王祖")) & set(names.toned_keys("于杰"))
    wang, yu = sounds("王祖", "于杰")
    assert not wang & yu


def test_wang_zu_and_yu_jie_are_not_homophones_in_a_match():
    born = date(1980, 5, 6)
    result = match([Record(1, "王祖", birth_date=born)], [Record(2, "于杰", birth_date=born)])
    assert all(HOMOPHONE_NAME not in r.evidence for r in result)


def test_shan_is_read_shan_not_dan():
    assert names.toneless_keys("单伟") == ("shan wei",)
    assert names.toned_keys("单伟") == ("shan4 wei3",)
    shan, homophone, dan = sounds("单伟", "善伟", "丹伟")
    assert shan == homophone
    assert not shan & dan


def test_a_homophone_of_the_surname_reading_is_a_candidate():
    born = date(1980, 5, 6)
    result = match([Record(1, "单伟", birth_date=born)], [Record(2, "善伟", birth_date=born)])
    assert result[0].score >= REVIEW
    assert HOMOPHONE_NAME in result[0].evidence


def test_zeng_is_read_zeng():
    keys = names.toneless_keys("曾强")
    assert keys[0] == "zeng qiang"
    assert all(key.startswith("zeng ") for key in keys)
    zeng, ceng = sounds("曾强", "层强")
    assert not zeng & ceng


def test_compound_surname_is_read_as_one():
    assert all(key.startswith("ou yang ") for key in names.toneless_keys("欧阳娜娜"))
    assert all(key.startswith("ou1 yang2 ") for key in names.toned_keys("欧阳娜娜"))
    assert names.toneless_keys("万俟明")[0] == "mo qi ming"
    assert names.toneless_keys("尉迟恭") == ("yu chi gong",)
    assert sounds("尉迟恭")[0] == sounds("玉持恭")[0]


def test_both_readings_kept_where_offices_meet_both():
    assert {key.split()[0] for key in names.toneless_keys("覃明")} == {"qin", "tan"}
    qin, tan, other = sounds("覃海", "秦海", "谈海")
    assert qin & tan and qin & other


def test_chang_is_also_zhang_typed_by_an_input_method():
    assert [key.split()[0] for key in names.toneless_keys("长伟")] == ["chang", "zhang"]
    chang, zhang = sounds("长思伟", "张思伟")
    assert chang & zhang


def test_other_surnames_keep_only_their_first_reading():
    assert {key.split()[0] for key in names.toneless_keys("朱海")} == {"zhu"}
    assert {key.split()[0] for key in names.toneless_keys("许海")} == {"xu"}


def test_given_name_keeps_its_heteronyms():
    assert set(names.toneless_keys("张乐")) == {"zhang le", "zhang yue"}
    # 单 as a given name is read every way, as before.
    assert {key.split()[1] for key in names.toneless_keys("李单")} == {"dan", "chan"}
    zhang, le, yue = sounds("张乐", "张勒", "张月")
    assert zhang & le and zhang & yue


@pytest.mark.parametrize(
    ("traditional", "simplified"), [("單偉", "单伟"), ("歐陽娜娜", "欧阳娜娜")]
)
def test_traditional_surname_reads_as_simplified(traditional, simplified):
    assert names.toneless_keys(traditional) == names.toneless_keys(simplified)
    assert names.toned_keys(traditional) == names.toned_keys(simplified)
    assert sounds(traditional) == sounds(simplified)


def test_transliterated_name_has_no_surname():
    """阿不都·热合曼 is no surname 阿: its first character keeps its readings."""
    assert "e li mu" in names.toneless_keys("阿里·木")
    assert "e li mu" not in names.toneless_keys("阿里木")
    marked, written_together = sounds("阿里·木", "阿里木")
    assert len(marked) == 2 and len(written_together) == 1


def test_a_lone_character_keeps_its_readings():
    assert set(names.toneless_keys("单")) == {"dan", "chan"}


NAMES = [
    "单伟",
    "善伟",
    "丹伟",
    "曾强",
    "层强",
    "欧阳娜娜",
    "鸥扬娜娜",
    "覃明",
    "秦明",
    "王祖",
    "于杰",
]


def test_columns_read_names_as_the_keys_do():
    """Two names share their first-reading sound column exactly when their first
    pinyin keys agree."""
    cols = encode(NAMES, [""] * len(NAMES))
    first_keys = [names.toneless_keys(name)[0] for name in NAMES]
    for i in range(len(NAMES)):
        same_key = np.array([key == first_keys[i] for key in first_keys])
        assert np.array_equal(cols.sound == cols.sound[i], same_key), NAMES[i]
