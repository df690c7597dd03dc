"""How amounts and ratios read on a page; exports keep the exact values.

Money (a value in 元):
    from 1 亿 (100,000,000 元) up: in 亿元, two decimals     363500000.00 → 3.64 亿元
    from 1 万 (10,000 元) up:       in 万元, two decimals     125000       → 12.50 万元
    below 1 万:                     in 元 with thousands separators, decimals only when
                                    there are fen               8500 → 8,500 元; 12.5 → 12.50 元
    Thousands separators in every unit (12,345.00 万元); negative amounts (a change that
    fell) keep their sign; no value → "—".  ``yuan_exact`` gives the value to the fen
    (363,500,000.00 元) for a title or a tooltip.
Ratio (a fraction, 0.125 = 12.5%):
    a percentage with at most one decimal, no trailing zeros: 10%, 12.5%, 33.3%.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

YI = Decimal(100_000_000)
WAN = Decimal(10_000)
CENT = Decimal("0.01")
EMPTY = "—"


def as_decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def yuan(value: Any) -> str:
    """An amount in 元 as a reader takes it in: 3.64 亿元, 12.50 万元, 8,500 元."""
    amount = as_decimal(value)
    if amount is None:
        return EMPTY
    size = abs(amount)
    if size >= YI:
        return f"{(amount / YI).quantize(CENT, ROUND_HALF_UP):,} 亿元"
    if size >= WAN:
        return f"{(amount / WAN).quantize(CENT, ROUND_HALF_UP):,} 万元"
    cents = amount.quantize(CENT, ROUND_HALF_UP)
    if cents == cents.to_integral_value():
        return f"{cents.to_integral_value():,} 元"
    return f"{cents:,} 元"


def yuan_exact(value: Any) -> str:
    """The amount to the fen with thousands separators: 363,500,000.00 元."""
    amount = as_decimal(value)
    if amount is None:
        return EMPTY
    return f"{amount.quantize(CENT, ROUND_HALF_UP):,} 元"


def percent(value: Any) -> str:
    """A fraction as a percentage without trailing zeros: 0.1 → 10%, 0.125 → 12.5%."""
    ratio = as_decimal(value)
    if ratio is None:
        return EMPTY
    shown = (ratio * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
    if shown == shown.to_integral_value():
        return f"{shown.to_integral_value()}%"
    return f"{shown}%"


@dataclass(frozen=True)
class Tally:
    """How far a decision that needs several parties has got: "3/4 部门已同意", with who
    is still awaited ("待：纪委监委"). Drawn by ``core/_tally.html``."""

    done: int
    total: int
    words: str
    waiting: tuple[str, ...] = ()

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done >= self.total

    def __str__(self) -> str:
        return f"{self.done}/{self.total} {self.words}"
