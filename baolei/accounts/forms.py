from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from baolei.accounts.models import Agency, Role
from baolei.accounts.pickers import AgencyPickerField


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码错误。连续失败 5 次将锁定 30 分钟。",
        "inactive": "该账户已停用，请联系系统管理员。",
    }


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="角色", choices=Role.choices)


class UserCreateForm(forms.Form):
    username = forms.RegexField(
        label="用户名",
        max_length=150,
        regex=r"^[A-Za-z0-9_.@+-]+$",
        error_messages={"invalid": "用户名只能包含字母、数字和 _ . @ + - 。"},
    )
    name = forms.CharField(label="姓名", max_length=50)
    agency = AgencyPickerField(label="所属单位")
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.visible_to(user).select_related("region")  # type: ignore[attr-defined]
