"""Chinese names: one written form, and pinyin keys for blocking and homophones."""

from __future__ import annotations

import itertools
import unicodedata
from functools import cache, lru_cache

import zhconv
from pypinyin import Style, pinyin

from matching import surnames

#: Separators in transliterated and minority names: 阿不都·热合曼, 阿不都•热合曼 …
SEPARATORS = str.maketrans("", "", "·•‧・.．-－ 　\t")
#: Heteronym keys per name are capped: a few readings per character keep blocking tight.
MAX_KEYS = 4


@lru_cache(maxsize=200_000)
def normalise_name(raw: str) -> str:
    """Half-width, without spaces or middle dots, in simplified characters."""
    text = unicodedata.normalize("NFKC", raw).translate(SEPARATORS)
    return zhconv.convert(text, "zh-cn")


@lru_cache(maxsize=200_000)
def readings(name: str, *, tones: bool) -> tuple[str, ...]:
    """Pinyin of the whole name, one key per combination of readings, at most
    MAX_KEYS: the surname as a surname is read (单 shan, 曾 zeng, 欧阳 ou yang; any
    other surname by its first reading only), each given-name character by its first
    two readings (heteronyms such as 乐 le/yue)."""
    style = Style.TONE3 if tones else Style.NORMAL
    normal = normalise_name(name)
    per_char = pinyin(normal, style=style, heteronym=True, errors="default")
    options = [list(dict.fromkeys(chars))[:2] for chars in per_char]
    surname = surnames.surname_length(name, normal)
    for k, syllables in enumerate(surname_readings(normal[:surname], tones=tones)):
        options[k] = list(syllables) or options[k][:1]
    keys = (" ".join(combo) for combo in itertools.product(*options))
    return tuple(itertools.islice(keys, MAX_KEYS))


@cache
def surname_readings(surname: str, *, tones: bool) -> tuple[tuple[str, ...], ...]:
    """Readings of each character of a surname from the tables in
    ``matching.surnames``; () for a character they do not list (read by its first
    reading)."""
    if surname in surnames.COMPOUND:
        table: tuple[tuple[str, ...], ...] = tuple((r,) for r in surnames.COMPOUND[surname])
    else:
        table = tuple(surnames.SINGLE.get(char, ()) for char in surname)
    if tones:
        return table
    return tuple(tuple(dict.fromkeys(map(surnames.toneless, chars))) for chars in table)


def toned_keys(name: str) -> tuple[str, ...]:
    return readings(name, tones=True)


def toneless_keys(name: str) -> tuple[str, ...]:
    return readings(name, tones=False)


#: Syllable vocabulary shared by every column built in this process: codes are
#: stable for the life of the process, so an index built once can be queried later.
_SYLLABLES: dict[str, int] = {}


def syllable_code(syllable: str) -> int:
    return _SYLLABLES.setdefault(syllable, len(_SYLLABLES))


@cache
def normalise_char(char: str) -> str:
    """One character as ``normalise_name`` would write it (possibly "" or several)."""
    return normalise_name(char)


@cache
def char_syllables(char: str) -> tuple[int, int]:
    """Codes of the first two toneless readings of one (normalised) character; the
    second equals the first when the character has a single reading."""
    readings_ = pinyin(char, style=Style.NORMAL, heteronym=True, errors="default")
    options = list(dict.fromkeys(readings_[0])) if readings_ and readings_[0] else [char]
    first = syllable_code(options[0])
    second = syllable_code(options[1]) if len(options) > 1 else first
    return first, second


@cache
def surname_syllables(surname: str) -> tuple[tuple[int, int], ...]:
    """``char_syllables`` of each character of a (normalised) surname, one or two
    characters, read as a surname: two codes where the tables keep two readings,
    else the surname reading (or the first reading) twice."""
    codes = []
    for char, listed in zip(surname, surname_readings(surname, tones=False), strict=True):
        options = listed or (_first_reading(char),)
        first = syllable_code(options[0])
        second = syllable_code(options[1]) if len(options) > 1 else first
        codes.append((first, second))
    return tuple(codes)


def _first_reading(char: str) -> str:
    readings_ = pinyin(char, style=Style.NORMAL, heteronym=True, errors="default")
    return readings_[0][0] if readings_ and readings_[0] else char
