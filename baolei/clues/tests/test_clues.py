from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from baolei.accounts.models import Agency, AgencyKind, Role
from baolei.clues import queries, services
from baolei.clues.models import Clue, ClueStatus
from baolei.conftest import make_user
from baolei.ledger.calendar import seed_from_package

TODAY = date(2026, 11, 26)


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(TODAY, tick=False) as t:
        yield t


@pytest.fixture
def people(world: Any) -> dict[str, Any]:
    discipline_a = Agency.objects.create(
        name="甲县纪委监委", kind=AgencyKind.DISCIPLINE, region=world.county_a
    )
    return {
        "police": make_user("a_police_clerk", world.agencies["a_police"], Role.CLERK),
        "discipline": make_user("a_discipline_clerk", discipline_a, Role.CLERK),
        "discipline_agency": discipline_a,
    }


def register(
    actor: Any, world: Any, category: str = "gang", on: date = date(2026, 3, 2), **extra: Any
) -> Clue:
    return services.register_clue(
        actor=actor,
        received_on=on,
        source="hotline",
        category=category,
        summary=extra.pop("summary", "有人在甲县一村强揽工程、欺压群众"),
        region=world.village_a,
        **extra,
    )


def test_numbers_are_gapless_per_year(world: Any, people: Any) -> None:
    first = register(people["police"], world)
    with pytest.raises(ValidationError):
        register(people["police"], world, summary=" ")  # refused before a number is taken
    second = register(people["police"], world)
    assert (first.number, second.number) == ("线索〔2026〕0001号", "线索〔2026〕0002号")
    assert register(people["police"], world, on=date(2025, 12, 30)).number == "线索〔2025〕0001号"


def test_illegal_transition_is_refused(world: Any, people: Any) -> None:
    clue = register(people["police"], world)
    with pytest.raises(ValidationError, match="不能变为“已办结”"):
        services.conclude(actor=people["police"], clue=clue, on=TODAY, conclusion="substantiated")
    services.assign(
        actor=people["police"], clue=clue, handler=people["police"], on=date(2026, 3, 3)
    )
    services.start_verification(actor=people["police"], clue=clue, on=date(2026, 3, 5))
    services.conclude(actor=people["police"], clue=clue, on=date(2026, 4, 1), conclusion="partly")
    clue.refresh_from_db()
    assert clue.status == ClueStatus.CONCLUDED
    assert [t.to_status for t in clue.transitions.all()] == ["assigned", "verifying", "concluded"]


def test_merge_keeps_both_numbers_and_histories(world: Any, people: Any) -> None:
    first = register(people["police"], world)
    again = register(people["police"], world, summary="甲县一村有人强揽工程，欺压群众")
    assert services.likely_duplicates(again, people["police"]) == [first]
    services.merge(
        actor=people["police"], duplicate=again, into=first, on=TODAY, reason="同一事实重复举报"
    )
    again.refresh_from_db()
    assert again.number == "线索〔2026〕0002号" and again.merged_into == first
    assert again.history.count() == 2 and first.history.count() == 1
    assert list(first.merged.all()) == [again]


def test_umbrella_clue_is_invisible_to_a_police_clerk(world: Any, people: Any, client: Any) -> None:
    clue = register(
        people["discipline"], world, category="umbrella", summary="某所长收受黑恶势力好处"
    )
    police = people["police"]
    assert not Clue.objects.visible_to(police).filter(pk=clue.pk).exists()
    client.force_login(police)
    assert client.get(f"/clues/{clue.pk}/").status_code == 404
    assert "所长" not in client.get("/clues/", {"q": "所长"}).content.decode().split("<tbody>")[1]
    assert "所长" not in client.get("/clues/", {"export": "csv"}).content.decode("utf-8-sig")
    assert client.get(f"/api/v1/clues/{clue.pk}/").status_code == 404
    assert client.get("/api/v1/clues/", {"search": "所长"}).json()["count"] == 0
    client.force_login(world.city_leader)  # a campaign-office leader may see it
    assert client.get(f"/clues/{clue.pk}/").status_code == 200


