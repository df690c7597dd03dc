"""Education upgrade and training bases, sessions and attendance."""

from __future__ import annotations

from functools import partial
from typing import Any, ClassVar

from django.db.models import Count, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from baolei.cadres import forms, queries, services
from baolei.cadres.filters import EnrolmentFilter
from baolei.cadres.models import (
    Attendance,
    Enrolment,
    TrainingBase,
    TrainingSession,
)
from baolei.cadres.views.common import county_of
from baolei.core.exports import Column
from baolei.core.history import history_rows
from baolei.core.outcomes import ActionView, Operation
from baolei.core.views_base import ScopedDetailView, ScopedListView
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


def enrol(*, actor: Any, person: int, **data: Any) -> Any:
    """学历提升 of a person the actor may see."""
    found = get_object_or_404(Person.objects.visible_to(actor), pk=person)
    return services.enrol(actor=actor, person=found, **data)


class EnrolView(ActionView):
    scope_exempt = "只接收表单，人员经 visible_to(user) 取得，服务再次核对范围"
    default_action = "enrol"
    actions: ClassVar[dict[str, Operation]] = {
        "enrol": Operation(enrol, forms.EnrolForm, "已登记学历提升", permission="cadres.enrol"),
    }

    def get_record(self) -> Any:
        return None

    def back_to(self, record: Any, result: Any) -> str:
        return reverse("cadres:education")


class EnrolmentActionView(ActionView):
    model = Enrolment
    record_name = "enrolment"
    actions: ClassVar[dict[str, Operation]] = {
        "graduate": Operation(
            partial(services.finish_enrolment, graduated=True),
            forms.FinishForm,
            "已登记毕业",
            permission="cadres.finish",
        ),
        "withdraw": Operation(
            partial(services.finish_enrolment, graduated=False),
            forms.FinishForm,
            "已登记退学",
            permission="cadres.finish",
        ),
    }

    @classmethod
    def offered(cls, name: str, record: Any) -> bool:
        return not (record.graduated_on or record.withdrawn_on)

    def label(self, record: Any) -> str:
        return str(record.person.name)

    def back_to(self, record: Any, result: Any) -> str:
        return reverse("cadres:education")


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


class BaseCreateView(ActionView):
    scope_exempt = "只接收表单，区划经 visible_to(user) 取得，服务再次核对范围"
    default_action = "open"
    actions: ClassVar[dict[str, Operation]] = {
        "open": Operation(
            services.open_base, forms.BaseForm, "已设立实训基地", permission="cadres.open_base"
        ),
    }

    def get_record(self) -> Any:
        return None

    def form_kwargs(self, name: str, record: Any) -> dict[str, Any]:
        return {"user": self.request.user}

    def back_to(self, record: Any, result: Any) -> str:
        return reverse("cadres:base", args=[result.pk]) if result else reverse("cadres:bases")


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


class SessionCreateView(ActionView):
    model = TrainingBase
    record_name = "base"
    record_url = "cadres:base"
    default_action = "schedule"
    actions: ClassVar[dict[str, Operation]] = {
        "schedule": Operation(
            services.schedule_session,
            forms.SessionForm,
            "已安排培训班次",
            permission="cadres.schedule",
        ),
    }

    def back_to(self, record: Any, result: Any) -> str:
        if result is None:
            return super().back_to(record, result)
        return reverse("cadres:session", args=[result.pk])


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


def attend(*, actor: Any, session: TrainingSession, person: int, completed: bool) -> Any:
    """参训 of a person the actor may see."""
    found = get_object_or_404(Person.objects.visible_to(actor), pk=person)
    return services.record_attendance(
        actor=actor, session=session, person=found, completed=completed
    )


class AttendView(ActionView):
    model = TrainingSession
    record_name = "session"
    record_url = "cadres:session"
    default_action = "attend"
    actions: ClassVar[dict[str, Operation]] = {
        "attend": Operation(attend, forms.AttendForm, "已登记参训", permission="cadres.attend"),
    }

    def respond(
        self, name: str, record: Any, errors: list[str], done: str, result: Any
    ) -> HttpResponse:
        if result is not None:
            done = f"已登记{result.person.name}参训。"
        return super().respond(name, record, errors, done, result)
