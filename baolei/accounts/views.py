from __future__ import annotations

from functools import partial
from typing import Any, ClassVar

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.views.generic import FormView

from baolei.accounts import services, two_factor
from baolei.accounts.filters import AgencyFilter, UserFilter
from baolei.accounts.forms import LoginForm, RoleForm, UserCreateForm
from baolei.accounts.models import Agency, Role, User
from baolei.accounts.views_two_factor import begin_second_step
from baolei.audit.models import Action
from baolei.audit.services import record_event
from baolei.core.exports import Column
from baolei.core.form_style import compact
from baolei.core.history import history_rows
from baolei.core.outcomes import ActionView, Operation, ServiceFormMixin
from baolei.core.views_base import (
    RoleRequiredMixin,
    ScopedDetailView,
    ScopedListView,
    acting_user,
)

USER_ADMINS = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN)


class LoginView(auth_views.LoginView):
    policy_exempt = "登录：尚无用户可问"
    scope_exempt = "登录页面在登录之前显示，不读取任何业务记录"
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if not two_factor.asks_second_factor(user):
            return super().form_valid(form)
        return begin_second_step(self.request, user, self.get_success_url())


class LogoutView(auth_views.LogoutView):
    policy_exempt = "退出登录：只结束本人的会话"
    scope_exempt = "退出登录不读取任何业务记录"


class PasswordChangeView(auth_views.PasswordChangeView):
    policy_exempt = "修改本人的密码"
    scope_exempt = "只修改当前用户自己的密码"
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("web:home")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        record_event(
            Action.PASSWORD_CHANGE, request=self.request, target=self.request.user.username
        )
        messages.success(self.request, "密码已修改。")
        return response


class AgencyListView(ScopedListView):
    model = Agency
    template_name = "accounts/agency_list.html"
    filterset_class = AgencyFilter
    sort_fields = {"name": "name", "kind": "kind", "region": "region__code"}
    default_sort = "region"
    export_title = "单位名录"
    export_columns = [
        Column("单位名称", lambda a: a.name, 30),
        Column("单位类别", lambda a: a.get_kind_display(), 14),
        Column("所在区划", lambda a: a.region.name, 20),
        Column("区划代码", lambda a: a.region.code, 16),
        Column("用户数", lambda a: a.user_count, 8),
    ]

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("region").annotate(user_count=Count("users"))


class AgencyDetailView(ScopedDetailView):
    model = Agency
    template_name = "accounts/agency_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["history_rows"] = history_rows(self.object)
        context["is_security_admin"] = self.request.user.has_role(Role.SECURITY_ADMIN)  # type: ignore[union-attr]
        return context


class UserListView(RoleRequiredMixin, ScopedListView):
    model = User
    required_roles = USER_ADMINS
    template_name = "accounts/user_list.html"
    filterset_class = UserFilter
    sort_fields = {
        "username": "username",
        "name": "name",
        "agency": "agency__name",
        "last_login": "last_login",
    }
    default_sort = "username"
    export_title = "用户名单"
    export_columns = [
        Column("用户名", lambda u: u.username, 16),
        Column("姓名", lambda u: u.name, 12),
        Column("所属单位", lambda u: u.agency.name if u.agency else "", 28),
        Column("角色", lambda u: "、".join(u.role_labels), 24),
        Column("启用", lambda u: u.is_active, 8),
        Column("最近登录", lambda u: u.last_login, 18),
    ]

    def get_queryset(self) -> QuerySet[Any]:
        return (
            super()
            .get_queryset()
            .select_related("agency", "agency__region")
            .prefetch_related("role_assignments")
            .distinct()
        )


class UserDetailView(RoleRequiredMixin, ScopedDetailView):
    model = User
    required_roles = USER_ADMINS
    template_name = "accounts/user_detail.html"
    context_object_name = "subject"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["role_form"] = compact(RoleForm())
        context["is_security_admin"] = self.request.user.has_role(Role.SECURITY_ADMIN)  # type: ignore[union-attr]
        context["two_factor_enrolled"] = two_factor.is_enrolled(self.object)
        context["two_factor_required"] = two_factor.required_for(self.object)
        context["assignments"] = self.object.role_assignments.select_related("granted_by")
        context["history_rows"] = history_rows(self.object)
        return context


def set_role(*, actor: User, user: User, role: str, request: HttpRequest, grant: bool) -> Role:
    """授予 or 撤销 one role."""
    chosen = Role(role)
    change = services.grant_role if grant else services.revoke_role
    change(actor=actor, user=user, role=chosen, request=request)
    return chosen


class UserActionView(RoleRequiredMixin, ActionView):
    """POST-only actions on a user; each calls one service."""

    model = User
    required_roles = USER_ADMINS
    record_name = "user"
    record_url = "accounts:user"
    actions: ClassVar[dict[str, Operation]] = {
        "grant": Operation(
            partial(set_role, grant=True), RoleForm, "已授予角色", permission="accounts.grant"
        ),
        "revoke": Operation(
            partial(set_role, grant=False), RoleForm, "已撤销角色", permission="accounts.revoke"
        ),
        "reset-two-factor": Operation(
            services.reset_two_factor,
            done="已重置两步验证，其下次登录时须重新绑定验证器",
            permission="accounts.reset_two_factor",
        ),
        "end-sessions": Operation(
            services.end_sessions, done="所有会话已结束", permission="accounts.end_sessions"
        ),
        "deactivate": Operation(
            partial(services.set_active, active=False),
            done="已停用",
            permission="accounts.set_active",
        ),
        "activate": Operation(
            partial(services.set_active, active=True),
            done="已启用",
            permission="accounts.set_active",
        ),
    }

    def arguments(self, name: str, record: Any, data: dict[str, Any]) -> dict[str, Any]:
        return data | {"request": self.request}

    def label(self, record: Any) -> str:
        return str(record)

    def respond(
        self, name: str, record: Any, errors: list[str], done: str, result: Any
    ) -> HttpResponse:
        if isinstance(result, Role):
            verb = "授予" if name == "grant" else "撤销"
            done = f"已{verb} {record} 的“{result.label}”角色。"
        return super().respond(name, record, errors, done, result)


class UserCreateView(ServiceFormMixin, FormView):
    scope_exempt = "新建表单只列出 Agency.objects.visible_to(user) 中的单位"
    permission = "accounts.create_user"
    template_name = "accounts/user_form.html"
    form_class = UserCreateForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"user": self.request.user}

    def perform(self, form: UserCreateForm) -> HttpResponse:
        user = services.create_user(
            actor=acting_user(self.request), request=self.request, **form.cleaned_data
        )
        messages.success(self.request, f"用户 {user.username} 已创建。请由安全管理员授予角色。")
        return redirect("accounts:user", pk=user.pk)
