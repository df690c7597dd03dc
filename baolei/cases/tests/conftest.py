from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from baolei.accounts.models import Agency, AgencyKind, Role
from baolei.cases import services
from baolei.conftest import make_user


@pytest.fixture
def clerks(world: Any) -> dict[str, Any]:
    """County-A clerks of police, procuratorate and court."""
    procuratorate = Agency.objects.create(
        name="甲县人民检察院", kind=AgencyKind.PROCURATORATE, region=world.county_a
    )
    court = Agency.objects.create(name="甲县人民法院", kind=AgencyKind.COURT, region=world.county_a)
    return {
        "police": make_user("a_police_clerk", world.agencies["a_police"], Role.CLERK),
        "procuratorate": make_user("a_procuratorate_clerk", procuratorate, Role.CLERK),
        "court": make_user("a_court_clerk", court, Role.CLERK),
    }


@pytest.fixture
def case(world: Any, clerks: Any) -> Any:
    return services.open_case(
        actor=clerks["police"],
        number="甲公刑〔2026〕1号",
        name="张某某等人黑社会性质组织案",
        kind="gang",
        region=world.village_a,
        lead_agency=world.agencies["a_police"],
        opened_on=date(2026, 1, 10),
    )
