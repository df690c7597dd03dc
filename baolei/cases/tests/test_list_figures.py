"""The case list agrees with each case's page; every choice of the stage form is kept."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError

from baolei.cases import services
from baolei.cases.forms import StageForm
from baolei.cases.models import Characterisation, Outcome, Stage
from baolei.people.services import create_person


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(date(2026, 11, 26), tick=False) as t:
        yield t


def list_row(page: str, name: str) -> list[str]:
    row = next(r for r in page.split("<tr>") if name in r)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]


def detail_field(page: str, field: str) -> str:
    match = re.search(rf'data-field="{field}">([^<]*)<', page)
    assert match, field
    return match.group(1).strip()


def test_asset_sum_is_not_multiplied_by_suspects(
    case: Any, clerks: Any, world: Any, client: Any
) -> None:
    police = clerks["police"]
    for i in range(14):
        person = create_person(actor=police, name=f"卫某{i}", region=world.village_a)
        services.add_suspect(actor=police, case=case, person=person, role="other")
    services.record_asset(
        actor=police,
        case=case,
        kind="real_estate",
        measure="seal",
        description="商铺",
        value=Decimal("80000000.00"),
        on=date(2026, 2, 1),
    )
    services.record_stage(
        actor=clerks["procuratorate"], case=case, stage=Stage.ARREST_APPROVED, on=date(2026, 2, 1)
    )
    client.force_login(world.city_leader)
    cells = list_row(client.get("/cases/").content.decode(), case.name)
    assert cells[5:8] == ["批准逮捕", "14", "80000000.00"]
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert detail_field(page, "stage") == "批准逮捕"
    assert detail_field(page, "suspect_count") == "14"
    assert detail_field(page, "asset_total") == "80000000.00"
    body = client.get("/api/v1/cases/").json()
    row = next(r for r in body["results"] if r["id"] == case.pk)
    assert row["stage"] == Stage.ARREST_APPROVED


@pytest.mark.parametrize("stage", [Stage.ARREST_APPROVED, Stage.TRANSFERRED])
def test_characterisation_chosen_before_prosecution_is_kept(
    case: Any, clerks: Any, client: Any, stage: Stage
) -> None:
    if stage == Stage.TRANSFERRED:
        services.record_stage(
            actor=clerks["procuratorate"],
            case=case,
            stage=Stage.ARREST_APPROVED,
            on=date(2026, 2, 1),
        )
    clerk = clerks["police" if stage == Stage.TRANSFERRED else "procuratorate"]
    client.force_login(clerk)
    client.post(
        f"/cases/{case.pk}/stage/",
        {"stage": stage, "on": "2026-03-01", "characterisation": "evil_group"},
    )
    event = case.events.get(stage=stage)
    assert event.characterisation == Characterisation.EVIL_GROUP
    page = client.get(f"/cases/{case.pk}/").content.decode()
    row = next(r for r in page.split("<tr>") if Stage(stage).label in r and "2026-03-01" in r)
    assert "恶势力犯罪集团" in row


def test_outcome_outside_second_instance_is_refused_not_dropped(case: Any, clerks: Any) -> None:
    with pytest.raises(ValidationError, match="二审结果只在登记"):
        services.record_stage(
            actor=clerks["procuratorate"],
            case=case,
            stage=Stage.ARREST_APPROVED,
            on=date(2026, 2, 1),
            outcome="upheld",
        )
    assert case.events.count() == 1


@pytest.mark.parametrize("final", [Outcome.UPHELD, Outcome.AMENDED])
def test_every_choice_of_the_stage_form_round_trips(
    case: Any, clerks: Any, client: Any, final: Outcome
) -> None:
    """Walk the stage form: each offered value of each field is stored and shown back."""
    form = StageForm()
    chain = [
        (Stage.ARREST_APPROVED, "procuratorate", {}),
        (Stage.TRANSFERRED, "police", {}),
        (Stage.PROSECUTED, "procuratorate", {}),
        (Stage.FIRST_INSTANCE, "court", {}),
        (Stage.SECOND_INSTANCE, "court", {"outcome": "remanded"}),
        (Stage.FIRST_INSTANCE, "court", {}),
        (Stage.SECOND_INSTANCE, "court", {"outcome": final}),
    ]
    characterisations = [v for v, _ in form.fields["characterisation"].choices if v]
    offered_stages = {v for v, _ in form.fields["stage"].choices}
    seen: dict[str, set[str]] = {
        "stage": {Stage.FILED},
        "characterisation": set(),
        "outcome": set(),
    }
    for day, (stage, who, extra) in enumerate(chain, start=1):
        chosen = characterisations[day % len(characterisations)]
        data = {
            "stage": stage,
            "on": f"2026-03-{day:02d}",
            "characterisation": chosen,
            "note": f"说明{day}",
        } | extra
        client.force_login(clerks[who])
        client.post(f"/cases/{case.pk}/stage/", data)
        event = case.events.order_by("-on", "-recorded_at").first()
        assert (event.stage, event.characterisation, event.outcome, event.note) == (
            stage,
            chosen,
            extra.get("outcome", ""),
            f"说明{day}",
        )
        page = client.get(f"/cases/{case.pk}/").content.decode()
        row = next(r for r in page.split("<tr>") if f"2026-03-{day:02d}" in r)
        assert Characterisation(chosen).label in row and f"说明{day}" in row
        if extra:
            assert Outcome(extra["outcome"]).label in row
        seen["stage"].add(stage)
        seen["characterisation"].add(chosen)
        if extra:
            seen["outcome"].add(extra["outcome"])
    assert seen["stage"] == offered_stages
    assert seen["characterisation"] == set(characterisations)
    offered_outcomes = {v for v, _ in form.fields["outcome"].choices if v}
    assert seen["outcome"] == {Outcome.REMANDED, final} and seen["outcome"] <= offered_outcomes
