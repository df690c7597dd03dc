from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import FormView

from baolei.core.exports import Column
from baolei.core.history import history_rows
from baolei.core.import_jobs import QueuedImportMixin
from baolei.core.importing import keep_errors
from baolei.core.outcomes import ActionView, Operation, ServiceFormMixin
from baolei.core.scoping import sees_whole
from baolei.core.views_base import (
    PolicyRequiredMixin,
    ScopedDetailView,
    ScopedListView,
    acting_user,
)
from baolei.ledger.models import Acceptance
from baolei.ledger.queries import with_warning
from baolei.regions.models import Region
from baolei.regions.queries import scope_root
from baolei.supervision import forms, queries, services
from baolei.supervision.filters import ProblemFilter
from baolei.supervision.importing import import_problems
from baolei.supervision.models import (
    LaggingCounty,
    LeaderAssignment,
    Problem,
    ProblemStatus,
    SupervisionPlan,
    SupervisionRound,
    Team,
)


class PlanListView(ScopedListView):
    model = SupervisionPlan
    template_name = "supervision/plan_list.html"

    def decorate(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows.select_related("region")


class PlanDetailView(ScopedDetailView):
    """The plan: leader assignments, teams, rounds and lagging counties with their tasks."""

    model = SupervisionPlan
    template_name = "supervision/plan_detail.html"
    context_object_name = "plan"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        plan = self.object
        counties = Prefetch("counties", queryset=Region.objects.visible_to(user))
        tasks = with_warning(queries.visible_items(user))
        context.update(
            actions=PlanActionView.menu(
                user,
                plan,
                "supervision:plan_action",
                {
                    "assign": forms.AssignmentForm(plan=plan),
                    "team": forms.TeamForm(plan=plan),
                    "round": forms.RoundForm(plan=plan),
                    "lagging": forms.LaggingForm(plan=plan, initial={"on": timezone.localdate()}),
                },
            ),
            partial=not sees_whole(user, plan.region),
            assignments=LeaderAssignment.objects.visible_to(user)
            .filter(plan=plan)
            .select_related("county"),
            teams=Team.objects.visible_to(user).filter(plan=plan).prefetch_related(counties),
            rounds=SupervisionRound.objects.visible_to(user)
            .filter(plan=plan)
            .prefetch_related(counties, Prefetch("teams", queryset=Team.objects.visible_to(user))),
            lagging=LaggingCounty.objects.visible_to(user)
            .filter(plan=plan)
            .select_related("county")
            .prefetch_related(Prefetch("tasks", queryset=tasks)),
            history_rows=history_rows(plan),
        )
        return context


def unit_names(problem: Problem) -> str:
    return "、".join(sorted({i.owner_agency.name for i in problem.items.all()}))


def item_progress(problem: Problem) -> str:
    return "；".join(
        f"{i.owner_agency.name}：{i.get_status_display()}" for i in problem.items.all()
    )


def status_label(problem: Problem) -> str:
    label = ProblemStatus(problem.status).label  # type: ignore[attr-defined]
    return f"{label}（按本单位可见事项）" if problem.partial else label  # type: ignore[attr-defined]


class ProblemListView(ScopedListView):
    model = Problem
    template_name = "supervision/problem_list.html"
    filterset_class = ProblemFilter
    sort_fields: ClassVar[dict[str, str]] = {
        "number": "number",
        "deadline": "deadline",
        "source": "source",
    }
    default_sort = "number"
    export_title = "督导反馈问题整改清单"
    export_columns: ClassVar[list[Column]] = [
        Column("来源", lambda p: p.get_source_display(), 14),
        Column("类型", lambda p: p.get_scope_display(), 10),
        Column("编号", lambda p: p.number, 10),
        Column("问题描述", lambda p: p.description, 40),
        Column(
            "整改措施", lambda p: "\n".join(f"{n}. {m}" for n, m in enumerate(p.measures, 1)), 36
        ),
        Column("责任单位", unit_names, 24),
        Column("整改时限", lambda p: p.deadline, 12),
        Column("整改状态", status_label, 16),
        Column("各单位进展", item_progress, 36),
    ]

    def decorate(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        user = self.request.user
        return queries.with_items(queries.with_status(rows, user=user), user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rows = queries.problem_summary(self.request.user)
        context["summary"] = [row | {"sentence": queries.summary_sentence(row)} for row in rows]
        context["regression"] = queries.regression(self.request.user)
        context["partial"] = any(p.partial for p in context["object_list"])
        return context


class ProblemDetailView(ScopedDetailView):
    model = Problem
    template_name = "supervision/problem_detail.html"
    context_object_name = "problem"

    def decorate(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        rows = rows.select_related("region", "round")
        return queries.with_status(rows, user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        problem = self.object
        items = list(
            with_warning(
                queries.visible_items(self.request.user)
                .filter(problem=problem)
                .select_related("owner_agency", "region")
            ).prefetch_related(Prefetch("acceptances", queryset=Acceptance.objects.order_by("-on")))
        )
        context.update(
            partial=not sees_whole(self.request.user, problem.region),
            items=items,
            units_tally=queries.units_tally(items),
            recurrences=problem.recurrences.select_related("recorded_by"),
            reopen_form=forms.ReopenForm(
                user=self.request.user, initial={"on": timezone.localdate()}
            ),
            history_rows=history_rows(problem),
        )
        return context


class ProblemCreateView(ServiceFormMixin, FormView):
    permission = "supervision.create_problem"
    scope_exempt = "表单只列出 visible_to(user) 中的单位，create_problem 再次核对范围"
    template_name = "supervision/problem_form.html"
    form_class = forms.ProblemForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"user": self.request.user}

    def perform(self, form: forms.ProblemForm) -> HttpResponse:
        data = dict(form.cleaned_data)
        person = data.pop("responsible_person")
        data["units"] = [(agency, person) for agency in data["units"]]
        data["measures"] = [m.strip() for m in data["measures"].splitlines() if m.strip()]
        actor = acting_user(self.request)
        region = scope_root(actor)
        if region is None:
            raise ValidationError("您的账户尚未分配单位。")
        problem = services.create_problem(actor=actor, region=region, **data)
        messages.success(
            self.request, f"已登记问题 {problem.number}，生成台账事项 {problem.items.count()} 条。"
        )
        return redirect("supervision:problem", pk=problem.pk)


def reopen(
    *, actor: Any, problem: Problem, responsible_person: str, units: Any, **data: Any
) -> Any:
    """反弹: the problem goes back into rectification with the units named."""
    return services.reopen_problem(
        actor=actor, problem=problem, units=[(a, responsible_person) for a in units], **data
    )


class ProblemReopenView(ActionView):
    model = Problem
    record_name = "problem"
    record_url = "supervision:problem"
    default_action = "reopen"
    actions: ClassVar[dict[str, Operation]] = {
        "reopen": Operation(
            reopen,
            forms.ReopenForm,
            "已登记反弹，问题重新进入整改",
            permission="supervision.reopen",
        ),
    }

    def form_kwargs(self, name: str, record: Any) -> dict[str, Any]:
        return {"user": self.request.user}

    def label(self, record: Any) -> str:
        return str(record.number)


class ProblemImportView(PolicyRequiredMixin, QueuedImportMixin, FormView):
    import_title = "问题清单导入"
    permission = "supervision.create_problem"
    scope_exempt = "导入只接受 visible_to(user) 中的单位，写入经 services 核对"
    template_name = "supervision/import.html"
    form_class = forms.ImportForm

    def form_valid(self, form: forms.ImportForm) -> HttpResponse:
        actor = acting_user(self.request)
        region = scope_root(actor)
        if region is None:
            form.add_error(None, "您的账户尚未分配单位。")
            return self.form_invalid(form)
        report = import_problems(form.cleaned_data["file"].file, actor=actor, region=region)
        if report.errors:
            keep_errors(self.request, "问题清单导入", report)
            return self.render_to_response(self.get_context_data(form=form, report=report))
        messages.success(self.request, f"已导入 {report.created} 个问题。")
        return redirect("supervision:problems")


class PlanCreateView(ServiceFormMixin, FormView):
    permission = "supervision.create_plan"
    scope_exempt = "表单只列出 visible_to(user) 中的区划，create_plan 再次核对范围"
    template_name = "supervision/form.html"
    form_class = forms.PlanForm
    extra_context = {"heading": "制定督导方案"}

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"user": self.request.user}

    def perform(self, form: Any) -> HttpResponse:
        plan = services.create_plan(actor=acting_user(self.request), **form.cleaned_data)
        messages.success(self.request, f"已制定督导方案“{plan}”。")
        return redirect("supervision:plan", pk=plan.pk)


class PlanActionView(ActionView):
    """POST-only additions to a plan; each calls one service."""

    model = SupervisionPlan
    record_name = "plan"
    record_url = "supervision:plan"
    actions: ClassVar[dict[str, Operation]] = {
        "assign": Operation(
            services.assign_leader,
            forms.AssignmentForm,
            "已明确包联领导",
            permission="supervision.assign",
            title="明确市领导联系督导",
        ),
        "team": Operation(
            services.create_team, forms.TeamForm, "已组建督导组", "supervision.team", "组建督导组"
        ),
        "round": Operation(
            services.create_round,
            forms.RoundForm,
            "已安排督导轮次",
            "supervision.round",
            "安排督导轮次",
        ),
        "lagging": Operation(
            services.designate_lagging,
            forms.LaggingForm,
            "已确定后进地区",
            permission="supervision.lagging",
            title="确定后进地区",
        ),
    }

    def form_kwargs(self, name: str, record: Any) -> dict[str, Any]:
        return {"plan": record}
