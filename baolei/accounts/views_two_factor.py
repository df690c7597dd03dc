"""两步验证 pages: the second sign-in step, enrolment, recovery codes, the security
administrator's per-agency requirement.

Between the password and the second factor the user is not signed in: the session
holds only who passed the password step, for five minutes. Only a correct second
factor calls ``login()``, so no session is ever half-authenticated.
"""

from __future__ import annotations

import time
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django import forms
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.decorators import method_decorator
from django.views.generic import View

from baolei.accounts import services, two_factor
from baolei.accounts.models import Agency, Role, User
from baolei.core.views_base import (
    PolicyRequiredMixin,
    RoleRequiredMixin,
    ScopedViewMixin,
    acting_user,
)

PENDING = "baolei_second_step"
PENDING_SECONDS = 300
FAILED = "动态码或恢复码不正确。连续失败 5 次将锁定 30 分钟。"


class TokenForm(forms.Form):
    token = forms.CharField(label="动态码", max_length=32, strip=True)


def begin_second_step(request: HttpRequest, user: User, next_url: str) -> HttpResponse:
    """After a correct password: remember who, then ask for the code (or enrol)."""
    request.session[PENDING] = {
        "user": user.pk,
        "backend": getattr(user, "backend", ""),
        "hash": user.get_session_auth_hash(),
        "next": next_url,
        "at": time.time(),
    }
    if two_factor.is_enrolled(user):
        return redirect("accounts:two_factor_verify")
    return redirect("accounts:two_factor_enrol")


def pending_user(request: HttpRequest) -> User | None:
    data = request.session.get(PENDING)
    if not data or time.time() - data["at"] > PENDING_SECONDS:
        return None
    user = User.objects.filter(pk=data["user"], is_active=True).first()
    if user is None or not constant_time_compare(user.get_session_auth_hash(), data["hash"]):
        return None
    return user


def locked_out(request: HttpRequest, user: User) -> HttpResponse | None:
    credentials = {"username": user.username}
    if AxesProxyHandler.is_allowed(request, credentials):
        return None
    return get_lockout_response(request, None, credentials)


def second_factor_failed(request: HttpRequest, user: User) -> None:
    """Counted by django-axes like a wrong password, and written to the security log."""
    user_login_failed.send(
        sender=__name__,
        credentials={"username": user.username},
        request=request,
        second_factor=True,
    )


def finish_sign_in(request: HttpRequest, user: User, factor: str) -> str:
    data = request.session.pop(PENDING)
    request.second_factor = factor  # type: ignore[attr-defined]  # named in the log entry
    auth_login(request, user, backend=data["backend"] or None)
    return str(data["next"])


