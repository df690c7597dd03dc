"""Adjustments (调整): list by period, a proposal's page, decision and execution."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from baolei.cadres import forms, queries, services
from baolei.cadres.filters import AdjustmentFilter
from baolei.cadres.models import Adjustment, AdjustmentStatus
from baolei.cadres.views.common import county_of
from baolei.core import params
from baolei.core.exports import Column
from baolei.core.history import history_rows
from baolei.core.outcomes import ActionView, Operation
from baolei.core.views_base import ScopedDetailView, ScopedListView
from baolei.people.models import Person
from baolei.people.queries import find_by_id_number

ADJUSTMENT_COLUMNS = [
    Column("县(区)", lambda a: county_of(a.appointment.region), 10),
    Column("村(社区)", lambda a: a.appointment.region.name, 12),
    Column("姓名", lambda a: a.appointment.person.name, 10),
    Column("职务", lambda a: a.appointment.get_post_display(), 22),
    Column("调整原因", lambda a: a.get_reason_display(), 10),
    Column("具体情况", lambda a: a.details, 36),
    Column("提出日期", lambda a: a.proposed_on, 12),
    Column("审批", lambda a: a.get_decision_display(), 10),
    Column("审批日期", lambda a: a.decided_on, 12),
    Column("执行日期", lambda a: a.executed_on, 12),
    Column(
        "继任",
        lambda a: a.successor.person.name if a.successor else ("空缺" if a.executed_on else ""),
        10,
    ),
    Column("状态", lambda a: a.status_label, 12),
]


class AdjustmentListView(ScopedListView):
    """调整 list; the period's counts by reason and county sit above it."""

    model = Adjustment
    template_name = "cadres/adjustments.html"
    filterset_class = AdjustmentFilter
    sort_fields: ClassVar[dict[str, str]] = {
        "proposed": "proposed_on",
        "executed": "executed_on",
        "code": "appointment__region__code",
    }
    default_sort = "-proposed"
    export_title = "村干部调整台账"
    export_columns = ADJUSTMENT_COLUMNS

    def decorate(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows.select_related(
            "appointment__person", "appointment__region__parent__parent", "successor__person"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        start = params.day(self.request, "executed_from", date(today.year, 1, 1))
        end = params.day(self.request, "executed_to", today)
        context["summary"] = queries.adjustment_summary(self.request.user, start, end)
        return context


class AdjustmentView(ScopedDetailView):
    model = Adjustment
    template_name = "cadres/adjustment.html"
    context_object_name = "adjustment"

    def decorate(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows.select_related(
            "appointment__person",
            "appointment__region",
            "evaluation__campaign",
            "successor__person",
            "proposed_by",
            "decided_by",
            "executed_by",
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        today = timezone.localdate()
        return super().get_context_data(**kwargs) | {
            "decide_form": forms.DecideForm(initial={"on": today}),
            "execute_form": forms.ExecuteForm(initial={"on": today}),
            "history_rows": history_rows(self.object),
        }


def execute(*, actor: Any, adjustment: Adjustment, on: date, successor_id_number: str) -> Any:
    """执行调整, with the successor named by the ID number of a person on record."""
    return services.execute_adjustment(
        actor=actor,
        adjustment=adjustment,
        on=on,
        successor=successor(actor, successor_id_number),
    )


class AdjustmentActionView(ActionView):
    """审批 (decide) and 执行 (execute) an adjustment; each calls one service."""

    model = Adjustment
    record_name = "adjustment"
    record_url = "cadres:adjustment"
    actions: ClassVar[dict[str, Operation]] = {
        "decide": Operation(
            services.decide_adjustment, forms.DecideForm, "已审批", permission="cadres.decide"
        ),
        "execute": Operation(execute, forms.ExecuteForm, "已执行调整", permission="cadres.execute"),
    }

    @classmethod
    def offered(cls, name: str, record: Any) -> bool:
        """A proposal is decided, an approved adjustment executed."""
        wanted = AdjustmentStatus.PROPOSED if name == "decide" else AdjustmentStatus.APPROVED
        return bool(record.status == wanted)

    def label(self, record: Any) -> str:
        return str(record.appointment.person.name)


def successor(actor: Any, number: str) -> Person | None:
    """The successor is a person already on record (登记于人员信息) whom the actor may see."""
    if not number.strip():
        return None
    person = find_by_id_number(number, rows=Person.objects.visible_to(actor))
    if person is None:
        raise ValidationError("未找到该身份证号码的人员，请先在人员信息中登记继任者。")
    return person
