"""Record sets as NumPy columns, built without a Python pass per record.

Strings arrive as NumPy unicode arrays and are read as matrices of code points:
normalisation, pinyin and ID parsing are table look-ups per *distinct character*
(a few thousand), never per name.  Every name is also reduced to 61-bit hashes
(the written form, its pinyin, its pinyin with one character left out, its
pinyin with the given-name characters sorted) that blocking joins on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

import numpy as np
import numpy.typing as npt

from matching import ids, names, surnames

I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]
Bools = npt.NDArray[np.bool_]

#: Characters of a name kept as pinyin columns (longer names are still compared whole
#: by their written-form hash).
WIDTH = 6
ID_LENGTH = 18
BASE = 11  # digits 0-9 and X
CHECK_VALUES = np.array([1, 0, 10, 9, 8, 7, 6, 5, 4, 3, 2], dtype=np.int8)  # "10X98765432"
ID_WEIGHTS = np.array(ids.WEIGHTS, dtype=np.int64)
UNICODE = 0x110000
#: Below this many code points a column's characters are found by sorting them, not
#: by marking a table of every code point.
SMALL = 1 << 16
#: Day number (date.toordinal) of 1970-01-01, to move between datetime64 and ordinals.
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()

_rng = np.random.default_rng(20260127)
_MULT = (_rng.integers(1, 2**63, size=64, dtype=np.uint64) * np.uint64(2) + np.uint64(1)).astype(
    np.uint64
)
_MASK61 = np.uint64((1 << 61) - 1)


def mix(h: npt.NDArray[np.uint64]) -> I64:
    """A 64-bit finaliser (splitmix64), folded to a non-negative 61-bit integer."""
    with np.errstate(over="ignore"):
        h = h ^ (h >> np.uint64(30))
        h = h * np.uint64(0xBF58476D1CE4E5B9)
        h = h ^ (h >> np.uint64(27))
        h = h * np.uint64(0x94D049BB133111EB)
        h = h ^ (h >> np.uint64(31))
    return (h & _MASK61).astype(np.int64)


def hash_rows(matrix: npt.NDArray[np.integer], salt: int = 0) -> I64:
    """A hash of each row; zeros are padding and contribute nothing."""
    m = matrix.astype(np.uint64)
    with np.errstate(over="ignore"):
        acc = (m * _MULT[: m.shape[1]]).sum(axis=1, dtype=np.uint64)
        acc = acc + np.uint64((salt * 0x9E3779B97F4A7C15) % 2**64)
    return mix(acc)


def combine(*parts: I64, salt: int = 0) -> I64:
    """One hash of several integer columns (all assumed non-negative)."""
    acc = np.full(parts[0].shape, (salt * 0x9E3779B97F4A7C15) % 2**64, np.uint64)
    with np.errstate(over="ignore"):
        for k, part in enumerate(parts):
            acc += part.astype(np.uint64) * _MULT[k + 8]
    return mix(acc)


@dataclass
class Columns:
    """A record set as arrays.  -1 marks an unknown value in every integer column."""

    keys: I64
    id_code: I64  # the 18 characters in base 11
    id_digits: npt.NDArray[np.int8]  # (n, 18)
    has_id: Bools
    valid_id: Bools  # 18 characters as written, with the right check character
    weak_id: Bools  # a number without a check character of its own: 15-digit, or a wrong one
    legacy_id: Bools  # written in the 15-digit form: its check character is computed, not written
    name_hash: I64  # written form, normalised
    length: npt.NDArray[np.int8]
    syllables: I32  # (n, WIDTH) first reading of each character, -1 padding
    sound: I64  # pinyin of the whole name (first readings)
    sound_alt: I64  # pinyin with every heteronym's second reading (= sound when none)
    given_sorted: I64  # surname + given-name syllables sorted; -1 below three characters
    deletions: I64  # (n, WIDTH) pinyin with character k left out; -1 past the end
    tail: I32  # syllable of the last character; -1 below two characters
    nick: Bools  # written as a pet name: 小X, 阿X, 王小X or 王XX
    nick_surname: I32  # syllable of the surname, -1 for 小X and 阿X (none written)
    birth: I64  # date ordinal
    year: I32
    month: I32
    day: I32
    village: I64
    township: I64
    county: I64

    def __len__(self) -> int:
        return len(self.keys)

    def take(self, rows: I64) -> Columns:
        return Columns(**{k: v[rows] for k, v in self.__dict__.items()})


def _as_unicode(values: Sequence[str] | npt.NDArray[np.str_], width: int = 0) -> np.ndarray:
    arr = np.asarray(values, dtype=np.str_)
    if arr.ndim != 1:
        arr = arr.reshape(-1)
    chars = arr.dtype.itemsize // 4
    if chars < max(width, 1):
        arr = arr.astype(f"<U{max(width, 1)}")
    return arr


def _codepoints(arr: np.ndarray) -> npt.NDArray[np.uint32]:
    width = arr.dtype.itemsize // 4
    return np.ascontiguousarray(arr).view(np.uint32).reshape(len(arr), width)


def parse_ids(values: Sequence[str] | npt.NDArray[np.str_]) -> tuple[np.ndarray, Bools, Bools]:
    """(digits (n, 18) int8 with -1 where absent, has_id, valid) — ``ids.canonical``
    and ``ids.is_valid`` over a whole column; odd shapes fall back to Python."""
    digits, has, valid, _ = parse_ids_legacy(values)
    return digits, has, valid


def parse_ids_legacy(
    values: Sequence[str] | npt.NDArray[np.str_],
) -> tuple[np.ndarray, Bools, Bools, Bools]:
    """``parse_ids``, and which numbers were written in the 15-digit form.

    A 15-digit number gains its century and a computed check character, but is not
    *valid* here: nobody wrote that check character, so it cannot tell a typo from
    another person."""
    arr = _as_unicode(values, ID_LENGTH)
    n = len(arr)
    cps = _codepoints(arr)
    lengths = np.count_nonzero(cps, axis=1)
    d = cps[:, :ID_LENGTH].view(np.int32) - 48  # code points < 2**31
    digit = (d >= 0) & (d <= 9)
    is18 = (lengths == 18) & digit[:, :17].all(axis=1) & (digit[:, 17] | (d[:, 17] == 40))
    is15 = (lengths == 15) & digit[:, :15].all(axis=1)
    digits = np.full((n, ID_LENGTH), -1, dtype=np.int8)
    digits[is18] = np.where(d[is18] == 40, 10, d[is18])
    if is15.any():
        rows = np.flatnonzero(is15)
        d15 = d[rows, :15]
        first17 = np.concatenate([d15[:, :6], np.tile([1, 9], (len(rows), 1)), d15[:, 6:]], axis=1)
        digits[rows, :17] = first17
        digits[rows, 17] = CHECK_VALUES[(first17 @ ID_WEIGHTS) % 11]
    legacy = is15.copy()
    odd = np.flatnonzero(~(is18 | is15) & (lengths > 0))
    for row in odd:
        number = ids.canonical(str(arr[row]))
        if number:
            digits[row] = [10 if c == "X" else int(c) for c in number]
            legacy[row] = ids.is_legacy(str(arr[row]))
    has = digits[:, 0] >= 0
    body = digits[:, :17].astype(np.int32)
    computed = CHECK_VALUES[(body @ ID_WEIGHTS.astype(np.int32)) % 11]
    valid = has & (digits[:, 17] == computed) & (body <= 9).all(axis=1) & ~legacy
    return digits, has, valid, legacy & has


def id_code(digits: npt.NDArray[np.int8], has: Bools) -> I64:
    powers = BASE ** np.arange(ID_LENGTH, dtype=np.int64)
    return np.where(has, np.clip(digits, 0, None).astype(np.int64) @ powers, -1)


def births(
    given: Sequence[date | None] | npt.NDArray[np.datetime64] | None,
    digits: npt.NDArray[np.int8],
    has: Bools,
) -> I64:
    """Date ordinals: the given date, else the one written in the ID, else -1."""
    n = len(has)
    if given is None:
        out = np.full(n, -1, dtype=np.int64)
    elif isinstance(given, np.ndarray) and np.issubdtype(given.dtype, np.datetime64):
        days = given.astype("datetime64[D]")
        out = np.where(np.isnat(days), -1, days.astype(np.int64) + EPOCH_ORDINAL)
    else:
        out = np.array([d.toordinal() if d is not None else -1 for d in given], dtype=np.int64)
    need = (out < 0) & has
    if need.any():
        d = digits[need].astype(np.int64)
        y = d[:, 6] * 1000 + d[:, 7] * 100 + d[:, 8] * 10 + d[:, 9]
        m = d[:, 10] * 10 + d[:, 11]
        day = d[:, 12] * 10 + d[:, 13]
        ok = (m >= 1) & (m <= 12) & (day >= 1) & (y >= 1800) & (y <= 2200)
        month = ((y - 1970) * 12 + np.clip(m, 1, 12) - 1).astype("datetime64[M]")
        dt = month.astype("datetime64[D]") + (np.clip(day, 1, 31) - 1)
        ok &= dt.astype("datetime64[M]") == month
        out[np.flatnonzero(need)] = np.where(ok, dt.astype(np.int64) + EPOCH_ORDINAL, -1)
    return out


def _ymd(birth: I64) -> tuple[I32, I32, I32]:
    known = birth >= 0
    days = np.where(known, birth - EPOCH_ORDINAL, 0).astype("datetime64[D]")
    months = days.astype("datetime64[M]")
    year = months.astype("datetime64[Y]").astype(np.int64) + 1970
    month = months.astype(np.int64) % 12 + 1
    day = (days - months.astype("datetime64[D]")).astype(np.int64) + 1
    return (
        np.where(known, year, -1).astype(np.int32),
        np.where(known, month, -1).astype(np.int32),
        np.where(known, day, -1).astype(np.int32),
    )


class _CharTables:
    """Per code point: its normalised code point and two syllable codes, filled lazily."""

    def __init__(self) -> None:
        self.known = np.zeros(UNICODE, dtype=bool)
        self.known[0] = True
        self.normal = np.zeros(UNICODE, dtype=np.uint32)
        self.complex = np.zeros(UNICODE, dtype=bool)  # normalises to several characters
        self.first = np.full(UNICODE, -1, dtype=np.int32)
        self.second = np.full(UNICODE, -1, dtype=np.int32)
        self.mark = np.zeros(UNICODE, dtype=bool)  # between the parts of a transliterated name
        self.mark[[ord(c) for c in surnames.TRANSLITERATION_MARKS]] = True

    def learn(self, cps: npt.NDArray[np.uint32]) -> None:
        present: npt.NDArray[np.integer]
        if cps.size < SMALL:  # one new cadre: no pass over every code point
            present = np.unique(cps)
        else:
            seen = np.zeros(UNICODE, dtype=bool)
            seen[cps.ravel()] = True
            present = np.flatnonzero(seen)
        for cp in present[~self.known[present]]:
            text = names.normalise_char(chr(cp))
            if len(text) == 1:
                self.normal[cp] = ord(text)
            elif len(text) > 1:
                self.complex[cp] = True
            self.known[cp] = True
        targets = np.unique(self.normal[present])
        for code in targets[(targets != 0) & (self.first[targets] < 0)]:
            self.first[code], self.second[code] = names.char_syllables(chr(code))


_TABLES: _CharTables | None = None


def _tables() -> _CharTables:
    global _TABLES  # noqa: PLW0603 - one lazily built table per process
    if _TABLES is None:
        _TABLES = _CharTables()
    return _TABLES


def _normalised_codepoints(
    values: Sequence[str] | npt.NDArray[np.str_],
) -> tuple[np.ndarray, Bools]:
    """The names' normalised code points (gaps closed), and which names were written
    as transliterations (阿不都·热合曼: no Chinese surname)."""
    arr = _as_unicode(values)
    cps = _codepoints(arr)
    tables = _tables()
    marked = np.count_nonzero(tables.mark[cps], axis=1) > 0
    tables.learn(cps)
    complex_rows = np.flatnonzero(tables.complex[cps].any(axis=1))
    if len(complex_rows):
        fixed = [names.normalise_name(str(arr[r])) for r in complex_rows]
        width = max(cps.shape[1], max(len(f) for f in fixed))
        wide = np.zeros((len(cps), width), dtype=np.uint32)
        wide[:, : cps.shape[1]] = tables.normal[cps]
        wide[complex_rows] = _codepoints(np.array(fixed, dtype=f"<U{width}"))
        norm = wide
        tables.learn(norm)
    else:
        norm = tables.normal[cps]
    gaps = (norm == 0) & (np.cumsum(norm[:, ::-1] != 0, axis=1)[:, ::-1] > 0)
    rows = np.flatnonzero(gaps.any(axis=1))
    if len(rows):  # separators removed mid-name: close the gaps
        order = np.argsort(norm[rows] == 0, axis=1, kind="stable")
        norm[rows] = np.take_along_axis(norm[rows], order, axis=1)
    return norm, marked


@cache
def _surname_tables() -> tuple[npt.NDArray[np.uint32], I32, npt.NDArray[np.int64], I32]:
    """The surname tables as sorted keys and syllable codes: single surnames (code
    point; first, second reading) and compound ones (two code points; first reading
    of each).  Built once: syllable codes are stable for the life of the process."""
    singles = sorted(surnames.SINGLE)
    single_cps = np.array([ord(c) for c in singles], dtype=np.uint32)
    single_codes = np.array([names.surname_syllables(c)[0] for c in singles], dtype=np.int32)
    compounds = sorted(surnames.COMPOUND, key=lambda s: ord(s[0]) * UNICODE + ord(s[1]))
    pair_keys = np.array([ord(s[0]) * UNICODE + ord(s[1]) for s in compounds], dtype=np.int64)
    pair_codes = np.array(
        [[code for code, _ in names.surname_syllables(s)] for s in compounds], dtype=np.int32
    )
    return single_cps, single_codes.reshape(-1, 2), pair_keys, pair_codes.reshape(-1, 2)


def _lookup(keys: npt.NDArray[np.integer], values: np.ndarray) -> tuple[I64, Bools]:
    """(position, found) of each of ``values`` in the sorted ``keys``."""
    at = np.minimum(np.searchsorted(keys, values), len(keys) - 1)
    return at, keys[at] == values


def read_surnames(
    head: npt.NDArray[np.uint32],
    length: npt.NDArray[np.int8],
    marked: Bools,
    first: I32,
    second: I32,
) -> None:
    """Read the surname as a surname, in place in ``first`` and ``second`` (the first
    two readings of each character): a listed surname by its table, a compound
    surname before a given name by its one reading per character, any other by its
    first reading only.  A single character or a transliterated name is left as is."""
    single_cps, single_codes, pair_keys, pair_codes = _surname_tables()
    rows = np.flatnonzero((length >= 2) & ~marked)
    second[rows, 0] = first[rows, 0]
    at, found = _lookup(single_cps, head[rows, 0])
    first[rows[found], 0] = single_codes[at[found], 0]
    second[rows[found], 0] = single_codes[at[found], 1]
    rows = rows[length[rows] >= 3]
    pairs = head[rows, 0].astype(np.int64) * UNICODE + head[rows, 1]
    at, found = _lookup(pair_keys, pairs)
    for k in range(2):
        first[rows[found], k] = second[rows[found], k] = pair_codes[at[found], k]


def encode(
    names_: Sequence[str] | npt.NDArray[np.str_],
    id_numbers: Sequence[str] | npt.NDArray[np.str_],
    birth_dates: Sequence[date | None] | npt.NDArray[np.datetime64] | None = None,
    region_codes: Sequence[str] | npt.NDArray[np.str_] | None = None,
    keys: Sequence[int] | I64 | None = None,
) -> Columns:
    """Columns of a record set given as parallel sequences or NumPy arrays."""
    n = len(names_)
    digits, has, valid, legacy = parse_ids_legacy(id_numbers if n else np.array([], "<U18"))
    if n:
        norm, marked = _normalised_codepoints(names_)
    else:
        norm, marked = np.zeros((0, WIDTH), np.uint32), np.zeros(0, bool)
    tables = _tables()
    length = np.minimum((norm != 0).sum(axis=1), 127).astype(np.int8)
    name_hash = hash_rows(norm)
    head = np.zeros((n, WIDTH), dtype=np.uint32)
    head[:, : min(WIDTH, norm.shape[1])] = norm[:, :WIDTH]
    present = head != 0
    first = np.where(present, tables.first[head], -1).astype(np.int32)
    second = np.where(present, tables.second[head], -1).astype(np.int32)
    read_surnames(head, length, marked, first, second)
    sound = hash_rows(first + 1, salt=1)
    sound_alt = hash_rows(second + 1, salt=1)
    deletions = np.full((n, WIDTH), -1, dtype=np.int64)
    for k in range(min(WIDTH, int(length.max(initial=0)))):
        dropped = np.concatenate([np.delete(first, k, axis=1), np.full((n, 1), -1)], axis=1)
        deletions[:, k] = np.where((length > k) & (length >= 2), hash_rows(dropped + 1, 1), -1)
    given = np.sort(np.where(first[:, 1:] >= 0, first[:, 1:], np.iinfo(np.int32).max), axis=1)
    given = np.where(given == np.iinfo(np.int32).max, -1, given)
    given_sorted = np.where(
        length >= 3, hash_rows(np.concatenate([first[:, :1], given], axis=1) + 1, 2), -1
    )
    rows = np.arange(n)
    last = np.clip(length.astype(np.int64) - 1, 0, WIDTH - 1)
    tail = np.where(length >= 2, first[rows, last] if n else -1, -1).astype(np.int32)
    xiao, a = ord("小"), ord("阿")
    pet_alone = (length == 2) & ((head[:, 0] == xiao) | (head[:, 0] == a))
    pet_named = (length == 3) & ((head[:, 1] == xiao) | (head[:, 1] == head[:, 2]))
    nick_surname = np.where(pet_alone, -1, first[:, 0]).astype(np.int32)
    empty = length == 0
    name_hash, sound, sound_alt = (np.where(empty, -1, h) for h in (name_hash, sound, sound_alt))
    birth = births(birth_dates, digits, has)
    year, month, day = _ymd(birth)
    village = np.full(n, -1, dtype=np.int64)
    township = np.full(n, -1, dtype=np.int64)
    county = np.full(n, -1, dtype=np.int64)
    if region_codes is not None and n:
        regions = _codepoints(_as_unicode(region_codes, 12))
        d = regions[:, :12].view(np.int32) - 48
        ok = ((d >= 0) & (d <= 9)).all(axis=1) & (np.count_nonzero(regions, axis=1) == 12)
        codes = d @ (10 ** np.arange(11, -1, -1, dtype=np.int64))
        village = np.where(ok, codes, -1)
        township = np.where(ok, codes // 1000, -1)
        county = np.where(ok, codes // 1_000_000, -1)
    return Columns(
        keys=np.arange(n, dtype=np.int64) if keys is None else np.asarray(keys, dtype=np.int64),
        id_code=id_code(digits, has),
        id_digits=digits,
        has_id=has,
        valid_id=valid,
        weak_id=has & ~valid,
        legacy_id=legacy,
        name_hash=name_hash,
        length=length,
        syllables=first,
        sound=sound,
        sound_alt=sound_alt,
        given_sorted=given_sorted,
        deletions=deletions,
        tail=tail,
        nick=pet_alone | pet_named,
        nick_surname=nick_surname,
        birth=birth,
        year=year,
        month=month,
        day=day,
        village=village,
        township=township,
        county=county,
    )
