"""Pages of the background review: runs, the review queue, decisions and coverage."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from baolei.cadres.models import Appointment
from baolei.cadres.queries import in_office
from baolei.core.exports import Column
from baolei.core.import_jobs import QueuedImportMixin
from baolei.core.importing import keep_errors
from baolei.core.outcomes import ActionView, Operation, ServiceFormMixin
from baolei.core.views_base import (
    PolicyRequiredMixin,
    ScopedDetailView,
    ScopedListView,
    acting_user,
)
from baolei.vetting import filters, forms, importing, queries, services
from baolei.vetting.models import Candidate, DecisionRecord, VettingRun


class RunListView(ScopedListView):
    model = VettingRun
    template_name = "vetting/run_list.html"
    filterset_class = filters.RunFilter
    sort_fields: ClassVar[dict[str, str]] = {"started": "started_at"}
    default_sort = "-started"
    export_title = "背景审查比对批次"
    export_columns: ClassVar[list[Column]] = [
        Column("批次号", lambda r: r.pk, 8),
        Column("开始时间", lambda r: r.started_at, 18),
        Column("审查范围", lambda r: r.region.name, 20),
        Column("比对来源", lambda r: r.source_labels, 30),
        Column("分数线", lambda r: r.threshold, 8),
        Column("状态", lambda r: r.get_status_display(), 10),
        Column("进度（%）", lambda r: r.progress, 8),
        Column("审查村干部数", lambda r: r.cadres_total, 12),
        Column("比对人员数", lambda r: r.persons_total, 12),
        Column("疑似命中", lambda r: r.candidate_count, 10),
        Column("失败原因", lambda r: r.error, 30),
    ]

    def decorate(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        return queries.with_counts(rows.select_related("region"), self.request.user)


#: candidates listed on a run's page; the page says when there are more (all are in the queue)
CANDIDATES_SHOWN = 200


class RunCreateView(ServiceFormMixin, FormView):
    scope_exempt = "表单只列出 visible_to(user) 中的区划，start_run 再次核对范围"
    permission = "vetting.start"
    template_name = "vetting/run_form.html"
    form_class = forms.RunForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"user": self.request.user}

    def perform(self, form: Any) -> HttpResponse:
        run = services.start_run(actor=acting_user(self.request), **form.cleaned_data)
        messages.success(self.request, "比对已在后台开始，本页会自动显示进度和结果。")
        return redirect("vetting:run", pk=run.pk)


class RunDetailView(ScopedDetailView):
    """The run page; while the run is queued or running, htmx polls its status block,
    and a finished run reloads the page with its candidates."""

    model = VettingRun
    template_name = "vetting/run_detail.html"
    context_object_name = "run"

    def decorate(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows.select_related("region", "started_by")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        services.sweep_stale_runs()  # a run whose worker died stops polling as 失败
        self.object = self.get_object()
        if not getattr(request, "htmx", False):
            return self.render_to_response(self.get_context_data(object=self.object))
        response = self.response_class(
            request=request,
            template="vetting/_run_status.html",
            context={"run": self.object},
            using=self.template_engine,
        )
        if self.object.finished:
            response["HX-Refresh"] = "true"
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rows = queries.candidates_for(acting_user(self.request)).filter(run=self.object)
        context["candidates"] = rows[:CANDIDATES_SHOWN]
        context["candidate_count"] = rows.count()
        return context


class RunRerunView(ActionView):
    """重新运行: a failed run queued again with the same parameters."""

    model = VettingRun
    record_name = "run"
    default_action = "rerun"
    actions: ClassVar[dict[str, Operation]] = {
        "rerun": Operation(
            services.rerun,
            done="已重新开始比对，本页会自动显示进度和结果",
            permission="vetting.rerun",
        ),
    }

    def back_to(self, record: Any, result: Any) -> str:
        return reverse("vetting:run", args=[(result or record).pk])


CANDIDATE_COLUMNS = [
    Column("编号", lambda c: c.pk, 8),
    Column("比对批次号", lambda c: c.run_id, 10),
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
    Column("研判人", lambda c: str(c.decided_by or ""), 10),
    Column("研判时间", lambda c: c.decided_at, 18),
    Column("生成线索", lambda c: c.clue.number if c.clue else "", 24),
    Column("调整建议", lambda c: c.adjustment.status_label if c.adjustment else "", 12),
]


class CandidateListView(ScopedListView):
    """The review queue, with bulk decisions on the selected or the filtered set."""

    model = Candidate
    template_name = "vetting/candidate_list.html"
    filterset_class = filters.CandidateFilter
    sort_fields: ClassVar[dict[str, str]] = {"score": "score", "run": "run_id"}
    default_sort = "-score"
    export_title = "背景审查疑似命中"
    export_columns: ClassVar[list[Column]] = CANDIDATE_COLUMNS

    def decorate(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows.select_related(
            "appointment__region", "appointment__person", "decided_by", "clue", "adjustment"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        form = forms.BulkDecisionForm(
            initial={"query": query.urlencode(), "target": "selected"}, auto_id="bulk_%s"
        )
        return context | {"bulk_form": form}


class CandidateBulkDecideView(ActionView):
    """批量研判: the candidates come through visible_to and the queue's own filter."""

    model = Candidate
    default_action = "decide"
    actions: ClassVar[dict[str, Operation]] = {
        "decide": Operation(
            services.decide_candidates,
            forms.BulkDecisionForm,
            "已记录研判结论",
            permission="vetting.decide",
        ),
    }

    def get_record(self) -> Any:
        return None

    def arguments(self, name: str, record: Any, data: dict[str, Any]) -> dict[str, Any]:
        rows = filters.CandidateFilter(
            QueryDict(data["query"]), queryset=self.get_queryset(), request=self.request
        ).qs
        if data["target"] == "selected":
            rows = rows.filter(pk__in=data["ids"])
        return {
            "candidates": rows,
            "decision": data["decision"],
            "note": data["note"],
            "change": data["change"],
        }

    def respond(
        self, name: str, record: Any, errors: list[str], done: str, result: Any
    ) -> HttpResponse:
        done = f"已记录 {result} 条疑似命中的研判结论。" if result is not None else done
        return super().respond(name, record, errors, done, result)

    def back_to(self, record: Any, result: Any) -> str:
        return f"{reverse('vetting:candidates')}?{self.request.POST.get('query', '')}"


