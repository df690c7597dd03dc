from __future__ import annotations

from typing import Any

from django import forms

from baolei.cadres.models import Appointment
from baolei.cadres.pickers import CadrePickerField
from baolei.cases.models import Case
from baolei.cases.pickers import CasePickerField
from baolei.clues.models import Clue
from baolei.clues.pickers import CluePickerField
from baolei.network.models import KIN_DETAILS, Kind
from baolei.network.queries import EDGE_KINDS, MAX_HOPS
from baolei.people.models import Person
from baolei.people.pickers import PersonPickerField
from baolei.regions.pickers import RegionCodePicker

FIELD_ORDER = ["person", "case", "clue", "post", "hops", "kind", "from", "to", "within"]


class NetworkForm(forms.Form):
    """The question on the page (read by ``reading.read_ask``; this form only draws it)."""

    person = PersonPickerField(label="起点：人员", required=False)
    case = CasePickerField(label="起点：案件", required=False)
    clue = CluePickerField(label="起点：线索", required=False)
    post = CadrePickerField(label="起点：村干部", required=False)
    hops = forms.TypedChoiceField(
        label="扩展步数",
        choices=[(n, f"{n} 步") for n in range(1, MAX_HOPS + 1)],
        coerce=int,
        required=False,
    )
    kind = forms.MultipleChoiceField(
        label="连线类型（不选为全部）",
        choices=list(EDGE_KINDS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    within = forms.CharField(label="只看区划", required=False, widget=RegionCodePicker())
    to_person = PersonPickerField(label="查找与此人的最短关联", required=False)
    umbrella = forms.BooleanField(
        label="打伞破网：查找案件犯罪嫌疑人附近的在任村（社区）干部", required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = Person.objects.visible_to(user)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]
        self.fields["to_person"].queryset = people  # type: ignore[attr-defined]
        self.fields["case"].queryset = Case.objects.visible_to(user)  # type: ignore[attr-defined]
        self.fields["clue"].queryset = Clue.objects.visible_to(user)  # type: ignore[attr-defined]
        self.fields["post"].queryset = Appointment.objects.visible_to(user)  # type: ignore[attr-defined]
        self.fields["within"].widget.user = user
        # The page's parameters are named as the API's: ``from`` and ``to`` for the dates.
        self.fields["from"] = forms.DateField(label="连线日期起", required=False)
        self.fields["to"] = forms.DateField(label="连线日期止", required=False)
        self.order_fields(FIELD_ORDER)


class RelationForm(forms.Form):
    person_a = PersonPickerField(label="人员甲")
    person_b = PersonPickerField(label="人员乙")
    kind = forms.ChoiceField(label="关系类型", choices=[("", "请选择关系类型"), *Kind.choices])
    detail = forms.CharField(
        label="具体关系",
        required=False,
        max_length=50,
        help_text="亲属写明关系，如 " + "、".join(KIN_DETAILS[:4]) + "；其他类型可写明内容或金额。",
    )
    source = forms.CharField(
        label="信息来源", max_length=200, help_text="如案卷、询问笔录、银行流水、户籍资料"
    )
    began_on = forms.DateField(label="关系起始日期", required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = Person.objects.visible_to(user)
        self.fields["person_a"].queryset = people  # type: ignore[attr-defined]
        self.fields["person_b"].queryset = people  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    note = forms.CharField(label="研判意见", max_length=500, required=False)


class DismissForm(forms.Form):
    note = forms.CharField(label="排除理由", max_length=500)
