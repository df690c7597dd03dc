from __future__ import annotations

from typing import Any

from django import forms

from baolei.accounts.models import Agency, AgencyKind
from baolei.cases.models import (
    AssetKind,
    CaseKind,
    Characterisation,
    ConsultationKind,
    Disposition,
    Dispute,
    Measure,
    Outcome,
    Stage,
    SuspectRole,
    SuspectStatus,
)
from baolei.people.models import Person
from baolei.people.pickers import PersonPickerField
from baolei.regions.models import Region
from baolei.regions.pickers import RegionPickerField


class CaseForm(forms.Form):
    number = forms.CharField(label="案件编号", max_length=60)
    name = forms.CharField(label="案件名称", max_length=200)
    kind = forms.ChoiceField(label="案件类型", choices=CaseKind.choices)
    region = RegionPickerField(label="案发区划")
    lead_agency = forms.ModelChoiceField(label="主办公安机关", queryset=Agency.objects.none())
    opened_on = forms.DateField(label="立案日期")
    summary = forms.CharField(
        label="简要案情", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.visible_to(user)  # type: ignore[attr-defined]
        self.fields["lead_agency"].queryset = Agency.objects.visible_to(user).filter(  # type: ignore[attr-defined]
            kind=AgencyKind.POLICE
        )


class StageForm(forms.Form):
    stage = forms.ChoiceField(label="阶段", choices=Stage.choices)
    on = forms.DateField(label="日期")
    characterisation = forms.ChoiceField(
        label="定性", choices=[("", "—"), *Characterisation.choices], required=False
    )
    outcome = forms.ChoiceField(
        label="二审结果", choices=[("", "—"), *Outcome.choices], required=False
    )
    note = forms.CharField(label="说明", required=False)


class SuspectForm(forms.Form):
    person = PersonPickerField(label="人员")
    role = forms.ChoiceField(label="地位作用", choices=SuspectRole.choices)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.visible_to(user)  # type: ignore[attr-defined]


class SuspectStatusForm(forms.Form):
    suspect = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label="状态", choices=SuspectStatus.choices)
    on = forms.DateField(label="日期")
    sentence = forms.CharField(label="判处刑罚", required=False)


class AssetForm(forms.Form):
    kind = forms.ChoiceField(label="财产类型", choices=AssetKind.choices)
    measure = forms.ChoiceField(label="措施", choices=Measure.choices)
    description = forms.CharField(label="财产描述", max_length=200)
    value = forms.DecimalField(label="价值（元）", max_digits=16, decimal_places=2, min_value=0.01)
    on = forms.DateField(label="日期")


class DisposeForm(forms.Form):
    asset = forms.IntegerField(widget=forms.HiddenInput)
    disposition = forms.ChoiceField(label="处置", choices=Disposition.choices)
    on = forms.DateField(label="日期")


class ConsultationForm(forms.Form):
    kind = forms.ChoiceField(label="会商类型", choices=ConsultationKind.choices)
    on = forms.DateField(label="日期")
    agencies = forms.ModelMultipleChoiceField(label="参加单位", queryset=Agency.objects.none())
    disputes = forms.MultipleChoiceField(
        label="分歧点", choices=Dispute.choices, widget=forms.CheckboxSelectMultiple
    )
    conclusion = forms.CharField(label="会商意见", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = Agency.objects.visible_to(user).filter(  # type: ignore[attr-defined]
            kind__in=[
                AgencyKind.POLICE,
                AgencyKind.PROCURATORATE,
                AgencyKind.COURT,
                AgencyKind.POLITICAL_LEGAL,
            ]
        )


class InterventionForm(forms.Form):
    prosecutor = forms.CharField(label="检察官", max_length=50)
    on = forms.DateField(label="介入日期")
    guidance = forms.CharField(label="引导取证意见")


class SupervisionForm(forms.Form):
    bodies = forms.CharField(label="督办单位", max_length=200)
    on = forms.DateField(label="督办日期")
    deadline = forms.DateField(label="办结时限")
