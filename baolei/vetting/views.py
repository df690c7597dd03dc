"""Pages of the background review: runs, the review queue, decisions and coverage."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import FormView, TemplateView

from baolei.vetting import forms, importing, queries, services
from baolei.vetting.models import Candidate, Decision, VettingRun
from baolei.web.exports import Column
from baolei.web.views_base import ScopedDetailView, ScopedListView, ScopedViewMixin, acting_user


class RunListView(ScopedListView):
    model = VettingRun
    template_name = "vetting/run_list.html"
    sort_fields: ClassVar[dict[str, str]] = {"started": "started_at"}
    default_sort = "-started"
    export_title = "背景审查比对批次"
    export_columns: ClassVar[list[Column]] = [
        Column("开始时间", lambda r: r.started_at.strftime("%Y-%m-%d %H:%M"), 18),
        Column("审查范围", lambda r: r.region.name, 20),
        Column("比对来源", lambda r: r.source_labels, 30),
        Column("审查村干部数", lambda r: r.cadres_total, 12),
        Column("疑似命中", lambda r: r.candidate_count, 10),
    ]

    def decorate(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        return queries.with_counts(rows.select_related("region"))


class RunCreateView(FormView):
    scope_exempt = "表单只列出 visible_to(user) 中的区划，run_vetting 再次核对范围"
    template_name = "vetting/run_form.html"
    form_class = forms.RunForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"user": self.request.user}

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            run = services.run_vetting(actor=acting_user(self.request), **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
            return self.form_invalid(form)
        messages.success(self.request, f"比对完成，疑似命中 {run.candidates.count()} 条。")
        return redirect("vetting:run", pk=run.pk)


class RunDetailView(ScopedDetailView):
    model = VettingRun
    template_name = "vetting/run_detail.html"
    context_object_name = "run"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["candidates"] = queries.candidates_for(acting_user(self.request)).filter(
            run=self.object
        )[:200]
        return context


class CandidateListView(ScopedListView):
    """The review queue."""

    model = Candidate
    template_name = "vetting/candidate_list.html"
    sort_fields: ClassVar[dict[str, str]] = {"score": "score"}
    default_sort = "-score"
    export_title = "背景审查疑似命中"
    export_columns: ClassVar[list[Column]] = [
        Column("村(社区)", lambda c: c.appointment.region.name, 20),
        Column("职务", lambda c: c.appointment.get_post_display(), 16),
        Column("村干部", lambda c: c.appointment.person.name, 10),
        Column("来源", lambda c: c.get_source_display(), 12),
        Column("比中姓名", lambda c: c.matched_name, 10),
        Column("比中身份证号码", lambda c: c.matched_id_masked, 20),
        Column("相似度", lambda c: c.score, 8),
        Column("依据", lambda c: c.evidence_labels, 40),
        Column("研判结论", lambda c: c.get_decision_display(), 10),
        Column("研判意见", lambda c: c.note, 30),
    ]

    def decorate(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        decision = self.request.GET.get("decision", "")
        if decision in Decision.values:
            rows = rows.filter(decision=decision)
        return rows.select_related("appointment__region", "appointment__person", "run")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"decisions": Decision.choices}


class CandidateDetailView(ScopedDetailView):
    model = Candidate
    template_name = "vetting/candidate_detail.html"
    context_object_name = "candidate"

    def decorate(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows.select_related("appointment__region", "appointment__person", "run", "clue")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"form": forms.DecisionForm()}


class CandidateDecideView(ScopedViewMixin, View):
    model = Candidate
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        candidate = get_object_or_404(self.get_queryset(), pk=pk)
        form = forms.DecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请选择研判结论。")
            return redirect("vetting:candidate", pk=pk)
        try:
            services.decide_candidate(
                actor=acting_user(request), candidate=candidate, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "研判结论已记录。")
        return redirect("vetting:candidate", pk=pk)


class CoverageView(TemplateView):
    scope_exempt = (
        "只通过 Appointment.objects.visible_to(user) 与 VettingRun.objects.visible_to(user) 统计"
    )
    template_name = "vetting/coverage.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        rows = queries.coverage(acting_user(self.request))
        return super().get_context_data(**kwargs) | {"rows": rows}


class ListImportView(FormView):
    scope_exempt = "导入的名单归属于本单位区划，不读取其他记录"
    template_name = "vetting/list_import.html"
    form_class = forms.ListImportForm

    def form_valid(self, form: Any) -> HttpResponse:
        data = form.cleaned_data
        try:
            count, errors = importing.import_list(
                data["file"],
                actor=acting_user(self.request),
                name=data["name"],
                source_agency=data["source_agency"],
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        if errors:
            return self.render_to_response(self.get_context_data(form=form, errors=errors))
        messages.success(self.request, f"已导入名单人员 {count} 人。")
        return redirect("vetting:runs")
