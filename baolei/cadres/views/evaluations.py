"""Duty evaluations (履职研判): campaigns, coverage, evaluating a secretary."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import FormView, View

from baolei.cadres import forms, queries, services
from baolei.cadres.models import (
    Appointment,
    Evaluation,
    EvaluationCampaign,
)
from baolei.cadres.views.common import errors_of, failure
from baolei.core import params
from baolei.core.history import history_rows
from baolei.core.views_base import ScopedDetailView, ScopedListView, ScopedViewMixin, acting_user


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
        pending = queries.pending_secretaries(campaign, user, params.text(self.request, "q"))
        context.update(
            total=total,
            counties=counties,
            evaluations=evaluations,
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
