"""Pages for API tokens: a user's own (issue, list, revoke) and the security
administrator's view of every token in their region."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.urls import reverse
from django.views.generic import FormView

from baolei.accounts import tokens
from baolei.accounts.models import ApiToken, Role
from baolei.core.outcomes import ActionView, Operation, ServiceFormMixin
from baolei.core.views_base import (
    RoleRequiredMixin,
    ScopedListView,
    acting_user,
)

MODULE_CHOICES = list(tokens.MODULES.items())


class TokenForm(forms.Form):
    name = forms.CharField(
        label="用途",
        max_length=100,
        help_text="例如：区县台账同步脚本",
        error_messages={"required": "请填写令牌用途。", "max_length": "用途最多 100 个字。"},
    )
    # Only what the system needs: a case system that pushes stages writes 案件 alone.
    read = forms.MultipleChoiceField(
        label="可读取的模块",
        choices=MODULE_CHOICES,
        required=False,
        initial=list(tokens.MODULES),
        widget=forms.CheckboxSelectMultiple,
    )
    write = forms.MultipleChoiceField(
        label="可写入的模块（含读取）",
        choices=MODULE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="写入仍须本人有权办理；不选则令牌只读。",
    )

    def scopes(self) -> list[str]:
        return scopes_of(self.cleaned_data["read"], self.cleaned_data["write"])


def scopes_of(read: Any, write: Any) -> list[str]:
    """Scopes from the modules ticked for reading and for writing (write implies read)."""
    return [f"{m}:{tokens.READ}" for m in read if m not in write] + [
        f"{m}:{tokens.WRITE}" for m in write
    ]


def with_states(rows: Any) -> list[ApiToken]:
    listed = list(rows)
    for token in listed:
        token.state = tokens.token_state(token)
        token.scope_text = tokens.describe_scopes(token.scopes)
    return listed


class MyTokensView(ServiceFormMixin, FormView):
    """接口令牌: the signed-in user's own tokens; a new key is shown once, on this page."""

    policy_exempt = "只签发、列出本人的令牌"

    scope_exempt = "只列出、签发当前用户本人的令牌"
    template_name = "accounts/tokens.html"
    form_class = TokenForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        own = ApiToken.objects.filter(user=acting_user(self.request)).select_related(
            "user", "revoked_by"
        )
        context["tokens"] = with_states(own)
        context["days"] = tokens.settings.API_TOKEN_DAYS
        return context

    def perform(self, form: TokenForm) -> HttpResponse:
        token, key = tokens.issue_token(
            actor=acting_user(self.request),
            name=form.cleaned_data["name"],
            request=self.request,
            scopes=form.scopes(),
        )
        # The key is rendered into this response only (never into a message or a
        # redirect), and the response is not cached (Cache-Control: no-store).
        return self.render_to_response(
            self.get_context_data(form=TokenForm(), new_key=key, new_token=token)
        )


class TokenAdminView(RoleRequiredMixin, ScopedListView):
    """令牌管理: every token of the users in the security administrator's region."""

    model = ApiToken
    required_roles: ClassVar[tuple[str, ...]] = (Role.SECURITY_ADMIN,)
    template_name = "accounts/token_admin.html"
    sort_fields: ClassVar[dict[str, str]] = {
        "created": "created_at",
        "expires": "expires_at",
        "user": "user__username",
        "last_used": "last_used_at",
    }
    default_sort = "-created"

    def decorate(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows.select_related("user", "user__agency", "revoked_by")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["object_list"] = with_states(context["object_list"])
        return context


class RevokeForm(forms.Form):
    token = forms.CharField(label="令牌", required=False, max_length=100)
    back = forms.CharField(required=False)


class TokenRevokeView(ActionView):
    """Revoke one token: the owner's own, or (security administrator) one in scope."""

    policy_exempt = (
        "只吊销本人的令牌，或安全管理员吊销范围内的令牌、系统管理员吊销范围内系统账户的令牌"
        "（在 arguments 中按此查找，revoke_token 再次核对）"
    )

    model = ApiToken
    default_action = "revoke"
    actions: ClassVar[dict[str, Operation]] = {
        "revoke": Operation(tokens.revoke_token, RevokeForm, "令牌已吊销"),
    }

    def get_record(self) -> Any:
        return None

    def arguments(self, name: str, record: Any, data: dict[str, Any]) -> dict[str, Any]:
        actor = acting_user(self.request)
        candidates = ApiToken.objects.filter(user=actor)
        if actor.has_role(Role.SECURITY_ADMIN):
            candidates = candidates | self.get_queryset()
        elif actor.has_role(Role.SYSTEM_ADMIN):  # the tokens of the systems it administers
            candidates = candidates | self.get_queryset().filter(user__is_system=True)
        raw = data["token"].strip()
        token = candidates.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 19 else None
        if token is None:
            raise ValidationError("没有找到该令牌，或您无权吊销它。")
        self.token = token
        return {"token": token, "request": self.request}

    def respond(
        self, name: str, record: Any, errors: list[str], done: str, result: Any
    ) -> HttpResponse:
        if not errors:
            done = f"令牌 {self.token.prefix}…（{self.token.name}）已吊销。"
        return super().respond(name, record, errors, done, result)

    def back_to(self, record: Any, result: Any) -> str:
        back = self.request.POST.get("back", "")
        system = back.removeprefix("system:")
        if system != back and system.isdigit() and len(system) < 19:
            return reverse("accounts:system", args=[int(system)])
        return reverse("accounts:token_admin" if back == "admin" else "accounts:tokens")
