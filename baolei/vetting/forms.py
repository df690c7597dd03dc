from __future__ import annotations

from typing import Any

from django import forms

from baolei.cadres.models import Reason
from baolei.regions.models import Region
from baolei.regions.pickers import RegionPickerField
from baolei.vetting.models import Decision, Source
from matching.engine import REVIEW

DECISION_CHOICES = [c for c in Decision.choices if c[0] != Decision.PENDING]


class RunForm(forms.Form):
    region = RegionPickerField(label="审查范围")
    sources = forms.MultipleChoiceField(
        label="比对来源",
        choices=Source.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[value for value, _ in Source.choices],  # a blanket review compares with all
    )
    threshold = forms.FloatField(label="入围分数线", min_value=0, max_value=1, initial=REVIEW)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.visible_to(user)  # type: ignore[attr-defined]


class FollowUpForm(forms.Form):
    open_clue = forms.BooleanField(label="生成问题线索（背景审查发现）", required=False)
    propose_adjustment = forms.BooleanField(label="提出村干部调整建议", required=False)
    adjustment_reason = forms.ChoiceField(
        label="调整原因", choices=Reason.choices, initial=Reason.GANG_EVIL, required=False
    )

    def clean_adjustment_reason(self) -> str:
        return self.cleaned_data["adjustment_reason"] or Reason.GANG_EVIL


class DecisionForm(FollowUpForm):
    decision = forms.ChoiceField(label="研判结论", choices=DECISION_CHOICES)
    note = forms.CharField(label="研判意见（排除时必填理由）", max_length=500, required=False)
    change = forms.BooleanField(label="改变已有结论", required=False)

    field_order = ["decision", "note", "change", "open_clue", "propose_adjustment"]


class BulkDecisionForm(forms.Form):
    """A bulk decision on the selected candidates, or on every one the filter selects."""

    decision = forms.ChoiceField(label="研判结论", choices=DECISION_CHOICES)
    note = forms.CharField(label="研判意见", max_length=500, required=False)
    change = forms.BooleanField(label="改变已有结论", required=False)
    target = forms.ChoiceField(
        label="范围", choices=[("selected", "勾选的疑似命中"), ("filtered", "当前筛选的全部")]
    )
    ids = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=[])
    query = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        values = self.data.getlist("ids") if hasattr(self.data, "getlist") else []
        self.fields["ids"].choices = [(v, v) for v in values]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("target") == "selected" and not data.get("ids"):
            raise forms.ValidationError("请勾选要研判的疑似命中。")
        return data


class ListImportForm(forms.Form):
    name = forms.CharField(label="名单名称", max_length=100)
    source_agency = forms.CharField(label="提供单位", max_length=100)
    file = forms.FileField(label="Excel 文件（.xlsx：姓名、身份证号码、出生日期、备注）")
