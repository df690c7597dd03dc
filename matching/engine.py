"""Blocking and scoring of two record sets, column by column with NumPy.

Records become columns once (``matching.columns``: table look-ups per distinct
character, never a Python pass per name).  The person set is indexed once
(``PersonIndex``: one sorted key array per blocking rule), so a whole roster or a
single newly appointed cadre is blocked by ``searchsorted``.  Every comparison is
an array operation over all candidate pairs.

The score is Fellegi–Sunter: a sum of log-likelihood ratios ln(m/u) per compared
field, m being how often a true pair shows a level and u how often an unrelated
pair does.  They are learned in two steps.  ``bench/fit_weights.py`` fits them on
generated data with known truth (``matching.weights``); that is the prior.  Each
run then estimates its own, unsupervised, as Splink does (``estimate_model``): u
from random pairs of the run's own records, m by EM over its candidate pairs, both
pulled towards the prior by how much the run has to say and never further than
EM_BOUND from it, so a small run cannot drift.  Fields are not taken as
independent among namesakes (``estimate_dependence``): how often two people of
the run's records who share a name also share a birth date and a place lowers
those weights where name and birth date agree.  Agreement on a name is weighted by
how common the name is in the person set (term frequency).  The prior — how many
records per cadre are the same person — is re-estimated by EM with them, so the
score reads as a calibrated probability in [0, 1].  A number without a check
character of its own (15-digit, or a wrong one) is weak evidence; two different
valid 18-digit numbers are never a confirmed pair.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from matching import weights
from matching.columns import Columns, combine, encode

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
Levels = npt.NDArray[np.int8]
Bools = npt.NDArray[np.bool_]

#: Evidence names, in the order they are reported.
ID_EXACT = "id_exact"
ID_ONE_EDIT = "id_one_edit"
ID_CONFLICT = "id_conflict"
ID_WEAK_CONFLICT = "id_weak_conflict"
SAME_NAME = "same_name"
HOMOPHONE_NAME = "homophone_name"
NAME_SWAPPED = "name_swapped"
NAME_ONE_CHAR = "name_one_char"
NAME_DROPPED_CHAR = "name_dropped_char"
NICKNAME = "nickname"
SAME_BIRTH_DATE = "same_birth_date"
BIRTH_YEAR_OFF = "birth_year_off"
BIRTH_DAY_MONTH_SWAPPED = "birth_day_month_swapped"
BIRTH_DAY_OFF = "birth_day_off"
BIRTH_DATE_CONFLICT = "birth_date_conflict"
SAME_VILLAGE = "same_village"
SAME_TOWNSHIP = "same_township"
SAME_COUNTY = "same_county"

EVIDENCE_LABELS = {
    ID_EXACT: "身份证号码一致",
    ID_ONE_EDIT: "身份证号码仅差一位或相邻两位颠倒",
    ID_CONFLICT: "身份证号码不同",
    ID_WEAK_CONFLICT: "身份证号码不同（一方为15位或校验位不符，仅作参考）",
    SAME_NAME: "姓名相同",
    HOMOPHONE_NAME: "姓名同音",
    NAME_SWAPPED: "名字两字颠倒",
    NAME_ONE_CHAR: "姓名仅一字读音不同",
    NAME_DROPPED_CHAR: "姓名少一字",
    NICKNAME: "小名与姓名末字相同",
    SAME_BIRTH_DATE: "出生日期相同",
    BIRTH_YEAR_OFF: "出生年份差一年",
    BIRTH_DAY_MONTH_SWAPPED: "出生日期月日颠倒",
    BIRTH_DAY_OFF: "出生年月相同、日不同",
    BIRTH_DATE_CONFLICT: "出生日期不同",
    SAME_VILLAGE: "同村",
    SAME_TOWNSHIP: "同乡镇",
    SAME_COUNTY: "同县",
}

#: Comparison levels per field; level 0 is "unknown on one side" and weighs nothing.
LEVELS = {
    "id": ("missing", "exact", "one_edit", "conflict_valid", "conflict_other"),
    "name": (
        "missing",
        "exact",
        "homophone",
        "swapped",
        "one_char",
        "dropped",
        "nickname",
        "other",
    ),
    "birth": ("missing", "exact", "year_off", "day_month_swapped", "day_off", "other"),
    "region": ("missing", "village", "township", "county", "other"),
}
FIELD_LABELS = {"id": "身份证号码", "name": "姓名", "birth": "出生日期", "region": "地区"}
LEVEL_LABELS = {
    "id": (
        "缺失",
        "一致",
        "差一位或相邻两位颠倒",
        "不同（均为有效18位）",
        "不同（15位或校验位不符）",
    ),
    "name": ("缺失", "相同", "同音", "名字两字颠倒", "一字读音不同", "少一字", "小名", "不同"),
    "birth": ("缺失", "相同", "年份差一年", "月日颠倒", "年月相同、日不同", "不同"),
    "region": ("缺失", "同村", "同乡镇", "同县", "不同县"),
}
EVIDENCE = {
    "id": (None, ID_EXACT, ID_ONE_EDIT, ID_CONFLICT, ID_WEAK_CONFLICT),
    "name": (
        None,
        SAME_NAME,
        HOMOPHONE_NAME,
        NAME_SWAPPED,
        NAME_ONE_CHAR,
        NAME_DROPPED_CHAR,
        NICKNAME,
        None,
    ),
    "birth": (
        None,
        SAME_BIRTH_DATE,
        BIRTH_YEAR_OFF,
        BIRTH_DAY_MONTH_SWAPPED,
        BIRTH_DAY_OFF,
        BIRTH_DATE_CONFLICT,
    ),
    "region": (None, SAME_VILLAGE, SAME_TOWNSHIP, SAME_COUNTY, None),
}
ID_CONFLICT_VALID = LEVELS["id"].index("conflict_valid")
ID_EXACT_LEVEL = LEVELS["id"].index("exact")
ID_ONE_EDIT_LEVEL = LEVELS["id"].index("one_edit")
NAME_EXACT = LEVELS["name"].index("exact")
NAME_HOMOPHONE = LEVELS["name"].index("homophone")
BIRTH_EXACT = LEVELS["birth"].index("exact")

CONFIRMED = 0.95
REVIEW = 0.2
#: Expected records per cadre that are the same person, before the data speak; EM
#: moves it, weighing the data as much as this many cadres' worth of prior.
PRESENCE = 0.02
PRESENCE_STRENGTH = 200.0
#: EM of m and u on each run's own pairs: the fitted weights are the prior, worth
#: M_STRENGTH true pairs for m and U_STRENGTH random pairs for u, and no weight
#: moves further than EM_BOUND (nats) from its prior.
M_STRENGTH = 200.0
U_STRENGTH = 20_000.0
U_MIN_EXPECTED = 5.0
U_SAMPLE = 200_000
EM_BOUND = 1.5
EM_ITERATIONS = 10
#: Pseudo-count (records) smoothing a name's frequency towards the fitted average.
TF_PSEUDO = 1000.0
#: Name-based blocks larger than this are skipped (an ID or a birth date must help).
MAX_BLOCK = 5000
#: The same for the place rules (surname within a village, last given-name character
#: within a township), which join on so little of the name: a village of one clan
#: must not propose its whole roll.
PLACE_BLOCK = 200
PLACE_RULES = ("surname+V", "tail+T")
CHUNK = 1 << 19
#: Candidate pairs found by blocking are merged (duplicates dropped) once this many
#: have piled up, so the rules' overlap never sits in memory all at once.
MERGE = 1 << 22

#: ID-typo blocking: each key blanks a window of four positions; windows overlap by
#: one, so any single change or swap of two adjacent characters stays inside one.
ID_WINDOWS = [(s, min(s + 4, 18)) for s in range(0, 16, 3)]
#: The same with the check character blanked too, joining a number without a check
#: character of its own (15-digit, or a wrong one) to any other: a typo in a 15-digit
#: number changes its computed check character as well.
WEAK_WINDOWS = [w for w in ID_WINDOWS if w[1] < 18]


@dataclass(frozen=True)
class Record:
    """One person as known to one source."""

    key: int
    name: str
    id_number: str = ""
    birth_date: date | None = None
    region_code: str = ""


@dataclass(frozen=True)
class Match:
    left: int
    right: int
    score: float
    evidence: tuple[str, ...]

    @property
    def confirmed(self) -> bool:
        return self.score >= CONFIRMED


def log_weights() -> dict[str, F64]:
    """ln(m/u) per field and level of the fitted weights; the unknown level weighs 0."""
    return Model.fitted().log_weights()


# --- blocking -------------------------------------------------------------------


def _ragged(parts: list[I64]) -> tuple[I64, I64]:
    """(row, key) for every non-negative key of every row, duplicates per row removed."""
    stacked = np.stack(parts, axis=1) if parts else np.zeros((0, 0), np.int64)
    n, k = stacked.shape
    rows = np.repeat(np.arange(n, dtype=np.int64), k)
    keys = stacked.ravel()
    keep = keys >= 0
    if k > 1:
        dup = np.zeros_like(stacked, dtype=bool)
        for j in range(1, k):
            dup[:, j] = (stacked[:, :j] == stacked[:, j : j + 1]).any(axis=1)
        keep &= ~dup.ravel()
    return rows[keep], keys[keep]


def _with_birth(rows: I64, keys: I64, part: I64) -> tuple[I64, I64]:
    b = part[rows]
    ok = b >= 0
    return rows[ok], keys[ok] ^ (b[ok] * 0x5851F42D4C957F2D)


_POWERS = 11 ** np.arange(18, dtype=np.int64)


def _id_window(cols: Columns, window: tuple[int, int], *, check: bool = False) -> tuple[I64, I64]:
    """The ID's base-11 code with the window's characters (and, with ``check``, the
    check character) blanked."""
    lo, hi = window
    rows = np.flatnonzero(cols.has_id)
    code = cols.id_code[rows]
    digits = cols.id_digits[rows, lo:hi].astype(np.int64)
    code = code - (digits * _POWERS[lo:hi]).sum(axis=1)
    if check:
        code = code - cols.id_digits[rows, 17].astype(np.int64) * _POWERS[17]
    return rows, code


def _birth_parts(cols: Columns) -> dict[str, I64]:
    known = cols.birth >= 0
    return {
        "Y": np.where(known, cols.year, -1).astype(np.int64),
        "MD": np.where(known, cols.month * 32 + cols.day, -1).astype(np.int64),
        "YM": np.where(known, cols.year * 12 + cols.month, -1).astype(np.int64),
        "YMD": cols.birth,
        "V": cols.village,
        "T": cols.township,
    }


#: Name-based blocking rules: (name part, birth part).  "-" means no birth part and
#: only pairs where one side's birth date is unknown; "V" and "T" are the village and
#: the township, not a date: a name changed past every name key (a pet name 阿春 for
#: 陈根春, a given-name character replaced and another dropped) is still found where
#: the place agrees, by the surname within the village or the last given-name
#: character within the township.
#: Name rules only propose pairs where at least one side has no valid 18-digit ID:
#: two valid IDs that differ by more than one edit are two people, whatever the names
#: say, but a 15-digit number (or one with a wrong check character) is weak evidence.
NAME_RULES = (
    ("sound", "Y"),
    ("sound", "MD"),
    ("sound", "-"),
    ("variants", "YMD"),
    ("variants", "YM"),
    ("variants", "MD"),
    ("variants3", "Y"),
    ("variants", "V"),
    ("tail", "YMD"),
    ("surname", "V"),
    ("tail", "T"),
)


def _name_parts(cols: Columns) -> dict[str, tuple[I64, I64]]:
    width = int(cols.length.max(initial=0))
    alt = np.where(cols.sound_alt != cols.sound, cols.sound_alt, -1)
    deletions = [cols.deletions[:, k] for k in range(min(width, cols.deletions.shape[1]))]
    long = cols.length >= 3
    return {
        "sound": _ragged([cols.sound, alt]),
        # Keys left equal by a typo, a dropped character or swapped given-name characters.
        "variants": _ragged([cols.sound, cols.given_sorted, *deletions]),
        # The last syllable, which a pet name keeps (王小强, 小强, 阿强 for 王志强).
        "tail": _ragged([np.where(cols.tail >= 0, cols.tail.astype(np.int64) * 7919 + 1, -1)]),
        # The surname's syllable, for a given name changed beyond the other keys.
        "surname": _ragged([np.where(cols.length >= 2, cols.syllables[:, 0].astype(np.int64), -1)]),
        # The same without single-syllable remainders, for rules with little else.
        "variants3": _ragged(
            [cols.sound, cols.given_sorted, *(np.where(long, d, -1) for d in deletions)]
        ),
    }


def blocking_keys(cols: Columns) -> Iterator[tuple[str, I64, I64]]:
    """(rule, rows, keys) for every blocking rule."""
    for window in ID_WINDOWS:
        rows, keys = _id_window(cols, window)
        yield f"id{window[0]}", rows, keys
    for window in WEAK_WINDOWS:
        rows, keys = _id_window(cols, window, check=True)
        yield f"idw{window[0]}", rows, keys
    parts = _name_parts(cols)
    births = _birth_parts(cols)
    for name, birth in NAME_RULES:
        rows, keys = parts[name]
        if birth != "-":
            rows, keys = _with_birth(rows, keys, births[birth])
        yield f"{name}+{birth}", rows, keys


def _flags(rule: str, cols: Columns, rows: I64) -> I64:
    """Per entry: has a valid ID * 2 + has a birth date (name rules); has a weak ID
    (``idw`` rules); 0 (exact ID windows)."""
    if rule.startswith("idw"):
        return cols.weak_id[rows].astype(np.int64)
    if rule.startswith("id"):
        return np.zeros(len(rows), np.int64)
    return cols.valid_id[rows].astype(np.int64) * 2 + (cols.birth[rows] >= 0)


def _ranges(rule: str, flag: int) -> list[tuple[int, int]]:
    """Right-side flag ranges [a, b) (flag as ``_flags``) that a left row with
    ``flag`` may be joined to under ``rule``."""
    has_id, has_birth = bool(flag & 2), bool(flag & 1)
    if rule.startswith("idw"):
        return [(0, 2)] if flag else [(1, 2)]
    if rule.startswith("id"):
        return [(0, 4)]
    if not rule.endswith("-") or not has_birth:
        return [(0, 2)] if has_id else [(0, 4)]
    return [(0, 1)] if has_id else [(0, 1), (2, 3)]


@dataclass
class _Rule:
    """Entries of one blocking rule sorted by (key, right-side flag)."""

    keyflag: I64  # key << 2 | flag
    rows: npt.NDArray[np.int32]


def _sorted_unique(parts: list[I64]) -> I64:
    """The distinct values of all parts, sorted (``np.unique`` with fewer copies)."""
    values = np.concatenate(parts) if len(parts) > 1 else parts[0].copy()
    parts.clear()
    values.sort()
    if len(values) < 2:
        return values
    keep = np.empty(len(values), dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


class PersonIndex:
    """The person set, columns plus one sorted key array per blocking rule.

    Keys, flags and row numbers are packed into one int64 per entry and sorted
    once; keys are truncated to the bits left over, and a collision of truncated
    keys only proposes an extra pair that scoring then rejects."""

    def __init__(self, cols: Columns, presence: float = PRESENCE) -> None:
        self.cols = cols
        self.presence = presence
        self.row_bits = max(int(len(cols)).bit_length(), 1)
        self.key_mask = np.int64((1 << (61 - self.row_bits)) - 1)
        self.rules: dict[str, _Rule] = {}
        row_mask = np.int64((1 << self.row_bits) - 1)
        for rule, rows, keys in blocking_keys(cols):
            packed = keys & self.key_mask
            packed <<= 2
            packed |= _flags(rule, cols, rows)
            packed <<= self.row_bits
            packed |= rows
            packed.sort()
            rows_sorted = (packed & row_mask).astype(np.int32)
            packed >>= self.row_bits
            self.rules[rule] = _Rule(packed, rows_sorted)
        self.name_counts = np.unique(cols.name_hash[cols.name_hash >= 0], return_counts=True)
        self.sound_counts = np.unique(cols.sound[cols.sound >= 0], return_counts=True)

    def __len__(self) -> int:
        return len(self.cols)

    def candidates(self, left: Columns) -> tuple[I64, I64]:
        """Unique (left row, right row) pairs sharing a blocking key."""
        width = max(len(self), 1)
        found: list[I64] = []  # left * width + right, merged as they pile up
        pending = 0
        for rule, rows, keys in blocking_keys(left):
            index = self.rules[rule]
            if not len(index.keyflag) or not len(keys):
                continue
            keys = (keys & self.key_mask) << 2
            order = np.argsort(keys, kind="stable")  # sorted probes walk the index in order
            rows, keys = rows[order], keys[order]
            flags = _flags(rule, left, rows)
            for flag in np.unique(flags).tolist():  # one flag for one new cadre
                sel = flags == flag
                for a, b in _ranges(rule, flag):
                    lo = np.searchsorted(index.keyflag, keys[sel] + a)
                    count = np.searchsorted(index.keyflag, keys[sel] + b) - lo
                    if rule in PLACE_RULES:
                        count[count > PLACE_BLOCK] = 0
                    elif not rule.startswith("id"):
                        count[count > MAX_BLOCK] = 0
                    total = int(count.sum())
                    if not total:
                        continue
                    starts = np.repeat(lo - (np.cumsum(count) - count), count)
                    codes = np.repeat(rows[sel], count)
                    codes *= width
                    codes += index.rows[starts + np.arange(total)]
                    found.append(codes)
                    pending += total
            if pending > MERGE:
                found = [_sorted_unique(found)]
                pending = 0
        if not found:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        codes = _sorted_unique(found)
        del found
        left_rows = codes // width
        codes -= left_rows * width
        return left_rows, codes

    def frequency(self, counts: tuple[I64, I64], values: I64) -> I64:
        uniq, n = counts
        pos = np.clip(np.searchsorted(uniq, values), 0, max(len(uniq) - 1, 0))
        if not len(uniq):
            return np.zeros(len(values), np.int64)
        return np.where(uniq[pos] == values, n[pos], 0)


# --- comparison -----------------------------------------------------------------


def compare(left: Columns, right: Columns, li: I64, ri: I64) -> dict[str, Levels]:
    """The level of every field for every pair (see LEVELS)."""
    both = left.has_id[li] & right.has_id[ri]
    a, b = left.id_digits[li], right.id_digits[ri]
    differs = a != b
    # A 15-digit number has no check character of its own: it is compared on its 17
    # digits.  A wrong check character is a typo only where the 17 digits agree: a
    # typo in them leaves the written check character as it was.
    body_same = ~differs[:, :17].any(axis=1)
    legacy = left.legacy_id[li] | right.legacy_id[ri]
    differs[:, 17] &= ~(legacy | (body_same & (left.weak_id[li] | right.weak_id[ri])))
    n_diff = differs.sum(axis=1)
    exact = both & (n_diff == 0)
    swapped = ((a[:, :-1] == b[:, 1:]) & (a[:, 1:] == b[:, :-1]) & differs[:, :-1]).any(axis=1)
    one = both & ((n_diff == 1) | ((n_diff == 2) & swapped))
    valid = left.valid_id[li] & right.valid_id[ri]
    id_level = np.select([~both, exact, one, valid], [0, 1, 2, 3], 4)

    ln, rn = left.length[li], right.length[ri]
    ls, rs, las, ras = left.sound[li], right.sound[ri], left.sound_alt[li], right.sound_alt[ri]
    homophone = (ls == rs) | (las == rs) | (ls == ras) | (las == ras)
    lg = left.given_sorted[li]
    swap = (lg >= 0) & (lg == right.given_sorted[ri])
    one_char = (ln == rn) & ((left.syllables[li] != right.syllables[ri]).sum(axis=1) == 1)
    dropped = ((ln == rn + 1) & (left.deletions[li] == rs[:, None]).any(axis=1)) | (
        (rn == ln + 1) & (right.deletions[ri] == ls[:, None]).any(axis=1)
    )
    ln_s, rn_s = left.nick_surname[li], right.nick_surname[ri]
    nickname = (
        (left.nick[li] | right.nick[ri])
        & (left.tail[li] >= 0)
        & (left.tail[li] == right.tail[ri])
        & ((ln_s == rn_s) | (ln_s < 0) | (rn_s < 0))
    )
    name_level = np.select(
        [
            (ln == 0) | (rn == 0),
            left.name_hash[li] == right.name_hash[ri],
            homophone,
            swap,
            nickname,  # 王小强 for 王志强 is one character off too, but says more
            one_char,
            dropped,
        ],
        [0, 1, 2, 3, 6, 4, 5],
        7,
    )

    lb, rb = left.birth[li], right.birth[ri]
    ly, lm, ld = left.year[li], left.month[li], left.day[li]
    ry, rm, rd = right.year[ri], right.month[ri], right.day[ri]
    birth_level = np.select(
        [
            (lb < 0) | (rb < 0),
            lb == rb,
            (np.abs(ly - ry) == 1) & (lm == rm) & (ld == rd),
            (ly == ry) & (lm == rd) & (ld == rm),
            (ly == ry) & (lm == rm),
        ],
        [0, 1, 2, 3, 4],
        5,
    )

    lv, rv = left.village[li], right.village[ri]
    region_level = np.select(
        [
            (lv < 0) | (rv < 0),
            lv == rv,
            left.township[li] == right.township[ri],
            left.county[li] == right.county[ri],
        ],
        [0, 1, 2, 3],
        4,
    )
    return {
        "id": id_level.astype(np.int8),
        "name": name_level.astype(np.int8),
        "birth": birth_level.astype(np.int8),
        "region": region_level.astype(np.int8),
    }


@dataclass(frozen=True)
class Model:
    """m and u per field and level (see LEVELS); the weight of a level is ln(m/u),
    and the unknown level weighs nothing.  ``dependence`` (nats, per level, see
    ``estimate_dependence``) is taken off a birth-date level where the names agree
    and off a region level where name and birth date agree."""

    m: dict[str, F64]
    u: dict[str, F64]
    dependence: dict[str, F64] = dataclasses.field(default_factory=dict)

    @classmethod
    def fitted(cls) -> Model:
        """The weights fitted on generated data (``matching.weights``): the prior."""
        return cls(
            m={f: np.asarray(v, dtype=np.float64) for f, v in weights.M.items()},
            u={f: np.asarray(v, dtype=np.float64) for f, v in weights.U.items()},
        )

    def log_weights(self) -> dict[str, F64]:
        out = {}
        for field, m in self.m.items():
            w = np.log(m) - np.log(self.u[field])
            w[0] = 0.0
            out[field] = w
        return out


@dataclass
class Pairs:
    """Candidate pairs compared: levels per field, and for a name agreement how many
    records of the person set carry that name (exact) or its pinyin (homophone)."""

    levels: dict[str, Levels]
    name_freq: I64  # -1 where the names neither agree nor sound alike
    n_right: int
    left: I64  # row numbers, sorted by (left, right) as ``PersonIndex.candidates`` gives
    right: I64


def compare_pairs(index: PersonIndex, left: Columns, li: I64, ri: I64) -> Pairs:
    right = index.cols
    levels: dict[str, list[Levels]] = {f: [] for f in LEVELS}
    freq = np.full(len(li), -1, dtype=np.int64)
    for start in range(0, len(li), CHUNK):
        cl, cr = li[start : start + CHUNK], ri[start : start + CHUNK]
        found = compare(left, right, cl, cr)
        for field, level in found.items():
            levels[field].append(level)
        part = freq[start : start + len(cl)]
        for lvl, column, counts in (
            (NAME_EXACT, right.name_hash, index.name_counts),
            (NAME_HOMOPHONE, right.sound, index.sound_counts),
        ):
            hit = found["name"] == lvl
            if hit.any():
                part[hit] = index.frequency(counts, column[cr[hit]])
    return Pairs(
        levels={f: np.concatenate(v) if v else np.zeros(0, np.int8) for f, v in levels.items()},
        name_freq=freq,
        n_right=len(right),
        left=li,
        right=ri,
    )


def total_weight(pairs: Pairs, model: Model) -> F64:
    """Sum of ln(m/u) over the fields of every pair, with the term-frequency
    adjustment: agreeing on a rare name says more than agreeing on 张伟."""
    table = model.log_weights()
    total = np.zeros(len(pairs.name_freq))
    for field, level in pairs.levels.items():
        total += table[field][level]
    if model.dependence:
        agree = np.flatnonzero(pairs.name_freq >= 0)  # names agree or sound alike
        birth = pairs.levels["birth"][agree]
        total[agree] -= model.dependence["birth"][birth]
        agree = agree[birth == BIRTH_EXACT]
        total[agree] -= model.dependence["region"][pairs.levels["region"][agree]]
    n = max(pairs.n_right, 1)
    for lvl in (NAME_EXACT, NAME_HOMOPHONE):
        hit = pairs.levels["name"] == lvl
        if hit.any():
            u0 = model.u["name"][lvl]
            u = (pairs.name_freq[hit] + TF_PSEUDO * u0) / (n + TF_PSEUDO)
            total[hit] += np.log(u0) - np.log(u)
    return total


def pair_weights(
    index: PersonIndex, left: Columns, li: I64, ri: I64, model: Model | None = None
) -> tuple[F64, dict[str, Levels]]:
    """Total ln(m/u) of every pair (under ``model``, by default the fitted one), and
    its levels."""
    pairs = compare_pairs(index, left, li, ri)
    return total_weight(pairs, model or Model.fitted()), pairs.levels


def prior_logit(presence: float, n_right: int) -> float:
    p = min(max(presence, 1e-9), 0.999) / max(n_right, 1)
    return float(np.log(p) - np.log1p(-p))


def _logistic(total: F64, logit: float) -> F64:
    """1 / (1 + exp(-(logit + total))) in one new array, not one per step."""
    out = total + logit
    np.negative(out, out=out)
    with np.errstate(over="ignore"):
        np.exp(out, out=out)
    out += 1.0
    np.reciprocal(out, out=out)
    return out


def estimate_presence(total: F64, n_left: int, n_right: int, start: float = PRESENCE) -> float:
    """EM for the prior alone (m and u fixed): expected same-person records per
    cadre, shrunk towards ``start`` with the weight of PRESENCE_STRENGTH cadres."""
    presence = start
    live = total[total > -prior_logit(1.0, n_right) - 30]  # the rest never count
    for _ in range(20):
        logit = prior_logit(presence, n_right)
        mass = sum(
            float(_logistic(live[k : k + CHUNK], logit).sum()) for k in range(0, len(live), CHUNK)
        )
        new = (mass + PRESENCE_STRENGTH * start) / (n_left + PRESENCE_STRENGTH)
        if abs(new - presence) < 1e-5:
            return float(new)
        presence = float(new)
    return presence


def _smoothed(counts: F64, total: float, prior: F64, strength: float) -> F64:
    """Shares estimated from ``total`` observations, pulled to the prior in log
    space: each moves by total / (total + strength) of its way from the prior (one
    pseudo-observation spread as the prior keeps the logarithm finite)."""
    raw = (counts + prior) / (total + 1.0)
    keep = total / (total + strength) if total > 0 else 0.0
    return np.exp(np.log(prior) + keep * (np.log(raw) - np.log(prior)))


def _bounded(model: Model, prior: Model) -> Model:
    """Move each estimated weight back to within EM_BOUND of its prior, by its m."""
    m = {}
    for field, mf in model.m.items():
        w0 = np.log(prior.m[field]) - np.log(prior.u[field])
        w = np.log(mf) - np.log(model.u[field])
        clipped = np.clip(w, w0 - EM_BOUND, w0 + EM_BOUND)
        m[field] = mf * np.exp(clipped - w)
    return Model(m=m, u=model.u, dependence=model.dependence)


def estimate_u(index: PersonIndex, left: Columns, prior: Model, seed: int = 0) -> dict[str, F64]:
    """u of the run's own data: levels of random (cadre, person) pairs, shrunk to
    the prior with the weight of U_STRENGTH pairs.  A level so rare that the sample
    would expect fewer than U_MIN_EXPECTED of it (an ID or a village agreeing) keeps
    its prior u: not seeing it in the sample says nothing.  Birth dates keep their
    prior u: they decide among namesakes, whom random pairs almost never are, and
    estimating it on the run's namesakes by EM feeds on itself (the same pairs would
    move both m and u), so it drifts to the bound."""
    n_l, n_r = len(left), len(index)
    u = dict(prior.u)
    if not n_l or not n_r:
        return u
    n = int(min(U_SAMPLE, n_l * n_r))
    rng = np.random.default_rng(seed)
    found = compare(left, index.cols, rng.integers(0, n_l, n), rng.integers(0, n_r, n))
    for field in ("id", "name", "region"):
        u0 = prior.u[field]
        counts = np.bincount(found[field], minlength=len(LEVELS[field])).astype(np.float64)
        u[field] = _share(counts, float(n), u0, U_STRENGTH)
    return u


def _share(counts: F64, n: float, u0: F64, strength: float) -> F64:
    """Level shares smoothed to the prior; a level the sample could not be expected
    to show and did not show keeps its prior."""
    seen = (n * u0 >= U_MIN_EXPECTED) | (counts >= U_MIN_EXPECTED)
    out = u0.copy()
    if seen.any():
        part = u0[seen].sum()
        out[seen] = _smoothed(counts[seen], float(counts[seen].sum()), u0[seen] / part, strength)
        out[seen] *= part / out[seen].sum()
    return out


def _pairs_sharing(rows: Bools, *parts: I64) -> float:
    """How many pairs of the rows marked agree on every part (all non-negative there)."""
    if not rows.any():
        return 0.0
    key = combine(*(p[rows] for p in parts)) if len(parts) > 1 else parts[0][rows]
    counts = np.unique(key, return_counts=True)[1].astype(np.float64)
    return float((counts * (counts - 1) / 2).sum())


def _distinct_pairs(rows: Bools, ident: I64, *parts: I64) -> float:
    """Pairs of the rows marked that agree on every part and are two people: their
    valid 18-digit numbers differ."""
    return _pairs_sharing(rows, *parts) - _pairs_sharing(rows, *parts, ident)


def estimate_dependence(right: Columns, left: Columns, u: dict[str, F64]) -> dict[str, F64]:
    """How much less a birth date says between namesakes, and a place between
    namesakes born the same day, than the independent weights claim (nats, never
    negative, at most EM_BOUND).

    Fields are not independent among unrelated records: two people with the same
    name may be relatives or neighbours, and a namesake born the same day in the
    same county is what turns a name and a birth date into a false confirmation.
    The run's own records tell how often it happens: every pair of them, roster and
    person set pooled, sharing a name while their valid 18-digit numbers differ is
    two people, so among those pairs the share agreeing on the birth date (and,
    among those, on the village, township or county) is u given the name, counted
    without any posterior, so it cannot feed on its own scores.  Each share is
    smoothed towards the independent u with U_MIN_EXPECTED pseudo-events."""
    birth_dep = np.zeros(len(LEVELS["birth"]))
    region_dep = np.zeros(len(LEVELS["region"]))
    out = {"birth": birth_dep, "region": region_dep}
    cols = [c for c in (left, right) if len(c)]
    if not cols:
        return out

    def pooled(name: str) -> npt.NDArray[Any]:
        return np.concatenate([getattr(c, name) for c in cols])

    ident, name, birth = pooled("id_code"), pooled("name_hash"), pooled("birth")
    village, township, county = pooled("village"), pooled("township"), pooled("county")
    known = pooled("valid_id") & (name >= 0) & (birth >= 0)

    def smoothed(count: float, n: float, u0: float) -> float:
        estimate = (count + U_MIN_EXPECTED) / (n + U_MIN_EXPECTED / u0)
        return float(np.clip(np.log(estimate) - np.log(u0), 0.0, EM_BOUND))

    n_named = _distinct_pairs(known, ident, name)
    # Only records sharing name and birth date with another can make the pairs below.
    day = combine(name[known], birth[known])
    _, inverse, counts = np.unique(day, return_inverse=True, return_counts=True)
    rows = np.flatnonzero(known)[counts[inverse] > 1]
    ident, name, birth = ident[rows], name[rows], birth[rows]
    village, township, county = village[rows], township[rows], county[rows]
    every = np.ones(len(rows), dtype=bool)
    same_day = _distinct_pairs(every, ident, name, birth)
    birth_dep[BIRTH_EXACT] = smoothed(same_day, n_named, float(u["birth"][BIRTH_EXACT]))
    placed = village >= 0
    n_placed = _distinct_pairs(placed, ident, name, birth)
    within = [_distinct_pairs(placed, ident, name, birth, p) for p in (village, township, county)]
    levels = ("village", "township", "county")
    for k, (level, count) in enumerate(zip(levels, within, strict=True)):
        inner = within[k - 1] if k else 0.0  # pairs at a closer level are not this one
        at = LEVELS["region"].index(level)
        region_dep[at] = smoothed(count - inner, n_placed, float(u["region"][at]))
    return out


def estimate_model(
    index: PersonIndex, left: Columns, pairs: Pairs, prior: Model | None = None
) -> tuple[Model, float]:
    """m and u of this run (and the prior presence), unsupervised, as Splink does:
    u from random pairs of the run's records, m by EM over its candidate pairs
    (posterior-weighted level counts), both shrunk to the fitted weights (M_STRENGTH
    true pairs, U_STRENGTH random pairs) and every weight kept within EM_BOUND of
    its prior, so a small run cannot drift."""
    prior = prior or Model.fitted()
    u = estimate_u(index, left, prior)
    model = Model(m=dict(prior.m), u=u, dependence=estimate_dependence(index.cols, left, u))
    n_left, n_right = len(left), pairs.n_right
    presence = index.presence
    for _ in range(EM_ITERATIONS):
        total = total_weight(pairs, model)
        presence = estimate_presence(total, n_left, n_right, index.presence)
        posterior = _logistic(total, prior_logit(presence, n_right))
        del total
        mass = float(posterior.sum())
        m = {}
        for field, level in pairs.levels.items():
            size = len(LEVELS[field])
            counts = np.zeros(size)
            for start in range(0, len(level), CHUNK):  # bincount widens levels to intp
                part = slice(start, start + CHUNK)
                counts += np.bincount(level[part], weights=posterior[part], minlength=size)
            m[field] = _smoothed(counts, mass, prior.m[field], M_STRENGTH)
        new = _bounded(Model(m=m, u=model.u, dependence=model.dependence), prior)
        moved = max(float(np.abs(np.log(new.m[f]) - np.log(model.m[f])).max()) for f in LEVELS)
        model = new
        if moved < 1e-3:
            break
    presence = estimate_presence(total_weight(pairs, model), n_left, n_right, index.presence)
    return model, presence


#: Labels of the levels whose weight the run's namesakes lower (``estimate_dependence``).
DEPENDENCE_LABELS = {
    "birth": "（姓名也相同时）",
    "region": "（姓名、出生日期也相同时）",
}


def weight_table(model: Model, prior: Model | None = None) -> list[dict[str, Any]]:
    """Per field and level: the fitted (prior) weight and this run's, for the run page;
    then each level that namesakes among the run's records made weaker, with its
    weight where the names (and birth dates) agree."""
    prior = prior or Model.fitted()
    est, fit = model.log_weights(), prior.log_weights()

    def row(field_: str, k: int, level: str, label: str, less: float = 0.0) -> dict[str, Any]:
        return {
            "field": field_,
            "field_label": FIELD_LABELS[field_],
            "level": level,
            "label": label,
            "prior": round(float(fit[field_][k]), 3),
            "estimated": round(float(est[field_][k] - less), 3),
            "moved": round(float(est[field_][k] - less - fit[field_][k]), 3),
            "m": float(f"{model.m[field_][k]:.4g}"),
            "u": float(f"{model.u[field_][k] * np.exp(less):.4g}"),
        }

    rows = [
        row(field_, k, level, LEVEL_LABELS[field_][k])
        for field_, names in LEVELS.items()
        for k, level in enumerate(names)
        if k  # the unknown level weighs nothing
    ]
    for field_, less in model.dependence.items():
        rows += [
            row(field_, k, f"{LEVELS[field_][k]}_namesake", LEVEL_LABELS[field_][k] + suffix, d)
            for k, d in enumerate(less)
            if d > 0
            for suffix in [DEPENDENCE_LABELS[field_]]
        ]
    return rows


def apply_id_rules(score: F64, levels: dict[str, Levels]) -> None:
    """Two different valid ID numbers are two people: never confirmed, at most
    reviewed.  One ID number on both sides is always put up for review."""
    conflict = levels["id"] == ID_CONFLICT_VALID
    score[conflict] = np.minimum(score[conflict], np.nextafter(CONFIRMED, 0))
    exact = levels["id"] == ID_EXACT_LEVEL
    score[exact] = np.maximum(score[exact], REVIEW)


def score_pairs(
    index: PersonIndex,
    left: Columns,
    li: I64,
    ri: I64,
    *,
    presence: float,
    model: Model | None = None,
) -> tuple[F64, dict[str, Levels]]:
    """Calibrated score of given pairs under a fixed prior, the ID rules applied."""
    total, levels = pair_weights(index, left, li, ri, model)
    score = _logistic(total, prior_logit(presence, len(index)))
    apply_id_rules(score, levels)
    return score, levels


@dataclass
class Result:
    """Candidate pairs as arrays: row numbers, calibrated score and levels, and the
    weights they were scored with."""

    left: I64
    right: I64
    score: F64
    levels: dict[str, Levels]
    presence: float
    model: Model

    def evidence(self, k: int) -> tuple[str, ...]:
        out = (EVIDENCE[f][int(self.levels[f][k])] for f in LEVELS)
        return tuple(e for e in out if e is not None)


def match_columns(
    left: Columns,
    index: PersonIndex,
    *,
    threshold: float = REVIEW,
    presence: float | None = None,
    model: Model | None = None,
) -> Result:
    """Score every candidate pair; keep those scoring at least ``threshold``.
    ``model`` fixes m and u, and ``presence`` the prior; by default both are
    estimated on these pairs (``estimate_model``)."""
    li, ri = index.candidates(left)
    pairs = compare_pairs(index, left, li, ri)
    if model is None:
        model, estimated = estimate_model(index, left, pairs)
        presence = estimated if presence is None else presence
    total = total_weight(pairs, model)
    if presence is None:
        presence = estimate_presence(total, len(left), len(index), index.presence)
    score = _logistic(total, prior_logit(presence, len(index)))
    # Two different valid ID numbers are two people: never confirmed, at most reviewed.
    apply_id_rules(score, pairs.levels)
    keep = score >= threshold
    return Result(
        left=li[keep],
        right=ri[keep],
        score=score[keep],
        levels={f: v[keep] for f, v in pairs.levels.items()},
        presence=presence,
        model=model,
    )


def columns_of(records: Sequence[Record]) -> Columns:
    return encode(
        [r.name for r in records],
        [r.id_number or "" for r in records],
        [r.birth_date for r in records],
        [r.region_code or "" for r in records],
        keys=[r.key for r in records],
    )


def match(
    left: Sequence[Record], right: Sequence[Record], *, threshold: float = REVIEW
) -> list[Match]:
    """Every pair of records scoring at least ``threshold``, best first."""
    return match_run(left, right, threshold=threshold)[0]


def match_run(
    left: Sequence[Record], right: Sequence[Record], *, threshold: float = REVIEW
) -> tuple[list[Match], Model]:
    """``match``, and the weights estimated on these records."""
    if not left or not right:
        return [], Model.fitted()
    lcols = columns_of(left)
    index = PersonIndex(columns_of(right))
    result = match_columns(lcols, index, threshold=threshold)
    order = np.argsort(-result.score, kind="stable")
    return [
        Match(
            left=int(lcols.keys[result.left[k]]),
            right=int(index.cols.keys[result.right[k]]),
            score=round(float(result.score[k]), 4),
            evidence=result.evidence(int(k)),
        )
        for k in order
    ], result.model
