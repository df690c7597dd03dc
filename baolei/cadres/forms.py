from __future__ import annotations

from typing import Any

from django import forms

from baolei.cadres.models import BaseLevel, Decision, Post, Rating, Reason, SessionKind
from baolei.people.models import Education
from baolei.people.pickers import person_widget
from baolei.regions.models import VILLAGE_LEVELS, Level, Region
from baolei.regions.pickers import RegionPickerField


class AppointForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="身份证号码", max_length=24)
    region = RegionPickerField(label="村(社区)", levels=VILLAGE_LEVELS)
    post = forms.ChoiceField(label="职务", choices=Post.choices)
    started_on = forms.DateField(label="任职日期")
    term_starts_on = forms.DateField(label="本届任期起")
    term_ends_on = forms.DateField(label="本届任期止")
    education = forms.ChoiceField(
        label="文化程度", choices=[("", "—"), *Education.choices], required=False
    )
    party_member = forms.BooleanField(label="中共党员", required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["region"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = Region.objects.visible_to(user).filter(level__in=VILLAGE_LEVELS)


class ImportForm(forms.Form):
    file = forms.FileField(label="村干部名册（.xlsx）")


class ProposeForm(forms.Form):
    reason = forms.ChoiceField(label="调整原因", choices=Reason.choices)
    details = forms.CharField(label="具体情况")
    on = forms.DateField(label="提出日期")


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label="审批意见", choices=Decision.choices)
    on = forms.DateField(label="审批日期")
    note = forms.CharField(label="审批说明", required=False, help_text="不予批准时必填")


class ExecuteForm(forms.Form):
    on = forms.DateField(label="执行日期")
    successor_id_number = forms.CharField(
        label="继任者身份证号码（空缺不填）", required=False, max_length=24
    )


class CampaignForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    region = RegionPickerField(label="研判范围", levels=[Level.CITY, Level.COUNTY, Level.TOWNSHIP])
    period_starts_on = forms.DateField(label="研判期起")
    period_ends_on = forms.DateField(label="研判期止")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["region"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = Region.objects.visible_to(user).filter(
            level__in=[Level.CITY, Level.COUNTY, Level.TOWNSHIP]
        )


class EvaluationForm(forms.Form):
    appointment = forms.IntegerField(label="书记（任职编号）")
    rating = forms.ChoiceField(label="研判等次", choices=Rating.choices)
    flagged_incompetent = forms.BooleanField(label="认定不胜任", required=False)
    findings = forms.CharField(label="研判意见")
    evaluator = forms.CharField(label="研判人", max_length=100)
    on = forms.DateField(label="研判日期")


class EnrolForm(forms.Form):
    person = forms.IntegerField(label="人员", widget=person_widget())
    target_level = forms.ChoiceField(
        label="目标学历",
        choices=[(Education.JUNIOR_COLLEGE, "大专"), (Education.UNDERGRADUATE, "本科")],
    )
    institution = forms.CharField(label="就读院校", max_length=100)
    enrolled_on = forms.DateField(label="入学日期")
    expected_on = forms.DateField(label="预计毕业日期")


class FinishForm(forms.Form):
    on = forms.DateField(label="日期")


class BaseForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    region = RegionPickerField(label="所在村(社区)", levels=VILLAGE_LEVELS)
    level = forms.ChoiceField(label="级别", choices=BaseLevel.choices)
    opened_on = forms.DateField(label="挂牌日期")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["region"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = Region.objects.visible_to(user).filter(level__in=VILLAGE_LEVELS)


class SessionForm(forms.Form):
    title = forms.CharField(label="培训名称", max_length=100)
    kind = forms.ChoiceField(label="方式", choices=SessionKind.choices)
    starts_on = forms.DateField(label="开始日期")
    ends_on = forms.DateField(label="结束日期")


class AttendForm(forms.Form):
    person = forms.IntegerField(label="学员", widget=person_widget())
    # 结业 is ticked by the user when the trainee has finished, never in advance.
    completed = forms.BooleanField(label="结业", required=False)
