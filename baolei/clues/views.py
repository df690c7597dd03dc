from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

import django_filters
from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from baolei.cases.models import Case
from baolei.cases.pickers import case_filter
from baolei.clues import forms, queries, services
from baolei.clues.importing import import_clues
from baolei.clues.models import Category, Clue, ClueStatus, Referral, Source
from baolei.clues.pickers import as_stored
from baolei.core import params, policy
from baolei.core.exports import Column
from baolei.core.filters import FilterSet
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
from baolei.regions.pickers import within_filter
from baolei.regions.queries import within_region


class ClueFilter(FilterSet):
    q = django_filters.CharFilter(label="编号或摘要", method="search")
    category = django_filters.ChoiceFilter(
        label="类别", choices=Category.choices, empty_label="全部类别"
    )
    source = django_filters.ChoiceFilter(
        label="来源", choices=Source.choices, empty_label="全部来源"
    )
    status = django_filters.ChoiceFilter(
        label="状态", choices=ClueStatus.choices, empty_label="全部状态"
    )
    warning = django_filters.ChoiceFilter(
        label="预警", choices=[("red", "逾期"), ("blue", "临期")], empty_label="全部"
    )
    within = within_filter()
    case = case_filter(label="所涉案件")
    received_from = django_filters.DateFilter(
        label="受理日期起", field_name="received_on", lookup_expr="gte"
    )
    received_to = django_filters.DateFilter(
        label="受理日期止", field_name="received_on", lookup_expr="lte"
    )

    class Meta:
        model = Clue
        fields = [
            "q",
            "category",
            "source",
            "status",
            "warning",
            "within",
            "case",
            "received_from",
            "received_to",
        ]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            self.filters["case"].queryset = Case.objects.visible_to(request.user)

    def search(self, rows: QuerySet, name: str, value: str) -> QuerySet:
        """By a part of the number or summary, or the whole number as typed (线索〔2026〕12号)."""
        wanted = Q(number__contains=value) | Q(summary__contains=value)
        number = as_stored(value)
        return rows.filter(wanted | Q(number=number) if number else wanted)

    def filter_within(self, rows: QuerySet, name: str, value: str) -> QuerySet:
        return within_region(rows, value)


class ReferralFilter(FilterSet):
    todo = django_filters.ChoiceFilter(
        label="待办",
        choices=[("acknowledge", "待签收"), ("feedback", "待反馈")],
        method="filter_todo",
        empty_label="全部",
    )

    class Meta:
        model = Referral
        fields = ["todo"]

    def filter_todo(self, rows: QuerySet, name: str, value: str) -> QuerySet:
        """What the user's agency still owes, the earliest due (the overdue) first."""
        user = getattr(self.request, "user", None)
        due = queries.AWAITING_STEPS[value]
        return queries.awaiting_referrals(rows, user, value).order_by(due, "pk")


