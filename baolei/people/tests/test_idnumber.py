"""GB 11643 resident ID numbers, as properties over generated numbers and as examples."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from baolei.people import idnumber
from baolei.people.idnumber import IdNumberError

TODAY = date(2026, 1, 1)

areas = st.integers(100000, 999999).map(str)
sequences = st.integers(0, 999).map(lambda n: f"{n:03d}")


@st.composite
def valid_numbers(draw: st.DrawFn) -> str:
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
    first17 = draw(areas) + f"{born:%Y%m%d}" + draw(sequences)
    return first17 + idnumber.check_char(first17)


@st.composite
def legacy_numbers(draw: st.DrawFn) -> str:
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)))
    return draw(areas) + f"{born:%y%m%d}" + draw(sequences)


@given(valid_numbers())
def test_any_seventeen_digits_with_their_check_character_validate(number: str) -> None:
    assert idnumber.validate(number, today=TODAY) == number
    assert idnumber.birth_date(number) == date(
        int(number[6:10]), int(number[10:12]), int(number[12:14])
    )
    assert idnumber.sex(number) == ("male" if int(number[16]) % 2 else "female")


@given(valid_numbers(), st.integers(0, 17), st.sampled_from("0123456789X"))
def test_changing_any_single_character_invalidates(number: str, index: int, char: str) -> None:
    assume(char != number[index] and (char != "X" or index == 17))
    changed = number[:index] + char + number[index + 1 :]
    with pytest.raises(IdNumberError):
        idnumber.validate(changed, today=TODAY)


@given(valid_numbers(), st.sampled_from("0123456789X"))
def test_a_wrong_check_character_names_the_right_one(number: str, char: str) -> None:
    assume(char != number[17])
    with pytest.raises(IdNumberError) as refused:
        idnumber.validate(number[:17] + char, today=TODAY)
    assert refused.value.message == f"身份证号码校验位错误，应为 {number[17]}"


@given(legacy_numbers())
def test_fifteen_digits_become_eighteen_keeping_area_and_sequence(number: str) -> None:
    upgraded = idnumber.validate(number, today=TODAY)
    assert len(upgraded) == 18
    assert upgraded[:6] == number[:6]
    assert upgraded[14:17] == number[12:15]
    assert upgraded[6:14] == "19" + number[6:12]
    assert idnumber.validate(upgraded, today=TODAY) == upgraded


@given(areas, st.dates(min_value=date(1900, 1, 1), max_value=TODAY), st.integers(0, 99))
def test_lowercase_x_and_full_width_digits_are_normalised(area: str, born: date, n: int) -> None:
    first16 = area + f"{born:%Y%m%d}" + f"{n:02d}"
    ending_in_x = [first16 + d for d in "0123456789" if idnumber.check_char(first16 + d) == "X"]
    assume(ending_in_x)
    number = ending_in_x[0] + "X"
    typed = " " + number[:9].translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    typed += " " + number[9:17] + "x "
    assert idnumber.validate(typed, today=TODAY) == number


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("5299011985030212", "身份证号码应为18位（旧证15位），现为16位"),
        ("52990119850302123A", "身份证号码前17位应为数字，最后一位为数字或 X"),
        ("52990185030212X", "15位身份证号码应全部为数字"),
        ("029901198503021236", "身份证号码前6位地址码无效"),
        ("529901198502301236", "身份证号码中的出生日期 19850230 不存在"),
        ("529901189912311236", "身份证号码中的出生日期 18991231 早于1900年"),
        ("529901202601021236", "身份证号码中的出生日期 20260102 晚于今天"),
        ("529901198503021235", "身份证号码校验位错误，应为 6"),
    ],
)
def test_each_fault_is_told_in_chinese(typed: str, message: str) -> None:
    with pytest.raises(IdNumberError) as refused:
        idnumber.validate(typed, today=TODAY)
    assert refused.value.message == message
    assert isinstance(refused.value, ValueError)


def test_known_numbers() -> None:
    assert idnumber.validate("52010219780412567x", today=TODAY) == "52010219780412567X"
    assert idnumber.validate("529901850302123", today=TODAY) == "529901198503021236"
    assert idnumber.sex("529901198503021236") == "male"
    assert idnumber.sex("529902197208150029") == "female"
    assert idnumber.birth_date("529902197208150029") == date(1972, 8, 15)


def test_mask_keeps_four_and_four() -> None:
    assert idnumber.mask("52010219780412567X") == "5201**********567X"
    assert idnumber.mask("529901850302123") == "5299*******2123"
