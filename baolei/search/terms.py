"""How a name, a record number or an ID number becomes index terms, and what a typed
query must meet.

Names are indexed as character pairs (bigrams): 李明华 → 李明, 明华. A query of two
characters is one equality lookup, a longer one needs every pair of it (and the
name must then contain the whole query). Chinese names are mostly two or three
characters, below what trigram indexes (SQLite FTS5's trigram tokenizer, PostgreSQL's
pg_trgm) can answer, and pg_trgm's handling of CJK depends on the database's ctype,
so the index is a plain table of terms with a B-tree index that answers alike on
both databases.

Record numbers are read as their runs of digits (leading zeros dropped, so 0001 and 1
meet) and of Latin letters, and every stretch of consecutive runs is a term
(线索〔2026〕0188号 → 2026, 188, 2026~188): a number query is one equality lookup of
the runs it holds, so 0188号, 2026-0188 and the whole number all find the clue,
while 2026 alone finds everything of that year. The Chinese words of a query
(线索, 督改, 公刑) then narrow the hits to numbers that contain them. Pinyin initials
(张三 → zs, 锦坡村 → jp, jpc) are stored with every prefix of two letters or more. An ID
number is stored only as the person's keyed lookup hash, so only the whole number
finds it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from baolei.people import idnumber
from baolei.people.models import id_number_key
from baolei.regions.pickers import initials

#: Characters that separate words but never tell two names apart.
IGNORED = re.compile(r"[\s·•・]+")
#: The pieces of a number that are looked up: digits and Latin letters.
RUNS = re.compile(r"[0-9]+|[a-z]+")
#: The words of a number that narrow the hits: anything else but punctuation (Chinese).
WORDS = re.compile(r"[^\W\d_a-z]+")
#: Runs of a number indexed, and the longest stretch of them stored as one term.
RUNS_KEPT, STRETCH = 8, 5
ID_SHAPE = re.compile(r"^(?:[0-9]{15}|[0-9]{17}[0-9xX])$")
PINYIN_SHAPE = re.compile(r"^[a-z]+$")
#: Initials longer than this are not stored as prefixes (no name has more syllables).
PINYIN_MAX = 12
NUMBER, PINYIN, ID = "n:", "p:", "id:"
MINIMUM = 2


def normalise(text: str) -> str:
    """Full-width forms folded (NFKC), lower case, spaces and middle dots removed."""
    return IGNORED.sub("", unicodedata.normalize("NFKC", text)).lower()


def bigrams(text: str) -> set[str]:
    """The character pairs of a name; a name of one character is its own term."""
    name = normalise(text)
    if len(name) < MINIMUM:
        return {name} if name else set()
    return {name[i : i + 2] for i in range(len(name) - 1)}


def number_runs(text: str) -> list[str]:
    return [str(int(run)) if run.isdigit() else run for run in RUNS.findall(normalise(text))]


def number_terms(number: str) -> set[str]:
    """Every stretch of consecutive runs: 2026, 188 and 2026~188 for 线索〔2026〕0188号."""
    runs = number_runs(number)[:RUNS_KEPT]
    return {
        NUMBER + "~".join(runs[start:end])
        for start in range(len(runs))
        for end in range(start + 1, min(start + STRETCH, len(runs)) + 1)
    }


def pinyin_terms(name: str) -> set[str]:
    letters = initials(normalise(name))[:PINYIN_MAX]
    return {PINYIN + letters[:n] for n in range(MINIMUM, len(letters) + 1)}


def id_term(id_number_hash: str) -> set[str]:
    return {ID + id_number_hash} if id_number_hash else set()


@dataclass(frozen=True)
class Query:
    """What a typed query looks up: ``alternatives`` maps its way of matching (name,
    number, pinyin or id: one per query) to the terms a record must all hold."""

    text: str
    alternatives: dict[str, frozenset[str]] = field(default_factory=dict)
    #: Words a matching number must contain (线索 of 线索〔2026〕0188号).
    words: tuple[str, ...] = ()
    hint: str = ""
    #: The lookup hash when the query is a whole, valid ID number.
    id_key: str = ""

    @property
    def name_terms(self) -> frozenset[str]:
        return self.alternatives.get("name", frozenset())


TOO_SHORT = "请输入至少两个字（或两位数字、两个拼音首字母）再检索。"


def parse(text: str) -> Query:
    """The terms of a query; a query too short to look up carries a hint instead."""
    typed = normalise(text)
    if len(typed) < MINIMUM:
        return Query(text, hint=TOO_SHORT)
    if ID_SHAPE.match(typed):
        try:
            key = id_number_key(idnumber.validate(typed))
        except idnumber.IdNumberError as error:
            return Query(text, hint=f"{error.message}。只能按完整、正确的身份证号码检索人员。")
        return by_id_key(key, text)
    if any(c.isdigit() for c in typed):
        runs = number_runs(typed)
        stretch = frozenset({NUMBER + "~".join(runs)} if len(runs) <= STRETCH else ())
        return Query(text, {"number": stretch}, words=tuple(WORDS.findall(typed)))
    if PINYIN_SHAPE.match(typed):  # names are Chinese: Latin letters are their initials
        return Query(text, {"pinyin": frozenset({PINYIN + typed[:PINYIN_MAX]})})
    return Query(text, {"name": frozenset(bigrams(typed))})


def by_id_key(key: str, text: str = "") -> Query:
    """A query for the person holding the ID number whose lookup hash is ``key``."""
    return Query(text, {"id": frozenset({ID + key})}, id_key=key)
