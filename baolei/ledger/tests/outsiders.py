"""The ledger rows of the fixed cast's county B (乙县), which the scoping tests
expect no county-A user to reach."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from baolei.conftest import World


def add_ledger_rows(w: World) -> None:
    """One county-B ledger item with evidence, for the scoping tests."""
    from django.core.files.base import ContentFile

    from baolei.ledger.models import Evidence, LedgerItem

    item = LedgerItem.objects.create(
        key="TZ-乙县-0001",
        title="乙县二村整改",
        region=w.village_b,
        owner_agency=w.agencies["b_office"],
        responsible_person="乙县责任人",
        deadline=date(2020, 1, 1),
    )
    evidence = Evidence(
        item=item, name="乙县材料.pdf", kind="PDF", size=9, uploaded_by=w.users["b_clerk"]
    )
    evidence.file.save("b.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    w.outsider_rows[LedgerItem] = item
    w.outsider_rows[Evidence] = evidence
