from __future__ import annotations

from typing import Any

from django import forms

from baolei.accounts.models import Agency
from baolei.coordination.models import MechanismKind, MechanismStatus, MeetingKind
from baolei.regions.models import Level, Region


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label="会议类型", choices=MeetingKind.choices)
    held_on = forms.DateField(label="召开日期")
    topic = forms.CharField(label="议题", max_length=200)
    region = forms.ModelChoiceField(label="层级", queryset=Region.objects.none())
    convener = forms.ModelChoiceField(label="召集单位", queryset=Agency.objects.none())
    attendees = forms.ModelMultipleChoiceField(
        label="参会单位", queryset=Agency.objects.none(), required=False
    )

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
    owner = forms.ModelChoiceField(label="责任单位", queryset=Agency.objects.none())
    responsible_person = forms.CharField(label="责任人", max_length=50)
    deadline = forms.DateField(label="落实时限")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Agency.objects.visible_to(user)  # type: ignore[attr-defined]


class MechanismForm(forms.Form):
    title = forms.CharField(label="名称", max_length=200)
    document_number = forms.CharField(label="文号", max_length=60, required=False)
    region = forms.ModelChoiceField(label="层级", queryset=Region.objects.none())
    issuers = forms.ModelMultipleChoiceField(
        label="印发单位（可多选，联合印发）", queryset=Agency.objects.none()
    )
    issued_on = forms.DateField(label="印发日期")
    kind = forms.ChoiceField(label="类别", choices=MechanismKind.choices)
    status = forms.ChoiceField(label="状态", choices=MechanismStatus.choices)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.visible_to(user).filter(  # type: ignore[attr-defined]
            level__in=[Level.CITY, Level.COUNTY]
        )
        self.fields["issuers"].queryset = Agency.objects.visible_to(user)  # type: ignore[attr-defined]


class PeriodForm(forms.Form):
    start = forms.DateField(label="起", required=False)
    end = forms.DateField(label="止", required=False)
