"""Pages for system accounts (系统账户): the list, the system administrator's request,
and one account's page, where the security administrator approves or rejects it and the
system administrator issues and revokes its tokens."""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from django import forms
from django.conf import settings
from django.contrib import messages
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import FormView

from baolei.accounts import systems, tokens
from baolei.accounts.models import Agency, ApiToken, Role, SystemAccount, SystemAccountStatus
from baolei.accounts.pickers import AgencyPickerField
from baolei.accounts.views_tokens import MODULE_CHOICES, TokenForm, scopes_of, with_states
from baolei.core.exports import Column
from baolei.core.filters import FilterSet
from baolei.core.history import history_rows
from baolei.core.outcomes import ActionView, Operation, ServiceFormMixin
from baolei.core.views_base import RoleRequiredMixin, ScopedDetailView, ScopedListView, acting_user
from baolei.regions.models import Region
from baolei.regions.pickers import RegionPickerField

USER_ADMINS = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN)


class SystemFilter(FilterSet):
    q = django_filters.CharFilter(label="系统名称", field_name="name", lookup_expr="contains")
    status = django_filters.ChoiceFilter(
        label="状态", choices=SystemAccountStatus.choices, empty_label="全部状态"
    )

    class Meta:
        model = SystemAccount
        fields = ["q", "status"]


