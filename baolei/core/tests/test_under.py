"""``code__under``: what ``startswith`` selects, as a range an index can serve."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from baolei.regions.models import Region


@pytest.mark.parametrize("prefix", ["51", "5101", "510121", "510121100", "5109", "5199", "9", ""])
def test_under_selects_what_startswith_selects(world: Any, prefix: str) -> None:
    for code in ("519999000000", "520000000000", "510900000000", "510999999999"):
        Region.objects.create(code=code, name=code, level="village")
    under = set(Region.objects.filter(code__under=prefix).values_list("code", flat=True))
    starts = set(Region.objects.filter(code__startswith=prefix).values_list("code", flat=True))
    assert under == starts
    assert prefix == "" or under < set(Region.objects.values_list("code", flat=True))


def test_scoping_asks_for_a_range_not_a_pattern(world: Any) -> None:
    with CaptureQueriesContext(connection) as captured:
        list(Region.objects.visible_to(world.a_clerk))
    sql = captured.captured_queries[-1]["sql"]
    assert "LIKE" not in sql.upper() and ">=" in sql and "<" in sql
