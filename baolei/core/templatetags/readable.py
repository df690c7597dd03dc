"""Template filters for readable amounts and ratios; the rule is in baolei.core.readable.

{% load readable %}
<span title="{{ value|yuan_exact }}">{{ value|yuan }}</span>   3.64 亿元
{{ round.minimum_ratio|percent }}                              10%
{{ figure|figure_value }}                                      12.50 万元 / 112个
"""

from __future__ import annotations

from typing import Any

from django import template

from baolei.core import readable

register = template.Library()

register.filter("yuan", readable.yuan)
register.filter("yuan_exact", readable.yuan_exact)
register.filter("percent", readable.percent)


@register.filter
def figure_value(figure: Any) -> str:
    """A dashboard figure: money by the page rule, a count with its unit (112个)."""
    if getattr(figure, "unit", "") == "元":
        return readable.yuan(figure.value)
    return f"{figure.value}{figure.unit}"
