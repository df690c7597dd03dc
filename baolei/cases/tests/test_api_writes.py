"""Case writes through the API, and the bulk push of stages: all or nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine

from baolei.accounts.tokens import issue_token
from baolei.audit.models import Action, SecurityEvent
from baolei.cases import services
from baolei.cases.models import Asset, Case, StageEvent, Suspect
from baolei.people.services import create_person

BULK = "/api/v1/cases/stages/bulk/"


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(date(2026, 11, 26), tick=False) as traveller:
        yield traveller


def as_system(client: Any, user: Any) -> Any:
    _, key = issue_token(actor=user, name="办案系统")
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {key}"
    return client


def post(client: Any, url: str, body: Any) -> Any:
    return client.post(url, body, content_type="application/json")


def second_case(world: Any, clerks: Any) -> Case:
    return services.open_case(
        actor=clerks["police"],
        number="甲公刑〔2026〕2号",
        name="王某某等人恶势力案",
        kind="evil_force",
        region=world.village_a,
        lead_agency=world.agencies["a_police"],
        opened_on=date(2026, 2, 1),
    )


def test_open_a_case_and_record_its_work(client: Any, world: Any, clerks: Any) -> None:
    as_system(client, clerks["police"])
    created = post(
        client,
        "/api/v1/cases/",
        {
            "number": "甲公刑〔2026〕9号",
            "name": "赵某某等人恶势力案",
            "kind": "evil_force",
            "region": world.village_a.code,
            "lead_agency": world.agencies["a_police"].pk,
            "opened_on": "2026-11-20",
        },
    )
    assert created.status_code == 201, created.json()
    assert created.json()["stage"] == "filed"
    base = f"/api/v1/cases/{created.json()['id']}"
    stage = post(client, f"{base}/stage/", {"stage": "transferred", "on": "2026-11-24"})
    assert stage.status_code == 201 and stage.json()["case_number"] == "甲公刑〔2026〕9号"
    person = create_person(actor=clerks["police"], name="赵某某", region=world.village_a)
    suspect = post(client, f"{base}/suspect/", {"person": person.pk, "role": "leader"})
    assert suspect.status_code == 201 and suspect.json()["name"] == "赵某某"
    asset = post(
        client,
        f"{base}/asset/",
        {
            "kind": "vehicle",
            "measure": "seize",
            "description": "轿车一辆",
            "value": "80000.00",
            "on": "2026-11-22",
        },
    )
    assert asset.status_code == 201 and asset.json()["value"] == "80000.00"
    case = Case.objects.get(number="甲公刑〔2026〕9号")
    assert [e.stage for e in case.events.order_by("on")] == ["filed", "transferred"]
    assert Suspect.objects.get(case=case).role == "leader"
    assert Asset.objects.get(case=case).recorded_by == clerks["police"]


def test_case_errors_are_chinese(client: Any, world: Any, clerks: Any, case: Case) -> None:
    as_system(client, clerks["police"])
    late = post(client, f"/api/v1/cases/{case.pk}/stage/", {"stage": "filed", "on": "2026-11-24"})
    assert late.json() == {"stage": ["案件已到“立案侦查”阶段，不能再登记“立案侦查”。"]}
    court = post(
        client, f"/api/v1/cases/{case.pk}/stage/", {"stage": "first_instance", "on": "2026-11-24"}
    )
    assert court.status_code == 403
    assert court.json()["detail"] == "“一审判决”应由法院登记，本单位不能登记。"
    value = post(
        client,
        f"/api/v1/cases/{case.pk}/asset/",
        {
            "kind": "cash",
            "measure": "seize",
            "description": "现金",
            "value": "0",
            "on": "2026-13-01",
        },
    )
    assert set(value.json()) == {"value", "on"}
    as_system(client, world.users["discipline_clerk"])
    refused = post(client, "/api/v1/cases/", {})
    assert refused.status_code == 403
    assert refused.json()["detail"] == "只有公安机关或扫黑办的录入员、审核员可以立案登记。"


def test_a_bulk_push_records_every_stage_in_order(
    client: Any, world: Any, clerks: Any, case: Case
) -> None:
    second_case(world, clerks)
    as_system(client, clerks["police"])
    pushed = post(
        client,
        BULK,
        [
            {"case": "甲公刑〔2026〕1号", "stage": "transferred", "date": "2026-11-20"},
            {
                "case": "甲公刑〔2026〕2号",
                "stage": "transferred",
                "date": "2026-11-21",
                "note": "补充侦查完毕",
            },
        ],
    )
    assert pushed.status_code == 201, pushed.json()
    assert pushed.json()["recorded"] == 2
    assert [e["case_number"] for e in pushed.json()["events"]] == [
        "甲公刑〔2026〕1号",
        "甲公刑〔2026〕2号",
    ]
    assert StageEvent.objects.filter(stage="transferred").count() == 2


def test_a_bulk_push_with_one_bad_item_records_nothing(
    client: Any, world: Any, clerks: Any, case: Case
) -> None:
    second_case(world, clerks)
    as_system(client, clerks["police"])
    before = StageEvent.objects.count()
    pushed = post(
        client,
        BULK,
        [
            {"case": "甲公刑〔2026〕1号", "stage": "transferred", "date": "2026-11-20"},
            {"case": "甲公刑〔2026〕1号", "stage": "filed", "date": "2026-11-21"},
            {"case": "甲公刑〔2099〕1号", "stage": "transferred", "date": "2026-11-21"},
            {"case": "甲公刑〔2026〕2号", "stage": "first_instance", "date": "2026-11-21"},
            {"case": "甲公刑〔2026〕2号", "stage": "transferred"},
            "移送审查起诉",
        ],
    )
    assert pushed.status_code == 400
    errors = pushed.json()["errors"]
    assert [(e["index"], e["field"]) for e in errors] == [
        (1, "stage"),
        (2, "case"),
        (3, "stage"),
        (4, "date"),
        (5, None),
    ]
    assert errors[0]["message"] == "案件已到“移送审查起诉”阶段，不能再登记“立案侦查”。"
    assert errors[2]["message"] == "“一审判决”应由法院登记，本单位不能登记。"
    assert errors[3]["message"] == "该字段是必填项。"
    assert StageEvent.objects.count() == before


def test_a_bulk_push_refuses_a_case_the_agency_does_not_handle(
    client: Any, world: Any, clerks: Any, case: Case
) -> None:
    as_system(client, world.users["city_leader"])
    pushed = post(
        client, BULK, [{"case": case.number, "stage": "transferred", "date": "2026-11-20"}]
    )
    assert pushed.status_code == 400
    assert pushed.json()["errors"][0]["field"] == "case"
    refusal = SecurityEvent.objects.filter(action=Action.ACCESS_DENIED).get()
    assert refusal.actor == "city_leader" and refusal.detail["action"] == "stage"


@pytest.mark.parametrize("body", [{}, [], {"case": "甲公刑〔2026〕1号"}, [{}] * 501, b"\xb5["])
def test_a_bulk_push_must_be_a_list_of_1_to_500(client: Any, clerks: Any, body: Any) -> None:
    as_system(client, clerks["police"])
    pushed = post(client, BULK, body)
    assert pushed.status_code == 400
    assert pushed.json()["errors"][0]["message"] == "请求体应为 1 至 500 条阶段组成的 JSON 数组。"
