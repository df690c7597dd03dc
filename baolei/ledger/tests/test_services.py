from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from baolei.accounts.models import Role
from baolei.conftest import make_user
from baolei.ledger import services
from baolei.ledger.calendar import seed_from_package, set_day
from baolei.ledger.models import AcceptanceResult, CalendarDayKind, DayKind, Status
from baolei.ledger.queries import with_warning
from baolei.ledger.tests.builders import make_item

TODAY = date(2026, 11, 26)


@pytest.fixture
def city_reviewer(world: Any) -> Any:
    return make_user("city_reviewer", world.agencies["city_office"], Role.REVIEWER)


@pytest.fixture(autouse=True)
def frozen_today() -> Any:
    with time_machine.travel(date(2026, 11, 26), tick=False) as traveller:
        yield traveller


def test_acceptance_by_the_owners_own_agency_is_refused(world: Any) -> None:
    item = make_item(world)
    with pytest.raises(PermissionDenied, match="责任单位不能验收"):
        services.accept_item(
            actor=world.a_reviewer, item=item, on=TODAY, result=AcceptanceResult.ACCEPTED
        )
    item.refresh_from_db()
    assert item.status == Status.NOT_STARTED and not item.acceptances.exists()


def test_done_only_through_acceptance(world: Any, city_reviewer: Any) -> None:
    item = make_item(world)
    with pytest.raises(ValidationError, match="不能直接修改"):
        services.update_item(
            actor=world.a_clerk, item=item, version=item.version, status=Status.DONE
        )
    services.accept_item(
        actor=city_reviewer, item=item, on=TODAY, result=AcceptanceResult.ACCEPTED, long_term=True
    )
    item.refresh_from_db()
    assert item.status == Status.DONE_LONG_TERM


def test_returned_item_goes_back_into_progress_and_turns_yellow(
    world: Any, city_reviewer: Any
) -> None:
    item = make_item(world)
    with pytest.raises(ValidationError):
        services.accept_item(
            actor=city_reviewer, item=item, on=TODAY, result=AcceptanceResult.RETURNED
        )
    services.accept_item(
        actor=city_reviewer,
        item=item,
        on=TODAY,
        result=AcceptanceResult.RETURNED,
        notes="佐证材料不全",
    )
    item.refresh_from_db()
    assert item.status == Status.IN_PROGRESS
    assert with_warning(type(item).objects.filter(pk=item.pk), TODAY).get().warning == "yellow"


def test_stale_version_is_refused_and_nothing_overwritten(world: Any) -> None:
    item = make_item(world)
    opened = item.version
    services.update_item(actor=world.a_clerk, item=item, version=opened, title="第一人修改")
    with pytest.raises(services.StaleVersion, match="已被他人修改"):
        services.update_item(actor=world.a_reviewer, item=item, version=opened, title="第二人修改")
    item.refresh_from_db()
    assert (item.title, item.version) == ("第一人修改", opened + 1)


@pytest.mark.parametrize(
    ("deadline", "warning"),
    [
        (TODAY - timedelta(days=1), "red"),
        (TODAY, "blue"),  # due today is not yet late
        (date(2026, 12, 1), "blue"),  # Thu 26 → Fri 27, Mon 30, Tue 1: third working day
        (date(2026, 12, 2), ""),
    ],
)
def test_lateness_at_the_boundary_dates(world: Any, deadline: date, warning: str) -> None:
    seed_from_package()
    item = make_item(world, deadline=deadline)
    services.add_progress(actor=world.a_clerk, item=item, on=TODAY, text="已召开会议")
    assert with_warning(type(item).objects.filter(pk=item.pk), TODAY).get().warning == warning


def test_no_progress_for_too_long_turns_yellow(world: Any) -> None:
    item = make_item(world, deadline=date(2027, 6, 30))
    services.add_progress(
        actor=world.a_clerk, item=item, on=TODAY - timedelta(days=15), text="启动"
    )
    assert with_warning(type(item).objects.filter(pk=item.pk), TODAY).get().warning == "yellow"
    services.add_progress(actor=world.a_clerk, item=item, on=TODAY, text="推进中")
    assert with_warning(type(item).objects.filter(pk=item.pk), TODAY).get().warning == ""


def test_three_working_days_across_spring_festival(world: Any) -> None:
    seed_from_package()
    item = make_item(
        world,
        deadline=None,
        deadline_start_on=date(2026, 2, 13),
        deadline_days=3,
        deadline_day_kind=DayKind.WORKING,
    )
    # Sat 14 Feb is a make-up workday; 15–23 Feb are the holiday.
    assert item.deadline == date(2026, 2, 25)
    calendar_days = make_item(
        world,
        deadline=None,
        deadline_start_on=date(2026, 2, 13),
        deadline_days=3,
        deadline_day_kind=DayKind.CALENDAR,
    )
    assert calendar_days.deadline == date(2026, 2, 16)


def test_working_days_in_a_year_without_a_schedule_are_refused(world: Any) -> None:
    seed_from_package()
    with pytest.raises(ValidationError, match="2027年的节假日安排尚未录入"):
        make_item(
            world,
            deadline=None,
            deadline_start_on=date(2026, 12, 30),
            deadline_days=5,
            deadline_day_kind=DayKind.WORKING,
        )
    set_day(date(2027, 1, 1), CalendarDayKind.HOLIDAY, "元旦")
    from baolei.ledger.calendar import complete_year

    complete_year(2027, "国务院办公厅通知")
    item = make_item(
        world,
        deadline=None,
        deadline_start_on=date(2026, 12, 30),
        deadline_days=5,
        deadline_day_kind=DayKind.WORKING,
    )
    assert item.deadline == date(2027, 1, 7)  # 31 Dec, (1 Jan off), 4, 5, 6, 7 Jan


