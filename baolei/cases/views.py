from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

import django_filters
from django.contrib import messages
from django.db.models import QuerySet, Sum
from django.forms import ChoiceField
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from baolei.cases import forms, queries, services
from baolei.cases.models import Case, CaseKind, Characterisation, Stage
from baolei.cases.policy import stage_rule
from baolei.clues.models import Clue
from baolei.core import params, policy
from baolei.core.exports import Column
from baolei.core.filters import FilterSet
from baolei.core.form_style import compact
from baolei.core.history import history_rows
from baolei.core.outcomes import ActionView, Operation, ServiceFormMixin
from baolei.core.views_base import ScopedDetailView, ScopedListView, acting_user
from baolei.regions.pickers import within_filter
from baolei.regions.queries import within_region


class CaseFilter(FilterSet):
    q = django_filters.CharFilter(label="编号或名称", method="search")
    kind = django_filters.ChoiceFilter(
        label="案件类型", choices=CaseKind.choices, empty_label="全部类型"
    )
    stage = django_filters.ChoiceFilter(
        label="当前阶段", choices=Stage.choices, empty_label="全部阶段"
    )
    within = within_filter()
    opened_from = django_filters.DateFilter(
        label="立案日期起", field_name="opened_on", lookup_expr="gte"
    )
    opened_to = django_filters.DateFilter(
        label="立案日期止", field_name="opened_on", lookup_expr="lte"
    )

    class Meta:
        model = Case
        fields = ["q", "kind", "stage", "within", "opened_from", "opened_to"]

    def search(self, rows: QuerySet, name: str, value: str) -> QuerySet:
        return rows.filter(number__contains=value) | rows.filter(name__contains=value)

    def filter_within(self, rows: QuerySet, name: str, value: str) -> QuerySet:
        return within_region(rows, value)


