"""Forms choose nothing for the user that the user must decide, and offer every
choice the lists filter by."""

from __future__ import annotations

from datetime import date
from typing import Any

from baolei.cadres.forms import AttendForm
from baolei.clues.forms import ConcludeForm
from baolei.supervision.forms import ProblemForm
from baolei.supervision.models import ProblemSource, SupervisionPlan, SupervisionRound
from baolei.vetting.forms import RunForm
from baolei.vetting.models import Source


def test_conclude_has_no_conclusion_chosen_in_advance() -> None:
    html = str(ConcludeForm()["conclusion"])
    assert "selected" not in html.replace('value="" selected', "")
    assert not ConcludeForm({"on": "2026-11-30", "conclusion": ""}).is_valid()


def test_completion_of_training_is_not_ticked_in_advance() -> None:
    assert "checked" not in str(AttendForm()["completed"])


def test_a_vetting_run_compares_with_every_source_by_default(world: Any) -> None:
    html = str(RunForm(user=world.a_clerk)["sources"])
    assert html.count("checked") == len(Source.choices)


def test_a_problem_can_come_from_a_city_round_and_then_names_it(world: Any) -> None:
    form = ProblemForm(user=world.city_leader)
    assert ProblemSource.CITY_ROUND in dict(form.fields["source"].choices)
    plan = SupervisionPlan.objects.create(
        title="市督导方案",
        region=world.city,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
    )
    round_ = SupervisionRound.objects.create(
        plan=plan, number=1, starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 31)
    )
    base = {
        "source": ProblemSource.CITY_ROUND,
        "scope": "individual",
        "number": "市督-1",
        "description": "问题",
        "units": [world.agencies["a_office"].pk],
        "responsible_person": "李某",
        "received_on": "2026-04-01",
        "deadline": "2026-06-30",
    }
    missing = ProblemForm(base, user=world.city_leader)
    assert not missing.is_valid() and "须选择督导轮次" in str(missing.errors["round_"])
    named = ProblemForm(base | {"round_": round_.pk}, user=world.city_leader)
    assert named.is_valid(), named.errors
    assert named.cleaned_data["round_"] == round_
