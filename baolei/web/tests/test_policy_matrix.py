"""The action policy, proved as a matrix: every action of the record pages that state
their rules in ``<app>/policy.py`` (the ledger, clues and referrals, user accounts,
persons, vetting runs and candidates), posted by every persona against a record of its
own agency, of another agency and of another county.

The outcome must equal what the policy says: a record the persona cannot see is 404,
an action the policy refuses is 403 with the rule's Chinese reason, an allowed action
reaches its form (a redirect back with the form's or the service's messages). Then
each record page, rendered as each persona, shows exactly the action forms the policy
allows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.urls import resolve, reverse

from baolei.accounts.models import Agency, AgencyKind, Role, User
from baolei.accounts.views import UserActionView
from baolei.cadres.models import Appointment, Post
from baolei.clues import services as clue_services
from baolei.clues.models import Clue, Referral
from baolei.clues.views import ClueActionView, ReferralActionView
from baolei.conftest import build_world, built_once, make_user
from baolei.coordination import models as co
from baolei.coordination.views import DecisionView, ManualScoreView
from baolei.core import policy
from baolei.core.outcomes import ActionView
from baolei.ledger.api import LedgerItemViewSet
from baolei.ledger.calendar import seed_from_package
from baolei.ledger.models import LedgerItem
from baolei.ledger.views import LedgerActionView
from baolei.people.models import Person
from baolei.people.services import create_person
from baolei.people.views import RevealNumberView
from baolei.supervision import models as sv
from baolei.supervision.views import PlanActionView, ProblemReopenView
from baolei.vetting.api import CandidateViewSet
from baolei.vetting.models import Candidate, VettingRun
from baolei.vetting.views import CandidateDecideView, CandidateFollowUpView, RunRerunView
from baolei.web.tests.policy_checks import (
    assert_api_outcome,
    assert_create_link,
    assert_page_outcome,
)

#: The record pages whose every action is in the policy; the routes that serve them.
COVERED: dict[type[ActionView], str] = {
    LedgerActionView: "ledger:action",
    ClueActionView: "clues:action",
    ReferralActionView: "clues:referral_action",
    UserActionView: "accounts:user_action",
    RevealNumberView: "people:reveal",
    RunRerunView: "vetting:rerun",
    CandidateDecideView: "vetting:decide",
    CandidateFollowUpView: "vetting:follow_up",
    PlanActionView: "supervision:plan_action",
    ProblemReopenView: "supervision:problem_reopen",
    DecisionView: "coordination:decide",
    ManualScoreView: "coordination:score",
}


@pytest.fixture(scope="module")
def cast(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[Any]:
    """The fixed cast plus an agency of each kind in county A, and records of three
    owners: the county office, the county police and county B."""
    with built_once(django_db_blocker, tmp_path_factory):
        w = build_world()
        seed_from_package()  # referral deadlines count working days
        a = w.agencies
        a["a_discipline"] = Agency.objects.create(
            name="甲县纪委监委", kind=AgencyKind.DISCIPLINE, region=w.county_a
        )
        u = w.users
        u["a_leader"] = make_user("a_leader", a["a_office"], Role.LEADER)
        u["a_police_clerk"] = make_user("a_police_clerk", a["a_police"], Role.CLERK)
        u["a_police_reviewer"] = make_user("a_police_reviewer", a["a_police"], Role.REVIEWER)
        u["a_police_leader"] = make_user("a_police_leader", a["a_police"], Role.LEADER)
        u["a_discipline_clerk"] = make_user("a_discipline_clerk", a["a_discipline"], Role.CLERK)
        u["city_reviewer"] = make_user("city_reviewer", a["city_office"], Role.REVIEWER)
        w.items = {
            "own": item(w, "TZ-甲-0001", a["a_office"]),
            "other_agency": item(w, "TZ-甲-0002", a["a_police"]),
            "other_county": w.outsider_rows[LedgerItem],
        }
        w.items["other_agency"].responsible_user = u["a_police_clerk"]
        w.items["other_agency"].save()
        own = clue_services.register_clue(
            actor=u["a_clerk"],
            received_on=date(2026, 11, 2),
            source="hotline",
            category="gang",
            summary="甲县办理的线索",
            region=w.village_a,
        )
        handed = clue_services.register_clue(
            actor=u["a_police_clerk"],
            received_on=date(2026, 11, 3),
            source="hotline",
            category="umbrella",
            summary="公安移送纪委的保护伞线索",
            region=w.village_a,
        )
        referral = clue_services.refer(
            actor=u["a_police_clerk"],
            clue=handed,
            to_agency=a["a_discipline"],
            on=date(2026, 11, 4),
            reason="涉嫌充当保护伞",
        )
        clue_services.acknowledge(
            actor=u["a_discipline_clerk"], referral=referral, on=date(2026, 11, 5)
        )
        w.clues = {"own": own, "handed_over": handed, "other_county": w.outsider_rows[Clue]}
        pending = clue_services.refer(
            actor=u["a_clerk"],
            clue=own,
            to_agency=a["a_police"],
            on=date(2026, 11, 6),
            reason="涉黑线索移交公安",
        )
        w.referrals = {
            "signed": referral,
            "pending": pending,
            "other_county": w.outsider_rows[Referral],
        }
        w.subjects = {
            "own": u["a_clerk"],
            "other_agency": u["a_police_clerk"],
            "other_county": w.outsider_rows[User],
        }
        person = create_person(
            actor=u["a_clerk"],
            name="甲县李四",
            region=w.village_a,
            id_number="510121197208150024",
            phone="13812345678",
        )
        w.persons = {"own": person, "other_county": w.outsider_rows[Person]}
        appointment = Appointment.objects.create(
            person=person,
            region=w.village_a,
            post=Post.SECRETARY,
            started_on=date(2021, 3, 1),
            term_starts_on=date(2021, 3, 1),
            term_ends_on=date(2026, 2, 28),
        )
        run = VettingRun.objects.create(
            region=w.county_a, sources=["cases"], threshold=0.2, status="failed", progress=5
        )
        w.runs = {"own": run, "other_county": w.outsider_rows[VettingRun]}
        candidate = Candidate.objects.create(
            run=run,
            appointment=appointment,
            source="cases",
            person=person,
            matched_name="甲县比中人员",
            score=0.9,
            evidence=["same_name"],
        )
        w.candidates = {"own": candidate, "other_county": w.outsider_rows[Candidate]}
        # Covering records: one of county A's own, one of the whole city, one of county B.
        w.plans, w.problems, w.meetings, w.schemes = {}, {}, {}, {}
        for which, region in (("own", w.county_a), ("city", w.city)):
            w.plans[which] = sv.SupervisionPlan.objects.create(
                title=f"{region.name}督导方案",
                region=region,
                starts_on=date(2026, 1, 1),
                ends_on=date(2026, 12, 31),
            )
            w.problems[which] = sv.Problem.objects.create(
                source="self_inspection",
                scope="individual",
                number=f"{region.name}-1",
                region=region,
                description=f"{region.name}问题",
                deadline=date(2026, 12, 31),
                received_on=date(2026, 1, 1),
            )
            w.meetings[which] = co.Meeting.objects.create(
                kind="joint_meeting",
                held_on=date(2026, 5, 1),
                topic=f"{region.name}联席会议",
                region=region,
                convener=a["a_office"] if which == "own" else a["city_office"],
            )
            w.schemes[which] = co.AssessmentScheme.objects.create(
                name=f"{region.name}考核",
                region=region,
                starts_on=date(2026, 1, 1),
                ends_on=date(2026, 12, 31),
            )
        w.plans["other_county"] = w.outsider_rows[sv.SupervisionPlan]
        w.problems["other_county"] = w.outsider_rows[sv.Problem]
        w.meetings["other_county"] = w.outsider_rows[co.Meeting]
        w.schemes["other_county"] = w.outsider_rows[co.AssessmentScheme]
        yield w


def item(w: Any, key: str, owner: Agency) -> LedgerItem:
    return LedgerItem.objects.create(
        key=key,
        title=f"{owner.name}整改事项",
        region=w.village_a,
        owner_agency=owner,
        responsible_person="李某",
        deadline=date(2026, 12, 31),
    )


PERSONAS = [
    "city_leader",
    "city_reviewer",
    "a_clerk",
    "a_reviewer",
    "a_leader",
    "a_police_clerk",
    "a_police_reviewer",
    "a_police_leader",
    "a_discipline_clerk",
    "police_clerk",
    "discipline_clerk",
    "b_clerk",
    "sysadmin",
    "secadmin",
    "auditadmin",
]


def records_of(cast: Any, view: type[ActionView]) -> dict[str, Any]:
    """The records as they stand now (a signed referral changed its clue's holder)."""
    rows = {
        LedgerActionView: cast.items,
        ClueActionView: cast.clues,
        ReferralActionView: cast.referrals,
        UserActionView: cast.subjects,
        RevealNumberView: cast.persons,
        RunRerunView: cast.runs,
        CandidateDecideView: cast.candidates,
        CandidateFollowUpView: cast.candidates,
        PlanActionView: cast.plans,
        ProblemReopenView: cast.problems,
        DecisionView: cast.meetings,
        ManualScoreView: cast.schemes,
    }[view]
    return {which: type(row).objects.get(pk=row.pk) for which, row in rows.items()}


#: Which records each view is tried against.
RECORDS: dict[type[ActionView], tuple[str, ...]] = {
    LedgerActionView: ("own", "other_agency", "other_county"),
    ClueActionView: ("own", "handed_over", "other_county"),
    ReferralActionView: ("signed", "pending", "other_county"),
    UserActionView: ("own", "other_agency", "other_county"),
    RevealNumberView: ("own", "other_county"),
    RunRerunView: ("own", "other_county"),
    CandidateDecideView: ("own", "other_county"),
    CandidateFollowUpView: ("own", "other_county"),
    PlanActionView: ("own", "city", "other_county"),
    ProblemReopenView: ("own", "city", "other_county"),
    DecisionView: ("own", "city", "other_county"),
    ManualScoreView: ("own", "city", "other_county"),
}


CASES = [
    (view, name, persona, which)
    for view in COVERED
    for name in view.actions
    for persona in PERSONAS
    for which in RECORDS[view]
]


def url_of(view: type[ActionView], record: Any, name: str) -> str:
    """The action's URL: routes with an ``<action>`` name it, the others do one thing."""
    if view.default_action:
        return reverse(COVERED[view], args=[record.pk])
    return reverse(COVERED[view], args=[record.pk, name])


def test_every_covered_action_is_in_the_policy() -> None:
    for view in COVERED:
        for name, operation in view.actions.items():
            assert operation.permission, f"{view.__name__}.{name} asks no rule"
            assert policy.known(operation.permission), operation.permission
    assert len(CASES) >= 400


@pytest.mark.parametrize(
    ("view", "name", "persona", "which"),
    CASES,
    ids=[f"{v.__name__}-{n}-{p}-{w}" for v, n, p, w in CASES],
)
def test_the_outcome_is_what_the_policy_says(
    cast: Any, db: Any, client: Any, view: type[ActionView], name: str, persona: str, which: str
) -> None:
    user = cast.users[persona]
    record = records_of(cast, view)[which]
    client.force_login(user)
    response = client.post(url_of(view, record, name), {})
    visible = view.model._default_manager.visible_to(user).filter(pk=record.pk).exists()
    operation = view.actions[name]
    required = getattr(view, "required_roles", ())
    if required and not user.has_role(*required):
        assert response.status_code == 403  # the page itself is not for this role
    else:
        assert_page_outcome(response, user, operation.permission, record, visible)


def test_the_cases_the_policy_was_written_for(cast: Any) -> None:
    """Another agency's reviewer accepts an item but does not run it; once a referral
    is signed, the referring agency no longer handles the clue."""
    mine, theirs = cast.items["own"], cast.items["other_agency"]
    police_reviewer = cast.users["a_police_reviewer"]
    assert policy.allows(police_reviewer, "ledger.accept", mine)
    for action in ("progress", "cancel", "extend", "edit"):
        assert not policy.allows(police_reviewer, f"ledger.{action}", mine)
    assert policy.reason(police_reviewer, "ledger.cancel", mine) == (
        "该事项由甲县扫黑办负责，本单位只能验收，不能撤销事项。"
    )
    assert not policy.allows(police_reviewer, "ledger.accept", theirs)
    assert policy.allows(cast.users["a_reviewer"], "ledger.cancel", theirs)  # coordinates
    assert policy.allows(cast.users["a_police_clerk"], "ledger.progress", theirs)
    handed = records_of(cast, ClueActionView)["handed_over"]
    assert not policy.allows(cast.users["a_police_clerk"], "clues.assign", handed)
    assert policy.allows(cast.users["a_discipline_clerk"], "clues.assign", handed)
    assert policy.reason(cast.users["a_police_clerk"], "clues.assign", handed) == (
        "该线索由甲县纪委监委承办，本单位只能跟踪移送情况，不能交办。"
    )


def action_forms(html: str) -> set[tuple[str, str]]:
    """(route, action) of every POST form on a page that goes to a covered view."""
    found = set()
    for url in re.findall(r'<form[^>]*method="post"[^>]*action="([^"]+)"', html):
        match = resolve(url)
        if match.url_name and f"{match.namespace}:{match.url_name}" in COVERED.values():
            view = match.func.view_class
            name = match.kwargs.get("action") or view.default_action
            found.add((f"{match.namespace}:{match.url_name}", name))
    return found


PAGES = (
    [
        ("ledger:detail", LedgerActionView, which, persona)
        for which in ("own", "other_agency")
        for persona in PERSONAS
    ]
    + [
        ("clues:detail", ClueActionView, which, persona)
        for which in ("own", "handed_over")
        for persona in PERSONAS
    ]
    + [
        (page, view, which, persona)
        for page, view in (
            ("supervision:plan", PlanActionView),
            ("coordination:meeting", DecisionView),
        )
        for which in ("own", "city")
        for persona in PERSONAS
    ]
)


@pytest.mark.parametrize(
    ("page", "view", "which", "persona"), PAGES, ids=[f"{p}-{w}-{u}" for p, _, w, u in PAGES]
)
def test_a_record_page_shows_exactly_the_allowed_actions(
    cast: Any, db: Any, client: Any, page: str, view: type[ActionView], which: str, persona: str
) -> None:
    user = cast.users[persona]
    record = records_of(cast, view)[which]
    client.force_login(user)
    response = client.get(reverse(page, args=[record.pk]))
    if response.status_code != 200:
        assert response.status_code in (403, 404)
        return
    shown = action_forms(response.content.decode())
    route = COVERED[view]
    allowed = {
        (route, name)
        for name, operation in view.actions.items()
        if policy.allows(user, operation.permission, record) and view.offered(name, record)
    }
    assert shown == allowed


#: The API's writes on one record: (route, method, viewset, action) — each asks the rule
#: its viewset names in ``policy_actions`` before it reads the body.
API_WRITES = [
    ("api:ledger-item-detail", "patch", LedgerItemViewSet, "partial_update"),
    *[
        (f"api:ledger-item-{name}", "post", LedgerItemViewSet, name)
        for name in ("progress", "evidence", "acceptance", "extend", "suspend", "resume", "cancel")
    ],
    ("api:vetting-candidate-decide", "post", CandidateViewSet, "decide"),
]
API_CASES = [
    (route, method, viewset, name, persona, which)
    for route, method, viewset, name in API_WRITES
    for persona in PERSONAS
    for which in (
        ("own", "other_agency", "other_county")
        if viewset is LedgerItemViewSet
        else ("own", "other_county")
    )
]


@pytest.mark.parametrize(
    ("route", "method", "viewset", "name", "persona", "which"),
    API_CASES,
    ids=[f"{r}-{p}-{w}" for r, _, _, _, p, w in API_CASES],
)
def test_the_api_answers_as_the_policy_says(
    cast: Any,
    db: Any,
    client: Any,
    route: str,
    method: str,
    viewset: Any,
    name: str,
    persona: str,
    which: str,
) -> None:
    user = cast.users[persona]
    rows = cast.items if viewset is LedgerItemViewSet else cast.candidates
    record = type(rows[which]).objects.get(pk=rows[which].pk)
    client.force_login(user)
    response = getattr(client, method)(
        reverse(route, args=[record.pk]), {}, content_type="application/json"
    )
    rule = viewset.policy_actions[name]
    visible = type(record).objects.visible_to(user).filter(pk=record.pk).exists()
    assert_api_outcome(response, user, rule, record, visible)


def test_every_api_write_on_a_record_names_its_rule() -> None:
    for _, _, viewset, name in API_WRITES:
        assert policy.known(viewset.policy_actions[name])


#: (list page, create or import page it links to, the rule that page asks)
CREATE_LINKS = [
    ("ledger:list", "ledger:create", "ledger.create"),
    ("ledger:list", "ledger:import", "ledger.create"),
    ("clues:list", "clues:create", "clues.register"),
    ("clues:list", "clues:import", "clues.register"),
    ("vetting:runs", "vetting:create", "vetting.start"),
    ("vetting:runs", "vetting:import", "vetting.import_list"),
    ("accounts:users", "accounts:user_create", "accounts.create_user"),
    ("supervision:plans", "supervision:plan_create", "supervision.create_plan"),
    ("supervision:problems", "supervision:problem_create", "supervision.create_problem"),
    ("supervision:problems", "supervision:problem_import", "supervision.create_problem"),
    ("coordination:meetings", "coordination:meeting_create", "coordination.record_meeting"),
    ("coordination:meetings", "coordination:cadence_create", "coordination.require_cadence"),
    ("coordination:mechanisms", "coordination:mechanism_create", "coordination.record_mechanism"),
    ("coordination:schemes", "coordination:scheme_create", "coordination.create_scheme"),
]
LINK_CASES = [(*link, persona) for link in CREATE_LINKS for persona in PERSONAS]


@pytest.mark.parametrize(
    ("page", "target", "rule", "persona"), LINK_CASES, ids=[f"{t}-{p}" for _, t, _, p in LINK_CASES]
)
def test_a_create_page_opens_exactly_for_whom_the_list_offers_it(
    cast: Any, db: Any, client: Any, page: str, target: str, rule: str, persona: str
) -> None:
    assert_create_link(client, cast.users[persona], page, target, rule)


def test_readme_states_every_rule() -> None:
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Who may do what") :]
    missing = [name for name in policy.names() if f"`{name}`" not in table]
    assert not missing, f"README's policy table lacks {missing}"
