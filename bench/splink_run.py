"""Splink (DuckDB backend) on the benchmark's data, for comparison.

Pinyin columns (full name, surname, given name) are computed per distinct name
(normalised and read character by character, as the engine does);
birth dates fall back to the date written in the ID, as the engine does; IDs are
in their canonical 18-character form.  Blocking: exact ID, surname pinyin + birth
year, full-name pinyin.  The exact-ID level has fixed m and u (an ID is shared by
two different people about never) rather than leaving them to random sampling,
which almost never samples two records with one ID; the other u values come from
random sampling, the m values from EM, and λ from the exact-ID rule.
"""

from __future__ import annotations

import time
from functools import cache
from typing import Any

import numpy as np
import pyarrow as pa
import splink.comparison_level_library as cll
import splink.comparison_library as cl
import synth
from pypinyin import Style, pinyin
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from splink.blocking_analysis import count_comparisons_from_blocking_rules

from matching import names
from matching.columns import births, parse_ids

BLOCKING = [
    block_on("id"),
    block_on("surname_py", "birth_year"),
    block_on("name_py"),
]


@cache
def _reading(char: str) -> str:
    return pinyin(char, style=Style.NORMAL, errors="default")[0][0]


def frame(side: synth.Side, prefix: str) -> dict[str, np.ndarray]:
    uniq, inverse = np.unique(side.names, return_inverse=True)
    norm, full, sur, given = [], [], [], []
    for raw in uniq:
        name = "".join(names.normalise_char(c) for c in str(raw))
        syllables = [_reading(c) for c in name]
        norm.append(name)
        full.append(" ".join(syllables))
        sur.append(syllables[0] if syllables else "")
        given.append(" ".join(syllables[1:]))
    digits, has, _valid = parse_ids(side.ids)
    chars = np.frombuffer(b"0123456789X", dtype=np.uint8)[np.clip(digits, 0, 10)]
    id_text = np.ascontiguousarray(chars).view("S18").ravel().astype(str)
    born = births(side.birth, digits, has)
    birth_text = (born - 719163).astype("datetime64[D]").astype(str)
    known = born >= 0
    region_ok = np.char.str_len(side.region) == 12

    def nullable(values: np.ndarray, ok: np.ndarray) -> np.ndarray:
        out = values.astype(object)
        out[~ok] = None
        return out

    return {
        "unique_id": np.char.add(prefix, np.arange(len(side)).astype(str)).astype(object),
        "name": np.array(norm, dtype=object)[inverse],
        "name_py": np.array(full, dtype=object)[inverse],
        "surname_py": np.array(sur, dtype=object)[inverse],
        "given_py": np.array(given, dtype=object)[inverse],
        "id": nullable(id_text, has),
        "birth_date": nullable(birth_text, known),
        "birth_year": nullable(birth_text.astype("<U4"), known),
        "village": nullable(side.region, region_ok),
        "township": nullable(side.region.astype("<U9"), region_ok),
    }


def settings() -> SettingsCreator:
    id_comparison = cl.CustomComparison(
        output_column_name="id",
        comparison_levels=[
            cll.NullLevel("id"),
            cll.ExactMatchLevel("id").configure(
                m_probability=0.9,
                u_probability=1e-9,
                fix_m_probability=True,
                fix_u_probability=True,
            ),
            cll.DamerauLevenshteinLevel("id", 1),
            cll.ElseLevel(),
        ],
    )
    name_comparison = cl.CustomComparison(
        output_column_name="name",
        comparison_levels=[
            cll.NullLevel("name"),
            cll.ExactMatchLevel("name", term_frequency_adjustments=True),
            cll.ExactMatchLevel("name_py", term_frequency_adjustments=True),
            cll.JaroWinklerLevel("name_py", 0.9),
            cll.JaroWinklerLevel("name_py", 0.8),
            cll.ElseLevel(),
        ],
    )
    region = cl.CustomComparison(
        output_column_name="region",
        comparison_levels=[
            cll.NullLevel("village"),
            cll.ExactMatchLevel("village"),
            cll.ExactMatchLevel("township"),
            cll.ElseLevel(),
        ],
    )
    return SettingsCreator(
        link_type="link_only",
        unique_id_column_name="unique_id",
        blocking_rules_to_generate_predictions=BLOCKING,
        comparisons=[
            id_comparison,
            name_comparison,
            cl.DateOfBirthComparison("birth_date", input_is_string=True),
            region,
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def run(data: synth.Data) -> dict[str, Any]:
    times: dict[str, float] = {}
    t = time.perf_counter()
    left, right = frame(data.left, "l"), frame(data.right, "r")
    times["prepare"] = time.perf_counter() - t
    t = time.perf_counter()
    db = DuckDBAPI()
    left_t = db.register(pa.table(left), dataset_display_name="cadres")
    right_t = db.register(pa.table(right), dataset_display_name="persons")
    linker = Linker([left_t, right_t], settings(), log_level=None)
    linker.training.estimate_probability_two_random_records_match([block_on("id")], recall=0.6)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("name_py"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("birth_date"))
    times["train"] = time.perf_counter() - t
    t = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=0.01).as_pyarrow_table()
    times["predict"] = time.perf_counter() - t
    times["total"] = times["prepare"] + times["train"] + times["predict"]
    counts = count_comparisons_from_blocking_rules(
        [left_t, right_t],
        blocking_rules=BLOCKING,
        link_type="link_only",
        record_sample_proportion=1.0,
    )
    candidates = int(counts[-1]["cumulative_comparison_count"])

    def same(column: str) -> np.ndarray:
        x, y = left[column][data.truth_left], right[column][data.truth_right]
        return np.array([u is not None and u == v for u, v in zip(x, y, strict=True)])

    blocked = same("id") | (same("surname_py") & same("birth_year")) | same("name_py")
    ids_l = np.array(predictions.column("unique_id_l").to_pylist())
    ids_r = np.array(predictions.column("unique_id_r").to_pylist())
    a = np.char.lstrip(ids_l, "lr").astype(np.int64)
    b = np.char.lstrip(ids_r, "lr").astype(np.int64)
    left_is_cadre = np.char.startswith(ids_l, "l")
    return {
        "left": np.where(left_is_cadre, a, b),
        "right": np.where(left_is_cadre, b, a),
        "score": np.asarray(predictions.column("match_probability").to_numpy(), np.float64),
        "candidates": candidates,
        "times": times,
        "truth_blocked": blocked,
    }