@method_decorator(login_not_required, name="dispatch")
class SecondStepView(View):
    policy_exempt = "登录第二步：只验证正在登录的用户本人"
    scope_exempt = "登录第二步，只读取正在登录的用户本人的验证器"
    template_name = "accounts/two_factor_verify.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = pending_user(request)
        if user is None:
            messages.info(request, "请重新输入用户名和密码。")
            return redirect("accounts:login")
        self.user = user
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.show(TokenForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        refused = locked_out(request, self.user)
        if refused is not None:
            return refused
        form = TokenForm(request.POST)
        factor = None
        if form.is_valid():
            factor = services.verify_second_factor(user=self.user, token=form.cleaned_data["token"])
        if factor is None:
            second_factor_failed(request, self.user)
            form.add_error(None, FAILED)
            return self.show(form, status=200)
        next_url = finish_sign_in(request, self.user, factor)
        if factor == "recovery_code":
            left = two_factor.recovery_codes_left(self.user)
            messages.warning(
                request, f"已使用一个恢复码，还剩 {left} 个。可在“两步验证”页面重新生成。"
            )
        return redirect(next_url)

    def show(self, form: TokenForm, status: int = 200) -> HttpResponse:
        return render(
            self.request, self.template_name, {"form": form, "subject": self.user}, status=status
        )


@method_decorator(login_not_required, name="dispatch")
class EnrolView(View):
    """Binding an authenticator: at sign-in for whoever must and has not, or by choice."""

    policy_exempt = "为本人绑定验证器"

    scope_exempt = "只为正在登录或已登录的用户本人绑定验证器"
    service_errors_exempt = "登录中绑定验证器：动态码错误须计入登录失败次数（锁定策略）"
    template_name = "accounts/two_factor_enrol.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.signing_in = not request.user.is_authenticated
        user = pending_user(request) if self.signing_in else acting_user(request)
        if user is None:
            messages.info(request, "请重新输入用户名和密码。")
            return redirect("accounts:login")
        if two_factor.is_enrolled(user):
            return redirect(
                "accounts:two_factor_verify" if self.signing_in else "accounts:two_factor"
            )
        self.user = user
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.show(TokenForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        if self.signing_in:
            refused = locked_out(request, self.user)
            if refused is not None:
                return refused
        form = TokenForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError("请输入验证器显示的 6 位动态码。")
            codes = services.confirm_two_factor(
                actor=self.user, token=form.cleaned_data["token"], request=request
            )
        except ValidationError as exc:
            if self.signing_in:
                second_factor_failed(request, self.user)
            form.add_error(None, exc.messages)
            return self.show(form)
        next_url = reverse("accounts:two_factor")
        if self.signing_in:
            next_url = finish_sign_in(request, self.user, "totp")
        return render(
            request, "accounts/recovery_codes.html", {"codes": codes, "next_url": next_url}
        )

    def show(self, form: TokenForm) -> HttpResponse:
        device = services.start_two_factor(actor=self.user)
        context = {
            "form": form,
            "subject": self.user,
            "signing_in": self.signing_in,
            "required": two_factor.required_for(self.user),
            "qr_svg": two_factor.qr_svg(device),
            "secret": two_factor.secret_text(device),
        }
        return render(self.request, self.template_name, context)


class TwoFactorView(View):
    """The signed-in user's own two-factor status and recovery codes."""

    policy_exempt = "本人的两步验证与恢复码"

    scope_exempt = "只显示和修改当前用户本人的两步验证"
    http_method_names = ["get", "post"]

    def get(self, request: HttpRequest) -> HttpResponse:
        user = acting_user(request)
        context = {
            "enrolled": two_factor.is_enrolled(user),
            "required": two_factor.required_for(user),
            "codes_left": two_factor.recovery_codes_left(user),
        }
        return render(request, "accounts/two_factor.html", context)

    def post(self, request: HttpRequest) -> HttpResponse:
        # A refusal (no device bound) escapes to ServiceErrorMiddleware's page.
        codes = services.renew_recovery_codes(actor=acting_user(request), request=request)
        return render(
            request,
            "accounts/recovery_codes.html",
            {"codes": codes, "next_url": reverse("accounts:two_factor")},
        )


class AgencyTwoFactorView(RoleRequiredMixin, PolicyRequiredMixin, ScopedViewMixin, View):
    """The security administrator requires (or stops requiring) two-factor sign-in
    of every user of one agency."""

    model = Agency
    required_roles = (Role.SECURITY_ADMIN,)
    permission = "accounts.agency_two_factor"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        agency = get_object_or_404(self.get_queryset(), pk=pk)
        return render(request, "accounts/agency_two_factor.html", {"agency": agency})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        agency = get_object_or_404(self.get_queryset(), pk=pk)
        required = request.POST.get("required") == "on"
        services.set_agency_two_factor(
            actor=acting_user(request), agency=agency, required=required, request=request
        )
        state = "须" if required else "不再强制"
        messages.success(request, f"{agency.name} 的用户登录时{state}使用两步验证。")
        return redirect("accounts:agency", pk=agency.pk)
