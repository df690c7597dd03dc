from datetime import date

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from matching import ids, names
from matching.engine import (
    CONFIRMED,
    HOMOPHONE_NAME,
    ID_EXACT,
    ID_ONE_EDIT,
    REVIEW,
    SAME_BIRTH_DATE,
    Record,
    match,
)

ID = "11010119900307123X"  # a made-up number with a correct check character


def test_names_are_normalised():
    assert names.normalise_name("張　偉") == "张伟"
    assert names.normalise_name("阿不都·热合曼") == names.normalise_name("阿不都•热合曼")
    assert names.normalise_name("ＬＩ") == "LI"


def test_heteronyms_give_several_keys():
    assert len(names.toned_keys("单")) == 2


def test_fifteen_digit_id_matches_its_eighteen_digit_form():
    eighteen = ids.canonical("110101900307123")
    assert ids.is_valid(eighteen)
    result = match([Record(1, "张伟", "110101900307123")], [Record(2, "张伟", eighteen)])
    assert result[0].confirmed
    assert ID_EXACT in result[0].evidence


def test_one_digit_typo_is_a_candidate_with_its_evidence_named():
    typo = ID[:3] + "9" + ID[4:]
    result = match([Record(1, "张伟", ID)], [Record(2, "张伟", typo)])
    assert result and ID_ONE_EDIT in result[0].evidence


def test_adjacent_transposition_is_a_candidate():
    swapped = ID[:14] + ID[15] + ID[14] + ID[16:]
    result = match([Record(1, "张伟", ID)], [Record(2, "张伟", swapped)])
    assert result and ID_ONE_EDIT in result[0].evidence


def test_homophone_given_name_is_a_candidate():
    born = date(1990, 3, 7)
    result = match([Record(1, "李建国", birth_date=born)], [Record(2, "李剑国", birth_date=born)])
    assert result[0].score >= REVIEW
    assert {HOMOPHONE_NAME, SAME_BIRTH_DATE} <= set(result[0].evidence)


def test_same_common_name_with_different_ids_is_not_confirmed():
    other = "220101198501021236"
    result = match([Record(1, "张伟", ID)], [Record(2, "张伟", other)], threshold=0.0)
    assert all(m.score < CONFIRMED for m in result)


def test_no_shared_key_no_pair():
    assert match([Record(1, "张伟", ID)], [Record(2, "王芳")], threshold=0.0) == []


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_canonical_keeps_valid_eighteen_digit_numbers(first17):
    number = first17 + ids.check_char(first17)
    assert ids.canonical(" " + number + " ") == number
    assert ids.is_valid(number)


@given(st.text(alphabet="0123456789", min_size=17, max_size=17), st.integers(0, 16))
def test_any_single_substitution_is_one_edit(first17, position):
    number = first17 + ids.check_char(first17)
    changed = str((int(number[position]) + 1) % 10)
    typo = number[:position] + changed + number[position + 1 :]
    assert ids.one_edit(number, typo)
    found = match([Record(1, "甲", number)], [Record(2, "乙", typo)], threshold=0.0)
    assert found and ID_ONE_EDIT in found[0].evidence


@given(st.lists(st.sampled_from("张王李赵刘陈杨黄"), min_size=2, max_size=3))
def test_scores_are_probabilities(chars):
    name = "".join(chars)
    for m in match([Record(1, name)], [Record(2, name), Record(3, name[::-1])], threshold=0.0):
        assert 0.0 <= m.score <= 1.0


def test_columns_read_ids_like_the_scalar_rules():
    from matching.columns import parse_ids

    raw = [
        ID,
        " 110101900307123 ",
        "１１０１０１１９９００３０７１２３Ｘ",
        "12345",
        "",
        ID[:17] + "x",
    ]
    digits, has, valid = parse_ids(raw)
    for row, text in enumerate(raw):
        number = ids.canonical(text)
        assert has[row] == bool(number)
        if number:
            assert "".join("X" if d == 10 else str(d) for d in digits[row]) == number
            assert valid[row] == (ids.is_valid(number) and not ids.is_legacy(text))


