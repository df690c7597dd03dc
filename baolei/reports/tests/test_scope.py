"""Figures and ledgers in the fixed cast's two counties: what a county user opens
stays in its county, and who counts as vetted on which day."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from baolei.reports import briefing
from baolei.reports.figures import all_figures, money


def test_money_reads_like_the_report() -> None:
    assert money(Decimal("5800000")) == "580万元"
    assert money(Decimal("360000000")) == "3.6亿元"


def test_all_ledgers_in_one_zip_stay_in_scope(
    world: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    import zipfile

    from openpyxl import load_workbook

    client.force_login(world.a_clerk)
    with django_assert_max_num_queries(60):
        response = client.get("/reports/ledgers.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert len(names) == 9 and names[0] == "01_整改台账.xlsx"
    for name in names:
        sheet = load_workbook(io.BytesIO(archive.read(name))).active
        assert "乙县" not in " ".join(
            str(c) for row in sheet.iter_rows(values_only=True) for c in row if c
        )


def test_records_behind_every_figure_stay_in_scope(world: Any, client: Any) -> None:
    """Every figure and chart bar a county-A user can open lists county-A records only,
    on the page and in the export; the city sees county B's rows through the same links."""
    from openpyxl import load_workbook

    from baolei.conftest import OUTSIDER_MARK
    from baolei.regions.queries import scope_root
    from baolei.reports.charts import all_charts
    from baolei.reports.figures import Scope

    def opened(user: Any) -> str:
        client.force_login(user)
        region, today, start = scope_root(user), timezone.localdate(), date(2000, 1, 1)
        figures = [f for g in all_figures(user, region, today, start).values() for f in g]
        figures += [f for c in all_charts(Scope(user, region, today, start)) for f in c.figures()]
        seen = []
        for figure in figures:
            page = client.get(figure.url)
            assert page.status_code == 200, figure.key
            sheet = load_workbook(io.BytesIO(client.get(figure.url + "&export=xlsx").content))
            cells = " ".join(str(c) for r in sheet.active.iter_rows(values_only=True) for c in r)
            seen.append(page.content.decode() + cells)
        return " ".join(seen)

    assert OUTSIDER_MARK not in opened(world.users["a_clerk"])
    assert OUTSIDER_MARK in opened(world.users["city_leader"])


def test_a_cadre_counts_as_vetted_only_after_a_completed_run_that_covers_them(
    world: Any,
) -> None:
    from datetime import UTC, datetime

    from baolei.vetting.models import RunStatus, VettingRun
    from baolei.vetting.tests.conftest import appoint

    early = appoint(world, "甲早任", world.village_a, date(2024, 1, 1))
    late = appoint(world, "甲新任", world.village_a, date(2026, 7, 1))
    appoint(world, "甲同日", world.village_a, date(2026, 6, 1))  # the run's day in Beijing
    VettingRun.objects.create(
        region=world.county_a,
        sources=["external"],
        threshold=0.2,
        status=RunStatus.DONE,
        started_at=datetime(2026, 5, 31, 23, 30, tzinfo=UTC),  # 07:30 on 1 June in Beijing
    )
    VettingRun.objects.create(  # a failed run vets nobody
        region=world.county_a,
        sources=["external"],
        threshold=0.2,
        status=RunStatus.FAILED,
        started_at=datetime(2026, 8, 1, 1, tzinfo=UTC),
    )

    def vetted(day: date) -> set[str]:
        user = world.users["a_clerk"]
        figures = all_figures(user, world.county_a, day, date(2026, 1, 1))
        figure = next(f for f in figures["organisation"] if f.key == "cadres_vetted")
        names = {row.label.split("（")[0] for row in figure.rows()}
        assert len(names) == figure.value
        return names

    assert vetted(date(2026, 5, 31)) & {"甲早任", "甲新任"} == set()  # before the run
    assert {"甲早任", "甲同日"} <= vetted(date(2026, 6, 1))
    assert "甲新任" not in vetted(date(2026, 9, 1))  # appointed after the last completed run
    assert early.pk != late.pk
    text = briefing.build(
        world.users["a_clerk"], world.county_a, date(2026, 9, 1), date(2026, 1, 1)
    )
    assert "中已完成审查" in text.text()
