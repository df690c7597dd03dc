"""Small explicit builders for ledger tests (fixed values, real services)."""

from __future__ import annotations

from datetime import date
from typing import Any

from baolei.ledger import services
from baolei.ledger.models import LedgerItem


def make_item(
    world: Any,
    *,
    title: str = "整改村级组织软弱涣散问题",
    region: Any = None,
    agency: str = "a_office",
    deadline: date = date(2026, 12, 31),
    **extra: Any,
) -> LedgerItem:
    actor = extra.pop("actor", world.a_clerk)
    return services.create_item(
        actor=actor,
        title=title,
        region=region or world.village_a,
        owner_agency=world.agencies[agency],
        responsible_person="王建军",
        deadline=deadline,
        measures=["召开专题会议", "调整村两委班子"],
        **extra,
    )