def test_referral_rules_and_late_feedback_at_the_boundary(world: Any, people: Any) -> None:
    seed_from_package()
    police, discipline = people["police"], people["discipline"]
    clue = register(police, world, category="umbrella", summary="派出所民警为村霸通风报信")
    with pytest.raises(ValidationError, match="不能移送给本单位"):
        services.refer(
            actor=police,
            clue=clue,
            to_agency=world.agencies["a_police"],
            on=date(2026, 3, 2),
            reason="x",
        )
    with pytest.raises(ValidationError, match="不能承办"):
        services.refer(
            actor=police,
            clue=clue,
            to_agency=world.agencies["a_office"],
            on=date(2026, 3, 2),
            reason="x",
        )
    referral = services.refer(
        actor=police,
        clue=clue,
        to_agency=people["discipline_agency"],
        on=date(2026, 3, 2),
        reason="涉嫌充当保护伞",
    )
    # Mon 2 March 2026: 3 working days → Thu 5 March; 20 → Mon 30 March
    assert (referral.acknowledge_by, referral.feedback_by) == (date(2026, 3, 5), date(2026, 3, 30))
    with pytest.raises(PermissionDenied):
        services.acknowledge(actor=police, referral=referral, on=date(2026, 3, 4))
    services.acknowledge(actor=discipline, referral=referral, on=date(2026, 3, 5))
    services.give_feedback(
        actor=discipline, referral=referral, on=date(2026, 3, 30), feedback="已立案审查"
    )
    summary = queries.referral_summary(world.city_leader, date(2026, 3, 1), date(2026, 3, 31))
    way = summary["directions"]["to_discipline"]
    assert (way["ack_on_time"], way["feedback_on_time"], way["feedback_late"]) == (1, 1, 0)
    late = services.refer(
        actor=police,
        clue=register(police, world, category="umbrella"),
        to_agency=people["discipline_agency"],
        on=date(2026, 3, 2),
        reason="再次移送",
    )
    services.acknowledge(actor=discipline, referral=late, on=date(2026, 3, 6))
    services.give_feedback(
        actor=discipline, referral=late, on=date(2026, 3, 31), feedback="逾期反馈"
    )
    way = queries.referral_summary(world.city_leader, date(2026, 3, 1), date(2026, 3, 31))[
        "directions"
    ]["to_discipline"]
    assert (way["ack_late"], way["feedback_late"]) == (1, 1)


@pytest.mark.django_db(transaction=True)
def test_two_registrations_at_once_get_consecutive_numbers(world: Any, people: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter; SQLite serialises writers anyway")
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def work() -> None:
        try:
            barrier.wait()
            register(people["police"], world)
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(Clue.objects.filter(year=2026).values_list("sequence", flat=True)) == [1, 2]


def test_summary_api_counts_each_way(world: Any, people: Any, client: Any) -> None:
    seed_from_package()
    police, discipline = people["police"], people["discipline"]
    referral = services.refer(
        actor=police,
        clue=register(police, world, category="umbrella"),
        to_agency=people["discipline_agency"],
        on=date(2026, 3, 2),
        reason="涉嫌保护伞",
    )
    services.acknowledge(actor=discipline, referral=referral, on=date(2026, 3, 3))
    client.force_login(world.city_leader)
    body = client.get(
        "/api/v1/clues/referrals/summary/", {"from": "2026-03-01", "to": "2026-03-31"}
    ).json()
    way = body["directions"]["to_discipline"]
    assert (
        way["total"],
        way["ack_on_time"],
        way["feedback_open"],
        way["feedback_open_overdue"],
    ) == (1, 1, 1, 1)
    assert body["directions"]["to_police"]["total"] == 0
    assert client.get("/api/v1/clues/referrals/summary/", {"from": "x"}).status_code == 400


def clue_sheet(rows: list[list[Any]]) -> Any:
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["线索台账"])
    book.active.append(["线索编号", "受理日期", "来源", "类别", "问题线索摘要", "区划代码"])
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "clues.xlsx"
    return buffer


def test_import_refuses_duplicates_and_changes_nothing(
    world: Any, people: Any, client: Any
) -> None:
    existing = register(people["police"], world)  # 线索〔2026〕0001号
    good = [["线索〔2025〕0031号", "2025-12-01", "群众举报", "涉恶", "强揽工程", "510121100200"]]
    bad = [
        *good,
        [existing.number, "2026-01-05", "信访", "涉黑", "重复", "510121100200"],
        ["线索〔2025〕0031号", "2025/12/2", "信访", "涉黑", "文件内重复", "510121100200"],
        ["线索〔2025〕0032号", "2025-12-03", "电视台", "涉黑", "来源不对", "510122100200"],
    ]
    client.force_login(people["police"])
    page = client.post("/clues/import/", {"file": clue_sheet(bad)}).content.decode()
    for message in ("已存在，不能重复导入", "与第3行重复", "“电视台”应为", "不在您的管理范围内"):
        assert message in page
    assert Clue.objects.filter(year=2025).count() == 0
    assert client.post("/clues/import/", {"file": clue_sheet(good)}).status_code == 302
    assert register(people["police"], world, on=date(2025, 12, 20)).number == "线索〔2025〕0032号"


def test_promoting_a_clue_opens_a_case_linked_both_ways(
    world: Any, people: Any, client: Any
) -> None:
    police = people["police"]
    clue = register(police, world)
    services.assign(actor=police, clue=clue, handler=police, on=date(2026, 3, 3))
    services.start_verification(actor=police, clue=clue, on=date(2026, 3, 4))
    case = services.promote_to_case(
        actor=police,
        clue=clue,
        on=date(2026, 4, 1),
        number="甲公刑〔2026〕7号",
        name="某某恶势力案",
        kind="evil_force",
        lead_agency=world.agencies["a_police"],
    )
    clue.refresh_from_db()
    assert (clue.status, clue.conclusion, clue.case) == ("concluded", "substantiated", case)
    client.force_login(police)
    assert clue.number in client.get(f"/cases/{case.pk}/").content.decode()