def test_swapped_and_dropped_given_name_characters_are_candidates():
    born = date(1971, 1, 11)
    left = [Record(1, "王学波", birth_date=born), Record(2, "金超慧", birth_date=born)]
    right = [Record(3, "王波学", birth_date=born), Record(4, "金超", birth_date=born)]
    found = {(m.left, m.right): m.evidence for m in match(left, right, threshold=0.0)}
    assert "name_swapped" in found[(1, 3)]
    assert "name_dropped_char" in found[(2, 4)]


def test_one_cadre_against_an_index_scores_as_in_the_batch():
    from matching.engine import PersonIndex, columns_of, match_columns

    people = [
        Record(10, "张伟", ID),
        Record(11, "李剑国", birth_date=date(1990, 3, 7)),
        Record(12, "王芳", "220101198501021236"),
    ]
    cadres = [Record(1, "李建国", birth_date=date(1990, 3, 7)), Record(2, "张伟", ID)]
    index = PersonIndex(columns_of(people))
    batch = match_columns(columns_of(cadres), index, threshold=0.0, presence=0.02)
    one = match_columns(
        columns_of(cadres[:1]), index, threshold=0.0, presence=0.02, model=batch.model
    )
    first = batch.left == 0
    assert list(one.right) == list(batch.right[first])
    assert list(one.score) == list(batch.score[first])


# --- legacy numbers are weak evidence -------------------------------------------

VILLAGE = "431003101201"


def test_fifteen_digit_number_with_a_typo_is_not_another_person():
    """姚生浩: 431003197005216911 on the roster, 431003700621691 (month mistyped) in a
    case file, same name, birth date and village."""
    assert ids.is_valid("431003197005216911")
    born = date(1970, 5, 21)
    cadre = Record(1, "姚生浩", "431003197005216911", born, VILLAGE)
    person = Record(2, "姚生浩", "431003700621691", born, VILLAGE)
    found = match([cadre], [person], threshold=0.0)
    assert found and found[0].score >= CONFIRMED
    assert ID_ONE_EDIT in found[0].evidence


def test_fifteen_digit_number_far_from_the_eighteen_digit_one_is_weak_evidence():
    born = date(1970, 5, 21)
    cadre = Record(1, "姚生浩", "431003197005216911", born, VILLAGE)
    legacy = Record(2, "姚生浩", "431003700521345", born, VILLAGE)  # three digits differ
    other = Record(3, "姚生浩", "431003197005213454", born, VILLAGE)  # the same, 18 digits
    assert ids.is_valid(other.id_number)
    found = {m.right: m for m in match([cadre], [legacy, other], threshold=0.0)}
    assert found[2].score >= REVIEW
    assert "id_weak_conflict" in found[2].evidence
    assert 3 not in found or found[3].score < CONFIRMED


def test_wrong_check_character_is_compared_on_seventeen_digits():
    wrong = ID[:17] + ("0" if ID[17] != "0" else "1")
    found = match([Record(1, "张伟", ID)], [Record(2, "张伟", wrong)], threshold=0.0)
    assert found and ID_EXACT in found[0].evidence


@given(
    st.text(alphabet="0123456789", min_size=17, max_size=17),
    st.text(alphabet="0123456789", min_size=17, max_size=17),
    st.sampled_from(["张伟", "姚生浩", "欧阳小明"]),
    st.dates(date(1950, 1, 1), date(2000, 12, 31)),
)
def test_two_different_valid_eighteen_digit_numbers_are_never_confirmed(a, b, name, born):
    """Even when the pair is forced past blocking and all else agrees."""
    from matching.engine import PersonIndex, columns_of, score_pairs

    one, two = a + ids.check_char(a), b + ids.check_char(b)
    if one == two:
        return
    left = columns_of([Record(1, name, one, born, VILLAGE)])
    index = PersonIndex(columns_of([Record(2, name, two, born, VILLAGE)]))
    pair = np.zeros(1, np.int64)
    score, levels = score_pairs(index, left, pair, pair, presence=0.999)
    assert score[0] < CONFIRMED
    assert levels["id"][0] == 3  # conflict_valid


# --- region evidence and weights learned per run --------------------------------

