from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

import django_filters
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import FormView, TemplateView, View

from baolei.clues import forms, queries, services
from baolei.clues.importing import import_clues
from baolei.clues.models import Category, Clue, ClueStatus, Referral, Source
from baolei.core import params
from baolei.core.exports import Column
from baolei.core.filters import FilterSet
from baolei.core.history import history_rows
from baolei.core.importing import keep_errors
from baolei.core.views_base import ScopedDetailView, ScopedListView, ScopedViewMixin, acting_user
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
    within = django_filters.CharFilter(label="区划代码", method="filter_within")
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
            "received_from",
            "received_to",
        ]

    def search(self, rows: QuerySet, name: str, value: str) -> QuerySet:
        return rows.filter(Q(number__contains=value) | Q(summary__contains=value))

    def filter_within(self, rows: QuerySet, name: str, value: str) -> QuerySet:
        return within_region(rows, value)


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
            is_handler=user.pk == clue.handler_id,
            history_rows=history_rows(clue),
            forms={
                "assign": forms.AssignForm(clue=clue, initial={"on": today}),
                "verify": forms.DateForm(initial={"on": today}),
                "conclude": forms.ConcludeForm(initial={"on": today}),
                "refer": forms.ReferForm(clue=clue, initial={"on": today}),
                "supervise": forms.SuperviseForm(initial={"on": today}),
                "merge": forms.MergeForm(initial={"on": today}),
                "promote": forms.PromoteForm(initial={"on": today}),
            },
            feedback_form=forms.FeedbackForm(initial={"on": today}),
        )
        return context


class ClueCreateView(FormView):
    scope_exempt = "表单只列出 visible_to(user) 中的区划与人员，register_clue 再次核对范围"
    template_name = "clues/clue_form.html"
    form_class = forms.ClueForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"user": self.request.user}

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            clue = services.register_clue(actor=acting_user(self.request), **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
            return self.form_invalid(form)
        duplicates = services.likely_duplicates(clue, self.request.user)
        if duplicates:
            messages.warning(
                self.request,
                f"可能与 {'、'.join(c.number for c in duplicates)} 重复，请核对，必要时并案。",
            )
        messages.success(self.request, f"已登记 {clue.number}。")
        return redirect("clues:detail", pk=clue.pk)


class ClueActionView(ScopedViewMixin, View):
    """POST-only actions on a clue; each calls one service."""

    model = Clue
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        clue = get_object_or_404(self.get_queryset(), pk=pk)
        actor = acting_user(request)
        if action == "reveal":
            value = services.reveal_reporter(actor=actor, clue=clue, request=request)
            response = HttpResponse(value, content_type="text/plain; charset=utf-8")
            response["Cache-Control"] = "no-store"
            return response
        handlers: dict[str, tuple[Any, Any]] = {
            "assign": (lambda: forms.AssignForm(request.POST, clue=clue), services.assign),
            "verify": (lambda: forms.DateForm(request.POST), services.start_verification),
            "conclude": (lambda: forms.ConcludeForm(request.POST), services.conclude),
            "refer": (lambda: forms.ReferForm(request.POST, clue=clue), services.refer),
            "supervise": (lambda: forms.SuperviseForm(request.POST), services.supervise),
            "merge": (lambda: forms.MergeForm(request.POST), self.merge),
            "promote": (lambda: forms.PromoteForm(request.POST), services.promote_to_case),
        }
        if action not in handlers:
            raise Http404("未知操作")
        make_form, service = handlers[action]
        form = make_form()
        if not form.is_valid():
            for name, errors in form.errors.items():
                label = form.fields[name].label if name in form.fields else ""
                messages.error(request, f"{label}：{'；'.join(str(e) for e in errors)}")
            return redirect("clues:detail", pk=pk)
        try:
            service(actor=actor, clue=clue, **form.cleaned_data)
            messages.success(request, "已办理。")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect("clues:detail", pk=pk)

    def merge(self, *, actor: Any, clue: Clue, into: str, on: date, reason: str) -> None:
        target = Clue.objects.visible_to(actor).filter(number=into.strip()).first()
        if target is None:
            raise ValidationError(f"找不到线索 {into}（或不在您的管理范围内）。")
        services.merge(actor=actor, duplicate=clue, into=target, on=on, reason=reason)


class ReferralListView(ScopedListView):
    """Referrals sent or received by the user's agency; overdue ones first."""

    model = Referral
    template_name = "clues/referral_list.html"

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
        context["feedback_form"] = forms.FeedbackForm(initial={"on": timezone.localdate()})
        return context


class ReferralActionView(ScopedViewMixin, View):
    model = Referral
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        referral = get_object_or_404(self.get_queryset(), pk=pk)
        form = forms.FeedbackForm(request.POST)
        if not form.is_valid() or action not in ("acknowledge", "feedback"):
            messages.error(request, "请填写有效的日期。")
            return redirect("clues:referrals")
        try:
            if action == "acknowledge":
                services.acknowledge(
                    actor=acting_user(request), referral=referral, on=form.cleaned_data["on"]
                )
            else:
                services.give_feedback(
                    actor=acting_user(request), referral=referral, **form.cleaned_data
                )
            messages.success(request, "已办理。")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect("clues:referrals")


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


class ClueImportView(TemplateView):
    scope_exempt = "导入只接受 visible_to(user) 中的区划与单位"
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
