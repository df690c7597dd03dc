"""Seeded synthetic roster and person set with known truth, built with NumPy.

A population of people (name, birth date, sex, home village, a unique resident ID
number) is drawn once; the roster is a sample of them, clean.  About 2% of the
cadres appear again in the person set, written with noise (``PROFILES``); the rest
of the person set is other people, a share of them decoys: same name and birth
year as a cadre, a different person.  About a third of person records carry no ID.

Names follow real frequencies roughly: the top surnames' shares from the 2020
census order, given-name characters Zipf-distributed (s = 0.6) over ~400 common characters,
one given-name character in a fifth of names.  Homophones are GB2312 level-1
characters with the same toneless pinyin (what a pinyin input method confuses).
A few true pairs are written with a pet name (小强, 阿强, 王小强 for 王志强).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import zhconv
from pypinyin import lazy_pinyin

from matching import ids

#: Bumped whenever the data drawn for a seed change (the benchmark caches them by it).
VERSION = 2

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
    "戴莫孔向汤单常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒"
)
SURNAME_SHARE_TOP = [7.1, 7.0, 6.7, 5.4, 4.6, 3.1, 2.2, 2.0, 2.0, 1.9, 1.5, 1.5, 1.3, 1.3, 1.2]
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文辉玉兰红春海波志"
    "云飞鹏宇浩然俊杰子涵梓轩一诺欣怡思雨博文晨阳佳琪雪梅凤燕玲萍琳莉丹"
    "斌鑫宏亮林峰成龙德福安康永祥少东小兵金山长江新民德胜利群振兴学良"
    "家豪天佑嘉怡婷慧颖晓丽彩霞秋月冬梅春燕国庆爱华卫东红旗建军建平向阳"
    "光辉志强志刚志勇志明志华海燕海涛海军海龙宏伟宏杰俊峰俊华俊杰立新立国"
    "正清正华正平秀英秀兰秀珍桂兰桂芳桂香玉梅玉珍玉华玉兰淑珍淑华淑英凤英"
    "荣华荣贵顺利富贵发财永红永强永福明华明亮明辉晓明晓东晓燕晓红亚男亚军"
    "世杰世民世荣荣光耀祖继承承志守信守仁克勤克俭文斌文杰文华武斌武军朝阳"
    "泽宇浩宇子豪子轩雨涵欣妍诗涵梓涵可馨语桐若汐依诺沐辰锦程瑞霖皓轩煜城"
)
SIZES_NOTE = "ages 25–75: birth dates 1950-01-01 … 2000-12-31"
COUNTIES = 60
TOWNSHIPS = 15
VILLAGES = 20


@dataclass(frozen=True)
class Profile:
    homophone: float  # one character replaced by a same-sounding one
    second_homophone: float  # …and, given that, a second one
    traditional: float  # written in traditional characters
    typo: float  # one character replaced by an unrelated one
    drop: float  # one given-name character dropped (three-character names)
    swap: float  # the two given-name characters swapped
    id_missing: float
    id_typo: float
    id_transposed: float
    id_legacy: float  # written in the old 15-digit form
    birth_missing: float
    birth_off: float  # wrong day, day/month swapped or year ±1, a third each
    region: tuple[float, float, float, float]  # same village, same township, missing, elsewhere
    decoys: float  # share of the person set that are decoys
    nickname: float = 0.0  # written as a pet name: 小X, 阿X or 王小X (X the last character)


PROFILES = {
    "default": Profile(
        homophone=0.12,
        second_homophone=0.1,
        traditional=0.08,
        typo=0.03,
        drop=0.02,
        swap=0.02,
        id_missing=1 / 3,
        id_typo=0.08,
        id_transposed=0.04,
        id_legacy=0.06,
        birth_missing=0.10,
        birth_off=0.10,
        region=(0.5, 0.15, 0.15, 0.2),
        decoys=0.02,
        nickname=0.02,
    ),
    "hard": Profile(
        homophone=0.30,
        second_homophone=0.3,
        traditional=0.15,
        typo=0.08,
        drop=0.05,
        swap=0.05,
        id_missing=1 / 3,
        id_typo=0.12,
        id_transposed=0.08,
        id_legacy=0.10,
        birth_missing=0.20,
        birth_off=0.20,
        region=(0.3, 0.15, 0.25, 0.3),
        decoys=0.04,
        nickname=0.04,
    ),
}
#: Evidence class of a true pair, from the person record's side.
CLASSES = ("same_id", "id_typo", "no_id_birth", "name_only")


@dataclass
class Side:
    names: npt.NDArray[np.str_]
    ids: npt.NDArray[np.str_]
    birth: npt.NDArray[np.datetime64]  # NaT where not given
    region: npt.NDArray[np.str_]

    def __len__(self) -> int:
        return len(self.names)


@dataclass
class Data:
    left: Side
    right: Side
    truth_left: npt.NDArray[np.int64]
    truth_right: npt.NDArray[np.int64]
    truth_class: npt.NDArray[np.int8]  # index into CLASSES
    #: person rows that are decoys, and valid-ID flags for the false-positive check
    decoy: npt.NDArray[np.bool_]


def _chars(text: str) -> npt.NDArray[np.uint32]:
    return np.array([ord(c) for c in dict.fromkeys(text)], dtype=np.uint32)


@lru_cache(maxsize=1)
def _tables() -> tuple[npt.NDArray[np.uint32], ...]:
    """Surnames, given-name characters, and per code point a homophone list and a
    traditional form (as look-up arrays)."""
    gb = [
        bytes([a, b]).decode("gb2312")
        for a in range(0xB0, 0xD8)
        for b in range(0xA1, 0xFF)
        if not (a == 0xD7 and b > 0xF9)
    ]
    by_sound: dict[str, list[str]] = {}
    for ch in gb:
        by_sound.setdefault(lazy_pinyin(ch)[0], []).append(ch)
    surnames, given = _chars(SURNAMES), _chars(GIVEN)
    width = 8
    homophones = np.zeros((0x10000, width), dtype=np.uint32)
    traditional = np.arange(0x10000, dtype=np.uint32)
    for cp in np.concatenate([surnames, given]):
        ch = chr(cp)
        others = [c for c in by_sound.get(lazy_pinyin(ch)[0], []) if c != ch][:width]
        homophones[cp, : len(others)] = [ord(c) for c in others]
        trad = zhconv.convert(ch, "zh-hant")
        if len(trad) == 1:
            traditional[cp] = ord(trad)
    return surnames, given, homophones, traditional


def _surname_p(k: int) -> npt.NDArray[np.float64]:
    top = np.array(SURNAME_SHARE_TOP)
    rest = np.linspace(1.0, 0.1, k - len(top))
    rest = rest / rest.sum() * (85.0 - top.sum())
    p = np.concatenate([top, rest])
    return p / p.sum()


def _ids(
    rng: np.random.Generator, county: npt.NDArray[np.int64], born: npt.NDArray, male: npt.NDArray
) -> npt.NDArray[np.str_]:
    """Unique 18-character numbers: the sequence number is the rank within
    (county, birth date, sex), so two people never share one."""
    n = len(county)
    day = born.astype(np.int64)
    group = (county * 100_000 + day) * 2 + male
    order = np.argsort(group, kind="stable")
    g = group[order]
    starts = np.r_[0, np.flatnonzero(g[1:] != g[:-1]) + 1]
    rank = np.arange(n) - np.repeat(starts, np.diff(np.r_[starts, n]))
    seq = np.empty(n, np.int64)
    seq[order] = rank
    offset = (group * 0x9E3779B1 % 250) * 2  # the same for everyone in a group
    seq = (offset + seq * 2 + male) % 1000
    ymd = born.astype("datetime64[D]").astype(str)  # YYYY-MM-DD
    ymd = np.char.replace(ymd, "-", "")
    code = (520100 + county * 100 + 1).astype(str)
    first17 = np.char.add(np.char.add(code, ymd), np.char.zfill(seq.astype(str), 3))
    digits = first17.astype("<U17").view(np.uint32).reshape(n, 17).astype(np.int64) - 48
    check = np.frombuffer(ids.CHECK_CHARS.encode(), dtype=np.uint8)[
        (digits @ np.array(ids.WEIGHTS)) % 11
    ]
    return np.char.add(first17, check.view("S1").astype(str))


def _strings(matrix: npt.NDArray[np.uint32]) -> npt.NDArray[np.str_]:
    m = np.ascontiguousarray(matrix.astype(np.uint32))
    return m.view(f"<U{m.shape[1]}").reshape(-1)


def _region(county: npt.NDArray, township: npt.NDArray, village: npt.NDArray):
    code = ((520100 + county * 100 + 1) * 1000 + township) * 1000 + village
    return code.astype(str)


def generate(
    seed: int, n_left: int, n_right: int, profile: str = "default", present: float = 0.02
) -> Data:
    prof = PROFILES[profile]
    rng = np.random.default_rng(seed)
    surnames, given, homophones, traditional = _tables()
    n_true = max(1, round(n_left * present))
    n_decoy = int(round(n_right * prof.decoys))
    n_other = n_right - n_true - n_decoy
    n_pop = n_left + n_other + n_decoy  # cadres, other persons, decoys

    # The population, clean.
    names = np.zeros((n_pop, 3), dtype=np.uint32)
    names[:, 0] = surnames[rng.choice(len(surnames), n_pop, p=_surname_p(len(surnames)))]
    zipf = 1.0 / np.arange(1, len(given) + 1) ** 0.6
    given_p = zipf / zipf.sum()
    names[:, 1] = given[rng.choice(len(given), n_pop, p=given_p)]
    two = rng.random(n_pop) < 0.8
    names[two, 2] = given[rng.choice(len(given), int(two.sum()), p=given_p)]
    start = np.datetime64("1950-01-01")
    span = int((np.datetime64("2000-12-31") - start).astype(np.int64))
    born = start + rng.integers(0, span + 1, n_pop).astype("timedelta64[D]")
    county = rng.integers(0, COUNTIES, n_pop)
    township = rng.integers(1, TOWNSHIPS + 1, n_pop)
    village = rng.integers(1, VILLAGES + 1, n_pop)
    decoy_rows = np.arange(n_left + n_other, n_pop)
    like = rng.integers(0, n_left, n_decoy)  # each decoy copies a cadre's name and year
    names[decoy_rows] = names[like]
    year = born[like].astype("datetime64[Y]")
    # Same year, never the same day: a decoy is a near miss, not a double.
    shift = rng.integers(1, 365, n_decoy)
    day_of_year = (born[like] - year.astype("datetime64[D]")).astype(np.int64)
    born[decoy_rows] = year.astype("datetime64[D]") + ((day_of_year + shift) % 365).astype(
        "timedelta64[D]"
    )
    male = rng.integers(0, 2, n_pop)
    number = _ids(rng, county, born, male)
    region = _region(county, township, village)

    left = Side(_strings(names[:n_left]), number[:n_left], born[:n_left], region[:n_left])

    # The cadres present in the person set, with noise.
    cadre = rng.choice(n_left, n_true, replace=False)
    t_names = names[cadre].copy()
    length = (t_names != 0).sum(axis=1)

    def pick(p: float) -> npt.NDArray[np.bool_]:
        return rng.random(n_true) < p

    def homophone(rows: npt.NDArray[np.bool_]) -> None:
        pos = (rng.random(n_true) * length).astype(np.int64)
        cp = t_names[np.arange(n_true), pos]
        options = homophones[cp]
        count = (options != 0).sum(axis=1)
        ok = rows & (count > 0)
        choice = (rng.random(n_true) * np.maximum(count, 1)).astype(np.int64)
        t_names[ok, pos[ok]] = options[ok, choice[ok]]

    first = pick(prof.homophone)
    homophone(first)
    homophone(first & pick(prof.second_homophone))
    trad = pick(prof.traditional)
    t_names[trad] = traditional[t_names[trad]]
    typo = pick(prof.typo)
    pos = (rng.random(n_true) * length).astype(np.int64)
    pool = np.where(pos == 0, surnames[rng.integers(0, len(surnames), n_true)], 0)
    pool = np.where(pos > 0, given[rng.integers(0, len(given), n_true)], pool)
    t_names[typo, pos[typo]] = pool[typo]
    three = length == 3
    drop = pick(prof.drop) & three
    which = 1 + rng.integers(0, 2, n_true)
    t_names[drop & (which == 1), 1] = t_names[drop & (which == 1), 2]
    t_names[drop, 2] = 0
    swap = pick(prof.swap) & three & ~drop
    t_names[swap, 1:] = t_names[swap][:, ::-1][:, :2]
    # Pet names, drawn apart so that the other noise stays as it was.
    pet_rng = np.random.default_rng(seed + 1)
    pet = pet_rng.random(n_true) < prof.nickname
    kind = pet_rng.integers(0, 3, n_true)
    last = t_names[np.arange(n_true), (t_names != 0).sum(axis=1) - 1]
    xiao, a = ord("小"), ord("阿")
    alone = pet & (kind < 2)
    t_names[alone, 0] = np.where(kind[alone] == 0, xiao, a)
    t_names[alone, 1] = last[alone]
    t_names[alone, 2] = 0
    named = pet & (kind == 2)
    t_names[named, 1] = xiao
    t_names[named, 2] = last[named]

    t_ids = number[cadre].copy()
    chars = t_ids.astype("<U18").view(np.uint32).reshape(n_true, 18).copy()
    roll = rng.random(n_true)
    missing = roll < prof.id_missing
    roll = (roll - prof.id_missing) / (1 - prof.id_missing)
    typo_id = ~missing & (roll < prof.id_typo)
    transposed = ~missing & ~typo_id & (roll < prof.id_typo + prof.id_transposed)
    legacy = (
        (born[cadre] < np.datetime64("2000-01-01"))  # 15-digit numbers ended in 1999
        & ~missing
        & ~typo_id
        & ~transposed
        & (roll < prof.id_typo + prof.id_transposed + prof.id_legacy)
    )
    p = rng.integers(0, 17, n_true)
    a, b = chars[np.arange(n_true), p], chars[np.arange(n_true), p + 1]
    transposed &= a != b
    swapped = chars.copy()
    swapped[np.arange(n_true), p], swapped[np.arange(n_true), p + 1] = b, a
    chars = np.where(transposed[:, None], swapped, chars)
    q = rng.integers(0, 18, n_true)
    old = chars[np.arange(n_true), q]
    new = 48 + (np.where(old == 88, 0, old - 48) + rng.integers(1, 10, n_true)) % 10
    chars[typo_id, q[typo_id]] = new[typo_id]
    t_ids = _strings(chars)
    t_ids[legacy] = [s[:6] + s[8:17] for s in number[cadre][legacy]]
    t_ids[missing] = ""

    t_born = born[cadre].copy()
    broll = rng.random(n_true)
    b_missing = broll < prof.birth_missing
    off = ~b_missing & (broll < prof.birth_missing + prof.birth_off)
    kind = rng.integers(0, 3, n_true)
    months = t_born.astype("datetime64[M]")
    day = (t_born - months.astype("datetime64[D]")).astype(np.int64) + 1
    month = months.astype(np.int64) % 12 + 1
    can_swap = (day <= 12) & (day != month)
    kind = np.where((kind == 1) & ~can_swap, 0, kind)
    # Wrong day: another day of the same month.
    other_day = (day - 1 + rng.integers(1, 28, n_true)) % 28
    shifted = months.astype("datetime64[D]") + other_day.astype("timedelta64[D]")
    swapped_md = (months.astype("datetime64[Y]").astype("datetime64[M]") + (day - 1)).astype(
        "datetime64[D]"
    ) + (month - 1).astype("timedelta64[D]")
    year_shift = rng.choice([-1, 1], n_true)
    other_year = (months.astype("datetime64[Y]") + year_shift).astype("datetime64[M]") + (month - 1)
    first_day = other_year.astype("datetime64[D]")
    other_year = first_day + day - 1
    other_year = np.where(
        other_year.astype("datetime64[M]") == first_day.astype("datetime64[M]"),
        other_year,
        first_day + 27,
    )  # 29 February in a common year
    t_born = np.where(off & (kind == 0), shifted, t_born)
    t_born = np.where(off & (kind == 1), swapped_md, t_born)
    t_born = np.where(off & (kind == 2), other_year, t_born)
    t_born[b_missing] = np.datetime64("NaT")

    r = rng.random(n_true)
    c = np.cumsum(prof.region)
    t_region = region[cadre].copy()
    same_town = (r >= c[0]) & (r < c[1])
    t_region[same_town] = _region(
        county[cadre][same_town],
        township[cadre][same_town],
        1 + (village[cadre][same_town] % VILLAGES),
    )
    t_region[(r >= c[1]) & (r < c[2])] = ""
    elsewhere = r >= c[2]
    t_region[elsewhere] = region[rng.integers(0, n_pop, int(elsewhere.sum()))]

    # Other persons and decoys: clean but incomplete.
    o = np.arange(n_left, n_pop)
    o_ids = number[o].copy()
    o_ids[rng.random(len(o)) < prof.id_missing] = ""
    o_born = born[o].copy()
    o_born[rng.random(len(o)) < prof.birth_missing] = np.datetime64("NaT")
    o_region = region[o].copy()
    o_region[rng.random(len(o)) < prof.region[2]] = ""

    r_names = np.concatenate([_strings(t_names), _strings(names[o])])
    r_ids = np.concatenate([t_ids.astype("<U18"), o_ids.astype("<U18")])
    r_born = np.concatenate([t_born, o_born])
    r_region = np.concatenate([t_region.astype("<U12"), o_region.astype("<U12")])
    decoy = np.r_[np.zeros(n_true + n_other, bool), np.ones(n_decoy, bool)]
    perm = rng.permutation(n_right)
    inverse = np.empty(n_right, np.int64)
    inverse[perm] = np.arange(n_right)

    klass = np.where(
        missing, np.where(np.isnat(t_born), 3, 2), np.where(typo_id | transposed, 1, 0)
    ).astype(np.int8)
    return Data(
        left=left,
        right=Side(r_names[perm], r_ids[perm], r_born[perm], r_region[perm]),
        truth_left=cadre.astype(np.int64),
        truth_right=inverse[:n_true],
        truth_class=klass,
        decoy=decoy[perm],
    )