class ClueListView(ScopedListView):
    model = Clue
    template_name = "clues/clue_list.html"
    filterset_class = ClueFilter
    sort_fields: ClassVar[dict[str, str]] = {
        "number": "sequence",
        "received": "received_on",
        "deadline": "deadline",
    }
    default_sort = "-received"
    export_title = "问题线索台账"
    export_columns: ClassVar[list[Column]] = [
        Column("线索编号", lambda c: c.number, 18),
        Column("受理日期", lambda c: c.received_on, 12),
        Column("来源", lambda c: c.get_source_display(), 12),
        Column("类别", lambda c: c.get_category_display(), 14),
        Column("问题线索摘要", lambda c: c.summary, 40),
        Column("区划代码", lambda c: c.region.code, 14),
        Column("涉及区划", lambda c: c.region.name, 12),
        Column("承办单位", lambda c: c.handling_agency.name, 18),
        Column("状态", lambda c: c.get_status_display(), 10),
        Column("办结结论", lambda c: c.get_conclusion_display(), 10),
        Column("办结时限", lambda c: c.deadline, 12),
    ]

    def decorate(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        return queries.with_warning(rows.select_related("region", "handling_agency"))


class ClueDetailView(ScopedDetailView):
    model = Clue
    template_name = "clues/clue_detail.html"
    context_object_name = "clue"

    def decorate(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        return queries.with_warning(
            rows.select_related("region", "handling_agency", "handler", "case", "merged_into")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        clue, user = self.object, acting_user(self.request)
        today = timezone.localdate()
        context.update(
            transitions=clue.transitions.select_related("by"),
            referrals=clue.referrals.select_related("from_agency", "to_agency"),
            supervisions=clue.supervisions.all(),
            persons=clue.persons.all(),
            duplicates=services.likely_duplicates(clue, user) if clue.is_open else [],
            is_handler=policy.allows(user, "clues.reveal", clue),
            history_rows=history_rows(clue),
            actions=ClueActionView.menu(
                user,
                clue,
                "clues:action",
                {
                    "assign": forms.AssignForm(clue=clue, initial={"on": today}),
                    "verify": forms.DateForm(initial={"on": today}),
                    "refer": forms.ReferForm(clue=clue, initial={"on": today}),
                    "supervise": forms.SuperviseForm(initial={"on": today}),
                    "conclude": forms.ConcludeForm(initial={"on": today}),
                    "merge": forms.MergeForm(initial={"on": today}),
                    "promote": forms.PromoteForm(initial={"on": today}),
                },
            ),
            feedback_form=forms.FeedbackForm(initial={"on": today}),
        )
        return context


class ClueCreateView(ServiceFormMixin, FormView):
    scope_exempt = "表单只列出 visible_to(user) 中的区划与人员，register_clue 再次核对范围"
    permission = "clues.register"
    template_name = "clues/clue_form.html"
    form_class = forms.ClueForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"user": self.request.user}

    def perform(self, form: Any) -> HttpResponse:
        clue = services.register_clue(actor=acting_user(self.request), **form.cleaned_data)
        duplicates = services.likely_duplicates(clue, self.request.user)
        if duplicates:
            messages.warning(
                self.request,
                f"可能与 {'、'.join(c.number for c in duplicates)} 重复，请核对，必要时并案。",
            )
        messages.success(self.request, f"已登记 {clue.number}。")
        return redirect("clues:detail", pk=clue.pk)


class ClueActionView(ActionView):
    """POST-only actions on a clue; each calls one service."""

    model = Clue
    record_name = "clue"
    record_url = "clues:detail"
    actions: ClassVar[dict[str, Operation]] = {
        "assign": Operation(
            services.assign, forms.AssignForm, "已交办", "clues.assign", title="交办"
        ),
        "verify": Operation(
            services.start_verification, forms.DateForm, "已开始核查", "clues.verify"
        ),
        "conclude": Operation(
            services.conclude,
            forms.ConcludeForm,
            "已办结",
            "clues.conclude",
            confirm="确定办结线索 {label}？办结后不能再交办、核查或移送。",
        ),
        "refer": Operation(services.refer, forms.ReferForm, "已移送", "clues.refer"),
        "supervise": Operation(
            services.supervise, forms.SuperviseForm, "已挂牌督办", "clues.supervise", "督办"
        ),
        "merge": Operation(
            services.merge_by_number,
            forms.MergeForm,
            "已并案",
            "clues.merge",
            confirm="确定将线索 {label} 并入所填线索？并案后本线索不再单独办理。",
        ),
        "promote": Operation(
            services.promote_to_case, forms.PromoteForm, "已转为案件", "clues.promote", "立案"
        ),
    }

    def form_kwargs(self, name: str, record: Any) -> dict[str, Any]:
        return {"clue": record} if name in ("assign", "refer") else {}

    @classmethod
    def label_of(cls, record: Any) -> str:
        return str(record.number)

    @classmethod
    def offered(cls, name: str, record: Any) -> bool:
        return bool(record.is_open)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.action_name() != "reveal":
            return super().post(request, *args, **kwargs)
        value = services.reveal_reporter(
            actor=acting_user(request), clue=self.get_record(), request=request
        )
        response = HttpResponse(value, content_type="text/plain; charset=utf-8")
        response["Cache-Control"] = "no-store"
        return response


class ReferralListView(ScopedListView):
    """Referrals sent or received by the user's agency; overdue ones first."""

    model = Referral
    template_name = "clues/referral_list.html"
    filterset_class = ReferralFilter

    def decorate(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        agency = acting_user(self.request).agency_id
        return (
            rows.filter(Q(from_agency=agency) | Q(to_agency=agency))
            .select_related("clue", "from_agency", "to_agency")
            .order_by("feedback_on", "-sent_on")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["overdue"] = queries.overdue_referrals(self.request.user)
        context["today"] = timezone.localdate()
        context["feedback_form"] = compact(forms.FeedbackForm(initial={"on": timezone.localdate()}))
        return context


class ReferralActionView(ActionView):
    """签收 and 反馈 of a referral by the receiving agency."""

    model = Referral
    record_name = "referral"
    actions: ClassVar[dict[str, Operation]] = {
        "acknowledge": Operation(
            lambda *, actor, referral, on, **_: services.acknowledge(
                actor=actor, referral=referral, on=on
            ),
            forms.FeedbackForm,
            "已签收",
            permission="clues.acknowledge",
        ),
        "feedback": Operation(
            services.give_feedback, forms.FeedbackForm, "已反馈", permission="clues.feedback"
        ),
    }

    def label(self, record: Any) -> str:
        return str(record.clue.number)

    def back_to(self, record: Any, result: Any) -> str:
        return reverse("clues:referrals")


class StatisticsView(TemplateView):
    scope_exempt = "只通过 Clue.objects.visible_to(user) 与 Referral.objects.visible_to(user) 统计"
    template_name = "clues/statistics.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        start, end = params.period(self.request, "from", "to", date(today.year, 1, 1), today)
        by = params.choice(
            self.request, "by", ("category", "source", "agency", "region"), "category"
        )
        labels = dict(Category.choices) | dict(Source.choices)
        rows = queries.clue_statistics(self.request.user, start, end, by)
        for row in rows:
            row["label"] = labels.get(row["key"], row["key"])
        context.update(
            rows=rows,
            by=by,
            start=start,
            end=end,
            referrals=queries.referral_summary(self.request.user, start, end),
        )
        return context


class ClueImportView(PolicyRequiredMixin, QueuedImportMixin, TemplateView):
    import_title = "线索导入"
    scope_exempt = "导入只接受 visible_to(user) 中的区划与单位"
    permission = "clues.register"
    template_name = "clues/import.html"

    def post(self, request: HttpRequest) -> HttpResponse:
        upload = request.FILES.get("file")
        if upload is None:
            return self.render_to_response(self.get_context_data(error="请选择 .xlsx 文件。"))
        report = import_clues(upload, actor=acting_user(request), filename=upload.name or "")
        if report.errors:
            keep_errors(request, "线索导入", report)
            return self.render_to_response(self.get_context_data(report=report))
        messages.success(request, f"已导入 {report.created} 条线索。")
        return redirect("clues:list")
