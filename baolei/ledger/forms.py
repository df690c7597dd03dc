from __future__ import annotations

from typing import Any

from django import forms

from baolei.accounts.models import Agency
from baolei.accounts.pickers import AgencyPickerField
from baolei.ledger.models import AcceptanceResult, DayKind, LedgerItem, SourceKind
from baolei.regions.models import Region
from baolei.regions.pickers import RegionPickerField


class ItemForm(forms.Form):
    title = forms.CharField(label="事项", max_length=200)
    description = forms.CharField(
        label="具体内容", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    region = RegionPickerField(label="所属区划")
    owner_agency = AgencyPickerField(label="责任单位")
    responsible_person = forms.CharField(label="责任人", max_length=50)
    supervising_leader = forms.CharField(label="包保领导", max_length=50, required=False)
    measures = forms.CharField(
        label="整改措施（每行一条）", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    source_kind = forms.ChoiceField(
        label="来源", choices=SourceKind.choices, initial=SourceKind.NONE
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.visible_to(user)  # type: ignore[attr-defined]
        self.fields["owner_agency"].queryset = Agency.objects.visible_to(user)  # type: ignore[attr-defined]

    def clean_measures(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["measures"].splitlines() if line.strip()]


class CreateItemForm(ItemForm):
    deadline = forms.DateField(
        label="整改时限", required=False, help_text="填写日期，或填写下方起算日与天数"
    )
    deadline_start_on = forms.DateField(label="起算日", required=False)
    deadline_days = forms.IntegerField(label="天数", min_value=1, max_value=3650, required=False)
    deadline_day_kind = forms.ChoiceField(
        label="天数类型", choices=[("", "—"), *DayKind.choices], required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("deadline") and not (
            data.get("deadline_start_on")
            and data.get("deadline_days")
            and data.get("deadline_day_kind")
        ):
            raise forms.ValidationError("请填写整改时限，或同时填写起算日、天数和天数类型。")
        return data


class EditItemForm(ItemForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def initial_for(cls, item: LedgerItem) -> dict[str, Any]:
        return {
            "title": item.title,
            "description": item.description,
            "region": item.region_id,
            "owner_agency": item.owner_agency_id,
            "responsible_person": item.responsible_person,
            "supervising_leader": item.supervising_leader,
            "measures": "\n".join(item.measures),
            "source_kind": item.source_kind,
            "version": item.version,
        }


class ProgressForm(forms.Form):
    on = forms.DateField(label="进展日期")
    text = forms.CharField(label="进展情况", widget=forms.Textarea(attrs={"rows": 2}))
    corrects = forms.IntegerField(required=False, widget=forms.HiddenInput)


class EvidenceForm(forms.Form):
    file = forms.FileField(label="佐证材料")


class AcceptanceForm(forms.Form):
    on = forms.DateField(label="验收日期")
    result = forms.ChoiceField(label="验收结果", choices=AcceptanceResult.choices)
    long_term = forms.BooleanField(label="长期坚持", required=False)
    notes = forms.CharField(
        label="验收意见", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ExtendForm(forms.Form):
    new_deadline = forms.DateField(label="新时限")
    reason = forms.CharField(label="延期理由")


class SuspendForm(forms.Form):
    on = forms.DateField(label="日期")
    reason = forms.CharField(label="理由", required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(label="撤销原因")


class ImportForm(forms.Form):
    file = forms.FileField(label="台账文件（.xlsx）")