POOL = "安白柏宝贝碧冰波博才彩灿昌超朝辰成承诚春纯聪翠达丹道德东冬栋多朵恩帆方飞芬丰风峰福富钢高歌耿谷冠光广贵桂国海含寒航豪浩和河荷恒红宏洪鸿厚华欢焕辉会慧吉佳嘉坚健江杰洁金锦晋敬静菊娟军俊凯康可克兰蓝朗乐雷磊黎力立丽莉连良亮林玲凌龙路伦罗茂梅美孟敏明鸣铭娜楠宁鹏平萍琪奇启谦强乔琴勤青清晴庆秋全泉然仁荣蓉瑞润森山珊善少胜圣诗石世书淑舒树双顺思松素涛腾天田婷彤童玮伟文武熙喜霞贤祥翔小晓心欣新星兴雄修秀旭轩雪亚岩彦燕阳耀叶一依怡义艺英莹映永勇友宇玉雨元园源远月悦云芸泽增展章昭哲真振正志智中忠舟珠竹卓子紫宗"


def _people(rng, n: int, prefix: str = "") -> list[str]:
    """Distinct three-character names (surname 欧阳/司马 never drawn)."""
    out: set[str] = set()
    while len(out) < n:
        a, b, c = rng.choice(list(POOL), 3)
        out.add(prefix + a + b + c)
    return sorted(out)


def _filler(n: int):
    rng = np.random.default_rng(5)
    return _people(rng, n)


def test_name_only_hit_in_the_same_village_reaches_review_and_elsewhere_does_not():
    from matching.engine import Model, PersonIndex, columns_of, match_columns

    born = date(1968, 4, 2)
    cadre = Record(0, "欧阳春生", "431003196804021234", born, VILLAGE)
    filler = [Record(100 + k, name) for k, name in enumerate(_filler(20_000))]
    same_village = Record(1, "欧阳春生", region_code=VILLAGE)
    same_township = Record(2, "欧阳春生", region_code=VILLAGE[:9] + "202")
    elsewhere = Record(3, "欧阳春生", region_code="520101101201")
    unknown = Record(4, "欧阳春生")
    index = PersonIndex(columns_of([same_village, same_township, elsewhere, unknown, *filler]))
    for model in (Model.fitted(), None):  # the fitted weights, and those of this run
        result = match_columns(columns_of([cadre]), index, threshold=0.0, model=model)
        score = {
            int(index.cols.keys[r]): s for r, s in zip(result.right, result.score, strict=True)
        }
        assert score[1] >= REVIEW
        assert score[3] < REVIEW and score[4] < REVIEW
        assert score[1] > score[2] > score[3]
        evidence = {int(index.cols.keys[r]): result.evidence(k) for k, r in enumerate(result.right)}
        assert "same_village" in evidence[1] and "same_township" in evidence[2]


def test_a_tiny_run_barely_moves_the_weights_and_never_past_the_bound():
    from matching.engine import (
        EM_BOUND,
        PersonIndex,
        columns_of,
        compare_pairs,
        estimate_model,
        weight_table,
    )

    rng = np.random.default_rng(3)
    names_ = _people(rng, 40)
    cadres = [Record(k, n, birth_date=date(1970, 1, 1 + k)) for k, n in enumerate(names_[:3])]
    # Every person shares a cadre's name and nothing else: the worst a run could show.
    people = [Record(10 + k, names_[k % 3], birth_date=date(1990, 6, 1 + k)) for k in range(30)]
    index = PersonIndex(columns_of(people))
    left = columns_of(cadres)
    li, ri = index.candidates(left)
    model, _ = estimate_model(index, left, compare_pairs(index, left, li, ri))
    moved = [abs(w["moved"]) for w in weight_table(model)]
    assert max(moved) <= EM_BOUND + 1e-9
    assert max(moved) < 0.5


def test_em_learns_from_a_run_what_its_true_pairs_look_like():
    """A run whose every true pair has its birth day off by one: the weight of that
    level rises from its prior, within the bound."""
    from matching.engine import EM_BOUND, PersonIndex, columns_of, match_columns, weight_table

    rng = np.random.default_rng(4)
    names_ = _people(rng, 3300)

    def born(k: int, day: int = 10) -> date:
        return date(1960 + k % 40, 1 + k % 9, day + k % 9)

    cadres = [Record(k, names_[k], "", born(k), VILLAGE) for k in range(300)]
    people = [Record(1000 + k, names_[k], "", born(k, 11)) for k in range(150)]
    people += [Record(2000 + k, names_[300 + k], "", date(1970, 1, 1)) for k in range(3000)]
    index = PersonIndex(columns_of(people))
    result = match_columns(columns_of(cadres), index, threshold=0.0)
    day_off = next(w for w in weight_table(result.model) if w["level"] == "day_off")
    assert day_off["field"] == "birth" and day_off["moved"] > 0.3
    assert day_off["moved"] <= EM_BOUND + 1e-9


