"""Benchmark of the vetting engine on seeded synthetic data with known truth.

    .venv/bin/python bench/vetting.py --size small            # 10k cadres × 100k persons
    .venv/bin/python bench/vetting.py --size large --splink   # 100k × 1M, and Splink
    .venv/bin/python bench/vetting.py --generator both        # synth and synth2 side by side

Data come from ``bench/synth.py`` (fixed seed; about 2% of cadres truly present,
a third of person records without ID; noise profiles "default" and "hard"), on
which the engine's prior weights are fitted, and from ``bench/synth2.py``, an
independently designed generator the engine is never fitted on (nicknames,
compound surnames, legacy 15-digit numbers with typos, same-name same-birth-date
decoys in the same county).
Each run is a fresh subprocess that loads the generated arrays from a cache file,
runs the engine phase by phase (wall time and peak RSS after each phase, from
``resource.getrusage``), times vetting single cadres against the indexed person
set, and scores the result against the truth.  Timings are medians over
``--repeat`` runs; quality figures are deterministic.  Exits 0: figures, never
assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import synth  # noqa: E402
import synth2  # noqa: E402

from matching import engine  # noqa: E402
from matching.columns import encode  # noqa: E402

SIZES = {
    "small": (10_000, 100_000),
    "medium": (30_000, 300_000),
    "large": (100_000, 1_000_000),
}
GENERATORS = {"synth": synth, "synth2": synth2}
CACHE = Path(os.environ.get("BENCH_CACHE") or Path(tempfile.gettempdir()) / "baolei-bench")
LATENCY_SAMPLES = 300


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cache_file(size: str, profile: str, seed: int, generator: str = "synth") -> Path:
    version = GENERATORS[generator].VERSION  # a changed generator writes a new file
    return CACHE / f"{generator}-v{version}-{size}-{profile}-{seed}.npz"


def ensure_data(size: str, profile: str, seed: int, generator: str = "synth") -> Path:
    path = cache_file(size, profile, seed, generator)
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        data = GENERATORS[generator].generate(seed, *SIZES[size], profile)
        tmp = path.with_suffix(".tmp.npz")
        np.savez(
            tmp,
            **{f"left_{k}": v for k, v in data.left.__dict__.items()},
            **{f"right_{k}": v for k, v in data.right.__dict__.items()},
            truth_left=data.truth_left,
            truth_right=data.truth_right,
            truth_class=data.truth_class,
            decoy=data.decoy,
        )
        tmp.rename(path)
    return path


def load(path: Path) -> synth.Data:
    z = np.load(path)
    side = ("names", "ids", "birth", "region")
    return synth.Data(
        left=synth.Side(*(z[f"left_{k}"] for k in side)),
        right=synth.Side(*(z[f"right_{k}"] for k in side)),
        truth_left=z["truth_left"],
        truth_right=z["truth_right"],
        truth_class=z["truth_class"],
        decoy=z["decoy"],
    )


# --- quality --------------------------------------------------------------------


def prf(tp: int, found: int, true: int) -> tuple[float, float, float]:
    p = tp / found if found else 1.0
    r = tp / true if true else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def quality(
    data: synth.Data,
    left: np.ndarray,
    right: np.ndarray,
    score: np.ndarray,
    conflict: np.ndarray,
    n_candidates: int,
    in_candidates: np.ndarray,
    tiers: dict[str, float],
) -> dict[str, Any]:
    """Figures for scored pairs (any engine): ``conflict`` marks pairs whose two
    IDs are both valid and different; ``in_candidates`` marks truth pairs blocked."""
    width = len(data.right)
    codes = left * width + right
    truth = data.truth_left * width + data.truth_right
    is_true = np.isin(codes, truth)
    n_true = len(truth)
    out: dict[str, Any] = {
        "candidates": n_candidates,
        "blocking_recall": float(in_candidates.mean()),
        "true_pairs": n_true,
    }
    order = np.argsort(-score, kind="stable")
    tp = np.cumsum(is_true[order])
    k = np.arange(1, len(order) + 1)
    f1 = 2 * tp / (k + n_true)
    best = int(np.argmax(f1)) if len(f1) else 0
    out["best_f1"] = float(f1[best]) if len(f1) else 0.0
    out["best_f1_threshold"] = float(score[order][best]) if len(f1) else 1.0
    cadre_truth = np.unique(data.truth_left)
    for tier, cut in tiers.items():
        sel = score >= cut
        p, r, f = prf(int(is_true[sel].sum()), int(sel.sum()), n_true)
        flagged = np.unique(left[sel])
        cp, cr, _ = prf(int(np.isin(flagged, cadre_truth).sum()), len(flagged), len(cadre_truth))
        hit = np.isin(truth, codes[sel])
        out[tier] = {
            "threshold": cut,
            "pairs": int(sel.sum()),
            "precision": p,
            "recall": r,
            "f1": f,
            "cadre_precision": cp,
            "cadre_recall": cr,
            "recall_by_class": {
                c: float(hit[data.truth_class == i].mean())
                if (data.truth_class == i).any()
                else None
                for i, c in enumerate(synth.CLASSES)
            },
            "different_valid_ids": int((sel & conflict).sum()),
        }
    # Cadre level: the best recall whose precision is still ≥ 0.98.
    best_score = np.full(len(data.left), -1.0)
    np.maximum.at(best_score, left, score)
    ranked = np.argsort(-best_score, kind="stable")
    ranked = ranked[best_score[ranked] >= 0]
    ctp = np.cumsum(np.isin(ranked, cadre_truth))
    cprec = ctp / np.arange(1, len(ranked) + 1)
    ok = np.flatnonzero(cprec >= 0.98)
    out["cadre_recall_at_p98"] = float(ctp[ok[-1]] / len(cadre_truth)) if len(ok) else 0.0
    out["cadre_threshold_at_p98"] = float(best_score[ranked[ok[-1]]]) if len(ok) else 1.0
    exact = data.truth_class == 0
    out["exact_id_pairs"] = int(exact.sum())
    out["exact_id_found"] = int(np.isin(truth[exact], codes[score >= tiers["review"]]).sum())
    bins = [(0.2, 0.5), (0.5, 0.8), (0.8, 0.95), (0.95, 1.01)]
    out["calibration"] = [
        {
            "bin": f"{lo:.2f}–{min(hi, 1):.2f}",
            "pairs": int(m.sum()),
            "mean_score": float(score[m].mean()) if m.any() else None,
            "share_true": float(is_true[m].mean()) if m.any() else None,
        }
        for lo, hi in bins
        for m in [(score >= lo) & (score < hi)]
    ]
    return out


# --- one run of the engine, in its own process ------------------------------------


def run_engine(path: Path, latency: int) -> dict[str, Any]:
    data = load(path)
    mem = {"data loaded": peak_mib()}
    times: dict[str, float] = {}
    t0 = time.perf_counter()
    left = encode(data.left.names, data.left.ids, data.left.birth, data.left.region)
    right = encode(data.right.names, data.right.ids, data.right.birth, data.right.region)
    times["encode"] = time.perf_counter() - t0
    mem["encode"] = peak_mib()
    t = time.perf_counter()
    index = engine.PersonIndex(right)
    times["index"] = time.perf_counter() - t
    mem["index"] = peak_mib()
    t = time.perf_counter()
    li, ri = index.candidates(left)
    times["block"] = time.perf_counter() - t
    mem["block"] = peak_mib()
    t = time.perf_counter()
    pairs = engine.compare_pairs(index, left, li, ri)
    model, presence = engine.estimate_model(index, left, pairs)
    levels = pairs.levels
    total = engine.total_weight(pairs, model)
    score = 1.0 / (1.0 + np.exp(-(engine.prior_logit(presence, len(index)) + total)))
    engine.apply_id_rules(score, levels)
    conflict = levels["id"] == engine.ID_CONFLICT_VALID
    times["score"] = time.perf_counter() - t
    mem["score"] = peak_mib()
    times["total"] = sum(times.values())

    # One newly appointed cadre at a time against the indexed person set.
    rng = np.random.default_rng(0)
    rows = np.concatenate(
        [rng.choice(data.truth_left, latency // 2), rng.integers(0, len(data.left), latency // 2)]
    )
    lat = []
    for row in rows:
        s = slice(int(row), int(row) + 1)
        t = time.perf_counter()
        one = encode(data.left.names[s], data.left.ids[s], data.left.birth[s], data.left.region[s])
        engine.match_columns(one, index, presence=presence, model=model)
        lat.append(time.perf_counter() - t)

    width = len(data.right)
    blocked = np.isin(data.truth_left * width + data.truth_right, li * width + ri)
    tiers = {"confirmed": engine.CONFIRMED, "review": engine.REVIEW}
    keep = score >= 0.01
    figures = quality(
        data, li[keep], ri[keep], score[keep], conflict[keep], len(li), blocked, tiers
    )
    figures["presence"] = presence
    figures["weights"] = engine.weight_table(model)
    # Candidate pairs whose names are homophones, and those only by a second reading
    # (a heteronym: 王祖 read "yu jie" was one of 于杰's).
    homophone = levels["name"] == engine.NAME_HOMOPHONE
    by_second = homophone & (left.sound[li] != right.sound[ri])
    true_pair = np.isin(li * width + ri, data.truth_left * width + data.truth_right)
    figures["homophones"] = {
        "pairs": int(homophone.sum()),
        "true": int((homophone & true_pair).sum()),
        "by_second_reading": int(by_second.sum()),
        "by_second_reading_true": int((by_second & true_pair).sum()),
    }
    return {
        "times": times,
        "memory_mib": mem,
        "latency_ms": {
            "p50": 1000 * float(np.percentile(lat, 50)),
            "p99": 1000 * float(np.percentile(lat, 99)),
            "max": 1000 * float(np.max(lat)),
            "n": len(lat),
        },
        "quality": figures,
    }


def run_splink_worker(path: Path) -> dict[str, Any]:
    import splink_run  # noqa: PLC0415 - optional dependency

    data = load(path)
    base = peak_mib()
    result = splink_run.run(data)
    blocked = result["truth_blocked"]
    ok = np.char.str_len(data.left.ids[result["left"]]) == 18  # canonical valid numbers only
    conflict = (
        ok
        & (np.char.str_len(data.right.ids[result["right"]]) == 18)
        & (data.left.ids[result["left"]] != data.right.ids[result["right"]])
        & _valid(data.left.ids[result["left"]])
        & _valid(data.right.ids[result["right"]])
    )
    keep = result["score"] >= 0.01
    figures = quality(
        data,
        result["left"][keep],
        result["right"][keep],
        result["score"][keep],
        conflict[keep],
        result["candidates"],
        blocked,
        {"confirmed": engine.CONFIRMED, "review": engine.REVIEW},
    )
    mem = {"data loaded": base, "total": peak_mib()}
    return {"times": result["times"], "memory_mib": mem, "quality": figures}


def _valid(numbers: np.ndarray) -> np.ndarray:
    from matching.columns import parse_ids  # noqa: PLC0415

    _, has, valid = parse_ids(numbers)
    return has & valid


def subprocess_run(kind: str, path: Path, latency: int) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--worker", kind, "--data", str(path)]
    cmd += ["--latency", str(latency)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)  # noqa: S603
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- report ---------------------------------------------------------------------


def median_times(runs: list[dict[str, Any]]) -> dict[str, float]:
    return {k: statistics.median(r["times"][k] for r in runs) for k in runs[0]["times"]}


def show(label: str, runs: list[dict[str, Any]]) -> None:
    q = runs[0]["quality"]
    times = median_times(runs)
    peak = max(max(r["memory_mib"].values()) for r in runs)
    base = min(r["memory_mib"]["data loaded"] for r in runs)
    print(f"  [{label}] {len(runs)} run(s); wall time, median:")
    print("    " + ", ".join(f"{k} {v:.2f} s" for k, v in times.items()))
    print(f"    peak RSS {peak / 1024:.2f} GiB (data loaded: {base / 1024:.2f} GiB)")
    if "latency_ms" in runs[0]:
        lat = runs[0]["latency_ms"]
        p99 = statistics.median(r["latency_ms"]["p99"] for r in runs)
        p50 = statistics.median(r["latency_ms"]["p50"] for r in runs)
        print(
            f"    one new cadre against the indexed set ({lat['n']} cadres): "
            f"p50 {p50:.1f} ms, p99 {p99:.1f} ms"
        )
    print(
        f"    candidate pairs {q['candidates']:,}; blocking recall {q['blocking_recall']:.4f} "
        f"({q['true_pairs']} true pairs)"
    )
    if "homophones" in q:
        h = q["homophones"]
        print(
            f"    homophone candidates {h['pairs']:,} ({h['true']} true); by a second reading "
            f"only {h['by_second_reading']:,} ({h['by_second_reading_true']} true)"
        )
    print(f"    best pair F1 {q['best_f1']:.3f} (at score ≥ {q['best_f1_threshold']:.3f})")
    for tier in ("confirmed", "review"):
        t = q[tier]
        classes = ", ".join(
            f"{c} {v:.3f}" if v is not None else f"{c} –" for c, v in t["recall_by_class"].items()
        )
        print(
            f"    {tier:>9} (≥{t['threshold']}): pairs {t['pairs']:,}; precision {t['precision']:.3f}"
            f" recall {t['recall']:.3f} F1 {t['f1']:.3f}; cadres: precision "
            f"{t['cadre_precision']:.3f} recall {t['cadre_recall']:.3f}"
        )
        print(f"               recall by evidence class: {classes}")
        print(f"               pairs between two different valid IDs: {t['different_valid_ids']}")
    print(
        f"    cadre recall at precision ≥ 0.98: {q['cadre_recall_at_p98']:.3f} "
        f"(cadre's best score ≥ {q['cadre_threshold_at_p98']:.3f})"
    )
    print(f"    exact-ID true pairs at review tier: {q['exact_id_found']}/{q['exact_id_pairs']}")
    if "presence" in q:
        print(f"    prior (EM): {q['presence']:.4f} same-person records per cadre")
    if "weights" in q:
        moved = ", ".join(
            f"{w['field']}.{w['level']} {w['prior']:+.1f}→{w['estimated']:+.1f}"
            for w in q["weights"]
            if abs(w["estimated"] - w["prior"]) >= 0.1
        )
        print(f"    weights estimated on this run (fitted → estimated): {moved or 'as fitted'}")
    cal = "; ".join(
        f"{c['bin']}: {c['pairs']} pairs, mean score {c['mean_score']:.2f}, true {c['share_true']:.2f}"
        for c in q["calibration"]
        if c["pairs"]
    )
    print(f"    calibration: {cal}")


def bench_one(args: argparse.Namespace, generator: str, profile: str) -> dict[str, Any]:
    t = time.perf_counter()
    path = ensure_data(args.size, profile, args.seed, generator)
    print(
        f"\ngenerator {generator!r}, noise profile {profile!r} "
        f"(data: {path}, {time.perf_counter() - t:.1f} s)"
    )
    runs = [subprocess_run("engine", path, args.latency) for _ in range(args.repeat)]
    show("engine", runs)
    out: dict[str, Any] = {"engine": runs}
    if not args.splink:
        return out
    try:
        import splink  # noqa: F401, PLC0415
    except ImportError:
        print("  [splink] not installed: pip install -e '.[bench]' to compare")
        return out
    sruns = [subprocess_run("splink", path, 0) for _ in range(args.splink_repeat)]
    show("splink", sruns)
    out["splink"] = sruns
    mine, theirs = median_times(runs)["total"], median_times(sruns)["total"]
    mem_mine = max(max(r["memory_mib"].values()) for r in runs)
    mem_theirs = max(max(r["memory_mib"].values()) for r in sruns)
    q, sq = runs[0]["quality"], sruns[0]["quality"]
    print(
        f"  [ratio] Splink / engine: time {theirs / mine:.1f}×, peak memory "
        f"{mem_theirs / mem_mine:.1f}×, candidate pairs "
        f"{sq['candidates'] / max(q['candidates'], 1):.1f}×; best F1 "
        f"{q['best_f1']:.3f} vs {sq['best_f1']:.3f}"
    )
    return out


def summary(everything: dict[str, Any]) -> None:
    """One line per generator and profile (and Splink's beside it when run)."""
    print("\nside by side (engine; Splink in brackets when run):")
    head = (
        f"  {'data':<16} {'block rec':>10} {'best F1':>14} {'cadre rec@p98':>16} "
        f"{'confirmed P/R':>14} {'review R':>9} {'time s':>14} {'p99 ms':>7}"
    )
    print(head)
    for label, found in everything.items():
        runs = found["engine"]
        q = runs[0]["quality"]
        sq = found["splink"][0]["quality"] if "splink" in found else None

        def both(key: str, q: dict = q, sq: dict | None = sq) -> str:
            return f"{q[key]:.3f}" + (f" [{sq[key]:.3f}]" if sq else "")

        t = median_times(runs)["total"]
        ts = f"{t:.2f}" + (f" [{median_times(found['splink'])['total']:.0f}]" if sq else "")
        p99 = statistics.median(r["latency_ms"]["p99"] for r in runs)
        c = q["confirmed"]
        print(
            f"  {label:<16} {both('blocking_recall'):>10} {both('best_f1'):>14} "
            f"{both('cadre_recall_at_p98'):>16} {c['precision']:.3f}/{c['recall']:.3f}   "
            f"{q['review']['recall']:>9.3f} {ts:>14} {p99:>7.1f}"
        )
    print("\ntargets (met / MISSED):")
    for label, found in everything.items():
        for what, met in targets(label, found):
            print(f"  {label:<16} {'met   ' if met else 'MISSED'} {what}")


def targets(label: str, found: dict[str, Any]) -> list[tuple[str, bool]]:
    """The benchmark's targets for one data set: (what, met)."""
    runs = found["engine"]
    q = runs[0]["quality"]
    floor = 0.98 if label.endswith("hard") else 0.997
    out = [
        (f"blocking recall {q['blocking_recall']:.4f} ≥ {floor}", q["blocking_recall"] >= floor),
        (
            f"confirmed pairs between two different valid IDs: "
            f"{q['confirmed']['different_valid_ids']}",
            q["confirmed"]["different_valid_ids"] == 0,
        ),
    ]
    p99 = statistics.median(r["latency_ms"]["p99"] for r in runs)
    out.append((f"one new cadre p99 {p99:.1f} ms ≤ 20 ms", p99 <= 20))
    if "splink" not in found:
        return out
    sq = found["splink"][0]["quality"]
    mine, theirs = median_times(runs)["total"], median_times(found["splink"])["total"]
    mem = max(max(r["memory_mib"].values()) for r in runs)
    smem = max(max(r["memory_mib"].values()) for r in found["splink"])
    out += [
        (
            f"best F1 {q['best_f1']:.3f} ≥ Splink's {sq['best_f1']:.3f} + 0.01",
            q["best_f1"] >= sq["best_f1"] + 0.01,
        ),
        (
            f"cadre recall at precision ≥ 0.98 {q['cadre_recall_at_p98']:.3f} ≥ Splink's "
            f"{sq['cadre_recall_at_p98']:.3f} + 0.02",
            q["cadre_recall_at_p98"] >= sq["cadre_recall_at_p98"] + 0.02,
        ),
        (f"speed {theirs / mine:.1f}× Splink's ≥ 10×", theirs / mine >= 10),
        (f"memory 1/{smem / mem:.1f} of Splink's ≤ 1/4", smem / mem >= 4),
    ]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--profile", choices=[*synth.PROFILES, "both"], default="both")
    parser.add_argument("--generator", choices=[*GENERATORS, "both"], default="both")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--latency", type=int, default=LATENCY_SAMPLES)
    parser.add_argument("--splink", action="store_true", help="also run Splink (bench extra)")
    parser.add_argument("--splink-repeat", type=int, default=1)
    parser.add_argument("--worker", choices=["engine", "splink"], help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    args = parser.parse_args()

    if args.worker:
        if args.worker == "engine":
            result = run_engine(args.data, args.latency)
        else:
            result = run_splink_worker(args.data)
        print(json.dumps(result))
        return 0

    n_left, n_right = SIZES[args.size]
    profiles = list(synth.PROFILES) if args.profile == "both" else [args.profile]
    generators = list(GENERATORS) if args.generator == "both" else [args.generator]
    print(f"{n_left:,} cadres × {n_right:,} persons, seed {args.seed}, {os.cpu_count()} CPUs")
    everything: dict[str, Any] = {}
    for generator in generators:
        for profile in profiles:
            label = profile if generator == "synth" else f"{generator}/{profile}"
            everything[label] = bench_one(args, generator, profile)
    summary(everything)
    if args.json:
        args.json.write_text(json.dumps(everything, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