class CaseListView(ScopedListView):
    model = Case
    template_name = "cases/case_list.html"
    filterset_class = CaseFilter
    sort_fields: ClassVar[dict[str, str]] = {
        "opened": "opened_on",
        "number": "number",
        "kind": "kind",
    }
    default_sort = "-opened"
    export_title = "涉黑涉恶案件台账"
    export_columns: ClassVar[list[Column]] = [
        Column("案件编号", lambda c: c.number, 20),
        Column("案件名称", lambda c: c.name, 30),
        Column("案件类型", lambda c: c.get_kind_display(), 16),
        Column("案发区划", lambda c: c.region.name, 14),
        Column("主办公安机关", lambda c: c.lead_agency.name, 18),
        Column("立案日期", lambda c: c.opened_on, 12),
        Column("当前阶段", lambda c: c.stage_label, 14),
        Column("犯罪嫌疑人", lambda c: c.suspect_count, 10),
        Column("查扣冻结财产（元）", lambda c: float(c.asset_total or 0), 18),
    ]

    def decorate(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        rows = queries.with_totals(rows.select_related("region", "lead_agency"))
        return queries.with_current_stage(rows)


def timeline(case: Case) -> list[dict[str, Any]]:
    """Events in order, each noting a change of characterisation from the one before."""
    rows, previous = [], ""
    for event in case.events.select_related("agency", "recorded_by"):
        change = ""
        if event.characterisation:
            if previous and event.characterisation != previous:
                change = (
                    f"定性由“{Characterisation(previous).label}”变为“"
                    f"{Characterisation(event.characterisation).label}”"
                )
            previous = event.characterisation
        rows.append({"event": event, "change": change})
    return rows


class CaseDetailView(ScopedDetailView):
    """The whole case: timeline, people, assets, consultations, interventions, supervision, history."""

    model = Case
    template_name = "cases/case_detail.html"
    context_object_name = "case"

    def decorate(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        return queries.with_current_stage(rows.select_related("region", "lead_agency"))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        case, user = self.object, self.request.user
        today = timezone.localdate()
        context.update(
            timeline=timeline(case),
            suspects=case.suspects.select_related("person").prefetch_related("events"),
            assets=case.assets.all(),
            asset_total=case.assets.aggregate(total=Sum("value"))["total"] or 0,
            consultations=case.consultations.prefetch_related("agencies", "follow_ups"),
            interventions=case.interventions.all(),
            clues=Clue.objects.visible_to(user).filter(case=case),
            supervisions=case.supervisions.all(),
            history_rows=history_rows(case),
            status_form=compact(forms.SuspectStatusForm(initial={"on": today})),
            dispose_form=compact(forms.DisposeForm(initial={"on": today})),
        )
        stage_form = forms.StageForm(initial={"on": today})
        stage_field = stage_form.fields["stage"]
        assert isinstance(stage_field, ChoiceField)  # noqa: S101
        stage_field.choices = [  # only the stages this user's agency records
            (value, label)
            for value, label in Stage.choices
            if policy.allows(user, stage_rule(value), case)
        ]
        context["actions"] = CaseActionView.menu(
            user,
            case,
            "cases:action",
            {
                "stage": stage_form,
                "suspect": forms.SuspectForm(user=user),
                "asset": forms.AssetForm(initial={"on": today}),
                "consultation": forms.ConsultationForm(user=user, initial={"on": today}),
                "intervention": forms.InterventionForm(initial={"on": today}),
                "supervision": forms.SupervisionForm(initial={"on": today}),
            },
        )
        return context


class CaseCreateView(ServiceFormMixin, FormView):
    permission = "cases.open"
    scope_exempt = "表单只列出 visible_to(user) 中的区划与公安机关，open_case 再次核对范围"
    template_name = "cases/case_form.html"
    form_class = forms.CaseForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"user": self.request.user}

    def perform(self, form: Any) -> HttpResponse:
        case = services.open_case(actor=acting_user(self.request), **form.cleaned_data)
        messages.success(self.request, f"已立案登记 {case.number}。")
        return redirect("cases:detail", pk=case.pk)


def suspect_status(*, actor: Any, case: Case, suspect: int, **data: Any) -> Any:
    """A status of one of this case's suspects."""
    found = get_object_or_404(case.suspects, pk=suspect)
    return services.record_suspect_status(actor=actor, suspect=found, **data)


def dispose(*, actor: Any, case: Case, asset: int, **data: Any) -> Any:
    """The disposal of one of this case's seized assets."""
    found = get_object_or_404(case.assets, pk=asset)
    return services.dispose_asset(actor=actor, asset=found, **data)


class CaseActionView(ActionView):
    """POST-only additions to a case; each calls one service."""

    model = Case
    record_name = "case"
    record_url = "cases:detail"
    actions: ClassVar[dict[str, Operation]] = {
        "stage": Operation(
            services.record_stage,
            forms.StageForm,
            "已登记诉讼环节",
            permission="cases.stage",
            title="登记办案阶段",
        ),
        "suspect": Operation(
            services.add_suspect,
            forms.SuspectForm,
            "已登记犯罪嫌疑人",
            permission="cases.suspect",
            title="登记犯罪嫌疑人",
        ),
        "status": Operation(
            suspect_status,
            forms.SuspectStatusForm,
            "已登记强制措施或处理结果",
            permission="cases.status",
        ),
        "asset": Operation(
            services.record_asset,
            forms.AssetForm,
            "已登记涉案财产",
            permission="cases.asset",
            title="登记查封扣押冻结",
        ),
        "dispose": Operation(
            dispose, forms.DisposeForm, "已登记财产处置", permission="cases.dispose"
        ),
        "consultation": Operation(
            services.record_consultation,
            forms.ConsultationForm,
            "已登记会商",
            permission="cases.consultation",
            title="登记会商",
        ),
        "intervention": Operation(
            services.record_intervention,
            forms.InterventionForm,
            "已登记提前介入",
            permission="cases.intervention",
            title="登记提前介入",
        ),
        "supervision": Operation(
            services.record_supervision,
            forms.SupervisionForm,
            "已登记督办",
            permission="cases.supervision",
            title="登记联合督办",
        ),
    }

    @classmethod
    def offered(cls, name: str, record: Any) -> bool:
        """A suspect's status needs a suspect, a disposal an asset still held."""
        if name == "status":
            return bool(record.suspects.exists())
        if name == "dispose":
            return bool(record.assets.filter(disposition="").exists())
        return True

    def form_kwargs(self, name: str, record: Any) -> dict[str, Any]:
        return {"user": self.request.user} if name in ("suspect", "consultation") else {}

    @classmethod
    def label_of(cls, record: Any) -> str:
        return str(record.number)


class StatisticsView(TemplateView):
    """The seed's figures for any period and as of any date, in the user's scope."""

    scope_exempt = "只通过 Case.objects.visible_to(user) 统计"
    template_name = "cases/statistics.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        start, end = params.period(self.request, "from", "to", date(today.year, 1, 1), today)
        context["stats"] = queries.statistics(self.request.user, start, end)
        context["kinds"] = dict(CaseKind.choices) | dict(Characterisation.choices)
        return context
