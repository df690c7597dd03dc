from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import FormView

from baolei.coordination import forms, queries, services
from baolei.coordination.filters import MechanismFilter, MeetingFilter
from baolei.coordination.models import AssessmentScheme, Mechanism, Meeting, MeetingKind
from baolei.core import params
from baolei.core.exports import Column
from baolei.core.form_style import compact
from baolei.core.history import history_rows
from baolei.core.outcomes import ActionView, Operation, ServiceFormMixin
from baolei.core.scoping import sees_whole
from baolei.core.views_base import ScopedDetailView, ScopedListView, acting_user
from baolei.ledger.models import LedgerItem
from baolei.ledger.queries import with_warning


def period(request: HttpRequest) -> tuple[date, date]:
    today = timezone.localdate()
    return params.day(request, "start", date(today.year, 1, 1)), params.day(request, "end", today)


class MeetingListView(ScopedListView):
    model = Meeting
    template_name = "coordination/meeting_list.html"
    filterset_class = MeetingFilter
    sort_fields: ClassVar[dict[str, str]] = {"held": "held_on", "kind": "kind"}
    default_sort = "-held"
    export_title = "会议台账"
    export_columns: ClassVar[list[Column]] = [
        Column("召开日期", lambda m: m.held_on, 12),
        Column("会议类型", lambda m: m.get_kind_display(), 24),
        Column("议题", lambda m: m.topic, 40),
        Column("召集单位", lambda m: m.convener.name, 20),
        Column("决定事项数", lambda m: m.decision_count, 10),
    ]

    def decorate(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        seen = Q(decisions__in=LedgerItem.objects.visible_to(self.request.user).values("pk"))
        return rows.select_related("convener", "region").annotate(
            decision_count=Count("decisions", filter=seen)
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        first, last = period(self.request)
        counts = queries.meeting_counts(self.request.user, first, last)
        context.update(
            counts=[(MeetingKind(k).label, k, n) for k, n in counts.items()],
            start=first.isoformat(),
            end=last.isoformat(),
            cadence_warnings=queries.cadence_warnings(self.request.user),
        )
        return context


class MeetingDetailView(ScopedDetailView):
    model = Meeting
    template_name = "coordination/meeting_detail.html"
    context_object_name = "meeting"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        meeting = self.object
        decisions = LedgerItem.objects.visible_to(self.request.user).filter(
            pk__in=meeting.decisions.values("pk")
        )
        context.update(
            partial=not sees_whole(self.request.user, meeting.region),
            decisions=with_warning(decisions.select_related("owner_agency")),
            attendees=self.object.attendees.all(),
            decision_form=forms.DecisionForm(user=self.request.user),
            history_rows=history_rows(self.object),
        )
        return context


class MeetingCreateView(ServiceFormMixin, FormView):
    permission = "coordination.record_meeting"
    scope_exempt = "表单只列出 visible_to(user) 中的区划与单位，写入由 services 核对"
    template_name = "coordination/form.html"
    form_class = forms.MeetingForm
    extra_context = {"heading": "登记会议"}

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"user": self.request.user}

    def perform(self, form: Any) -> HttpResponse:
        meeting = services.record_meeting(actor=acting_user(self.request), **form.cleaned_data)
        messages.success(self.request, "会议已登记，请继续登记会议决定事项。")
        return redirect("coordination:meeting", pk=meeting.pk)


class DecisionView(ActionView):
    """A decision of a meeting, which goes onto the ledger."""

    model = Meeting
    record_name = "meeting"
    record_url = "coordination:meeting"
    default_action = "decide"
    actions: ClassVar[dict[str, Operation]] = {
        "decide": Operation(
            services.add_decision,
            forms.DecisionForm,
            "决定事项已列入台账",
            permission="coordination.decide",
        ),
    }

    def form_kwargs(self, name: str, record: Any) -> dict[str, Any]:
        return {"user": self.request.user}


class MechanismListView(ScopedListView):
    model = Mechanism
    template_name = "coordination/mechanism_list.html"
    filterset_class = MechanismFilter
    sort_fields: ClassVar[dict[str, str]] = {"issued": "issued_on", "title": "title"}
    default_sort = "-issued"
    export_title = "制度机制清单"
    export_columns: ClassVar[list[Column]] = [
        Column("名称", lambda m: m.title, 40),
        Column("文号", lambda m: m.document_number, 20),
        Column("印发单位", lambda m: "、".join(a.name for a in m.issuers.all()), 30),
        Column("印发日期", lambda m: m.issued_on, 12),
        Column("类别", lambda m: m.get_kind_display(), 8),
        Column("状态", lambda m: m.get_status_display(), 8),
    ]

    def decorate(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows.prefetch_related("issuers")


class MechanismCreateView(MeetingCreateView):
    permission = "coordination.record_mechanism"
    form_class = forms.MechanismForm  # type: ignore[assignment]
    extra_context = {"heading": "登记制度机制"}

    def perform(self, form: Any) -> HttpResponse:
        services.record_mechanism(actor=acting_user(self.request), **form.cleaned_data)
        messages.success(self.request, "制度机制已登记。")
        return redirect("coordination:mechanisms")


class SchemeListView(ScopedListView):
    model = AssessmentScheme
    template_name = "coordination/scheme_list.html"


class SchemeDetailView(ScopedDetailView):
    """Scores per county and ranking; each computed score shows its calculation on click."""

    model = AssessmentScheme
    template_name = "coordination/scheme_detail.html"
    context_object_name = "scheme"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["results"] = queries.assess(self.object, self.request.user)
        context["partial"] = not sees_whole(self.request.user, self.object.region)
        context["indicators"] = list(self.object.indicators.all())
        context["score_form"] = compact(forms.ManualScoreForm(user=self.request.user))
        return context


class BulletinView(SchemeDetailView):
    """调度通报: the ranking and each county's overdue ledger items."""

    template_name = "coordination/bulletin.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        overdue = with_warning(
            LedgerItem.objects.visible_to(self.request.user).select_related(
                "region", "owner_agency"
            )
        )
        overdue = list(overdue.filter(warning="red").order_by("region__code", "deadline"))
        for result in context["results"]:
            result.overdue = [i for i in overdue if i.region.code.startswith(result.county.prefix)]
        context["today"] = timezone.localdate()
        return context


class CadenceCreateView(MeetingCreateView):
    permission = "coordination.require_cadence"
    form_class = forms.CadenceForm  # type: ignore[assignment]
    extra_context = {"heading": "设定会议频次要求"}

    def perform(self, form: Any) -> HttpResponse:
        services.require_cadence(actor=acting_user(self.request), **form.cleaned_data)
        messages.success(self.request, "已设定会议频次要求。")
        return redirect("coordination:meetings")


class SchemeCreateView(MeetingCreateView):
    permission = "coordination.create_scheme"
    form_class = forms.SchemeForm  # type: ignore[assignment]
    extra_context = {"heading": "制定考核方案"}

    def perform(self, form: Any) -> HttpResponse:
        scheme = services.create_scheme(actor=acting_user(self.request), **form.cleaned_data)
        messages.success(self.request, f"已制定考核方案“{scheme}”。")
        return redirect("coordination:scheme", pk=scheme.pk)


def score(*, actor: Any, scheme: AssessmentScheme, indicator: int, **data: Any) -> Any:
    """人工评分 of one of this scheme's indicators."""
    found = scheme.indicators.filter(pk=indicator).first()
    if found is None:
        raise ValidationError("该考核方案没有此项指标。")
    return services.score_by_hand(actor=actor, indicator=found, **data)


class ManualScoreView(ActionView):
    model = AssessmentScheme
    record_name = "scheme"
    record_url = "coordination:scheme"
    default_action = "score"
    actions: ClassVar[dict[str, Operation]] = {
        "score": Operation(score, forms.ManualScoreForm, "已评分", permission="coordination.score"),
    }

    def form_kwargs(self, name: str, record: Any) -> dict[str, Any]:
        return {"user": self.request.user}
