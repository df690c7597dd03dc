from __future__ import annotations

from typing import Any

from django import forms

from baolei.accounts.models import Agency
from baolei.accounts.pickers import AgencyPickerMultipleField
from baolei.regions.models import Level, Region
from baolei.supervision.models import (
    ProblemScope,
    ProblemSource,
    SupervisionPlan,
    SupervisionRound,
    Team,
)


class ProblemForm(forms.Form):
    source = forms.ChoiceField(label="来源", choices=ProblemSource.choices)
    round_ = forms.ModelChoiceField(
        label="督导轮次（市级督导问题必选）",
        queryset=SupervisionRound.objects.none(),
        required=False,
    )
    scope = forms.ChoiceField(label="类型", choices=ProblemScope.choices)
    number = forms.CharField(label="编号", max_length=30)
    description = forms.CharField(label="问题描述", widget=forms.Textarea(attrs={"rows": 3}))
    measures = forms.CharField(
        label="整改措施（每行一条）", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    units = AgencyPickerMultipleField(label="责任单位")
    responsible_person = forms.CharField(label="责任人", max_length=50)
    received_on = forms.DateField(label="反馈日期")
    deadline = forms.DateField(label="整改时限")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Agency.objects.visible_to(user)  # type: ignore[attr-defined]
        self.fields["round_"].queryset = SupervisionRound.objects.visible_to(user).select_related(  # type: ignore[attr-defined]
            "plan"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("source") == ProblemSource.CITY_ROUND and not data.get("round_"):
            self.add_error("round_", "市级督导发现的问题须选择督导轮次。")
        return data


class ReopenForm(forms.Form):
    on = forms.DateField(label="反弹日期")
    reason = forms.CharField(label="反弹情况")
    units = AgencyPickerMultipleField(label="责任单位")
    responsible_person = forms.CharField(label="责任人")
    deadline = forms.DateField(label="整改时限")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Agency.objects.visible_to(user)  # type: ignore[attr-defined]


class ImportForm(forms.Form):
    file = forms.FileField(label="问题清单（.xlsx）")


class PlanForm(forms.Form):
    title = forms.CharField(label="方案名称", max_length=200)
    document_number = forms.CharField(label="文号", max_length=60, required=False)
    region = forms.ModelChoiceField(label="范围", queryset=Region.objects.none())
    starts_on = forms.DateField(label="开始日期")
    ends_on = forms.DateField(label="结束日期")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.visible_to(user).filter(  # type: ignore[attr-defined]
            level__in=[Level.CITY, Level.COUNTY]
        )


def counties_of(plan: SupervisionPlan) -> Any:
    return Region.objects.subtree(plan.region).filter(level=Level.COUNTY)


class AssignmentForm(forms.Form):
    leader = forms.CharField(label="市领导", max_length=50)
    leader_title = forms.CharField(label="职务", max_length=80, required=False)
    county = forms.ModelChoiceField(label="联系县(区)", queryset=Region.objects.none())

    def __init__(self, *args: Any, plan: SupervisionPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties_of(plan)  # type: ignore[attr-defined]


class TeamForm(forms.Form):
    name = forms.CharField(label="组名", max_length=60)
    leader = forms.CharField(label="组长", max_length=50)
    deputy = forms.CharField(label="副组长", max_length=50, required=False)
    members = forms.CharField(label="成员（顿号分隔）", required=False)
    counties = forms.ModelMultipleChoiceField(label="督导县(区)", queryset=Region.objects.none())

    def __init__(self, *args: Any, plan: SupervisionPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["counties"].queryset = counties_of(plan)  # type: ignore[attr-defined]

    def clean_members(self) -> list[str]:
        return [
            m.strip()
            for m in self.cleaned_data["members"].replace("，", "、").split("、")
            if m.strip()
        ]


class RoundForm(forms.Form):
    number = forms.IntegerField(label="轮次", min_value=1)
    starts_on = forms.DateField(label="开始日期")
    ends_on = forms.DateField(label="结束日期")
    teams = forms.ModelMultipleChoiceField(label="参加督导组", queryset=Team.objects.none())
    counties = forms.ModelMultipleChoiceField(label="督导县(区)", queryset=Region.objects.none())

    def __init__(self, *args: Any, plan: SupervisionPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["teams"].queryset = plan.teams.all()  # type: ignore[attr-defined]
        self.fields["counties"].queryset = counties_of(plan)  # type: ignore[attr-defined]


class LaggingForm(forms.Form):
    county = forms.ModelChoiceField(label="县(区)", queryset=Region.objects.none())
    on = forms.DateField(label="确定日期")
    reason = forms.CharField(label="原因")
    remediation_plan = forms.CharField(label="整改提升方案", max_length=200)

    def __init__(self, *args: Any, plan: SupervisionPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties_of(plan)  # type: ignore[attr-defined]
