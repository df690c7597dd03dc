"""Clue writes through the API: the same services and rules as the pages, Chinese errors."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine

from baolei.accounts.models import Agency, AgencyKind, Role
from baolei.accounts.tokens import issue_token
from baolei.clues.models import Clue, ClueStatus, Referral
from baolei.conftest import make_user
from baolei.ledger.calendar import seed_from_package

TODAY = date(2026, 11, 26)
BODY = {
    "received_on": "2026-11-20",
    "source": "hotline",
    "category": "umbrella",
    "summary": "派出所民警为村霸通风报信",
    "region": "510121100200",
    "reporter": "王某",
}


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def people(world: Any) -> dict[str, Any]:
    discipline = Agency.objects.create(
        name="甲县纪委监委", kind=AgencyKind.DISCIPLINE, region=world.county_a
    )
    return {
        "police": make_user("a_police_clerk", world.agencies["a_police"], Role.CLERK),
        "discipline": make_user("a_discipline_clerk", discipline, Role.CLERK),
        "discipline_agency": discipline,
    }


def as_system(client: Any, user: Any) -> Any:
    """The client calls as an agency system would: with the user's token, no session."""
    _, key = issue_token(actor=user, name="公安办案系统")
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {key}"
    return client


def post(client: Any, url: str, body: dict[str, Any], **headers: str) -> Any:
    return client.post(url, body, content_type="application/json", headers=headers)


def test_a_clue_goes_its_whole_way_through_the_api(client: Any, people: Any) -> None:
    seed_from_package()
    as_system(client, people["police"])
    created = post(client, "/api/v1/clues/", BODY)
    assert created.status_code == 201, created.json()
    clue = created.json()
    assert clue["number"] == "线索〔2026〕0001号" and clue["status"] == "registered"
    assert "reporter" not in clue
    base = f"/api/v1/clues/{clue['id']}"
    handler = people["police"].pk
    assert (
        post(client, f"{base}/assign/", {"on": "2026-11-21", "handler": handler}).json()["status"]
        == ClueStatus.ASSIGNED
    )
    referral = post(
        client,
        f"{base}/refer/",
        {"on": "2026-11-23", "to_agency": people["discipline_agency"].pk, "reason": "涉及公职人员"},
    )
    assert referral.status_code == 201 and referral.json()["direction"] == "to_discipline"
    url = f"/api/v1/clues/referrals/{referral.json()['id']}"
    as_system(client, people["discipline"])
    assert post(client, f"{url}/acknowledge/", {"on": "2026-11-24"}).status_code == 200
    answered = post(client, f"{url}/feedback/", {"on": "2026-11-25", "feedback": "已立案审查"})
    assert answered.status_code == 200 and answered.json()["feedback_on"] == "2026-11-25"
    signed = Clue.objects.get(pk=clue["id"])
    assert signed.handling_agency == people["discipline_agency"] and signed.handler is None
    verified = post(
        client, f"{base}/assign/", {"on": "2026-11-25", "handler": people["discipline"].pk}
    )
    assert verified.status_code == 400  # assigned already: the service's rule, in Chinese
    assert "不能变为" in str(verified.json())


def test_errors_are_chinese_and_name_their_field(client: Any, people: Any, world: Any) -> None:
    as_system(client, people["police"])
    missing = post(client, "/api/v1/clues/", {"source": "hotline"})
    assert missing.status_code == 400
    assert missing.json()["summary"] == ["该字段是必填项。"]
    outside = post(client, "/api/v1/clues/", BODY | {"region": world.village_b.code})
    assert outside.status_code == 400 and "不存在" in outside.json()["region"][0]
    future = post(client, "/api/v1/clues/", BODY | {"received_on": "2026-12-01"})
    assert future.json() == {"received_on": ["受理日期不能晚于今天。"]}
    ancient = post(client, "/api/v1/clues/", BODY | {"received_on": "1900-01-01"})
    assert "1949-10-01" in ancient.json()["received_on"][0]
    assert not Clue.objects.filter(summary=BODY["summary"]).exists()


def test_merge_names_the_clue_it_cannot_find(client: Any, people: Any) -> None:
    as_system(client, people["police"])
    clue = post(client, "/api/v1/clues/", BODY).json()
    unknown = post(
        client,
        f"/api/v1/clues/{clue['id']}/merge/",
        {"on": "2026-11-24", "into": "线索〔1999〕乙县0001号", "reason": "重复"},
    )
    assert unknown.status_code == 400
    assert unknown.json() == {
        "into": ["找不到线索 线索〔1999〕乙县0001号（或不在您的管理范围内）。"]
    }


def test_out_of_scope_is_404_and_not_allowed_is_403(client: Any, people: Any, world: Any) -> None:
    outsider = world.outsider_rows[Clue]
    as_system(client, people["police"])
    hidden = post(client, f"/api/v1/clues/{outsider.pk}/assign/", {"on": "2026-11-24"})
    assert hidden.status_code == 404
    mine = post(client, "/api/v1/clues/", BODY | {"category": "gang"}).json()
    as_system(client, world.users["a_clerk"])  # the campaign office does not handle it
    refused = post(client, f"/api/v1/clues/{mine['id']}/conclude/", {})
    assert refused.status_code == 403
    assert refused.json()["detail"] == "该线索由甲县公安局承办，本单位只能跟踪移送情况，不能办结。"
    as_system(client, world.users["city_leader"])
    assert post(client, "/api/v1/clues/", BODY).status_code == 403
    acknowledge = f"/api/v1/clues/referrals/{world.outsider_rows[Referral].pk}/acknowledge/"
    as_system(client, people["police"])
    assert post(client, acknowledge, {"on": "2026-11-24"}).status_code == 404


def test_a_retried_registration_takes_one_number(client: Any, people: Any) -> None:
    as_system(client, people["police"])
    first = post(client, "/api/v1/clues/", BODY, **{"Idempotency-Key": "jw-2026-000123"})
    again = post(client, "/api/v1/clues/", BODY, **{"Idempotency-Key": "jw-2026-000123"})
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Clue.objects.filter(summary=BODY["summary"]).count() == 1


def test_a_bulk_registration_is_all_or_nothing(client: Any, people: Any, world: Any) -> None:
    as_system(client, people["police"])
    second = BODY | {"category": "gang", "summary": "有人在甲县一镇开设赌场"}
    bad = [BODY, second | {"received_on": "2026-12-01"}, second | {"region": "999"}, "线索"]
    refused = post(client, "/api/v1/clues/bulk/", bad)
    assert refused.status_code == 400
    assert refused.json()["errors"] == [
        {"index": 1, "field": "received_on", "message": "受理日期不能晚于今天。"},
        {"index": 2, "field": "region", "message": "属性 code 为 999 的对象不存在。"},
        {"index": 3, "field": None, "message": "每一条应为 JSON 对象。"},
    ]
    assert not Clue.objects.filter(summary__in=[BODY["summary"], second["summary"]]).exists()
    done = post(client, "/api/v1/clues/bulk/", [BODY, second])
    assert done.status_code == 201
    assert [c["number"] for c in done.json()["clues"]] == [
        "线索〔2026〕0001号",
        "线索〔2026〕0002号",
    ]
    as_system(client, world.users["city_leader"])
    assert post(client, "/api/v1/clues/bulk/", [BODY]).status_code == 403
