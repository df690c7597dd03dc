"""Chinese names: one written form, and pinyin keys for blocking and homophones."""

from __future__ import annotations

import itertools
import unicodedata
from functools import lru_cache

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
