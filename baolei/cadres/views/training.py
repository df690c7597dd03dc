"""Education upgrade and training bases, sessions and attendance."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import View

from baolei.cadres import forms, queries, services
from baolei.cadres.filters import EnrolmentFilter
from baolei.cadres.models import (
    Attendance,
    Enrolment,
    TrainingBase,
    TrainingSession,
)
from baolei.cadres.views.common import county_of, errors_of, failure
from baolei.core.exports import Column
from baolei.core.history import history_rows
from baolei.core.views_base import ScopedDetailView, ScopedListView, ScopedViewMixin, acting_user
from baolei.people.models import Person

ENROLMENT_COLUMNS = [
    Column("县(区)", lambda e: county_of(e.person.region), 10),
    Column("村(社区)", lambda e: e.person.region.name, 12),
    Column("姓名", lambda e: e.person.name, 10),
    Column("目标学历", lambda e: e.get_target_level_display(), 8),
    Column("就读院校", lambda e: e.institution, 24),
    Column("入学日期", lambda e: e.enrolled_on, 12),
    Column("预计毕业", lambda e: e.expected_on, 12),
    Column("毕业日期", lambda e: e.graduated_on, 12),
    Column("状态", lambda e: e.status_label, 8),
]


class EducationView(ScopedListView):
    """学历提升: enrolments and the programme's progress by county."""

    model = Enrolment
    template_name = "cadres/education.html"
    filterset_class = EnrolmentFilter
    sort_fields: ClassVar[dict[str, str]] = {"enrolled": "enrolled_on", "name": "person__name"}
    default_sort = "-enrolled"
    export_title = "村干部学历提升台账"
    export_columns = ENROLMENT_COLUMNS

    def decorate(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows.select_related("person__region__parent__parent")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {
            "progress": queries.education_progress(self.request.user),
            "enrol_form": forms.EnrolForm(),
            "finish_form": forms.FinishForm(initial={"on": timezone.localdate()}),
        }


class EnrolView(View):
    scope_exempt = "只接收表单，人员经 visible_to(user) 取得，服务再次核对范围"
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        actor = acting_user(request)
        form = forms.EnrolForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(errors_of(form))
            data = dict(form.cleaned_data)
            data["person"] = get_object_or_404(Person.objects.visible_to(actor), pk=data["person"])
            services.enrol(actor=actor, **data)
            messages.success(request, "已登记学历提升。")
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, failure(exc))
        return redirect("cadres:education")


class EnrolmentActionView(ScopedViewMixin, View):
    model = Enrolment
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        enrolment = get_object_or_404(self.get_queryset(), pk=pk)
        if action not in ("graduate", "withdraw"):
            raise Http404("未知操作")
        form = forms.FinishForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(errors_of(form))
            services.finish_enrolment(
                actor=acting_user(request),
                enrolment=enrolment,
                on=form.cleaned_data["on"],
                graduated=action == "graduate",
            )
            messages.success(request, "已办理。")
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, failure(exc))
        return redirect("cadres:education")


class BaseListView(ScopedListView):
    """领头雁实训基地, with sessions held and cadres trained."""

    model = TrainingBase
    template_name = "cadres/bases.html"
    export_title = "村干部实训基地"
    export_columns: ClassVar[list[Column]] = [
        Column("名称", lambda b: b.name, 24),
        Column("级别", lambda b: b.get_level_display(), 8),
        Column("县(区)", lambda b: county_of(b.region), 10),
        Column("所在村(社区)", lambda b: b.region.name, 12),
        Column("挂牌日期", lambda b: b.opened_on, 12),
        Column("培训期数", lambda b: b.session_count, 10),
        Column("培训人数", lambda b: b.trained, 10),
    ]

    def decorate(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        return (
            rows.select_related("region__parent__parent")
            .annotate(
                session_count=Count("sessions", distinct=True),
                trained=Count(
                    "sessions__attendances__person",
                    filter=Q(sessions__attendances__completed=True),
                    distinct=True,
                ),
            )
            .order_by("region__code", "name")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {
            "counts": queries.training_counts(self.request.user),
            "base_form": forms.BaseForm(user=self.request.user),
        }


class BaseCreateView(View):
    scope_exempt = "只接收表单，区划经 visible_to(user) 取得，服务再次核对范围"
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.BaseForm(request.POST, user=request.user)
        try:
            if not form.is_valid():
                raise ValidationError(errors_of(form))
            base = services.open_base(actor=acting_user(request), **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, failure(exc))
            return redirect("cadres:bases")
        return redirect("cadres:base", pk=base.pk)


class BaseView(ScopedDetailView):
    model = TrainingBase
    template_name = "cadres/base.html"
    context_object_name = "base"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        sessions = self.object.sessions.annotate(
            attendance_count=Count("attendances"),
            trained=Count("attendances", filter=Q(attendances__completed=True)),
        )
        attended = Attendance.objects.filter(session__base=self.object)
        return super().get_context_data(**kwargs) | {
            "sessions": sessions,
            "session_count": self.object.sessions.count(),
            "trained": attended.filter(completed=True).values("person").distinct().count(),
            "session_form": forms.SessionForm(),
            "history_rows": history_rows(self.object),
        }


class SessionCreateView(ScopedViewMixin, View):
    model = TrainingBase
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        base = get_object_or_404(self.get_queryset(), pk=pk)
        form = forms.SessionForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(errors_of(form))
            session = services.schedule_session(
                actor=acting_user(request), base=base, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, failure(exc))
            return redirect("cadres:base", pk=base.pk)
        return redirect("cadres:session", pk=session.pk)


class SessionView(ScopedDetailView):
    model = TrainingSession
    template_name = "cadres/session.html"
    context_object_name = "session"

    def decorate(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows.select_related("base__region")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        attendances = (
            Attendance.objects.visible_to(self.request.user)
            .filter(session=self.object)
            .select_related("person__region")
        )
        return super().get_context_data(**kwargs) | {
            "attendances": attendances,
            "attend_form": forms.AttendForm(),
            "history_rows": history_rows(self.object),
        }


class AttendView(ScopedViewMixin, View):
    model = TrainingSession
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        session = get_object_or_404(self.get_queryset(), pk=pk)
        actor = acting_user(request)
        form = forms.AttendForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(errors_of(form))
            person = get_object_or_404(
                Person.objects.visible_to(actor), pk=form.cleaned_data["person"]
            )
            services.record_attendance(
                actor=actor,
                session=session,
                person=person,
                completed=form.cleaned_data["completed"],
            )
            messages.success(request, f"已登记{person.name}参训。")
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, failure(exc))
        return redirect("cadres:session", pk=session.pk)
