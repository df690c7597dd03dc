"""Coverage and each cadre's last vetting: a cadre appointed after the last run is not vetted."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from baolei.vetting import queries, services
from baolei.vetting.models import RunStatus, VettingRun
from baolei.vetting.tests.conftest import appoint


@pytest.fixture
def vetted_then_appointed(world: Any, cadre: Any) -> Any:
    """张建国 (in office since 2024) vetted by a run of 2024-06-01; 王新 appointed 2025-03-01."""
    run = services.run_vetting(actor=world.a_clerk, region=world.county_a, sources=["clues"])
    VettingRun.objects.filter(pk=run.pk).update(started_at=datetime(2024, 6, 1, 2, tzinfo=UTC))
    return appoint(world, "王新", world.village_a, date(2025, 3, 1))


def test_a_cadre_appointed_after_the_last_run_is_not_yet_vetted(world, vetted_then_appointed):
    [county] = queries.coverage(world.a_reviewer)
    assert (county.county, county.active, county.vetted, county.percent) == ("甲县", 2, 1, "50%")


def test_cadre_list_shows_the_last_vetting_date_and_filters_the_unvetted(
    world, vetted_then_appointed, client
):
    client.force_login(world.a_reviewer)
    page = client.get(reverse("vetting:cadres")).content.decode()
    assert "张建国" in page and "2024年6月1日" in page and "尚未审查" in page
    unvetted = client.get(reverse("vetting:cadres"), {"vetting": "unvetted"}).content.decode()
    assert "王新" in unvetted and "张建国" not in unvetted
    vetted = client.get(reverse("vetting:cadres"), {"vetting": "vetted"}).content.decode()
    assert "张建国" in vetted and "王新" not in vetted


def test_cadre_list_exports_the_last_vetting_date(world, vetted_then_appointed, client):
    client.force_login(world.a_reviewer)
    response = client.get(reverse("vetting:cadres"), {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    dates = {name: row[-1] for row in rows for name in ("张建国", "王新") if name in row}
    assert dates == {"张建国": "2024-06-01", "王新": "尚未审查"}


def test_a_failed_or_unfinished_run_vets_nobody(world, cadre):
    run = services.queue_run(actor=world.a_clerk, region=world.county_a, sources=["clues"])
    [county] = queries.coverage(world.a_reviewer)
    assert county.vetted == 0
    VettingRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED)
    [county] = queries.coverage(world.a_reviewer)
    assert county.vetted == 0


def test_a_later_run_vets_the_new_cadre(world, vetted_then_appointed):
    services.run_vetting(actor=world.a_clerk, region=world.village_a, sources=["clues"])
    [county] = queries.coverage(world.a_reviewer)
    assert county.vetted == 2
