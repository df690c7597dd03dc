from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from baolei.cadres.models import Adjustment, AdjustmentStatus, Appointment, Enrolment, Post, Reason
from baolei.cadres.queries import STATE_LABELS, awaiting_adjustments
from baolei.core.filters import FilterSet
from baolei.regions.pickers import within_filter
from baolei.regions.queries import within_region


class AppointmentFilter(FilterSet):
    q = django_filters.CharFilter(label="姓名", field_name="person__name", lookup_expr="contains")
    village = django_filters.CharFilter(
        label="村(社区)", field_name="region__name", lookup_expr="contains"
    )
    within = within_filter()
    post = django_filters.ChoiceFilter(label="职务", choices=Post.choices, empty_label="全部职务")
    state = django_filters.ChoiceFilter(
        label="状态", choices=list(STATE_LABELS.items()), empty_label="全部状态"
    )

    class Meta:
        model = Appointment
        fields = ["q", "village", "within", "post", "state"]

    def filter_within(self, rows: QuerySet, name: str, value: str) -> QuerySet:
        return within_region(rows, value, "region__code")


class AdjustmentFilter(FilterSet):
    q = django_filters.CharFilter(
        label="姓名", field_name="appointment__person__name", lookup_expr="contains"
    )
    within = within_filter()
    reason = django_filters.ChoiceFilter(
        label="调整原因", choices=Reason.choices, empty_label="全部原因"
    )
    status = django_filters.ChoiceFilter(
        label="状态", choices=AdjustmentStatus.choices, method="filter_status", empty_label="全部"
    )
    executed_from = django_filters.DateFilter(
        label="执行日期起", field_name="executed_on", lookup_expr="gte"
    )
    executed_to = django_filters.DateFilter(
        label="执行日期止", field_name="executed_on", lookup_expr="lte"
    )
    todo = django_filters.ChoiceFilter(
        label="待办",
        choices=[("decide", "待审批"), ("execute", "待执行")],
        method="filter_todo",
        empty_label="全部",
    )

    class Meta:
        model = Adjustment
        fields = ["q", "within", "reason", "status", "executed_from", "executed_to", "todo"]

    def filter_within(self, rows: QuerySet, name: str, value: str) -> QuerySet:
        return within_region(rows, value, "appointment__region__code")

    def filter_todo(self, rows: QuerySet, name: str, value: str) -> QuerySet:
        return awaiting_adjustments(rows, getattr(self.request, "user", None), value)

    def filter_status(self, rows: QuerySet, name: str, value: str) -> QuerySet:
        if value == AdjustmentStatus.EXECUTED:
            return rows.filter(executed_on__isnull=False)
        if value == AdjustmentStatus.PROPOSED:
            return rows.filter(decision="")
        return rows.filter(decision=value, executed_on__isnull=True)


class EnrolmentFilter(FilterSet):
    q = django_filters.CharFilter(label="姓名", field_name="person__name", lookup_expr="contains")
    within = within_filter()
    institution = django_filters.CharFilter(label="院校", lookup_expr="contains")

    class Meta:
        model = Enrolment
        fields = ["q", "within", "institution"]

    def filter_within(self, rows: QuerySet, name: str, value: str) -> QuerySet:
        return within_region(rows, value, "person__region__code")
