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
    assert cells[5:8] == ["批准逮捕", "14", "8,000.00 万元"]
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert detail_field(page, "stage") == "批准逮捕"
    assert detail_field(page, "suspect_count") == "14"
    assert detail_field(page, "asset_total") == "8,000.00 万元"
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


def test_every_choice_of_the_case_page_forms_round_trips(
    case: Any, clerks: Any, world: Any, client: Any
) -> None:
    """Assets, dispositions, suspects, their statuses and consultations: each value a form
    offers is stored and its name shown on the case page."""
    from itertools import cycle

    from baolei.accounts.models import Agency
    from baolei.cases.forms import AssetForm, ConsultationForm, DisposeForm, SuspectStatusForm
    from baolei.cases.models import Asset, Consultation, Suspect

    police = clerks["police"]
    client.force_login(police)

    def page() -> str:
        return client.get(f"/cases/{case.pk}/").content.decode()

    def row_of(text: str) -> str:
        return next(r for r in page().split("<tr>") if text in r)

    asset_form = AssetForm()
    kinds = [v for v, _ in asset_form.fields["kind"].choices]
    measures = [v for v, _ in asset_form.fields["measure"].choices]
    dispositions = cycle(v for v, _ in DisposeForm().fields["disposition"].choices)
    seen_dispositions = set()
    for n, (kind, measure) in enumerate(zip(kinds, cycle(measures), strict=False)):
        client.post(
            f"/cases/{case.pk}/asset/",
            {
                "kind": kind,
                "measure": measure,
                "description": f"财产{n}",
                "value": "100.00",
                "on": "2026-02-01",
            },
        )
        asset = Asset.objects.get(case=case, description=f"财产{n}")
        assert (asset.kind, asset.measure) == (kind, measure)
        row = row_of(f"财产{n}")
        assert asset.get_kind_display() in row and asset.get_measure_display() in row
        disposition = next(dispositions)
        client.post(
            f"/cases/{case.pk}/dispose/",
            {"asset": asset.pk, "disposition": disposition, "on": "2026-03-01"},
        )
        asset.refresh_from_db()
        assert asset.disposition == disposition
        assert asset.get_disposition_display() in row_of(f"财产{n}")
        seen_dispositions.add(disposition)
    assert set(measures) <= {a.measure for a in Asset.objects.filter(case=case)}
    assert seen_dispositions == {v for v, _ in DisposeForm().fields["disposition"].choices}

    roles = [v for v, _ in forms_choices("role")]
    statuses = [v for v, _ in SuspectStatusForm().fields["status"].choices]
    for n, role in enumerate(roles):
        person = create_person(actor=police, name=f"嫌疑人{n}", region=world.village_a)
        client.post(f"/cases/{case.pk}/suspect/", {"person": person.pk, "role": role})
        suspect = Suspect.objects.get(case=case, person=person)
        assert suspect.role == role
        assert suspect.get_role_display() in row_of(f"嫌疑人{n}")
    suspect = Suspect.objects.filter(case=case).first()
    for day, status in enumerate(statuses, start=1):
        client.post(
            f"/cases/{case.pk}/status/",
            {"suspect": suspect.pk, "status": status, "on": f"2026-04-{day:02d}", "sentence": ""},
        )
        assert suspect.events.order_by("-on").first().status == status
        label = dict(SuspectStatusForm().fields["status"].choices)[status]
        assert f"2026-04-{day:02d}{label}" in row_of(suspect.person.name)

    agencies = list(
        ConsultationForm(user=police).fields["agencies"].queryset.order_by("pk")[:2]  # type: ignore[attr-defined]
    )
    if len(agencies) < 2:
        agencies.append(Agency.objects.get(name="甲县人民检察院"))
    consultation_form = ConsultationForm(user=police)
    disputes = [v for v, _ in consultation_form.fields["disputes"].choices]
    for n, (kind, _) in enumerate(consultation_form.fields["kind"].choices):
        chosen = disputes[n % len(disputes) :] or disputes
        client.post(
            f"/cases/{case.pk}/consultation/",
            {
                "kind": kind,
                "on": f"2026-05-0{n + 1}",
                "agencies": [a.pk for a in agencies],
                "disputes": chosen,
                "conclusion": f"会商意见{n}",
            },
        )
        saved = Consultation.objects.get(case=case, conclusion=f"会商意见{n}")
        assert (saved.kind, saved.disputes, {a.pk for a in saved.agencies.all()}) == (
            kind,
            chosen,
            {a.pk for a in agencies},
        )
        line = next(li for li in page().split("<li>") if f"会商意见{n}" in li)
        assert saved.get_kind_display() in line and saved.dispute_labels in line
        for agency in agencies:
            assert agency.name in line


def forms_choices(field: str) -> list[tuple[str, str]]:
    from baolei.cases.forms import SuspectForm

    return list(SuspectForm.base_fields[field].choices)  # type: ignore[attr-defined]
