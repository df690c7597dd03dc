from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from baolei.accounts.models import Agency
from baolei.accounts.pickers import AgencyPickerField, AgencyPickerMultipleField
from baolei.coordination.models import MechanismKind, MechanismStatus, MeetingKind, Metric
from baolei.regions.models import Level, Region
from baolei.regions.pickers import RegionPickerField


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label="会议类型", choices=MeetingKind.choices)
    held_on = forms.DateField(label="召开日期")
    topic = forms.CharField(label="议题", max_length=200)
    region = RegionPickerField(label="层级", levels=[Level.CITY, Level.COUNTY, Level.TOWNSHIP])
    convener = AgencyPickerField(label="召集单位")
    attendees = AgencyPickerMultipleField(label="参会单位", required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.visible_to(user)
        self.fields["region"].queryset = Region.objects.visible_to(user).filter(  # type: ignore[attr-defined]
            level__in=[Level.CITY, Level.COUNTY, Level.TOWNSHIP]
        )
        self.fields["convener"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["attendees"].queryset = agencies  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    title = forms.CharField(label="决定事项", max_length=200)
    owner = AgencyPickerField(label="责任单位")
    responsible_person = forms.CharField(label="责任人", max_length=50)
    deadline = forms.DateField(label="落实时限")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Agency.objects.visible_to(user)  # type: ignore[attr-defined]


class MechanismForm(forms.Form):
    title = forms.CharField(label="名称", max_length=200)
    document_number = forms.CharField(label="文号", max_length=60, required=False)
    region = forms.ModelChoiceField(label="层级", queryset=Region.objects.none())
    issuers = AgencyPickerMultipleField(label="印发单位（可多选，联合印发）")
    issued_on = forms.DateField(label="印发日期")
    kind = forms.ChoiceField(label="类别", choices=MechanismKind.choices)
    status = forms.ChoiceField(label="状态", choices=MechanismStatus.choices)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.visible_to(user).filter(  # type: ignore[attr-defined]
            level__in=[Level.CITY, Level.COUNTY]
        )
        self.fields["issuers"].queryset = Agency.objects.visible_to(user)  # type: ignore[attr-defined]


class CadenceForm(forms.Form):
    kind = forms.ChoiceField(label="会议类型", choices=MeetingKind.choices)
    region = forms.ModelChoiceField(label="适用区划", queryset=Region.objects.none())
    every_days = forms.IntegerField(label="至少每隔（天）", min_value=1, max_value=366)
    since = forms.DateField(label="起算日期")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.visible_to(user).filter(  # type: ignore[attr-defined]
            level__in=[Level.CITY, Level.COUNTY]
        )


METRIC_NAMES = {label: value for value, label in Metric.choices} | {v: v for v in Metric.values}


class SchemeForm(forms.Form):
    name = forms.CharField(label="方案名称", max_length=200)
    region = forms.ModelChoiceField(label="范围", queryset=Region.objects.none())
    starts_on = forms.DateField(label="考核期起")
    ends_on = forms.DateField(label="考核期止")
    indicators = forms.CharField(
        label="指标（每行：名称,分值,计分方式,每次扣分）",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="计分方式：" + "、".join(f"{v}（{label}）" for v, label in Metric.choices),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.visible_to(user).filter(  # type: ignore[attr-defined]
            level__in=[Level.CITY, Level.COUNTY]
        )

    def clean_indicators(self) -> list[tuple[str, Decimal, str, Decimal]]:
        rows = []
        for number, line in enumerate(self.cleaned_data["indicators"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            if len(parts) != 4 or parts[2] not in METRIC_NAMES:
                raise forms.ValidationError(
                    f"第{number}行应为“名称,分值,计分方式,每次扣分”，计分方式须为列出的一种。"
                )
            try:
                rows.append(
                    (parts[0], Decimal(parts[1]), METRIC_NAMES[parts[2]], Decimal(parts[3]))
                )
            except InvalidOperation:
                raise forms.ValidationError(f"第{number}行的分值或扣分不是数字。") from None
        if not rows:
            raise forms.ValidationError("至少需要一个指标。")
        return rows


class ManualScoreForm(forms.Form):
    indicator = forms.IntegerField(widget=forms.HiddenInput)
    county = forms.ModelChoiceField(label="县(区)", queryset=Region.objects.none())
    score = forms.DecimalField(label="得分", max_digits=6, decimal_places=2)
    reason = forms.CharField(label="评分理由")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = Region.objects.visible_to(user).filter(level=Level.COUNTY)  # type: ignore[attr-defined]
