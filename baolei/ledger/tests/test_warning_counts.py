"""The warning board's counts by county and by agency equal the warned items the user
sees, counted one by one."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import time_machine

from baolei.ledger import queries
from baolei.ledger.tests.builders import make_item


def test_counts_by_county_and_agency_equal_the_items(world: Any) -> None:
    with time_machine.travel(date(2026, 11, 1), tick=False):
        for n, (agency, deadline) in enumerate(
            [
                ("a_office", date(2026, 11, 10)),  # red once the deadline passes
                ("a_office", date(2026, 11, 20)),
                ("a_police", date(2026, 11, 10)),
                ("a_police", date(2027, 6, 30)),  # no warning
            ]
        ):
            make_item(world, title=f"整改事项{n}", agency=agency, deadline=deadline)
    today = date(2026, 11, 15)
    user = world.city_leader
    counts = queries.warning_counts(user, today)
    warned = list(queries.visible_items(user, today).exclude(warning=""))
    assert warned, "the case needs warned items"
    expected_agency = Counter((i.owner_agency.name, i.warning) for i in warned)
    expected_county = Counter((i.region.code[:6], i.warning) for i in warned)
    got_agency = Counter(
        {
            (row["owner_agency__name"], colour): row[colour]
            for row in counts["agency"]
            for colour in ("red", "yellow", "blue")
            if row[colour]
        }
    )
    got_county = Counter(
        {
            (row["county_code"], colour): row[colour]
            for row in counts["county"]
            for colour in ("red", "yellow", "blue")
            if row[colour]
        }
    )
    assert got_agency == expected_agency
    assert got_county == expected_county
    assert [r["owner_agency__name"] for r in counts["agency"]] == sorted(
        {i.owner_agency.name for i in warned}
    )
    assert all(
        row["county_name"] == "甲县" for row in counts["county"] if row["county_code"] == "510121"
    )
