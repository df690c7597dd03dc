from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from baolei.core.exports import Column
from baolei.core.history import history_rows
from baolei.core.import_jobs import QueuedImportMixin
from baolei.core.importing import keep_errors
from baolei.core.outcomes import ActionView, Operation, ServiceFormMixin
from baolei.core.views_base import (
    ScopedDetailView,
    ScopedListView,
    ScopedViewMixin,
    acting_user,
    require,
)
from baolei.ledger.models import Acceptance
from baolei.screening import forms, queries, services
from baolei.screening.filters import RoundFilter, ScreeningFilter
from baolei.screening.importing import import_results
from baolei.screening.models import (
    ArchiveCheck,
    JointReview,
    NegativeList,
    NegativeListItem,
    RoundStatus,
    Screening,
    ScreeningRound,
    Standing,
)


class RoundListView(ScopedListView):
    model = ScreeningRound
    template_name = "screening/round_list.html"
    filterset_class = RoundFilter
    sort_fields: ClassVar[dict[str, str]] = {"starts": "starts_on", "name": "name"}
    default_sort = "-starts"

    def decorate(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows.select_related("region", "negative_list")


class RoundDetailView(ScopedDetailView):
    """The round dashboard: per county base, screened, proposed, confirmed, ratio, rectification."""

    model = ScreeningRound
    template_name = "screening/round_detail.html"
    context_object_name = "round"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            summary=queries.round_summary(self.object, user),
            even_quota=queries.even_quota_warning(self.object, user),
            repeats=queries.repeat_listings(user)[:50],
            close_form=forms.CloseForm(initial={"on": timezone.localdate()}),
            history_rows=history_rows(self.object),
        )
        return context


class RoundCreateView(ServiceFormMixin, FormView):
    permission = "screening.open"
    scope_exempt = "表单只列出 visible_to(user) 中的区划，open_round 再次核对范围"
    template_name = "screening/round_form.html"
    form_class = forms.RoundForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"user": self.request.user}

    def get_initial(self) -> dict[str, Any]:
        latest = NegativeList.objects.order_by("-version").first()
        return {"negative_list": latest.pk if latest else None}

    def perform(self, form: forms.RoundForm) -> HttpResponse:
        data = dict(form.cleaned_data)
        data["minimum_ratio"] = (data["minimum_ratio"] / Decimal(100)).quantize(Decimal("0.001"))
        round_ = services.open_round(actor=acting_user(self.request), **data)
        messages.success(
            self.request, f"已启动“{round_.name}”，排查对象 {round_.screenings.count()} 个。"
        )
        return redirect("screening:round", pk=round_.pk)


class RoundCloseView(ActionView):
    model = ScreeningRound
    record_name = "round_"
    record_url = "screening:round"
    default_action = "close"
    actions: ClassVar[dict[str, Operation]] = {
        "close": Operation(
            services.close_round, forms.CloseForm, "本轮排查已结束", permission="screening.close"
        ),
    }

    @classmethod
    def offered(cls, name: str, record: Any) -> bool:
        return bool(record.status == RoundStatus.OPEN)

    def label(self, record: Any) -> str:
        return str(record.name)


class ResultImportView(ScopedViewMixin, QueuedImportMixin, TemplateView):
    import_title = "排查结果导入"
    model = ScreeningRound
    template_name = "screening/import.html"
    record_permission = "screening.import_results"  # asked of the round in dispatch

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        self.round = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        require(request, self.record_permission, self.round)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {
            "round": self.round,
            "form": forms.ImportForm(),
        }

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = forms.ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data() | {"form": form})
        report = import_results(
            form.cleaned_data["file"].file, actor=acting_user(request), round_=self.round
        )
        if report.errors:
            keep_errors(request, "排查结果导入", report)
            return self.render_to_response(self.get_context_data() | {"report": report})
        messages.success(request, f"已导入 {report.updated} 条排查结果。")
        return redirect("screening:round", pk=self.round.pk)


def hits_text(s: Screening) -> str:
    return "；".join(f"{h.item.code}.{h.item.text}（{h.note}）" for h in s.hits.all())


def plan_measures(s: Screening) -> str:
    return "\n".join(f"{n}. {m}" for n, m in enumerate(s.plan.measures, 1)) if s.plan else ""


def acceptance_text(s: Screening) -> str:
    if not s.plan:
        return ""
    rows = list(s.plan.acceptances.all())
    return f"{rows[0].on:%Y-%m-%d} {rows[0].get_result_display()}" if rows else "未验收"


