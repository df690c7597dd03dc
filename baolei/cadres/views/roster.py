"""The roster: list, import, appointment, the cadre page, a village's team, proposals."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from baolei.cadres import forms, queries, services
from baolei.cadres.filters import AppointmentFilter
from baolei.cadres.importing import existing_person, import_roster
from baolei.cadres.models import (
    Adjustment,
    Appointment,
    Attendance,
    Enrolment,
    Evaluation,
)
from baolei.cadres.views.common import county_of
from baolei.core.exports import Column
from baolei.core.form_style import compact
from baolei.core.history import history_rows
from baolei.core.import_jobs import QueuedImportMixin
from baolei.core.importing import keep_errors
from baolei.core.outcomes import ActionView, Operation, ServiceFormMixin
from baolei.core.views_base import (
    PolicyRequiredMixin,
    ScopedDetailView,
    ScopedListView,
    acting_user,
)
from baolei.people import idnumber
from baolei.people.models import Person
from baolei.people.services import create_person
from baolei.regions.models import Region

ROSTER_COLUMNS = [
    Column("姓名", lambda a: a.person.name, 10),
    Column("身份证号码", lambda a: a.person.id_number_masked, 22),
    Column("区划代码", lambda a: a.region.code, 14),
    Column("县(区)", lambda a: county_of(a.region), 10),
    Column("乡镇(街道)", lambda a: a.region.parent.name if a.region.parent else "", 12),
    Column("村(社区)", lambda a: a.region.name, 12),
    Column("职务", lambda a: a.get_post_display(), 24),
    Column("任职日期", lambda a: a.started_on, 12),
    Column("任期起", lambda a: a.term_starts_on, 12),
    Column("任期止", lambda a: a.term_ends_on, 12),
    Column("状态", lambda a: queries.STATE_LABELS[a.state], 12),
    Column("性别", lambda a: a.person.get_sex_display(), 6),
    Column("出生日期", lambda a: a.person.birth_date, 12),
    Column("文化程度", lambda a: a.person.get_education_display(), 10),
    Column("中共党员", lambda a: a.person.party_member, 8),
]


class RosterView(ScopedListView):
    """村干部名册: every appointment with its state today (在任, 届满待换届, 已调整离任)."""

    model = Appointment
    template_name = "cadres/roster.html"
    filterset_class = AppointmentFilter
    sort_fields: ClassVar[dict[str, str]] = {
        "code": "region__code",
        "name": "person__name",
        "started": "started_on",
        "term": "term_ends_on",
    }
    default_sort = "code"
    export_title = "村干部名册"
    export_columns = ROSTER_COLUMNS

    def decorate(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        return queries.with_state(rows).select_related("person", "region__parent__parent")


class RosterImportView(PolicyRequiredMixin, QueuedImportMixin, TemplateView):
    import_title = "村干部名册导入"
    permission = "cadres.appoint"
    scope_exempt = "上传页面不列出记录；导入逐行核对 visible_to 范围，由服务再次核对"
    template_name = "cadres/import.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"form": forms.ImportForm()}

    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data() | {"form": form})
        upload = form.cleaned_data["file"]
        report = import_roster(upload.file, actor=acting_user(request), filename=upload.name)
        if report.errors:
            keep_errors(request, "村干部名册导入", report)
            return self.render_to_response(self.get_context_data() | {"report": report})
        messages.success(request, f"已导入 {report.created} 条任职记录。")
        return redirect("cadres:list")


class AppointView(ServiceFormMixin, FormView):
    permission = "cadres.appoint"
    scope_exempt = "表单只列出 visible_to(user) 中的村(社区)，服务再次核对范围"
    template_name = "cadres/form.html"
    form_class = forms.AppointForm
    extra_context = {"title": "登记村干部任职"}

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"user": self.request.user}

    def perform(self, form: forms.AppointForm) -> HttpResponse:
        data = form.cleaned_data
        actor = acting_user(self.request)
        try:
            number = idnumber.validate(data["id_number"])
        except idnumber.IdNumberError as exc:
            raise ValidationError({"id_number": exc.message}) from None
        person, problem = existing_person(number, actor)
        if problem:
            raise ValidationError({"id_number": problem})
        person = person or create_person(
            actor=actor,
            name=data["name"],
            region=data["region"],
            id_number=number,
            education=data["education"],
            party_member=data["party_member"],
        )
        services.appoint(
            actor=actor,
            person=person,
            region=data["region"],
            post=data["post"],
            started_on=data["started_on"],
            term_starts_on=data["term_starts_on"],
            term_ends_on=data["term_ends_on"],
        )
        messages.success(self.request, f"已登记{person.name}的任职。")
        return redirect("cadres:cadre", pk=person.pk)


class CadreView(ScopedDetailView):
    """A cadre's page: posts, evaluations, adjustments, education, training and history."""

    model = Person
    template_name = "cadres/cadre.html"
    context_object_name = "person"

    def decorate(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows.filter(appointments__isnull=False).distinct().select_related("region")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        person = self.object
        appointments = queries.with_state(
            Appointment.objects.visible_to(user).filter(person=person)
        ).select_related("region")
        context.update(
            appointments=appointments,
            evaluations=Evaluation.objects.visible_to(user)
            .filter(appointment__person=person)
            .select_related("campaign", "appointment"),
            adjustments=Adjustment.objects.visible_to(user)
            .filter(appointment__person=person)
            .select_related("appointment__region", "successor__person"),
            enrolments=Enrolment.objects.visible_to(user).filter(person=person),
            attendances=Attendance.objects.visible_to(user)
            .filter(person=person)
            .select_related("session__base"),
            propose_form=compact(forms.ProposeForm(initial={"on": timezone.localdate()})),
            history_rows=history_rows(person),
        )
        return context


class VillageTeamView(ScopedDetailView):
    """A village's current team, with posts left vacant by an adjustment."""

    model = Region
    template_name = "cadres/village.html"
    context_object_name = "region"
    slug_field = "code"
    slug_url_kwarg = "code"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["team"] = queries.village_team(self.object, self.request.user)
        return context


class ProposeView(ActionView):
    """提出调整 for one appointment."""

    model = Appointment
    record_name = "appointment"
    default_action = "propose"
    actions: ClassVar[dict[str, Operation]] = {
        "propose": Operation(
            services.propose_adjustment,
            forms.ProposeForm,
            "已提出调整建议，待组织部审批",
            permission="cadres.propose",
        ),
    }

    @classmethod
    def offered(cls, name: str, record: Any) -> bool:
        """Only a cadre in office (or past the term, not yet replaced) is proposed."""
        state = getattr(record, "state", None)
        if state is None:
            state = queries.with_state(Appointment.objects.filter(pk=record.pk)).get().state
        return state in queries.IN_OFFICE

    def back_to(self, record: Any, result: Any) -> str:
        if result is None:
            return reverse("cadres:cadre", args=[record.person_id])
        return reverse("cadres:adjustment", args=[result.pk])