class CandidateDetailView(ScopedDetailView):
    model = Candidate
    template_name = "vetting/candidate_detail.html"
    context_object_name = "candidate"

    def decorate(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows.select_related(
            "appointment__region", "appointment__person", "run", "clue", "adjustment"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        records = DecisionRecord.objects.visible_to(self.request.user).filter(candidate=self.object)
        return super().get_context_data(**kwargs) | {
            "form": forms.DecisionForm(),
            "follow_up_form": forms.FollowUpForm(),
            "records": records.select_related("decided_by"),
        }


class CandidateDecideView(ActionView):
    model = Candidate
    record_name = "candidate"
    record_url = "vetting:candidate"
    default_action = "decide"
    actions: ClassVar[dict[str, Operation]] = {
        "decide": Operation(
            services.decide_candidate,
            forms.DecisionForm,
            "研判结论已记录",
            permission="vetting.decide",
        ),
    }


class CandidateFollowUpView(ActionView):
    """A hit confirmed earlier: open its clue or propose the cadre's adjustment now."""

    model = Candidate
    record_name = "candidate"
    record_url = "vetting:candidate"
    default_action = "follow_up"
    actions: ClassVar[dict[str, Operation]] = {
        "follow_up": Operation(
            services.follow_up_hit, forms.FollowUpForm, "已办理", permission="vetting.follow_up"
        ),
    }


class DecisionListView(ScopedListView):
    """研判记录: every dated decision, a change of conclusion included."""

    model = DecisionRecord
    template_name = "vetting/decision_list.html"
    filterset_class = filters.DecisionRecordFilter
    sort_fields: ClassVar[dict[str, str]] = {"decided": "decided_at"}
    default_sort = "-decided"
    export_title = "背景审查研判记录"
    export_columns: ClassVar[list[Column]] = [
        Column("研判时间", lambda r: r.decided_at, 18),
        Column("疑似命中编号", lambda r: r.candidate_id, 10),
        Column("村(社区)", lambda r: r.candidate.appointment.region.name, 20),
        Column("村干部", lambda r: r.candidate.appointment.person.name, 10),
        Column("比中姓名", lambda r: r.candidate.matched_name, 10),
        Column("原结论", lambda r: r.get_previous_display(), 10),
        Column("研判结论", lambda r: r.get_decision_display(), 10),
        Column("研判意见", lambda r: r.note, 30),
        Column("研判人", lambda r: str(r.decided_by), 10),
    ]

    def decorate(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows.select_related(
            "candidate__appointment__region", "candidate__appointment__person", "decided_by"
        )


class CadreVettingListView(ScopedListView):
    """Each cadre in office with the date of the last run that vetted them."""

    model = Appointment
    template_name = "vetting/cadre_list.html"
    filterset_class = filters.CadreVettingFilter
    sort_fields: ClassVar[dict[str, str]] = {"village": "region__code", "started": "started_on"}
    default_sort = "village"
    export_title = "村干部背景审查情况"
    export_columns: ClassVar[list[Column]] = [
        Column("村(社区)", lambda a: a.region.name, 20),
        Column("区划代码", lambda a: a.region.code, 14),
        Column("职务", lambda a: a.get_post_display(), 16),
        Column("姓名", lambda a: a.person.name, 10),
        Column("任职日期", lambda a: a.started_on.isoformat(), 12),
    ]

    def decorate(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        self.latest = queries.latest_runs(self.request.user)
        return in_office(rows).select_related("person", "region")

    def last_vetted(self, row: Appointment) -> Any:
        return queries.last_vetted_on(row.region.code, row.started_on, self.latest)

    def get_export_columns(self) -> list[Column]:
        last = Column("最近审查日期", lambda a: str(self.last_vetted(a) or "尚未审查"), 14)
        return [*self.export_columns, last]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        for row in context["object_list"]:
            row.last_vetted_on = self.last_vetted(row)
        return context


class CoverageView(TemplateView):
    scope_exempt = (
        "只通过 Appointment.objects.visible_to(user) 与 VettingRun.objects.visible_to(user) 统计"
    )
    template_name = "vetting/coverage.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        rows = queries.coverage(acting_user(self.request))
        return super().get_context_data(**kwargs) | {"rows": rows}


class ListImportView(PolicyRequiredMixin, QueuedImportMixin, FormView):
    import_title = "外部名单导入"
    scope_exempt = "导入的名单归属于本单位区划，不读取其他记录"
    permission = "vetting.import_list"
    template_name = "vetting/list_import.html"
    form_class = forms.ListImportForm

    def form_valid(self, form: Any) -> HttpResponse:
        data = form.cleaned_data
        report = importing.import_list(
            data["file"],
            actor=acting_user(self.request),
            name=data["name"],
            source_agency=data["source_agency"],
        )
        if report.errors:
            keep_errors(self.request, "外部名单导入", report)
            return self.render_to_response(self.get_context_data(form=form, report=report))
        messages.success(self.request, f"已导入名单人员 {report.created} 人。")
        return redirect("vetting:runs")
