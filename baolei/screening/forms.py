from __future__ import annotations

from typing import Any

from django import forms

from baolei.accounts.models import AgencyKind
from baolei.regions.models import Level, Region
from baolei.regions.pickers import RegionPickerField
from baolei.screening.models import DEFAULT_REVIEWERS, Decision, NegativeList, Proposal


class RoundForm(forms.Form):
    name = forms.CharField(label="轮次名称", max_length=100)
    region = RegionPickerField(label="排查范围", levels=[Level.CITY, Level.COUNTY, Level.TOWNSHIP])
    negative_list = forms.ModelChoiceField(
        label="负面清单版本", queryset=NegativeList.objects.all()
    )
    starts_on = forms.DateField(label="开始日期")
    ends_on = forms.DateField(label="结束日期")
    minimum_ratio = forms.DecimalField(
        label="最低比例（%）", min_value=1, max_value=100, initial=10, decimal_places=1
    )
    required_reviewers = forms.MultipleChoiceField(
        label="联审部门",
        choices=AgencyKind.choices,
        initial=DEFAULT_REVIEWERS,
        widget=forms.CheckboxSelectMultiple,
    )
    plan_days = forms.IntegerField(label="整顿期限（天）", min_value=1, max_value=1095, initial=180)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.visible_to(user).filter(  # type: ignore[attr-defined]
            level__in=[Level.CITY, Level.COUNTY, Level.TOWNSHIP]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "结束日期不能早于开始日期。")
        return data


class ResultForm(forms.Form):
    """研判结果: the negative-list items hit, each with its own 具体情况 (one item's facts
    are not another's), the proposal and the archive check."""

    proposal = forms.ChoiceField(
        label="处理建议", choices=[(Proposal.FLAG, "建议列入"), (Proposal.CLEAR, "不列入")]
    )
    items = forms.MultipleChoiceField(
        label="命中条目",
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    checked_by = forms.CharField(label="档案核查人", required=False, max_length=50)
    checked_on = forms.DateField(label="核查日期", required=False)
    findings = forms.CharField(
        label="核查发现", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, negative_list: NegativeList, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.list_items = list(negative_list.items.all())
        field = self.fields["items"]
        if isinstance(field, forms.MultipleChoiceField):
            field.choices = [(i.pk, f"{i.code}. {i.text}") for i in self.list_items]
        for item in self.list_items:
            self.fields[note_name(item.pk)] = forms.CharField(
                label=f"第 {item.code} 条的具体情况",
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 1}),
            )

    def hit_rows(self) -> list[tuple[Any, forms.BoundField]]:
        """Each item's checkbox beside the box for its own facts."""
        return [
            (choice, self[note_name(item.pk)])
            for choice, item in zip(self["items"], self.list_items, strict=True)
        ]

    def other_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("proposal", "checked_by", "checked_on", "findings")]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = {int(pk) for pk in data.get("items") or []}
        notes = {}
        for item in self.list_items:
            note = (data.pop(note_name(item.pk), "") or "").strip()
            if item.pk in chosen:
                if not note:
                    self.add_error(note_name(item.pk), f"请写明第 {item.code} 条的具体情况。")
                notes[item.pk] = note
        data["notes"] = notes
        return data


def note_name(pk: int) -> str:
    return f"note_{pk}"


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label="意见", choices=Decision.choices)
    reason = forms.CharField(label="理由", required=False)


class ChangeForm(forms.Form):
    on = forms.DateField(label="日期")
    reason = forms.CharField(label="理由")


class CloseForm(forms.Form):
    on = forms.DateField(label="结束日期")
    justification = forms.CharField(
        label="书面说明（未达比例时由领导填写）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ImportForm(forms.Form):
    file = forms.FileField(label="排查结果（.xlsx）")
