"""A run started at 23:30 UTC reads 07:30 the next day everywhere: pages, exports, API."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

import time_machine
from openpyxl import load_workbook

from baolei.vetting import services
from baolei.vetting.models import Candidate, Decision, Source

STARTED = datetime(2026, 11, 25, 23, 30, tzinfo=UTC)
BEIJING = "2026-11-26 07:30"
UTC_TEXT = "2026-11-25 23:30"


def test_a_run_started_at_2330_utc_reads_0730_beijing_time(
    world: Any, hit_list: Any, client: Any
) -> None:
    with time_machine.travel(STARTED, tick=False):
        run = services.start_run(
            actor=world.a_clerk, region=world.county_a, sources=[Source.EXTERNAL]
        )
        candidate = Candidate.objects.get(run=run)
        services.decide_candidate(
            actor=world.a_reviewer, candidate=candidate, decision=Decision.DISMISSED, note="同名"
        )
    assert str(run) == f"背景审查比对 {BEIJING}"
    client.force_login(world.a_reviewer)
    pages = {
        "run page": f"/vetting/{run.pk}/",
        "run list": "/vetting/",
        "candidate page": f"/vetting/candidates/{candidate.pk}/",
        "decision list": "/vetting/decisions/",
    }
    for name, url in pages.items():
        page = client.get(url).content.decode()
        assert BEIJING in page, name
        assert UTC_TEXT not in page, name
    for url in ("/vetting/", "/vetting/candidates/", "/vetting/decisions/"):
        sheet = load_workbook(io.BytesIO(client.get(url, {"export": "xlsx"}).content)).active
        values = [str(c) for row in sheet.iter_rows(values_only=True) for c in row]
        assert BEIJING in values and UTC_TEXT not in values, url
        text = client.get(url, {"export": "csv"}).content.decode("utf-8-sig")
        cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
        assert BEIJING in cells and UTC_TEXT not in cells, url
    body = client.get(f"/api/v1/vetting/runs/{run.pk}/").json()
    assert body["started_at"].startswith("2026-11-26T07:30") and body["started_at"].endswith(
        "+08:00"
    )