def test_suspension_moves_the_deadline_by_its_length(world: Any) -> None:
    item = make_item(world, deadline=date(2026, 12, 10))
    services.suspend_item(
        actor=world.a_reviewer, item=item, on=date(2026, 11, 20), reason="等待司法鉴定"
    )
    assert (
        with_warning(type(item).objects.filter(pk=item.pk), date(2026, 12, 20)).get().warning == ""
    )
    change = services.resume_item(actor=world.a_reviewer, item=item, on=date(2026, 11, 26))
    item.refresh_from_db()
    assert item.deadline == date(2026, 12, 16) and item.suspended_on is None
    assert (change.old_deadline, change.new_deadline) == (date(2026, 12, 10), date(2026, 12, 16))


def test_extension_needs_a_reason_and_a_later_date(world: Any) -> None:
    item = make_item(world, deadline=date(2026, 12, 10))
    with pytest.raises(ValidationError):
        services.extend_deadline(
            actor=world.a_reviewer, item=item, new_deadline=date(2026, 12, 20), reason=""
        )
    with pytest.raises(ValidationError):
        services.extend_deadline(
            actor=world.a_reviewer, item=item, new_deadline=date(2026, 12, 1), reason="x"
        )
    services.extend_deadline(
        actor=world.a_reviewer, item=item, new_deadline=date(2026, 12, 20), reason="涉及拆迁"
    )
    item.refresh_from_db()
    assert item.deadline == date(2026, 12, 20)
    assert item.history.first().history_change_reason == "延期：涉及拆迁"


def test_progress_is_never_edited_but_corrected(world: Any) -> None:
    item = make_item(world)
    first = services.add_progress(actor=world.a_clerk, item=item, on=TODAY, text="已调整3人")
    correction = services.add_progress(
        actor=world.a_clerk, item=item, on=TODAY, text="已调整2人", corrects=first
    )
    assert correction.corrects == first
    first.refresh_from_db()
    assert first.text == "已调整3人"
    item.refresh_from_db()
    assert item.status == Status.IN_PROGRESS


def test_outsider_and_leader_cannot_write(world: Any) -> None:
    item = make_item(world)
    with pytest.raises(PermissionDenied):
        services.add_progress(actor=world.b_clerk, item=item, on=TODAY, text="越权")
    with pytest.raises(PermissionDenied):
        services.update_item(
            actor=world.city_leader, item=item, version=item.version, title="领导改"
        )
    with pytest.raises(ValidationError, match="责任单位不在您的管理范围内"):
        make_item(world, agency="b_office")


def test_cancel_needs_reason(world: Any) -> None:
    item = make_item(world)
    with pytest.raises(ValidationError):
        services.cancel_item(actor=world.a_reviewer, item=item, reason=" ")
    services.cancel_item(actor=world.a_reviewer, item=item, reason="与另一事项重复")
    item.refresh_from_db()
    assert item.status == Status.CANCELLED


def test_long_term_item_warns_again_when_its_review_is_due(world: Any, city_reviewer: Any) -> None:
    item = make_item(world)
    services.accept_item(
        actor=city_reviewer, item=item, on=TODAY, result=AcceptanceResult.ACCEPTED, long_term=True
    )
    item.refresh_from_db()
    assert item.review_on == TODAY + timedelta(days=90)
    rows = type(item).objects.filter(pk=item.pk)
    assert with_warning(rows, TODAY + timedelta(days=90)).get().warning == ""
    assert with_warning(rows, TODAY + timedelta(days=91)).get().warning == "yellow"
    services.review_long_term(
        actor=world.a_clerk, item=item, on=TODAY + timedelta(days=91), text="制度仍在执行"
    )
    assert with_warning(rows, TODAY + timedelta(days=91)).get().warning == ""


def test_the_item_keeps_its_latest_progress_and_acceptance(world: Any, city_reviewer: Any) -> None:
    """The warnings read the latest report and verdict kept on the item; every service
    that adds one keeps them, and the bulk refresh agrees with the services."""
    item = make_item(world)
    services.add_progress(actor=world.a_clerk, item=item, on=TODAY, text="召开专题会议")
    services.add_progress(
        actor=world.a_clerk, item=item, on=TODAY - timedelta(days=9), text="补记：入户走访"
    )
    item.refresh_from_db()
    assert (item.latest_progress_on, item.latest_result) == (TODAY, "")
    services.accept_item(
        actor=city_reviewer,
        item=item,
        on=TODAY,
        result=AcceptanceResult.RETURNED,
        notes="佐证材料不全",
    )
    item.refresh_from_db()
    assert item.latest_result == AcceptanceResult.RETURNED
    assert with_warning(type(item).objects.filter(pk=item.pk)).get().warning == "yellow"
    untouched = make_item(world, title="另一事项")
    kept = {
        row.pk: (row.latest_progress_on, row.latest_result)
        for row in type(item).objects.filter(pk__in=[item.pk, untouched.pk])
    }
    type(item).objects.update(latest_progress_on=None, latest_result="")
    services.note_latest_of(type(item).objects.all())
    assert {
        row.pk: (row.latest_progress_on, row.latest_result)
        for row in type(item).objects.filter(pk__in=[item.pk, untouched.pk])
    } == kept
    assert kept[untouched.pk] == (None, "")
    # Derived, so not in the record's history.
    assert "latest_result" not in [f.name for f in item.history.model._meta.fields]
