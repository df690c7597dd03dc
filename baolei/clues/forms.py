from __future__ import annotations

from typing import Any

from django import forms

from baolei.accounts.models import Agency, User
from baolei.cases.models import CaseKind
from baolei.clues.models import Category, Conclusion, Source
from baolei.clues.pickers import clue_widget
from baolei.core.scoping import ancestor_codes
from baolei.people.models import Person
from baolei.people.pickers import PersonPickerMultipleField
from baolei.regions.models import Region
from baolei.regions.pickers import RegionPickerField


class ClueForm(forms.Form):
    received_on = forms.DateField(label="受理日期")
    source = forms.ChoiceField(label="来源", choices=Source.choices)
    category = forms.ChoiceField(label="类别", choices=Category.choices)
    summary = forms.CharField(label="问题线索摘要", widget=forms.Textarea(attrs={"rows": 3}))
    region = RegionPickerField(label="涉及区划")
    persons = PersonPickerMultipleField(label="涉及人员", required=False)
    reporter = forms.CharField(label="举报人信息（加密保存，仅承办人可见）", required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.visible_to(user)  # type: ignore[attr-defined]
        self.fields["persons"].queryset = Person.objects.visible_to(user)  # type: ignore[attr-defined]


class DateForm(forms.Form):
    on = forms.DateField(label="日期")


class AssignForm(DateForm):
    handler = forms.ModelChoiceField(label="承办人", queryset=User.objects.none())

    def __init__(self, *args: Any, clue: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            agency=clue.handling_agency, is_active=True
        )


class ConcludeForm(DateForm):
    # No conclusion is chosen for the user: 办结 is a decision, not a default.
    conclusion = forms.ChoiceField(
        label="办结结论", choices=[("", "请选择办结结论"), *Conclusion.choices]
    )
    note = forms.CharField(label="说明", required=False)


class ReferForm(DateForm):
    to_agency = forms.ModelChoiceField(label="接收单位", queryset=Agency.objects.none())
    reason = forms.CharField(label="移送理由")

    def __init__(self, *args: Any, clue: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only agencies whose jurisdiction covers the clue's region can receive it.
        codes = [*ancestor_codes(clue.region.prefix), clue.region.code]
        self.fields["to_agency"].queryset = Agency.objects.filter(  # type: ignore[attr-defined]
            region__code__in=codes
        ).exclude(pk=clue.handling_agency_id)


class SuperviseForm(DateForm):
    deadline = forms.DateField(label="督办时限")
    requirement = forms.CharField(label="督办要求")


class MergeForm(DateForm):
    into = forms.CharField(label="并入线索", widget=clue_widget(by_number=True))
    reason = forms.CharField(label="并案理由")


class PromoteForm(DateForm):
    number = forms.CharField(label="案件编号", max_length=60)
    name = forms.CharField(label="案件名称", max_length=200)
    kind = forms.ChoiceField(label="案件类型", choices=CaseKind.choices)
    lead_agency = forms.ModelChoiceField(
        label="主办公安机关", queryset=Agency.objects.filter(kind="police")
    )


class FeedbackForm(DateForm):
    feedback = forms.CharField(label="反馈情况", required=False)
