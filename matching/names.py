"""Chinese names: one written form, and pinyin keys for blocking and homophones."""

from __future__ import annotations

import itertools
import unicodedata
from functools import cache, lru_cache

import zhconv
from pypinyin import Style, pinyin

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
    """Pinyin of the whole name, one key per combination of the first two readings
    of each character (heteronyms such as 单 dan/shan), at most MAX_KEYS."""
    style = Style.TONE3 if tones else Style.NORMAL
    per_char = pinyin(normalise_name(name), style=style, heteronym=True, errors="default")
    options = [list(dict.fromkeys(chars))[:2] for chars in per_char]
    keys = (" ".join(combo) for combo in itertools.product(*options))
    return tuple(itertools.islice(keys, MAX_KEYS))


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