class ScreeningListView(ScopedListView):
    """Organisations of the rounds in scope; the export is the rectification ledger."""

    model = Screening
    template_name = "screening/screening_list.html"
    filterset_class = ScreeningFilter
    sort_fields: ClassVar[dict[str, str]] = {
        "code": "region__code",
        "standing": "standing",
        "confirmed": "confirmed_on",
    }
    default_sort = "code"
    export_title = "软弱涣散村党组织整顿台账"
    export_columns: ClassVar[list[Column]] = [
        Column(
            "县(区)",
            lambda s: (
                s.region.parent.parent.name if s.region.parent and s.region.parent.parent else ""
            ),
            12,
        ),
        Column("乡镇(街道)", lambda s: s.region.parent.name if s.region.parent else "", 12),
        Column("村(社区)", lambda s: s.region.name, 12),
        Column("存在问题", hits_text, 40),
        Column("整顿措施", plan_measures, 36),
        Column("责任人", lambda s: s.plan.responsible_person if s.plan else "", 12),
        Column("包村领导", lambda s: s.plan.supervising_leader if s.plan else "", 12),
        Column("整顿时限", lambda s: s.plan.deadline if s.plan else "", 12),
        Column(
            "整顿状态",
            lambda s: s.plan.get_status_display() if s.plan else s.get_standing_display(),
            14,
        ),
        Column("验收情况", acceptance_text, 20),
    ]

    def decorate(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows.select_related("region__parent__parent", "round", "plan").prefetch_related(
            Prefetch("hits", queryset=_hits()),
            Prefetch(
                "plan__acceptances", queryset=Acceptance.objects.order_by("-on", "-recorded_at")
            ),
        )


def _hits() -> QuerySet[Any]:
    from baolei.screening.models import Hit

    return Hit.objects.select_related("item")


class ScreeningDetailView(ScopedDetailView):
    """The organisation's page: this round's items, reviews, changes and plan, and its other rounds."""

    model = Screening
    template_name = "screening/screening_detail.html"
    context_object_name = "screening"

    def decorate(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        return queries.with_rectification(
            rows.select_related("round__negative_list", "region", "plan")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        screening = self.object
        user = acting_user(self.request)
        context.update(
            hits=screening.hits.select_related("item"),
            archive_checks=ArchiveCheck.objects.filter(screening=screening),
            reviews=JointReview.objects.filter(screening=screening).select_related(
                "reviewed_by", "agency"
            ),
            changes=screening.changes.select_related("recorded_by"),
            other_rounds=Screening.objects.visible_to(user)
            .filter(region=screening.region)
            .exclude(pk=screening.pk)
            .select_related("round"),
            result_form=forms.ResultForm(negative_list=screening.round.negative_list),
            review_form=forms.ReviewForm(),
            change_form=forms.ChangeForm(initial={"on": timezone.localdate()}),
            history_rows=history_rows(screening),
            review_tally=queries.review_tally(screening),
        )
        return context


def record_result(
    *,
    actor: Any,
    screening: Screening,
    items: list[str],
    notes: dict[int, str],
    proposal: Any,
    checked_by: str,
    checked_on: Any,
    findings: str,
) -> None:
    """研判结果: the negative-list items hit, each with its own note, and the archive check."""
    archive = None
    if checked_by or findings:
        if not checked_on:
            raise ValidationError({"checked_on": "请填写档案核查日期。"})
        archive = services.ArchiveRecord(checked_by, checked_on, findings)
    hits = NegativeListItem.objects.filter(pk__in=[int(pk) for pk in items])
    services.record_result(
        actor=actor,
        screening=screening,
        proposal=proposal,
        hits=[(item, notes.get(item.pk, "")) for item in hits],
        archive=archive,
    )


class ScreeningActionView(ActionView):
    """POST-only actions on an organisation; each calls one service."""

    model = Screening
    record_name = "screening"
    record_url = "screening:organisation"
    actions: ClassVar[dict[str, Operation]] = {
        "result": Operation(
            record_result, forms.ResultForm, "已记录研判结果", permission="screening.result"
        ),
        "review": Operation(
            services.review, forms.ReviewForm, "已记录联审意见", permission="screening.review"
        ),
        "add": Operation(
            services.add_to_list, forms.ChangeForm, "已列入整顿名单", permission="screening.add"
        ),
        "remove": Operation(
            services.remove_from_list,
            forms.ChangeForm,
            "已移出整顿名单",
            permission="screening.remove",
        ),
    }

    @classmethod
    def offered(cls, name: str, record: Any) -> bool:
        """Results while the round is open and the organisation undecided, review while it
        is proposed; an organisation on the list may be taken off, any other added."""
        is_open = record.round.status == RoundStatus.OPEN
        if name == "result":
            return is_open and record.standing not in (Standing.CONFIRMED, Standing.REMOVED)
        if name == "review":
            return is_open and record.standing == Standing.PROPOSED
        if name == "remove":
            return bool(record.standing == Standing.CONFIRMED)
        return bool(record.standing != Standing.CONFIRMED)

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("round__negative_list", "region")

    def form_kwargs(self, name: str, record: Any) -> dict[str, Any]:
        return {"negative_list": record.round.negative_list} if name == "result" else {}

    def label(self, record: Any) -> str:
        return str(record.region.name)


class WorkQueueView(ScopedListView):
    """Each department's queue: organisations awaiting its review or hitting items it holds evidence for."""

    model = Screening
    template_name = "screening/queue.html"

    def get_queryset(self) -> QuerySet[Any]:
        self.filterset = None
        return queries.work_queue(self.request.user).order_by("region__code")


class NegativeListView(TemplateView):
    scope_exempt = "负面清单是全市通用的标准，不属于任何区划"
    template_name = "screening/negative_lists.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        lists = NegativeList.objects.prefetch_related("items", "rounds")
        return super().get_context_data(**kwargs) | {"lists": lists, "Standing": Standing}
