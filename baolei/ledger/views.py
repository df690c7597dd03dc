from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import quote

from django.contrib import messages
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.generic import FormView, TemplateView, View

from baolei.audit.models import Action
from baolei.audit.services import record_event
from baolei.core.exports import Column
from baolei.core.history import history_rows
from baolei.core.import_jobs import QueuedImportMixin
from baolei.core.importing import keep_errors
from baolei.core.outcomes import ActionView, Operation, ServiceFormMixin
from baolei.core.views_base import (
    PolicyRequiredMixin,
    ScopedDetailView,
    ScopedListView,
    ScopedViewMixin,
    acting_user,
    require,
)
from baolei.ledger import forms, queries, services
from baolei.ledger.filters import LedgerFilter
from baolei.ledger.importing import import_ledger
from baolei.ledger.models import Acceptance, Evidence, LedgerItem, ProgressEntry
from baolei.ledger.slip import build_slip


def latest_progress(item: LedgerItem) -> str:
    entries = item.progress.all()
    return f"{entries[0].on:%Y-%m-%d} {entries[0].text}" if entries else ""


def latest_acceptance(item: LedgerItem) -> str:
    rows = item.acceptances.all()
    if not rows:
        return "未验收"
    notes = f"（{rows[0].notes}）" if rows[0].notes else ""
    return f"{rows[0].on:%Y-%m-%d} {rows[0].get_result_display()}{notes}"


WARNING_LABELS = {"red": "红", "yellow": "黄", "blue": "蓝", "": ""}
EXPORT_COLUMNS = [
    Column("编号", lambda i: i.key, 14),
    Column("事项", lambda i: i.title, 30),
    Column("区划代码", lambda i: i.region.code, 14),
    Column("所属区划", lambda i: i.region.name, 14),
    Column("责任单位", lambda i: i.owner_agency.name, 20),
    Column("责任人", lambda i: i.responsible_person, 10),
    Column("包保领导", lambda i: i.supervising_leader, 10),
    Column("整改措施", lambda i: "\n".join(f"{n}. {m}" for n, m in enumerate(i.measures, 1)), 36),
    Column("整改时限", lambda i: i.deadline, 12),
    Column("整改状态", lambda i: i.get_status_display(), 14),
    Column("预警", lambda i: WARNING_LABELS[i.warning], 6),
    Column("进展情况", latest_progress, 36),
    Column("验收情况", latest_acceptance, 24),
]


