"""A second synthetic roster and person set, designed apart from ``bench/synth.py``.

The engine's weights are fitted on ``synth`` (``bench/fit_weights.py``); this
generator is never used for fitting, so the benchmark can tell whether the engine
holds on data it was not fitted to.  It shares only the output shape
(``synth.Data``) and the evidence classes.  What differs:

- its own name pools: a long-tailed surname list (geometric shares) with compound
  surnames (欧阳, 司马, 诸葛 …, about 1.5%), rural given-name characters, and
  reduplicated given names (强强, 丽丽);
- its own regions (codes 4310xx…, more townships and villages) and a population
  that clusters: relatives share a surname and village;
- noise on the person-side copy of a cadre: nicknames (小强, 阿强 for 王强强 or
  王志强), traditional characters, homophones drawn from all of GB2312 (both
  levels), a typo, a dropped or swapped given-name character, a compound surname
  written with its first character only;
- legacy 15-digit numbers for people born before 1985, some with a typo (no check
  character to tell a typo from another person), 18-digit typos and
  transpositions, lower-case x;
- birth dates off by one day, month and day swapped, year off by one;
- decoys: another person with the same name and the same birth date in the same
  county (a different ID number) — 0.05% of person records (0.1% hard), one per
  40 (20) cadres present, far above chance (a common three-character name is
  shared by tens of people in a county, one in ~20,000 of them born the same day)
  so that they are met in every run — and namesakes anywhere (3%, 5%);
- missing ID numbers, birth dates and regions at rates per noise profile, on the
  person side and (less often) on the roster.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import zhconv
from pypinyin import lazy_pinyin
from synth import CLASSES, Data, Side

from matching import ids

#: Bumped whenever the data drawn for a seed change (the benchmark caches them by it).
VERSION = 1

__all__ = ["CLASSES", "PROFILES", "generate"]

SINGLE = (
    "李王张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁"
    "魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段漕钱汤尹黎易"
    "常武乔贺赖龚文庞樊兰殷施陶洪翟安颜倪严牛温芦季俞章鲁葛伍韦申尤毕聂丛焦向柳邢路岳齐沿梅莫庄辛管"
    "祝左涂谷祁时舒耿牟卜詹关苗凌费纪靳盛童欧甄项曲成游阳裴席卫查屈鲍位覃霍翁隋植甘景薄单包司柏宁"
)
COMPOUND = (
    "欧阳",
    "司马",
    "诸葛",
    "上官",
    "慕容",
    "皇甫",
    "东方",
    "尉迟",
    "公孙",
    "令狐",
    "夏侯",
    "长孙",
)
GIVEN = (
    "兰花秀春根生富贵有财水旺金银桂菊梅香凤英红霞芬珍娥琴翠莲荣华光明亮德福寿喜庆丰收满仓"
    "成功建设卫国跃进向东志刚永军小平海洋江河山林松柏青云彩玉宝珠美丽娟娇婷婉丹萍燕雁鹰鹏"
    "龙虎豹强壮刚毅勇敢智慧仁义礼信忠孝廉善良文武双全乐天佑宇宙晨曦朝霞晓阳昊天浩然子轩"
    "梓涵欣怡雨萱思远家豪俊杰博超伟磊鑫淼森焱垚芳静敏艳丽洁雪冰霜露雯霏蕾蓓蕊芸芝"
)
SYLLABLE_SOURCES = "GB2312 levels 1 and 2"
COUNTIES = 40
TOWNSHIPS = 22
VILLAGES = 28
#: 15-digit numbers were issued until 1999; people born before this year may hold one.
LEGACY_BEFORE = "1985-01-01"


@dataclass(frozen=True)
class Profile:
    nickname: float  # given name replaced by 小X / 阿X, or X reduplicated
    traditional: float
    homophone: float
    typo: float
    drop: float
    swap: float
    compound_short: float  # a compound surname written with its first character only
    id_missing: float  # person side
    id_legacy: float  # 15-digit, among those born before LEGACY_BEFORE
    legacy_typo: float  # of the legacy numbers
    id_typo: float
    id_transposed: float
    birth_missing: float
    birth_day_off: float
    birth_swapped: float
    birth_year_off: float
    #: same village, same township, same county, missing, elsewhere
    region: tuple[float, float, float, float, float]
    decoys_same_birth: float  # share of persons: same name and birth date, same county
    namesakes: float  # share of persons: same name, anywhere
    roster_id_missing: float
    roster_birth_missing: float


PROFILES = {
    "default": Profile(
        nickname=0.04,
        traditional=0.06,
        homophone=0.10,
        typo=0.03,
        drop=0.03,
        swap=0.02,
        compound_short=0.2,
        id_missing=0.35,
        id_legacy=0.25,
        legacy_typo=0.3,
        id_typo=0.05,
        id_transposed=0.03,
        birth_missing=0.15,
        birth_day_off=0.05,
        birth_swapped=0.02,
        birth_year_off=0.02,
        region=(0.45, 0.15, 0.10, 0.20, 0.10),
        decoys_same_birth=0.0005,
        namesakes=0.03,
        roster_id_missing=0.02,
        roster_birth_missing=0.01,
    ),
    "hard": Profile(
        nickname=0.08,
        traditional=0.12,
        homophone=0.25,
        typo=0.06,
        drop=0.05,
        swap=0.04,
        compound_short=0.35,
        id_missing=0.45,
        id_legacy=0.35,
        legacy_typo=0.4,
        id_typo=0.08,
        id_transposed=0.05,
        birth_missing=0.25,
        birth_day_off=0.08,
        birth_swapped=0.03,
        birth_year_off=0.03,
        region=(0.35, 0.15, 0.10, 0.25, 0.15),
        decoys_same_birth=0.001,
        namesakes=0.05,
        roster_id_missing=0.04,
        roster_birth_missing=0.02,
    ),
}


@lru_cache(maxsize=1)
def _homophones() -> dict[str, list[str]]:
    """Characters of GB2312 (both levels) by toneless pinyin."""
    by_sound: dict[str, list[str]] = {}
    for a in range(0xB0, 0xF8):
        for b in range(0xA1, 0xFF):
            try:
                ch = bytes([a, b]).decode("gb2312")
            except UnicodeDecodeError:
                continue
            by_sound.setdefault(lazy_pinyin(ch)[0], []).append(ch)
    return by_sound


def _unique(text: str) -> list[str]:
    return list(dict.fromkeys(text))


def _names(rng: np.random.Generator, n: int) -> tuple[list[str], npt.NDArray[np.int64]]:
    """(names, surname length) for n people."""
    singles = _unique(SINGLE)
    given = _unique(GIVEN)
    p_s = 0.93 ** np.arange(len(singles))
    p_s /= p_s.sum()
    p_g = 1.0 / np.arange(1, len(given) + 1) ** 0.8
    p_g /= p_g.sum()
    compound = rng.random(n) < 0.015
    s_single = rng.choice(len(singles), n, p=p_s)
    s_compound = rng.integers(0, len(COMPOUND), n)
    g1 = rng.choice(len(given), n, p=p_g)
    g2 = rng.choice(len(given), n, p=p_g)
    kind = rng.random(n)  # one character, reduplicated, two characters
    out = []
    for k in range(n):
        surname = COMPOUND[s_compound[k]] if compound[k] else singles[s_single[k]]
        if kind[k] < 0.15:
            first = surname + given[g1[k]]
        elif kind[k] < 0.20:
            first = surname + given[g1[k]] * 2
        else:
            first = surname + given[g1[k]] + given[g2[k]]
        out.append(first)
    return out, np.where(compound, 2, 1)


def _id_numbers(
    county: npt.NDArray[np.int64], born: npt.NDArray, male: npt.NDArray, rng: np.random.Generator
) -> list[str]:
    """Unique, valid 18-character numbers; the sequence is random within
    (county, birth date), odd for men, and never repeats there."""
    used: set[tuple[int, int, int]] = set()
    out = []
    days = born.astype("datetime64[D]").astype(str)
    draws = rng.integers(0, 500, len(county))
    for k in range(len(county)):
        seq = int(draws[k]) * 2 + int(male[k])
        while (county[k], int(born[k].astype(np.int64)), seq) in used:
            seq = (seq + 2) % 1000
        used.add((int(county[k]), int(born[k].astype(np.int64)), seq))
        first17 = f"{431000 + int(county[k]) * 3:06d}{days[k].replace('-', '')}{seq:03d}"
        out.append(first17 + ids.check_char(first17))
    return out


def _region(county: int, township: int, village: int) -> str:
    return f"{431000 + county * 3:06d}{township:03d}{village:03d}"


def _typo_digit(rng: np.random.Generator, number: str, positions: int) -> str:
    k = int(rng.integers(0, positions))
    old = number[k]
    new = str((int(old) + int(rng.integers(1, 10))) % 10) if old.isdigit() else "0"
    return number[:k] + new + number[k + 1 :]


def _nickname(rng: np.random.Generator, name: str, s_len: int) -> str:
    surname, given = name[:s_len], name[s_len:]
    last = given[-1]
    roll = rng.random()
    if roll < 0.4:
        return surname + "小" + last
    if roll < 0.6:
        return "阿" + last
    if roll < 0.8 and len(given) == 2:
        return surname + last * 2
    return "小" + last


def _noisy_name(rng: np.random.Generator, name: str, s_len: int, prof: Profile) -> str:
    chars = list(name)
    if rng.random() < prof.nickname:
        return _nickname(rng, name, s_len)
    given_at = list(range(s_len, len(chars)))
    if rng.random() < prof.homophone:
        k = int(rng.integers(0, len(chars)))
        pool = [c for c in _homophones().get(lazy_pinyin(chars[k])[0], []) if c != chars[k]]
        if pool:
            chars[k] = pool[int(rng.integers(0, len(pool)))]
    if rng.random() < prof.typo:
        k = given_at[int(rng.integers(0, len(given_at)))]
        given = _unique(GIVEN)
        chars[k] = given[int(rng.integers(0, len(given)))]
    if len(given_at) == 2 and rng.random() < prof.drop:
        del chars[given_at[int(rng.integers(0, 2))]]
    elif len(given_at) == 2 and rng.random() < prof.swap:
        chars[given_at[0]], chars[given_at[1]] = chars[given_at[1]], chars[given_at[0]]
    if s_len == 2 and rng.random() < prof.compound_short:
        del chars[1]
    text = "".join(chars)
    if rng.random() < prof.traditional:
        text = zhconv.convert(text, "zh-hant")
    return text


def _noisy_birth(rng: np.random.Generator, born: np.datetime64, prof: Profile) -> np.datetime64:
    roll = rng.random()
    if roll < prof.birth_missing:
        return np.datetime64("NaT")
    roll -= prof.birth_missing
    y, m, d = (int(x) for x in str(born)[:10].split("-"))
    if roll < prof.birth_day_off:
        return born + np.timedelta64(int(rng.choice([-1, 1])), "D")
    roll -= prof.birth_day_off
    if roll < prof.birth_swapped and d <= 12 and d != m:
        return np.datetime64(f"{y:04d}-{d:02d}-{m:02d}")
    roll -= prof.birth_swapped
    if roll < prof.birth_year_off:
        y2 = y + int(rng.choice([-1, 1]))
        return np.datetime64(f"{y2:04d}-{m:02d}-{min(d, 28):02d}")
    return born


def generate(
    seed: int, n_left: int, n_right: int, profile: str = "default", present: float = 0.02
) -> Data:
    prof = PROFILES[profile]
    rng = np.random.default_rng(seed + 7919)
    n_true = max(1, round(n_left * present))
    n_same_birth = int(round(n_right * prof.decoys_same_birth))
    n_namesake = int(round(n_right * prof.namesakes))
    n_other = n_right - n_true - n_same_birth - n_namesake
    n_pop = n_left + n_other + n_same_birth + n_namesake

    names, s_len = _names(rng, n_pop)
    names_arr = np.array(names, dtype="<U8")
    start = np.datetime64("1945-06-01")
    span = int((np.datetime64("2002-12-31") - start).astype(np.int64))
    born = start + rng.integers(0, span + 1, n_pop).astype("timedelta64[D]")
    county = rng.integers(0, COUNTIES, n_pop)
    township = rng.integers(1, TOWNSHIPS + 1, n_pop)
    village = rng.integers(1, VILLAGES + 1, n_pop)
    # Relatives: a fifth of people share a surname and village with someone before them.
    kin = np.flatnonzero(rng.random(n_pop) < 0.2)
    kin = kin[kin > 0]
    elder = (rng.random(len(kin)) * kin).astype(np.int64)
    county[kin], township[kin], village[kin] = county[elder], township[elder], village[elder]
    for k, e in zip(kin.tolist(), elder.tolist(), strict=True):
        names_arr[k] = names_arr[e][: s_len[e]] + names_arr[k][s_len[k] :]
        s_len[k] = s_len[e]

    # Decoys copy a cadre: same name and birth date in the same county, or a namesake.
    lo = n_left + n_other
    same_birth = np.arange(lo, lo + n_same_birth)
    namesake = np.arange(lo + n_same_birth, n_pop)
    like = rng.integers(0, n_left, n_same_birth)
    names_arr[same_birth], s_len[same_birth] = names_arr[like], s_len[like]
    born[same_birth], county[same_birth] = born[like], county[like]
    like2 = rng.integers(0, n_left, n_namesake)
    names_arr[namesake], s_len[namesake] = names_arr[like2], s_len[like2]

    male = rng.integers(0, 2, n_pop)
    number = np.array(_id_numbers(county, born, male, rng), dtype="<U18")
    region = np.array(
        [_region(c, t, v) for c, t, v in zip(county, township, village, strict=True)], "<U12"
    )

    l_ids = number[:n_left].copy()
    l_ids[rng.random(n_left) < prof.roster_id_missing] = ""
    l_born = born[:n_left].copy()
    l_born[(rng.random(n_left) < prof.roster_birth_missing) & (l_ids != "")] = np.datetime64("NaT")
    left = Side(names_arr[:n_left].copy(), l_ids, l_born, region[:n_left].copy())

    # The cadres present in the person set, with noise.
    cadre = rng.choice(n_left, n_true, replace=False)
    t_names, t_ids, t_born, t_region, klass = [], [], [], [], []
    legacy_cut = np.datetime64(LEGACY_BEFORE)
    cum = np.cumsum(prof.region)
    for c in cadre.tolist():
        t_names.append(_noisy_name(rng, str(names_arr[c]), int(s_len[c]), prof))
        number_c = str(number[c])
        roll = rng.random()
        if roll < prof.id_missing:
            t_id, cls_id = "", None
        elif born[c] < legacy_cut and rng.random() < prof.id_legacy:
            t_id = number_c[:6] + number_c[8:17]
            cls_id = 0
            if rng.random() < prof.legacy_typo:
                t_id, cls_id = _typo_digit(rng, t_id, 15), 1
        else:
            r2 = rng.random()
            if r2 < prof.id_typo:
                t_id, cls_id = _typo_digit(rng, number_c, 18), 1
            elif r2 < prof.id_typo + prof.id_transposed:
                k = int(rng.integers(0, 17))
                t_id = number_c[:k] + number_c[k + 1] + number_c[k] + number_c[k + 2 :]
                cls_id = 1 if t_id != number_c else 0
            else:
                t_id, cls_id = number_c, 0
            t_id = t_id.replace("X", "x") if rng.random() < 0.3 else t_id
        t_ids.append(t_id)
        b = _noisy_birth(rng, born[c], prof)
        t_born.append(b)
        r = rng.random()
        if r < cum[0]:
            reg = str(region[c])
        elif r < cum[1]:
            reg = _region(int(county[c]), int(township[c]), 1 + int(village[c]) % VILLAGES)
        elif r < cum[2]:
            reg = _region(int(county[c]), 1 + int(township[c]) % TOWNSHIPS, int(village[c]))
        elif r < cum[3]:
            reg = ""
        else:
            reg = str(region[int(rng.integers(0, n_pop))])
        t_region.append(reg)
        if cls_id is not None:
            klass.append(cls_id)
        else:
            klass.append(3 if np.isnat(b) else 2)

    # Other persons and decoys: written as found, incomplete.
    o = np.arange(n_left, n_pop)
    o_ids = number[o].copy()
    old = born[o] < legacy_cut
    legacy = old & (rng.random(len(o)) < prof.id_legacy * 0.5)
    o_ids[legacy] = [s[:6] + s[8:17] for s in o_ids[legacy]]
    o_ids[rng.random(len(o)) < prof.id_missing] = ""
    o_born = born[o].copy()
    o_born[rng.random(len(o)) < prof.birth_missing] = np.datetime64("NaT")
    o_region = region[o].copy()
    o_region[rng.random(len(o)) < prof.region[3]] = ""
    o_names = names_arr[o].copy()
    trad = rng.random(len(o)) < prof.traditional / 3
    o_names[trad] = [zhconv.convert(str(s), "zh-hant") for s in o_names[trad]]

    r_names = np.concatenate([np.array(t_names, "<U8"), o_names])
    r_ids = np.concatenate([np.array(t_ids, "<U18"), o_ids])
    r_born = np.concatenate([np.array(t_born, "datetime64[D]"), o_born])
    r_region = np.concatenate([np.array(t_region, "<U12"), o_region])
    decoy = np.r_[np.zeros(n_true + n_other, bool), np.ones(n_same_birth + n_namesake, bool)]
    perm = rng.permutation(n_right)
    inverse = np.empty(n_right, np.int64)
    inverse[perm] = np.arange(n_right)
    return Data(
        left=left,
        right=Side(r_names[perm], r_ids[perm], r_born[perm], r_region[perm]),
        truth_left=cadre.astype(np.int64),
        truth_right=inverse[:n_true],
        truth_class=np.array(klass, np.int8),
        decoy=decoy[perm],
    )
