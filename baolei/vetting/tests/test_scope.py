"""A county-A user never sees county-B runs, candidates or decisions: lists, exports,
the API and direct URLs."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from baolei.vetting.models import Candidate, DecisionRecord, VettingRun

LISTS = ["vetting:runs", "vetting:candidates", "vetting:decisions", "vetting:cadres"]
API_LISTS = [
    "api:vetting-run-list",
    "api:vetting-candidate-list",
    "api:vetting-candidate-decisions",
]


def text(response: Any) -> str:
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        book = load_workbook(io.BytesIO(response.content))
        return " ".join(str(c) for row in book.active.iter_rows(values_only=True) for c in row)
    return response.content.decode()


@pytest.mark.parametrize("name", LISTS)
def test_lists_and_exports_hide_county_b(world, client, name):
    client.force_login(world.a_reviewer)
    for params in ({}, {"export": "xlsx"}, {"export": "csv"}):
        response = client.get(reverse(name), params)
        assert response.status_code == 200 and "乙县" not in text(response)
    client.force_login(world.b_clerk)  # the rows are there for their own county
    assert "乙县" in client.get(reverse(name), {"export": "csv"}).content.decode()


@pytest.mark.parametrize("name", API_LISTS)
def test_api_lists_hide_county_b(world, client, name):
    client.force_login(world.a_reviewer)
    body = client.get(reverse(name)).json()
    assert body["count"] == 0 and "乙县" not in str(body)
    client.force_login(world.b_clerk)
    assert client.get(reverse(name)).json()["count"] == 1


def test_api_details_of_county_b_are_404(world, client):
    client.force_login(world.a_reviewer)
    run, candidate = world.outsider_rows[VettingRun], world.outsider_rows[Candidate]
    assert client.get(reverse("api:vetting-run-detail", args=[run.pk])).status_code == 404
    assert (
        client.get(reverse("api:vetting-candidate-detail", args=[candidate.pk])).status_code == 404
    )


def test_direct_urls_of_county_b_are_404_and_change_nothing(world, client):
    client.force_login(world.a_reviewer)
    run, candidate = world.outsider_rows[VettingRun], world.outsider_rows[Candidate]
    assert client.get(reverse("vetting:run", args=[run.pk])).status_code == 404
    assert client.get(reverse("vetting:candidate", args=[candidate.pk])).status_code == 404
    decide = reverse("vetting:decide", args=[candidate.pk])
    assert client.post(decide, {"decision": "confirmed", "change": "on"}).status_code == 404
    follow_up = reverse("vetting:follow_up", args=[candidate.pk])
    assert client.post(follow_up, {"open_clue": "on"}).status_code == 404
    candidate.refresh_from_db()
    assert candidate.decision == "unsure" and candidate.clue_id is None
    assert DecisionRecord.objects.filter(candidate=candidate).count() == 1


def test_bulk_decision_cannot_reach_county_b(world, client):
    client.force_login(world.a_reviewer)
    candidate = world.outsider_rows[Candidate]
    client.post(
        reverse("vetting:bulk_decide"),
        {"target": "selected", "ids": [candidate.pk], "decision": "confirmed", "change": "on"},
    )
    candidate.refresh_from_db()
    assert candidate.decision == "unsure"