def live_tokens() -> Any:
    """The number of the account's tokens in force (a subquery: one row per account)."""
    now = timezone.now()
    return Coalesce(
        Subquery(
            ApiToken.objects.filter(
                user=OuterRef("user"), revoked_at__isnull=True, expires_at__gt=now
            )
            .order_by()
            .values("user")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )


class SystemListView(RoleRequiredMixin, ScopedListView):
    model = SystemAccount
    required_roles = USER_ADMINS
    template_name = "accounts/system_list.html"
    filterset_class = SystemFilter
    sort_fields: ClassVar[dict[str, str]] = {
        "name": "name",
        "requested": "requested_at",
        "status": "status",
    }
    default_sort = "-requested"
    export_title = "系统账户"
    export_columns: ClassVar[list[Column]] = [
        Column("系统名称", lambda a: a.name, 30),
        Column("所属单位", lambda a: a.agency.name, 24),
        Column("数据范围", lambda a: a.region.name, 20),
        Column("办理角色", lambda a: "、".join(Role(r).label for r in a.roles), 14),
        Column("权限范围", lambda a: a.scope_text, 40),
        Column("状态", lambda a: a.get_status_display(), 10),
        Column("有效令牌", lambda a: a.token_count, 10),
        Column("申请人", lambda a: str(a.requested_by), 12),
        Column("审批人", lambda a: str(a.decided_by or ""), 12),
    ]

    def get_queryset(self) -> QuerySet[Any]:
        return (
            super()
            .get_queryset()
            .select_related("agency", "region", "requested_by", "decided_by", "user")
            .annotate(token_count=live_tokens())
        )


class SystemRequestForm(forms.Form):
    name = forms.CharField(
        label="系统名称",
        max_length=100,
        help_text="例如：市公安局警务综合平台",
        error_messages={"required": "请填写系统名称。"},
    )
    agency = AgencyPickerField(label="所属单位")
    region = RegionPickerField(label="数据范围", help_text="系统只能读写该区划内的记录。")
    purpose = forms.CharField(
        label="用途说明",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="对接什么业务、推送或读取哪些数据。",
        error_messages={"required": "请说明系统用途及对接内容。"},
    )
    roles = forms.MultipleChoiceField(
        label="办理角色",
        choices=[(r.value, r.label) for r in systems.SYSTEM_ROLES],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一个办理角色。"},
    )
    read = forms.MultipleChoiceField(
        label="可读取的模块",
        choices=MODULE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    write = forms.MultipleChoiceField(
        label="可写入的模块（含读取）",
        choices=MODULE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    token_days = forms.IntegerField(
        label="令牌有效期（天）",
        min_value=1,
        max_value=settings.API_TOKEN_DAYS,
        initial=settings.API_TOKEN_DAYS,
        error_messages={
            "min_value": "令牌有效期至少 1 天。",
            "max_value": f"令牌有效期最多 {settings.API_TOKEN_DAYS} 天。",
        },
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.visible_to(user)  # type: ignore[attr-defined]
        self.fields["region"].queryset = Region.objects.visible_to(user)  # type: ignore[attr-defined]

    def scopes(self) -> list[str]:
        return scopes_of(self.cleaned_data["read"], self.cleaned_data["write"])


class SystemRequestView(ServiceFormMixin, FormView):
    """申请系统账户 (the system administrator)."""

    permission = "accounts.request_system"
    scope_exempt = "表单只列出 visible_to(user) 中的单位与区划，申请服务再次核对范围"
    template_name = "accounts/system_form.html"
    form_class = SystemRequestForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"user": self.request.user}

    def perform(self, form: SystemRequestForm) -> HttpResponse:
        data = dict(form.cleaned_data)
        data.pop("read")
        data.pop("write")
        account = systems.request_system_account(
            actor=acting_user(self.request), scopes=form.scopes(), request=self.request, **data
        )
        messages.success(self.request, f"已提交系统账户申请：{account.name}，待安全管理员审批。")
        return redirect("accounts:system", pk=account.pk)


class NoteForm(forms.Form):
    note = forms.CharField(label="审批意见", max_length=200, required=False)


class RejectForm(forms.Form):
    note = forms.CharField(
        label="驳回理由", max_length=200, error_messages={"required": "驳回须说明理由。"}
    )


class SystemTokenForm(TokenForm):
    """A token of the system, within its approved modules (the approved ones are offered)."""

    def __init__(self, *args: Any, account: SystemAccount, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        readable = {s.partition(":")[0] for s in account.scopes}
        writable = {s.partition(":")[0] for s in account.scopes if s.endswith(f":{tokens.WRITE}")}
        read_field = self.fields["read"]
        write_field = self.fields["write"]
        assert isinstance(read_field, forms.MultipleChoiceField)  # noqa: S101
        assert isinstance(write_field, forms.MultipleChoiceField)  # noqa: S101
        read_field.choices = [(m, label) for m, label in MODULE_CHOICES if m in readable]
        read_field.initial = sorted(readable - writable)
        write_field.choices = [(m, label) for m, label in MODULE_CHOICES if m in writable]
        write_field.initial = sorted(writable)
        write_field.help_text = "写入仍须系统账户的办理角色有权办理。"


def issue(*, actor: Any, account: SystemAccount, name: str, read: Any, write: Any) -> Any:
    return systems.issue_system_token(
        actor=actor, account=account, name=name, scopes=scopes_of(read, write)
    )


def offered(name: str, account: SystemAccount) -> bool:
    if name in ("approve", "reject"):
        return account.status == SystemAccountStatus.PENDING
    return account.status == SystemAccountStatus.APPROVED


class SystemDetailView(RoleRequiredMixin, ScopedDetailView):
    model = SystemAccount
    required_roles = USER_ADMINS
    template_name = "accounts/system_detail.html"
    context_object_name = "account"

    def get_queryset(self) -> QuerySet[Any]:
        return (
            super()
            .get_queryset()
            .select_related("agency", "region", "requested_by", "decided_by", "user")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        account = self.object
        user = self.request.user
        context["roles"] = "、".join(Role(r).label for r in account.roles)
        context["scope_text"] = account.scope_text
        context["tokens"] = (
            with_states(ApiToken.objects.filter(user=account.user).select_related("revoked_by"))
            if account.user_id
            else []
        )
        context["actions"] = SystemActionView.menu(
            user,
            account,
            "accounts:system_action",
            {
                "approve": NoteForm(),
                "reject": RejectForm(),
                "token": SystemTokenForm(account=account),
                "disable": forms.Form(),
            },
        )
        context["history_rows"] = history_rows(account)
        return context


class SystemActionView(RoleRequiredMixin, ActionView):
    """批准、驳回、签发令牌、停用: each calls one service of ``baolei.accounts.systems``."""

    model = SystemAccount
    required_roles = USER_ADMINS
    record_name = "account"
    record_url = "accounts:system"
    actions: ClassVar[dict[str, Operation]] = {
        "approve": Operation(
            systems.approve_system_account,
            NoteForm,
            "已批准",
            permission="accounts.decide_system",
            title="批准",
        ),
        "reject": Operation(
            systems.reject_system_account,
            RejectForm,
            "已驳回",
            permission="accounts.decide_system",
            title="驳回",
        ),
        "token": Operation(
            issue,
            SystemTokenForm,
            "已签发令牌",
            permission="accounts.issue_system_token",
            title="签发令牌",
        ),
        "disable": Operation(
            systems.disable_system_account,
            done="已停用",
            permission="accounts.disable_system",
            title="停用",
            confirm="停用后该系统的全部令牌立即失效，且不能重新启用。确定停用 {label}？",
        ),
    }

    @classmethod
    def offered(cls, name: str, record: Any) -> bool:
        return offered(name, record)

    @classmethod
    def label_of(cls, record: Any) -> str:
        return str(record)

    def form_kwargs(self, name: str, record: Any) -> dict[str, Any]:
        return {"account": record} if name == "token" else {}

    def respond(
        self, name: str, record: Any, errors: list[str], done: str, result: Any
    ) -> HttpResponse:
        if name == "token" and not errors:
            # The key is rendered into this response only, never into a message or a
            # redirect, and the response is not cached (Cache-Control: no-store).
            token, key = result
            detail = SystemDetailView()
            detail.setup(self.request, pk=record.pk)
            detail.object = detail.get_object()
            context = detail.get_context_data(new_key=key, new_token=token)
            return detail.render_to_response(context)
        return super().respond(name, record, errors, done, result)
