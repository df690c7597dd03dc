"""Benchmark of the vetting engine on seeded synthetic data with known truth.

    .venv/bin/python bench/vetting.py --size small     # 1,000 × 4,000, seconds
    .venv/bin/python bench/vetting.py                  # 5,000 cadres × 20,000 persons

Prints the median wall time of ``matching.engine.match`` over several runs,
pair precision / recall at the confirmed and review tiers, and the ratio to a
naive pure-Python comparison of every pair (timed on a subsample of cadres and
scaled up linearly).  Exits 0; timings are figures, never assertions.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from matching import ids, names  # noqa: E402
from matching.engine import CONFIRMED, REVIEW, Record, match  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文辉玉兰红春海波志"
HOMOPHONES = {"伟": "玮", "建": "剑", "国": "帼", "明": "铭", "华": "桦", "军": "君", "志": "智"}
TRADITIONAL = {"张": "張", "刘": "劉", "陈": "陳", "杨": "楊", "国": "國", "华": "華", "伟": "偉"}
SIZES = {"small": (1_000, 4_000), "default": (5_000, 20_000)}


def make_id(rng: random.Random, born: date) -> str:
    first17 = f"5201{rng.randint(10, 99)}{born:%Y%m%d}{rng.randint(0, 999):03d}"
    return first17 + ids.check_char(first17)


def person(rng: random.Random) -> tuple[str, str, date]:
    name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))
    born = date(1950, 1, 1) + timedelta(days=rng.randint(0, 365 * 50))
    return name, make_id(rng, born), born


def noisy(rng: random.Random, name: str, number: str, born: date) -> tuple[str, str, date | None]:
    roll = rng.random()
    if roll < 0.2:
        name = "".join(HOMOPHONES.get(c, c) for c in name)
    elif roll < 0.35:
        name = "".join(TRADITIONAL.get(c, c) for c in name)
    roll = rng.random()
    if roll < 0.33:
        number = ""
    elif roll < 0.43:
        p = rng.randrange(17)
        number = number[:p] + str((int(number[p]) + 1) % 10) + number[p + 1 :]
    elif roll < 0.5:
        p = rng.randrange(16)
        number = number[:p] + number[p + 1] + number[p] + number[p + 2 :]
    elif roll < 0.55:
        number = number[:6] + number[8:17]  # legacy 15-digit form
    return name, number, born if rng.random() < 0.8 else None


def generate(
    seed: int, n_left: int, n_right: int
) -> tuple[list[Record], list[Record], set[tuple[int, int]]]:
    rng = random.Random(seed)
    cadres = [person(rng) for _ in range(n_left)]
    left = [Record(i, n, k, b, "") for i, (n, k, b) in enumerate(cadres)]
    right: list[Record] = []
    truth: set[tuple[int, int]] = set()
    for i in rng.sample(range(n_left), k=max(1, n_left // 50)):
        name, number, born = noisy(rng, *cadres[i])
        truth.add((i, len(right)))
        right.append(Record(len(right), name, number, born, ""))
    while len(right) < n_right:
        if rng.random() < 0.02:  # decoy: same name and birth year, different person
            name, _, born = cadres[rng.randrange(n_left)]
            decoy_born = date(born.year, rng.randint(1, 12), rng.randint(1, 28))
            right.append(Record(len(right), name, make_id(rng, decoy_born), decoy_born, ""))
        else:
            n, k, b = person(rng)
            right.append(Record(len(right), n, k if rng.random() > 0.33 else "", b, ""))
    return left, right, truth


def naive(left: list[Record], right: list[Record]) -> int:
    """Every pair compared in Python: the baseline a spreadsheet macro would be."""
    hits = 0
    for a in left:
        a_id, a_name = ids.canonical(a.id_number), names.normalise_name(a.name)
        for b in right:
            b_id = ids.canonical(b.id_number)
            if (
                (a_id and a_id == b_id)
                or ids.one_edit(a_id, b_id)
                or a_name == names.normalise_name(b.name)
            ):
                hits += 1
    return hits


def quality(found: list, truth: set[tuple[int, int]], tier: float) -> tuple[float, float]:
    pairs = {(m.left, m.right) for m in found if m.score >= tier}
    true = len(pairs & truth)
    return (true / len(pairs) if pairs else 1.0), true / len(truth)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", choices=sorted(SIZES), default="default")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    n_left, n_right = SIZES[args.size]
    left, right, truth = generate(args.seed, n_left, n_right)
    times, found = [], []
    for _ in range(args.repeat):
        names.normalise_name.cache_clear()
        names.readings.cache_clear()
        started = time.perf_counter()
        found = match(left, right, threshold=REVIEW)
        times.append(time.perf_counter() - started)
    median = statistics.median(times)
    sample = left[:50]
    started = time.perf_counter()
    naive(sample, right)
    naive_time = (time.perf_counter() - started) * len(left) / len(sample)
    print(
        f"records: {n_left} cadres × {n_right} persons, {len(truth)} true pairs, seed {args.seed}"
    )
    print(
        f"engine median over {args.repeat} runs: {median:.2f} s; candidates ≥ review: {len(found)}"
    )
    for label, tier in (("confirmed", CONFIRMED), ("review", REVIEW)):
        precision, recall = quality(found, truth, tier)
        print(f"{label:>9} tier (≥{tier}): pair precision {precision:.3f}, recall {recall:.3f}")
    print(f"naive pairwise baseline (scaled from {len(sample)} cadres): {naive_time:.1f} s")
    print(f"speed-up over naive: {naive_time / median:.0f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
