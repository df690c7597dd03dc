from __future__ import annotations

from typing import Any

from django import forms

from baolei.regions.models import Region
from baolei.vetting.models import Decision, Source
from matching.engine import REVIEW


class RunForm(forms.Form):
    region = forms.ModelChoiceField(label="审查范围", queryset=Region.objects.none())
    sources = forms.MultipleChoiceField(
        label="比对来源", choices=Source.choices, widget=forms.CheckboxSelectMultiple
    )
    threshold = forms.FloatField(label="入围分数线", min_value=0, max_value=1, initial=REVIEW)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.visible_to(user)  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="研判结论",
        choices=[c for c in Decision.choices if c[0] != Decision.PENDING],
    )
    note = forms.CharField(label="研判意见", max_length=500, required=False)
    open_clue = forms.BooleanField(label="同时生成问题线索（背景审查发现）", required=False)


class ListImportForm(forms.Form):
    name = forms.CharField(label="名单名称", max_length=100)
    source_agency = forms.CharField(label="提供单位", max_length=100)
    file = forms.FileField(label="Excel 文件（.xlsx：姓名、身份证号码、出生日期、备注）")