class LedgerListView(ScopedListView):
    model = LedgerItem
    template_name = "ledger/item_list.html"
    filterset_class = LedgerFilter
    sort_fields: ClassVar[dict[str, str]] = {
        "deadline": "deadline",
        "key": "key",
        "status": "status",
        "agency": "owner_agency__name",
    }
    default_sort = "deadline"
    export_title = "整改台账"
    export_columns = EXPORT_COLUMNS

    def decorate(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        rows = rows.select_related("region", "owner_agency").prefetch_related(
            Prefetch("progress", ProgressEntry.objects.order_by("-on", "-recorded_at")),
            Prefetch("acceptances", Acceptance.objects.order_by("-on", "-recorded_at")),
        )
        return queries.with_warning(rows)


class WarningListView(LedgerListView):
    """我的预警: warned items of the user's own agency or in their charge, and counts."""

    template_name = "ledger/warnings.html"
    export_title = "预警台账"

    def decorate(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        user = acting_user(self.request)
        return queries.answered_by(super().decorate(rows).exclude(warning=""), user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["counts"] = queries.warning_counts(self.request.user)
        return context


class LedgerDetailView(ScopedDetailView):
    model = LedgerItem
    template_name = "ledger/item_detail.html"
    context_object_name = "item"

    def decorate(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        return queries.with_warning(
            rows.select_related("region", "owner_agency", "responsible_user")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        item = self.object
        today = timezone.localdate()
        context.update(
            progress=item.progress.select_related("recorded_by", "corrects"),
            acceptances=item.acceptances.select_related("reviewer", "reviewer_agency"),
            changes=item.deadline_changes.select_related("recorded_by"),
            evidence=item.evidence.select_related("uploaded_by"),
            history_rows=history_rows(item),
            progress_form=forms.ProgressForm(initial={"on": today}),
            evidence_form=forms.EvidenceForm(),
            actions=LedgerActionView.menu(
                self.request.user,
                item,
                "ledger:action",
                {
                    "accept": forms.AcceptanceForm(initial={"on": today}),
                    "extend": forms.ExtendForm(),
                    "suspend": forms.SuspendForm(initial={"on": today}),
                    "resume": forms.SuspendForm(initial={"on": today}),
                    "cancel": forms.CancelForm(),
                },
            ),
        )
        return context


class LedgerCreateView(ServiceFormMixin, FormView):
    scope_exempt = "表单只列出 visible_to(user) 中的区划和单位，写入由 services 再次核对范围"
    template_name = "ledger/item_form.html"
    form_class = forms.CreateItemForm
    permission = "ledger.create"

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"user": self.request.user}

    def perform(self, form: forms.CreateItemForm) -> HttpResponse:
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        item = services.create_item(actor=acting_user(self.request), **data)
        messages.success(self.request, f"已登记台账事项 {item.key}。")
        return redirect("ledger:detail", pk=item.pk)


class LedgerEditView(ScopedViewMixin, LedgerCreateView):
    model = LedgerItem
    form_class = forms.EditItemForm  # type: ignore[assignment]
    permission = ""
    record_permission = "ledger.edit"  # asked of the item in dispatch

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.item = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        require(request, self.record_permission, self.item)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return forms.EditItemForm.initial_for(self.item)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"item": self.item}

    def perform(self, form: Any) -> HttpResponse:
        data = dict(form.cleaned_data)
        version = data.pop("version")
        services.update_item(
            actor=acting_user(self.request), item=self.item, version=version, **data
        )
        messages.success(self.request, f"已保存台账事项 {self.item.key}。")
        return redirect("ledger:detail", pk=self.item.pk)


class LedgerActionView(ActionView):
    """POST-only actions on an item; each calls one service. htmx gets the timeline back."""

    model = LedgerItem
    record_name = "item"
    record_url = "ledger:detail"
    actions: ClassVar[dict[str, Operation]] = {
        "progress": Operation(
            services.add_progress, forms.ProgressForm, "已报送进展", permission="ledger.progress"
        ),
        "evidence": Operation(
            services.attach_evidence,
            forms.EvidenceForm,
            "已上传佐证材料",
            permission="ledger.evidence",
        ),
        "accept": Operation(
            services.accept_item, forms.AcceptanceForm, "已记录验收结论", "ledger.accept", "验收"
        ),
        "extend": Operation(
            services.extend_deadline, forms.ExtendForm, "已延长时限", "ledger.extend", "延期"
        ),
        "suspend": Operation(
            services.suspend_item, forms.SuspendForm, "已暂停计时", "ledger.suspend", "中止计时"
        ),
        "resume": Operation(
            services.resume_item, forms.SuspendForm, "已恢复计时", "ledger.resume", "恢复计时"
        ),
        "cancel": Operation(
            services.cancel_item,
            forms.CancelForm,
            "已撤销事项",
            "ledger.cancel",
            "撤销事项",
            "确定撤销台账事项 {label}？撤销后该事项不再整改、不再预警。",
        ),
    }

    def arguments(self, name: str, record: Any, data: dict[str, Any]) -> dict[str, Any]:
        if name == "evidence":
            return {"upload": data["file"]}
        if name == "progress":
            corrects = data.pop("corrects", None)
            data["corrects"] = record.progress.filter(pk=corrects).first() if corrects else None
        if name == "resume":
            data["reason"] = data["reason"] or "恢复计时"
        return data

    def respond(
        self, name: str, record: Any, errors: list[str], done: str, result: Any
    ) -> HttpResponse:
        if self.request.htmx and name == "progress":  # type: ignore[attr-defined]
            return render(
                self.request,
                "ledger/_progress.html",
                {
                    "item": record,
                    "progress": record.progress.select_related("recorded_by", "corrects"),
                    "errors": errors,
                    "progress_form": forms.ProgressForm(initial={"on": timezone.localdate()}),
                },
            )
        return super().respond(name, record, errors, done, result)

    @classmethod
    def label_of(cls, record: Any) -> str:
        return str(record.key)

    @classmethod
    def offered(cls, name: str, record: Any) -> bool:
        if name == "resume":
            return bool(record.is_open and record.suspended_on)
        if name == "suspend":
            return bool(record.is_open and not record.suspended_on)
        return bool(record.is_open)


class SlipView(LedgerDetailView):
    """督办单 for a warned item, as .docx; a non-warned item has none."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        item = self.get_object()
        if not item.warning:
            raise Http404("该事项没有预警，无需督办单")
        content = build_slip(
            item,
            item.warning,
            issued_by=str(acting_user(request).agency),
            today=timezone.localdate(),
        )
        record_event(Action.EXPORT, request=request, target=f"督办单 {item.key}")
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        response["Content-Disposition"] = (
            f"attachment; filename*=UTF-8''{quote(f'督办单_{item.key}.docx')}"
        )
        return response


class EvidenceDownloadView(ScopedViewMixin, View):
    model = Evidence

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        evidence = get_object_or_404(self.get_queryset(), pk=pk)
        record_event(Action.EXPORT, request=request, target=f"佐证材料 {evidence.name}")
        return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.name)


class ImportView(PolicyRequiredMixin, QueuedImportMixin, TemplateView):
    import_title = "台账导入"
    scope_exempt = "导入只接受 visible_to(user) 中的区划与单位，写入经 services 核对"
    permission = "ledger.create"
    template_name = "ledger/import.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {
            "form": kwargs.get("form") or forms.ImportForm()
        }

    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        upload = form.cleaned_data["file"]
        report = import_ledger(upload.file, actor=acting_user(request), filename=upload.name)
        if report.errors:
            keep_errors(request, "台账导入", report)
            return self.render_to_response(self.get_context_data(form=form, report=report))
        messages.success(
            request,
            f"导入完成：新增 {report.created} 条，更新 {report.updated} 条，"
            f"未变 {report.unchanged} 条。",
        )
        return redirect("ledger:list")
