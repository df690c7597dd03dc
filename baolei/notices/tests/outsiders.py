"""A notification of the fixed cast's county-B clerk (乙县), which nobody else may reach."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from baolei.conftest import World


def add_notice_rows(w: World) -> None:
    from baolei.clues.models import Clue
    from baolei.notices.models import Kind, Notification

    clue = w.outsider_rows[Clue]
    w.outsider_rows[Notification] = Notification.objects.create(
        recipient=w.users["b_clerk"],
        kind=Kind.REFERRAL_RECEIVED,
        text=f"乙县扫黑办移送线索 {clue.number}，请签收",
        link=f"/clues/{clue.pk}/",
        record=clue,
    )
