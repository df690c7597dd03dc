"""What a figure's link shows, checked against the figure: shared by the demo and
seed-scenario tests."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

from baolei.reports.figures import all_figures


def record_count(client: Any, figure: Any) -> int | Decimal:
    """What the figure's link shows: the number of records listed, or for money the sum
    of the exported amounts."""
    import csv
    import re

    if figure.unit == "元":
        body = client.get(figure.url + "&export=csv").content.decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(body)))
        return sum((Decimal(r["金额（元）"]) for r in rows), Decimal(0))
    page = client.get(figure.url).content.decode()
    found = re.search(r'data-record-count="(\d+)"', page)
    assert found, figure.key
    return int(found.group(1))


def assert_links_count_their_figures(client: Any, user: Any, region: Any, as_of: date) -> int:
    from baolei.reports.charts import all_charts
    from baolei.reports.figures import Scope

    client.force_login(user)
    checked = 0
    start = as_of.replace(year=as_of.year - 1)
    charts = all_charts(Scope(user, region, as_of, start))
    for group in [
        *all_figures(user, region, as_of, start).values(),
        *(c.figures() for c in charts),
    ]:
        for figure in group:
            assert figure.url.startswith("/reports/records/"), figure.key
            assert record_count(client, figure) == figure.value, figure.key
            checked += 1
    return checked