def test_pet_names_are_candidates_with_their_evidence_named():
    born = date(1975, 8, 9)
    left = [Record(1, "王志强", birth_date=born), Record(2, "司马满满", birth_date=born)]
    right = [
        Record(3, "王小强", birth_date=born),
        Record(4, "阿强", birth_date=born),
        Record(5, "阿满", birth_date=born),
        Record(6, "李小强", birth_date=born),  # another surname: not a pet name of 王志强
    ]
    found = {(m.left, m.right): m.evidence for m in match(left, right, threshold=0.0)}
    assert "nickname" in found[(1, 3)]
    assert "nickname" in found[(1, 4)]
    assert "nickname" in found[(2, 5)]
    assert "nickname" not in found.get((1, 6), ())


def test_a_wrong_check_character_does_not_hide_a_second_difference():
    """孔娜's number, one body digit from 杨瑞辰's, also has another check character:
    a typo in the body leaves the written check character as it was, so these two
    numbers differ in two places and are not one typo apart."""
    from matching.engine import ID_WEAK_CONFLICT

    cadre = "523501195312292323"
    assert ids.is_valid(cadre)
    typo = cadre[:3] + "1" + cadre[4:]  # one body digit off: check character as written
    other = typo[:17] + "6"  # the same digit off, and another check character
    assert not ids.is_valid(typo) and not ids.is_valid(other)
    born = date(1953, 12, 29)
    found = {
        m.right: m.evidence
        for m in match(
            [Record(1, "杨瑞辰", cadre, born)],
            [Record(2, "杨瑞辰", typo, born), Record(3, "孔娜", other, born)],
            threshold=0.0,
        )
    }
    assert ID_ONE_EDIT in found[2]
    assert ID_WEAK_CONFLICT in found.get(3, (ID_WEAK_CONFLICT,))
    assert ID_ONE_EDIT not in found.get(3, ())


def test_a_fifteen_digit_number_is_still_compared_on_seventeen_digits():
    cadre = "431003197005216911"
    legacy = "431003700621691"  # month mistyped; its computed check character differs
    from matching.columns import parse_ids_legacy

    digits, has, valid, old = parse_ids_legacy([cadre, legacy, cadre[:17] + "0"])
    assert list(old) == [False, True, False]
    assert list(valid) == [True, False, False]


def _pairs(cadres, people):
    from matching.engine import PersonIndex, columns_of

    index = PersonIndex(columns_of(people))
    left = columns_of(cadres)
    li, ri = index.candidates(left)
    return {(int(left.keys[a]), int(index.cols.keys[b])) for a, b in zip(li, ri, strict=True)}


def test_a_name_changed_past_every_name_key_is_a_candidate_where_the_place_agrees():
    """No ID, no birth date on the person side: 阿春 for 陈根春 is found within the
    township, 李春春 for 李智兰 within the village; elsewhere neither is."""
    township = VILLAGE[:9] + "202"
    cadres = [
        Record(1, "陈根春", "431003196804021234", date(1968, 4, 2), VILLAGE),
        Record(2, "李智兰", "431003197001011236", date(1970, 1, 1), VILLAGE),
    ]
    people = [
        Record(11, "阿春", region_code=township),
        Record(12, "李春春", region_code=VILLAGE),
        Record(13, "阿春", region_code="520101101201"),
        Record(14, "李春春", region_code=township),
    ]
    found = _pairs(cadres, people)
    assert (1, 11) in found and (2, 12) in found
    assert (1, 13) not in found and (2, 14) not in found


