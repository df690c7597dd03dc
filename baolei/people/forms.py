from __future__ import annotations

from typing import Any

from django import forms

from baolei.people.models import Education, Person, Sex
from baolei.regions.models import VILLAGE_LEVELS, Region
from baolei.regions.pickers import RegionPickerField


class PersonForm(forms.Form):
    """The shape of the input only; the rules (ID number, agreement with birth date and
    sex, scope) are the services' and come back as errors on these fields."""

    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(
        label="身份证号码",
        max_length=30,
        required=False,
        help_text="18位，旧证15位亦可；身份不明可不填。",
    )
    sex = forms.ChoiceField(
        label="性别", choices=[("", "按身份证号码"), *Sex.choices], required=False
    )
    birth_date = forms.DateField(
        label="出生日期", required=False, help_text="如 1985-03-02；填写身份证号码时可不填。"
    )
    ethnicity = forms.CharField(label="民族", max_length=20, required=False, initial="汉族")
    education = forms.ChoiceField(
        label="文化程度", choices=[("", "—"), *Education.choices], required=False
    )
    party_member = forms.BooleanField(label="中共党员", required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    region = RegionPickerField(label="所属村（社区）", levels=VILLAGE_LEVELS)
    note = forms.CharField(label="备注", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = (  # type: ignore[attr-defined]
            Region.objects.visible_to(user)
            .filter(level__in=VILLAGE_LEVELS)
            .select_related("parent")
        )


class EditPersonForm(PersonForm):
    """Numbers are never put back into the form: left empty, they stay as they are."""

    remove_id_number = forms.BooleanField(label="删除身份证号码", required=False)
    remove_phone = forms.BooleanField(label="删除联系电话", required=False)

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, current in (
            ("id_number", person.id_number_masked),
            ("phone", person.phone_masked),
        ):
            if current:
                self.fields[key].help_text = f"现为 {current}；留空则不修改。"

    def changes(self) -> dict[str, Any]:
        """The cleaned data as service fields: an empty number is no change."""
        data = dict(self.cleaned_data)
        for key in ("id_number", "phone"):
            if data.pop(f"remove_{key}"):
                data[key] = ""
            elif not data[key]:
                del data[key]
        return data

    @classmethod
    def initial_for(cls, person: Person) -> dict[str, Any]:
        return {
            "name": person.name,
            "sex": person.sex,
            "birth_date": person.birth_date,
            "ethnicity": person.ethnicity,
            "education": person.education,
            "party_member": person.party_member,
            "region": person.region_id,
            "note": person.note,
        }


class RevealForm(forms.Form):
    """查看完整号码: which of the person's encrypted numbers to show."""

    field = forms.ChoiceField(
        label="号码", choices=[("id_number", "身份证号码"), ("phone", "联系电话")]
    )
