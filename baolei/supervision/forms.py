from __future__ import annotations

from typing import Any

from django import forms

from baolei.accounts.models import Agency
from baolei.supervision.models import ProblemScope, ProblemSource


class ProblemForm(forms.Form):
    source = forms.ChoiceField(
        label="来源", choices=[c for c in ProblemSource.choices if c[0] != "city_round"]
    )
    scope = forms.ChoiceField(label="类型", choices=ProblemScope.choices)
    number = forms.CharField(label="编号", max_length=30)
    description = forms.CharField(label="问题描述", widget=forms.Textarea(attrs={"rows": 3}))
    measures = forms.CharField(
        label="整改措施（每行一条）", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    units = forms.ModelMultipleChoiceField(label="责任单位", queryset=Agency.objects.none())
    responsible_person = forms.CharField(label="责任人", max_length=50)
    received_on = forms.DateField(label="反馈日期")
    deadline = forms.DateField(label="整改时限")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Agency.objects.visible_to(user)  # type: ignore[attr-defined]


class ReopenForm(forms.Form):
    on = forms.DateField(label="反弹日期")
    reason = forms.CharField(label="反弹情况")
    units = forms.ModelMultipleChoiceField(label="责任单位", queryset=Agency.objects.none())
    responsible_person = forms.CharField(label="责任人")
    deadline = forms.DateField(label="整改时限")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Agency.objects.visible_to(user)  # type: ignore[attr-defined]


class ImportForm(forms.Form):
    file = forms.FileField(label="问题清单（.xlsx）")