def test_the_place_rules_skip_a_village_of_one_clan():
    from matching.engine import PLACE_BLOCK

    cadre = Record(1, "李智兰", "431003197001011236", date(1970, 1, 1), VILLAGE)
    target = Record(2, "李春春", region_code=VILLAGE)
    rng = np.random.default_rng(6)
    given = [n[1:] for n in _people(rng, PLACE_BLOCK + 100) if not set(n[1:]) & set("智兰春")]
    clan = [Record(100 + k, "李" + g, region_code=VILLAGE) for k, g in enumerate(given)]
    assert len(clan) > PLACE_BLOCK
    assert (1, 2) in _pairs([cadre], [target, *clan[: PLACE_BLOCK // 2]])
    assert (1, 2) not in _pairs([cadre], [target, *clan[:PLACE_BLOCK]])


def _number(region: str, born: date, seq: int) -> str:
    first17 = region[:6] + born.strftime("%Y%m%d") + f"{seq:03d}"
    return first17 + ids.check_char(first17)


def test_namesakes_born_the_same_day_in_one_county_weaken_name_and_birth_date():
    """When the run's own records hold namesakes born the same day in the same
    county who are two people (their valid numbers differ), a person with no ID
    who shares a cadre's name, birth date and county is no longer confirmed on
    those alone; in a run without such namesakes the same pair is."""
    from matching.engine import (
        Model,
        PersonIndex,
        columns_of,
        estimate_dependence,
        match_columns,
    )

    rng = np.random.default_rng(7)
    names_ = _people(rng, 3100)
    county = VILLAGE[:6]

    def region(township: int, village: int) -> str:
        return f"{county}{township:03d}{village:03d}"

    def born(k: int) -> date:
        return date(1950 + k % 45, 1 + k % 12, 1 + k % 28)

    cadres = [
        Record(k, names_[k], _number(county, born(k), k % 500), born(k), region(1, 1 + k % 9))
        for k in range(200)
    ]
    filler = [Record(1000 + k, names_[200 + k], birth_date=born(k + 7)) for k in range(2900)]
    namesakes = [
        Record(5000 + k, names_[k], _number(county, born(k), 500 + k), born(k), region(2, 1))
        for k in range(1, 41)
    ]
    target = Record(9, names_[0], "", born(0), region(3, 4))

    def score(people: list[Record]) -> float:
        index = PersonIndex(columns_of([target, *people]))
        result = match_columns(columns_of(cadres), index, threshold=0.0)
        hit = (result.left == 0) & (index.cols.keys[result.right] == 9)
        return float(result.score[hit][0])

    assert score(filler) >= CONFIRMED
    assert REVIEW <= score(filler + namesakes) < CONFIRMED
    alone = estimate_dependence(columns_of(filler), columns_of(cadres), Model.fitted().u)
    assert alone["birth"].max() < 0.2 and alone["region"].max() < 0.2


def test_a_few_names_are_encoded_as_a_whole_column_would_be(monkeypatch):
    """One new cadre's characters are found by sorting them, a roster's by a table of
    every code point: both give the same columns."""
    from matching import columns

    raw = ["張偉", "欧阳小明", "阿不都·热合曼", "单雄信", "ＬＩ"]
    few = columns.encode(raw, [""] * len(raw))
    monkeypatch.setattr(columns, "SMALL", 0)
    monkeypatch.setattr(columns, "_TABLES", None)
    many = columns.encode(raw, [""] * len(raw))
    for name, value in few.__dict__.items():
        assert np.array_equal(value, many.__dict__[name]), name


def test_candidates_merged_as_they_pile_up_are_the_same_pairs(monkeypatch):
    from matching import engine
    from matching.engine import PersonIndex, columns_of

    rng = np.random.default_rng(8)
    names_ = _people(rng, 60)
    born = date(1980, 5, 6)
    cadres = [Record(k, names_[k % 20], birth_date=born, region_code=VILLAGE) for k in range(30)]
    people = [
        Record(100 + k, n, birth_date=born, region_code=VILLAGE) for k, n in enumerate(names_)
    ]
    index = PersonIndex(columns_of(people))
    left = columns_of(cadres)
    at_once = index.candidates(left)
    monkeypatch.setattr(engine, "MERGE", 1)
    merged = index.candidates(left)
    assert len(at_once[0]) > 30
    assert np.array_equal(at_once[0], merged[0]) and np.array_equal(at_once[1], merged[1])
