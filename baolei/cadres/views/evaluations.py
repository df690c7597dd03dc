"""Duty evaluations (履职研判): campaigns, coverage, evaluating a secretary."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import FormView

from baolei.cadres import forms, queries, services
from baolei.cadres.models import (
    Appointment,
    Evaluation,
    EvaluationCampaign,
)
from baolei.core import params
from baolei.core.history import history_rows
from baolei.core.outcomes import ActionView, Operation, ServiceFormMixin
from baolei.core.views_base import ScopedDetailView, ScopedListView, acting_user


class CampaignListView(ScopedListView):
    model = EvaluationCampaign
    template_name = "cadres/campaigns.html"

    def decorate(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        return (
            rows.select_related("region")
            .annotate(evaluated=Count("evaluations"))
            .order_by("-period_starts_on", "pk")
        )


class CampaignCreateView(ServiceFormMixin, FormView):
    permission = "cadres.open_campaign"
    scope_exempt = "表单只列出 visible_to(user) 中的区划，服务再次核对范围"
    template_name = "cadres/form.html"
    form_class = forms.CampaignForm
    extra_context = {"title": "启动履职研判"}

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"user": self.request.user}

    def perform(self, form: forms.CampaignForm) -> HttpResponse:
        campaign = services.open_campaign(actor=acting_user(self.request), **form.cleaned_data)
        messages.success(self.request, f"已启动履职研判“{campaign}”。")
        return redirect("cadres:campaign", pk=campaign.pk)


class CampaignView(ScopedDetailView):
    """履职研判: coverage (evaluated / all secretaries in scope) per county, and results."""

    model = EvaluationCampaign
    template_name = "cadres/campaign.html"
    context_object_name = "campaign"
    paginate_by = 50

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
            .order_by("appointment__region__code", "pk")
        )
        # A city's campaign holds a result for each of its ~1,000 secretaries: shown a
        # page at a time, in the order of the villages' codes.
        size = params.page_size(self.request, self.paginate_by, maximum=200, minimum=10)
        page = Paginator(evaluations, size).get_page(params.page_number(self.request))
        query = self.request.GET.copy()
        query.pop("page", None)
        pending = queries.pending_secretaries(campaign, user, params.text(self.request, "q"))
        context.update(
            total=total,
            counties=counties,
            evaluations=page.object_list,
            page_obj=page,
            paginator=page.paginator,
            is_paginated=page.has_other_pages(),
            query_string=query.urlencode(),
            pending=pending,
            evaluation_form=forms.EvaluationForm(initial={"on": timezone.localdate()}),
            history_rows=history_rows(campaign),
        )
        return context


class SecretaryChoicesView(ScopedDetailView):
    """The 书记 choices of the evaluation form for what was typed (村名或姓名), for htmx."""

    model = EvaluationCampaign
    template_name = "cadres/_secretary_options.html"
    context_object_name = "campaign"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["pending"] = queries.pending_secretaries(
            self.object, self.request.user, params.text(self.request, "q")
        )
        return context


def evaluate(*, actor: Any, campaign: EvaluationCampaign, appointment: int, **data: Any) -> Any:
    """研判 of one secretary the actor may see, within the campaign."""
    found = get_object_or_404(Appointment.objects.visible_to(actor), pk=appointment)
    return services.record_evaluation(actor=actor, campaign=campaign, appointment=found, **data)


class EvaluateView(ActionView):
    model = EvaluationCampaign
    record_name = "campaign"
    record_url = "cadres:campaign"
    default_action = "evaluate"
    actions: ClassVar[dict[str, Operation]] = {
        "evaluate": Operation(
            evaluate, forms.EvaluationForm, "已登记研判结果", permission="cadres.evaluate"
        ),
    }

    def respond(
        self, name: str, record: Any, errors: list[str], done: str, result: Any
    ) -> HttpResponse:
        if result is not None and result.needs_adjustment:
            done = "已登记研判结果，已提出调整建议。"
        return super().respond(name, record, errors, done, result)
