from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import FormView, TemplateView, View

from baolei.cadres import forms, queries, services
from baolei.cadres.filters import AdjustmentFilter, AppointmentFilter, EnrolmentFilter
from baolei.cadres.importing import existing_person, import_roster
from baolei.cadres.models import (
    Adjustment,
    Appointment,
    Attendance,
    Enrolment,
    Evaluation,
    EvaluationCampaign,
    TrainingBase,
    TrainingSession,
)
from baolei.people import idnumber
from baolei.people.models import Person
from baolei.people.queries import find_by_id_number
from baolei.people.services import create_person
from baolei.regions.models import Region
from baolei.web.exports import Column
from baolei.web.history import history_rows
from baolei.web.views_base import ScopedDetailView, ScopedListView, ScopedViewMixin, acting_user


def errors_of(form: Form) -> list[str]:
    return [
        f"{form.fields[f].label if f in form.fields else ''}：{'；'.join(str(m) for m in e)}"
        for f, e in form.errors.items()
    ]


def failure(exc: ValidationError | PermissionDenied) -> str:
    return "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


def county_of(region: Region) -> str:
    township = region.parent
    return township.parent.name if township and township.parent else ""


#: The import layout (身份证号码 masked): an export edited and uploaded is an import.
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


class RosterImportView(TemplateView):
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
            return self.render_to_response(self.get_context_data() | {"report": report})
        messages.success(request, f"已导入 {report.created} 条任职记录。")
        return redirect("cadres:list")


class AppointView(FormView):
    scope_exempt = "表单只列出 visible_to(user) 中的村(社区)，服务再次核对范围"
    template_name = "cadres/form.html"
    form_class = forms.AppointForm
    extra_context = {"title": "登记村干部任职"}

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"user": self.request.user}

    def form_valid(self, form: forms.AppointForm) -> HttpResponse:
        data = form.cleaned_data
        actor = acting_user(self.request)
        try:
            number = idnumber.validate(data["id_number"])
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
        except idnumber.IdNumberError as exc:
            form.add_error("id_number", exc.message)
            return self.form_invalid(form)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, failure(exc))
            return self.form_invalid(form)
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
            propose_form=forms.ProposeForm(initial={"on": timezone.localdate()}),
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


class ProposeView(ScopedViewMixin, View):
    """提出调整 for one appointment."""

    model = Appointment
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        appointment = get_object_or_404(self.get_queryset(), pk=pk)
        form = forms.ProposeForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(errors_of(form))
            adjustment = services.propose_adjustment(
                actor=acting_user(request), appointment=appointment, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, failure(exc))
            return redirect("cadres:cadre", pk=appointment.person_id)
        messages.success(request, "已提出调整建议，待组织部审批。")
        return redirect("cadres:adjustment", pk=adjustment.pk)


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
        start = parse_day(self.request.GET.get("executed_from")) or date(today.year, 1, 1)
        end = parse_day(self.request.GET.get("executed_to")) or today
        context["summary"] = queries.adjustment_summary(self.request.user, start, end)
        return context


def parse_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


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


class AdjustmentActionView(ScopedViewMixin, View):
    """审批 (decide) and 执行 (execute) an adjustment; each calls one service."""

    model = Adjustment
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        adjustment = get_object_or_404(self.get_queryset(), pk=pk)
        actor = acting_user(request)
        try:
            if action == "decide":
                form = forms.DecideForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(errors_of(form))
                services.decide_adjustment(actor=actor, adjustment=adjustment, **form.cleaned_data)
            elif action == "execute":
                execute = forms.ExecuteForm(request.POST)
                if not execute.is_valid():
                    raise ValidationError(errors_of(execute))
                services.execute_adjustment(
                    actor=actor,
                    adjustment=adjustment,
                    on=execute.cleaned_data["on"],
                    successor=successor(actor, execute.cleaned_data["successor_id_number"]),
                )
            else:
                raise Http404("未知操作")
            messages.success(request, "已办理。")
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, failure(exc))
        return redirect("cadres:adjustment", pk=adjustment.pk)


def successor(actor: Any, number: str) -> Person | None:
    """The successor is a person already on record (登记于人员信息) whom the actor may see."""
    if not number.strip():
        return None
    person = find_by_id_number(number, rows=Person.objects.visible_to(actor))
    if person is None:
        raise ValidationError("未找到该身份证号码的人员，请先在人员信息中登记继任者。")
    return person


class CampaignListView(ScopedListView):
    model = EvaluationCampaign
    template_name = "cadres/campaigns.html"

    def decorate(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        return (
            rows.select_related("region")
            .annotate(evaluated=Count("evaluations"))
            .order_by("-period_starts_on", "pk")
        )


class CampaignCreateView(FormView):
    scope_exempt = "表单只列出 visible_to(user) 中的区划，服务再次核对范围"
    template_name = "cadres/form.html"
    form_class = forms.CampaignForm
    extra_context = {"title": "启动履职研判"}

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"user": self.request.user}

    def form_valid(self, form: forms.CampaignForm) -> HttpResponse:
        try:
            campaign = services.open_campaign(actor=acting_user(self.request), **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, failure(exc))
            return self.form_invalid(form)
        return redirect("cadres:campaign", pk=campaign.pk)


class CampaignView(ScopedDetailView):
    """履职研判: coverage (evaluated / all secretaries in scope) per county, and results."""

    model = EvaluationCampaign
    template_name = "cadres/campaign.html"
    context_object_name = "campaign"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        campaign = self.object
        total, counties = queries.campaign_coverage(campaign, user)
        evaluations = (
            Evaluation.objects.visible_to(user)
            .filter(campaign=campaign)
            .select_related("appointment__person", "appointment__region")
            .prefetch_related("adjustments")
        )
        pending = (
            queries.campaign_secretaries(campaign, user)
            .exclude(evaluations__campaign=campaign)
            .select_related("person", "region")
            .order_by("region__code")[:100]
        )
        context.update(
            total=total,
            counties=counties,
            evaluations=evaluations,
            pending=pending,
            evaluation_form=forms.EvaluationForm(initial={"on": timezone.localdate()}),
            history_rows=history_rows(campaign),
        )
        return context


class EvaluateView(ScopedViewMixin, View):
    model = EvaluationCampaign
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        campaign = get_object_or_404(self.get_queryset(), pk=pk)
        actor = acting_user(request)
        form = forms.EvaluationForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(errors_of(form))
            data = dict(form.cleaned_data)
            data["appointment"] = get_object_or_404(
                Appointment.objects.visible_to(actor), pk=data["appointment"]
            )
            evaluation = services.record_evaluation(actor=actor, campaign=campaign, **data)
            note = "，已提出调整建议" if evaluation.needs_adjustment else ""
            messages.success(request, f"已登记研判结果{note}。")
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, failure(exc))
        return redirect("cadres:campaign", pk=campaign.pk)


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
        return super().get_context_data(**kwargs) | {
            "sessions": sessions,
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
