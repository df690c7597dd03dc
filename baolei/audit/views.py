from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from django.db.models import QuerySet
from django.views.generic import ListView

from baolei.accounts.models import Role
from baolei.audit.models import Action, SecurityEvent
from baolei.audit.services import record_event, verify_chain
from baolei.core import params
from baolei.core.exports import Column, xlsx_response
from baolei.core.filters import FilterSet
from baolei.core.views_base import RoleRequiredMixin


class EventFilter(FilterSet):
    action = django_filters.ChoiceFilter(
        label="事件", choices=Action.choices, empty_label="全部事件"
    )
    actor = django_filters.CharFilter(label="操作人", lookup_expr="icontains")
    since = django_filters.DateFilter(label="起始日期", field_name="at", lookup_expr="date__gte")
    until = django_filters.DateFilter(label="截止日期", field_name="at", lookup_expr="date__lte")
    success = django_filters.BooleanFilter(label="成功")

    class Meta:
        model = SecurityEvent
        fields = ["action", "actor", "since", "until", "success"]


class EventListView(RoleRequiredMixin, ListView):
    """只有审计管理员可以读取安全日志."""

    scope_exempt = "安全日志是全系统的审计记录，只对审计管理员开放，不含业务记录"
    required_roles: ClassVar[tuple[str, ...]] = (Role.AUDIT_ADMIN,)
    template_name = "audit/event_list.html"
    paginate_by = 50
    columns: ClassVar[list[Column]] = [
        Column("序号", lambda e: e.seq, 8),
        Column("时间", lambda e: e.at, 18),
        Column("事件", lambda e: e.get_action_display(), 12),
        Column("操作人", lambda e: e.actor, 14),
        Column("IP地址", lambda e: e.ip, 16),
        Column("成功", lambda e: e.success, 6),
        Column("对象", lambda e: e.target, 24),
    ]

    def get_paginate_by(self, queryset: QuerySet[Any]) -> int:
        return params.page_size(self.request, self.paginate_by, maximum=200, minimum=10)

    def get_queryset(self) -> QuerySet[Any]:
        self.filterset = EventFilter(self.request.GET, queryset=SecurityEvent.objects.all())
        return self.filterset.qs

    def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        params.page_number(request)
        if params.choice(request, "export", ["xlsx"]):
            rows = self.get_queryset()
            record_event(Action.EXPORT, request=request, target="安全日志")
            return xlsx_response("安全日志", self.columns, rows)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(filter=self.filterset, query_string=query.urlencode(), can_export=True)
        if params.text(self.request, "verify"):
            context["verification"] = verify_chain()
        return context
