from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from baolei.cases import queries, services
from baolei.cases.models import Stage
from baolei.people.services import create_person


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(date(2026, 11, 26), tick=False) as t:
        yield t


def advance(case: Any, clerks: Any, *, charged: str = "gang", found: str = "gang") -> None:
    services.record_stage(
        actor=clerks["procuratorate"], case=case, stage=Stage.ARREST_APPROVED, on=date(2026, 2, 1)
    )
    services.record_stage(
        actor=clerks["police"], case=case, stage=Stage.TRANSFERRED, on=date(2026, 4, 1)
    )
    services.record_stage(
        actor=clerks["procuratorate"],
        case=case,
        stage=Stage.PROSECUTED,
        on=date(2026, 5, 1),
        characterisation=charged,
    )
    services.record_stage(
        actor=clerks["court"],
        case=case,
        stage=Stage.FIRST_INSTANCE,
        on=date(2026, 7, 1),
        characterisation=found,
    )


def test_stage_order_is_enforced(case: Any, clerks: Any) -> None:
    with pytest.raises(ValidationError, match="一审判决前须先提起公诉"):
        services.record_stage(
            actor=clerks["court"],
            case=case,
            stage=Stage.FIRST_INSTANCE,
            on=date(2026, 3, 1),
            characterisation="gang",
        )
    services.record_stage(
        actor=clerks["procuratorate"], case=case, stage=Stage.ARREST_APPROVED, on=date(2026, 2, 1)
    )
    with pytest.raises(ValidationError, match="日期不能早于上一阶段"):
        services.record_stage(
            actor=clerks["police"], case=case, stage=Stage.TRANSFERRED, on=date(2026, 1, 20)
        )
    with pytest.raises(PermissionDenied, match="应由检察院登记"):
        services.record_stage(
            actor=clerks["court"],
            case=case,
            stage=Stage.PROSECUTED,
            on=date(2026, 5, 1),
            characterisation="gang",
        )
    with pytest.raises(ValidationError, match="不能再登记"):
        services.record_stage(
            actor=clerks["procuratorate"],
            case=case,
            stage=Stage.ARREST_APPROVED,
            on=date(2026, 3, 1),
        )
    assert list(case.events.values_list("stage", flat=True)) == ["filed", "arrest_approved"]


def test_characterisation_change_is_recorded_and_shown(case: Any, clerks: Any, client: Any) -> None:
    advance(case, clerks, charged="gang", found="evil_group")
    client.force_login(clerks["court"])
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "定性由“黑社会性质组织”变为“恶势力犯罪集团”" in page


def test_assets_as_of_a_date(case: Any, clerks: Any, world: Any) -> None:
    police = clerks["police"]
    cash = services.record_asset(
        actor=police,
        case=case,
        kind="cash",
        measure="seize",
        description="现金",
        value=Decimal("5800000.00"),
        on=date(2026, 2, 1),
    )
    services.record_asset(
        actor=police,
        case=case,
        kind="real_estate",
        measure="seal",
        description="商铺",
        value=Decimal("354200000.00"),
        on=date(2026, 9, 1),
    )
    services.dispose_asset(actor=police, asset=cash, disposition="released", on=date(2026, 10, 1))
    leader = world.city_leader
    assert queries.assets_held(leader, date(2026, 1, 31)) == Decimal("0")
    assert queries.assets_held(leader, date(2026, 8, 31)) == Decimal(
        "5800000.00"
    )  # the later seizure excluded
    assert queries.assets_held(leader, date(2026, 9, 30)) == Decimal("360000000.00")
    assert queries.assets_held(leader, date(2026, 10, 1)) == Decimal(
        "354200000.00"
    )  # the released cash excluded


def test_statistics_for_a_date_ignore_later_events(case: Any, clerks: Any, world: Any) -> None:
    advance(case, clerks)
    person = create_person(actor=clerks["police"], name="张某", region=world.village_a)
    suspect = services.add_suspect(actor=clerks["police"], case=case, person=person, role="leader")
    services.record_suspect_status(
        actor=clerks["police"], suspect=suspect, status="caught", on=date(2026, 1, 15)
    )
    early = queries.statistics(world.city_leader, date(2026, 1, 1), date(2026, 4, 30))
    assert early["police"]["filed"]["gang"] == 1 and early["police"]["suspects_caught"] == 1
    assert early["procuratorate"]["prosecuted"]["gang"] == 0  # prosecuted on 1 May
    later = queries.statistics(world.city_leader, date(2026, 1, 1), date(2026, 10, 15))
    assert later["procuratorate"]["prosecuted"]["gang"] == 1
    assert later["courts"]["first_instance_recognised"]["gang"] == 1


def test_a_court_clerk_of_county_a_cannot_read_county_b(
    case: Any, clerks: Any, world: Any, client: Any
) -> None:
    from baolei.accounts.models import Agency, AgencyKind, Role
    from baolei.conftest import make_user

    court_b = Agency.objects.create(
        name="乙县人民法院", kind=AgencyKind.COURT, region=world.county_b
    )
    outsider = make_user("b_court_clerk", court_b, Role.CLERK)
    client.force_login(outsider)
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    assert client.get(f"/api/v1/cases/{case.pk}/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.record_stage(
            actor=outsider, case=case, stage=Stage.ARREST_APPROVED, on=date(2026, 2, 1)
        )
