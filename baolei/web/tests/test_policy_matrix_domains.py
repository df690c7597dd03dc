"""The action policy of the domain apps, proved as a matrix: every action of cases,
screening and the cadre roster, posted by every persona of the policy matrix (plus a
county procuratorate, court, organisation department and township Party committee)
against a record of its own agency or township, of another, and of another county.

As in ``test_policy_matrix``: a record the persona cannot see is 404, an action the
policy refuses is 403 with the rule's Chinese reason, an allowed action reaches its
form (a redirect back with the form's or the service's messages). Then each record
page, rendered as each persona, shows exactly the action forms the policy allows in
the record's present state.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import Resolver404, resolve, reverse

from baolei.accounts.models import Agency, AgencyKind, Role
from baolei.cadres import models as cd
from baolei.cadres.views import (
    AdjustmentActionView,
    AttendView,
    BaseCreateView,
    EnrolmentActionView,
    EnrolView,
    EvaluateView,
    ProposeView,
    SessionCreateView,
)
from baolei.cases import services as case_services
from baolei.cases.models import Case, Stage
from baolei.cases.policy import stage_rule
from baolei.cases.views import CaseActionView
from baolei.conftest import make_region, make_user
from baolei.core import policy
from baolei.core.outcomes import ActionView
from baolei.people.idnumber import check_char
from baolei.people.services import create_person
from baolei.regions.models import Level
from baolei.screening import services as screening_services
from baolei.screening.api import ScreeningViewSet
from baolei.screening.models import Screening, ScreeningRound, Standing
from baolei.screening.views import RoundCloseView, ScreeningActionView
from baolei.web.tests.policy_checks import (
    assert_api_outcome,
    assert_create_link,
    assert_page_outcome,
)
from baolei.web.tests.test_policy_matrix import PERSONAS, cast

__all__ = ["cast"]  # the shared cast's fixture, used here as this module's own

#: The actions of the domain apps; the routes that serve them.
COVERED: dict[type[ActionView], str] = {
    CaseActionView: "cases:action",
    ScreeningActionView: "screening:action",
    RoundCloseView: "screening:round_close",
    AdjustmentActionView: "cadres:adjustment_action",
    EvaluateView: "cadres:evaluate",
    ProposeView: "cadres:propose",
    EnrolView: "cadres:enrol",
    EnrolmentActionView: "cadres:enrolment_action",
    BaseCreateView: "cadres:base_create",
    SessionCreateView: "cadres:session_create",
    AttendView: "cadres:attend",
}

#: The county agencies the shared cast lacks, and one persona of each.
EXTRA_PERSONAS = [
    "dm_procuratorate_clerk",
    "dm_court_clerk",
    "dm_organisation_clerk",
    "dm_organisation_reviewer",
    "dm_township_clerk",
]
EVERYONE = PERSONAS + EXTRA_PERSONAS


def id_number(serial: int) -> str:
    first17 = f"51012119800101{serial:03d}"
    return first17 + check_char(first17)


@pytest.fixture(scope="module")
def domains(cast: Any, django_db_blocker: Any) -> Any:
    """Records of cases, screening and the roster, inside the shared cast's transaction:
    county A's own (its police, its first township), another agency's or township's,
    and county B's."""
    with django_db_blocker.unblock():
        w = cast
        a, u = w.agencies, w.users
        township2 = make_region("510121200000", "甲县二镇", Level.TOWNSHIP, w.county_a)
        village2 = make_region("510121200200", "甲县二镇一村", Level.VILLAGE, township2)
        for key, name, kind, region in (
            ("dm_procuratorate", "甲县人民检察院", AgencyKind.PROCURATORATE, w.county_a),
            ("dm_court", "甲县人民法院", AgencyKind.COURT, w.county_a),
            ("dm_organisation", "甲县委组织部", AgencyKind.ORGANISATION, w.county_a),
            ("dm_township", "甲县一镇党委", AgencyKind.TOWNSHIP_PARTY, w.township_a),
        ):
            a[key] = Agency.objects.create(name=name, kind=kind, region=region)
        u["dm_procuratorate_clerk"] = make_user(
            "dm_procuratorate_clerk", a["dm_procuratorate"], Role.CLERK
        )
        u["dm_court_clerk"] = make_user("dm_court_clerk", a["dm_court"], Role.CLERK)
        u["dm_organisation_clerk"] = make_user(
            "dm_organisation_clerk", a["dm_organisation"], Role.CLERK
        )
        u["dm_organisation_reviewer"] = make_user(
            "dm_organisation_reviewer", a["dm_organisation"], Role.REVIEWER
        )
        u["dm_township_clerk"] = make_user("dm_township_clerk", a["dm_township"], Role.CLERK)
        w.domain = {}
        build_cases(w, village2)
        build_screening(w, village2)
        build_cadres(w, village2)
    return w


def build_cases(w: Any, village2: Any) -> None:
    """Own: led by county A's police, with a suspect and a seizure still held; another
    agency's: led by the city police."""
    police = w.users["a_police_clerk"]
    own = case_services.open_case(
        actor=police,
        number="甲公刑〔2026〕901号",
        name="甲县某恶势力案",
        kind="evil_force",
        region=w.village_a,
        lead_agency=w.agencies["a_police"],
        opened_on=date(2026, 10, 1),
    )
    person = create_person(actor=police, name="甲县嫌疑人", region=w.village_a)
    case_services.add_suspect(actor=police, case=own, person=person, role="leader")
    case_services.record_asset(
        actor=police,
        case=own,
        kind="cash",
        measure="seize",
        description="现金",
        value=Decimal("120000"),
        on=date(2026, 10, 2),
    )
    theirs = case_services.open_case(
        actor=w.users["police_clerk"],
        number="市公刑〔2026〕902号",
        name="市局直办甲县涉黑案",
        kind="gang",
        region=village2,
        lead_agency=w.agencies["city_police"],
        opened_on=date(2026, 10, 5),
    )
    w.domain[CaseActionView] = {
        "own": own,
        "other_agency": theirs,
        "other_county": w.outsider_rows[Case],
    }


def build_screening(w: Any, village2: Any) -> None:
    """County A's round (联审: 公安, 组织部) with its first township's village proposed
    and the second's confirmed; the city's round, which a county does not close."""
    negative_list = screening_services.ensure_default_list()
    county = screening_services.open_round(
        actor=w.users["a_clerk"],
        name="甲县2026年排查",
        region=w.county_a,
        negative_list=negative_list,
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 12, 31),
        required_reviewers=[AgencyKind.POLICE, AgencyKind.ORGANISATION],
    )
    city = screening_services.open_round(
        actor=w.users["city_reviewer"],
        name="全市2026年排查",
        region=w.city,
        negative_list=negative_list,
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 12, 31),
    )
    proposed = county.screenings.get(region=w.village_a)
    item = negative_list.items.order_by("code")[0]
    screening_services.record_result(
        actor=w.users["a_clerk"],
        screening=proposed,
        proposal="flag",
        hits=[(item, "村霸把持村务")],
        on=date(2026, 4, 1),
    )
    confirmed = screening_services.add_to_list(  # its plan is the county office's
        actor=w.users["a_reviewer"],
        screening=county.screenings.get(region=village2),
        on=date(2026, 5, 1),
        reason="新发现村霸问题",
    )
    w.domain[ScreeningActionView] = {
        "own": proposed,
        "other_township": confirmed,
        "other_county": w.outsider_rows[Screening],
    }
    w.domain[RoundCloseView] = {
        "county": county,
        "city": city,
        "other_county": w.outsider_rows[ScreeningRound],
    }


def build_cadres(w: Any, village2: Any) -> None:
    """A member in county A's first township and a secretary in its second, each with
    an adjustment (proposed; approved), an enrolment, a base and a session."""
    clerk = w.users["a_clerk"]
    term = {"term_starts_on": date(2024, 3, 1), "term_ends_on": date(2029, 2, 28)}
    people, appointments, adjustments, enrolments, bases, sessions = {}, {}, {}, {}, {}, {}
    for n, (which, region, post) in enumerate(
        (("own", w.village_a, cd.Post.MEMBER), ("other_township", village2, cd.Post.SECRETARY))
    ):
        people[which] = create_person(
            actor=clerk, name=f"村干部{n}", region=region, id_number=id_number(n + 1)
        )
        appointments[which] = cd.Appointment.objects.create(
            person=people[which], region=region, post=post, started_on=date(2024, 3, 1), **term
        )
        adjustments[which] = cd.Adjustment.objects.create(
            appointment=appointments[which],
            reason=cd.Reason.INCOMPETENT,
            details="不胜任",
            proposed_on=date(2026, 6, 1),
            proposed_by=clerk,
            decision="approved" if which == "other_township" else "",
            decided_on=date(2026, 6, 5) if which == "other_township" else None,
        )
        enrolments[which] = cd.Enrolment.objects.create(
            person=people[which],
            target_level="junior_college",
            institution="某市开放大学",
            enrolled_on=date(2025, 9, 1),
            expected_on=date(2028, 7, 1),
        )
        bases[which] = cd.TrainingBase.objects.create(
            name=f"实训基地{n}", region=region, level="county", opened_on=date(2019, 5, 1)
        )
        sessions[which] = cd.TrainingSession.objects.create(
            base=bases[which],
            title=f"跟岗培训{n}",
            kind="shadowing",
            starts_on=date(2026, 4, 1),
            ends_on=date(2026, 4, 30),
        )
    outsider = w.outsider_rows
    county_campaign = cd.EvaluationCampaign.objects.create(
        name="甲县履职研判",
        region=w.county_a,
        period_starts_on=date(2026, 1, 1),
        period_ends_on=date(2026, 6, 30),
    )
    city_campaign = cd.EvaluationCampaign.objects.create(
        name="全市履职研判",
        region=w.city,
        period_starts_on=date(2026, 1, 1),
        period_ends_on=date(2026, 6, 30),
    )
    w.domain[AdjustmentActionView] = adjustments | {"other_county": outsider[cd.Adjustment]}
    w.domain[ProposeView] = appointments | {"other_county": outsider[cd.Appointment]}
    w.domain[EnrolmentActionView] = enrolments | {"other_county": outsider[cd.Enrolment]}
    w.domain[SessionCreateView] = bases | {"other_county": outsider[cd.TrainingBase]}
    w.domain[AttendView] = sessions | {"other_county": outsider[cd.TrainingSession]}
    w.domain[EvaluateView] = {
        "county": county_campaign,
        "city": city_campaign,
        "other_county": outsider[cd.EvaluationCampaign],
    }
    w.domain[EnrolView] = {"none": None}
    w.domain[BaseCreateView] = {"none": None}
    w.people = people


def records_of(domains: Any, view: type[ActionView]) -> dict[str, Any]:
    """The records as they stand now."""
    return {
        which: None if row is None else type(row).objects.get(pk=row.pk)
        for which, row in domains.domain[view].items()
    }


#: Which records each view is tried against (the same keys as the fixture builds).
RECORDS: dict[type[ActionView], tuple[str, ...]] = {
    CaseActionView: ("own", "other_agency", "other_county"),
    ScreeningActionView: ("own", "other_township", "other_county"),
    RoundCloseView: ("county", "city", "other_county"),
    AdjustmentActionView: ("own", "other_township", "other_county"),
    EvaluateView: ("county", "city", "other_county"),
    ProposeView: ("own", "other_township", "other_county"),
    EnrolView: ("none",),
    EnrolmentActionView: ("own", "other_township", "other_county"),
    BaseCreateView: ("none",),
    SessionCreateView: ("own", "other_township", "other_county"),
    AttendView: ("own", "other_township", "other_county"),
}

CASES = [
    (view, name, persona, which)
    for view in COVERED
    for name in view.actions
    for persona in EVERYONE
    for which in RECORDS[view]
]


def url_of(view: type[ActionView], record: Any, name: str) -> str:
    args = [] if record is None else [record.pk]
    if view.default_action:
        return reverse(COVERED[view], args=args)
    return reverse(COVERED[view], args=[*args, name])


def test_every_action_of_the_domain_apps_is_in_the_policy() -> None:
    for view in COVERED:
        for name, operation in view.actions.items():
            assert operation.permission, f"{view.__name__}.{name} asks no rule"
            assert policy.known(operation.permission), operation.permission
    assert len(CASES) >= 1000


@pytest.mark.parametrize(
    ("view", "name", "persona", "which"),
    CASES,
    ids=[f"{v.__name__}-{n}-{p}-{w}" for v, n, p, w in CASES],
)
def test_the_outcome_is_what_the_policy_says(
    domains: Any, db: Any, client: Any, view: type[ActionView], name: str, persona: str, which: str
) -> None:
    user = domains.users[persona]
    record = records_of(domains, view)[which]
    client.force_login(user)
    response = client.post(url_of(view, record, name), {})
    visible = (
        record is None or view.model._default_manager.visible_to(user).filter(pk=record.pk).exists()
    )
    operation = view.actions[name]
    assert_page_outcome(response, user, operation.permission, record, visible)


def domain_forms(html: str) -> set[tuple[str, str]]:
    """(route, action) of every POST form on a page that goes to a domain action."""
    found = set()
    for url in re.findall(r'<form[^>]*method="post"[^>]*action="([^"]+)"', html):
        try:
            match = resolve(url)
        except Resolver404:
            continue
        route = f"{match.namespace}:{match.url_name}"
        for view, covered in COVERED.items():
            if covered == route:
                found.add((route, match.kwargs.get("action") or view.default_action))
    return found


#: Each record page and the view whose actions it offers.
PAGE_OF: dict[type[ActionView], tuple[str, tuple[str, ...]]] = {
    CaseActionView: ("cases:detail", ("own", "other_agency")),
    ScreeningActionView: ("screening:organisation", ("own", "other_township")),
    RoundCloseView: ("screening:round", ("county", "city")),
    AdjustmentActionView: ("cadres:adjustment", ("own", "other_township")),
    EvaluateView: ("cadres:campaign", ("county", "city")),
    SessionCreateView: ("cadres:base", ("own", "other_township")),
    AttendView: ("cadres:session", ("own", "other_township")),
}
PAGES = [
    (page, view, which, persona)
    for view, (page, kinds) in PAGE_OF.items()
    for which in kinds
    for persona in EVERYONE
]


@pytest.mark.parametrize(
    ("page", "view", "which", "persona"), PAGES, ids=[f"{p}-{w}-{u}" for p, _, w, u in PAGES]
)
def test_a_record_page_shows_exactly_the_allowed_actions(
    domains: Any, db: Any, client: Any, page: str, view: type[ActionView], which: str, persona: str
) -> None:
    user = domains.users[persona]
    record = records_of(domains, view)[which]
    client.force_login(user)
    response = client.get(reverse(page, args=[record.pk]))
    if response.status_code != 200:
        assert response.status_code in (403, 404)
        assert not view.model._default_manager.visible_to(user).filter(pk=record.pk).exists()
        return
    route = COVERED[view]
    shown = {form for form in domain_forms(response.content.decode()) if form[0] == route}
    allowed = {
        (route, name)
        for name, operation in view.actions.items()
        if policy.allows(user, operation.permission, record) and view.offered(name, record)
    }
    assert shown == allowed


def test_the_cadre_page_offers_a_proposal_only_to_the_villages_keepers(
    domains: Any, db: Any, client: Any
) -> None:
    """The township Party committee proposes for its own township's cadres only."""
    for persona, which, expected in (
        ("dm_township_clerk", "own", True),
        ("dm_township_clerk", "other_township", False),
        ("a_clerk", "other_township", True),
        ("a_police_clerk", "own", False),
    ):
        client.force_login(domains.users[persona])
        person = domains.people[which]
        page = client.get(reverse("cadres:cadre", args=[person.pk])).content.decode()
        assert (("cadres:propose", "propose") in domain_forms(page)) is expected, persona


def test_the_cases_the_rules_were_written_for(domains: Any, db: Any) -> None:
    """Each stage is its own agency's; a police agency below the leading one only reads
    the case, the one above it directs it."""
    u = domains.users
    own = records_of(domains, CaseActionView)["own"]
    theirs = records_of(domains, CaseActionView)["other_agency"]
    arrest = stage_rule(Stage.ARREST_APPROVED)
    assert not policy.allows(u["a_police_clerk"], arrest, own)
    assert policy.reason(u["a_police_clerk"], arrest, own) == (
        "“批准逮捕”应由检察院登记，本单位不能登记。"
    )
    assert policy.allows(u["dm_procuratorate_clerk"], arrest, own)
    assert policy.allows(u["a_clerk"], arrest, own)  # the office coordinates
    first = stage_rule(Stage.FIRST_INSTANCE)
    assert policy.allows(u["dm_court_clerk"], first, own)
    assert policy.reason(u["dm_procuratorate_clerk"], first, own) == (
        "“一审判决”应由法院登记，本单位不能登记。"
    )
    with pytest.raises(PermissionDenied, match="应由检察院登记"):
        case_services.record_stage(
            actor=u["a_police_clerk"], case=own, stage=Stage.ARREST_APPROVED, on=date(2026, 10, 3)
        )
    assert not policy.allows(u["a_police_clerk"], "cases.suspect", theirs)
    assert policy.reason(u["a_police_clerk"], "cases.suspect", theirs) == (
        "该案由某市公安局主办，本单位不能登记犯罪嫌疑人。"
    )
    assert policy.allows(u["police_clerk"], "cases.suspect", theirs)
    assert policy.allows(u["police_clerk"], "cases.suspect", own)  # the city bureau directs
    assert not policy.allows(u["a_police_clerk"], "cases.supervision", own)
    assert policy.allows(u["a_reviewer"], "cases.supervision", own)
    for admin in ("sysadmin", "secadmin", "auditadmin"):
        assert not policy.allows(u[admin], "cases.stage", own)


def test_the_screening_cases(domains: Any, db: Any) -> None:
    """Clerks do not close a round, a county does not close the city's, only the named
    departments review, a township records its own villages only."""
    u = domains.users
    rounds = records_of(domains, RoundCloseView)
    assert not policy.allows(u["a_clerk"], "screening.close", rounds["county"])
    assert policy.reason(u["a_clerk"], "screening.close", rounds["county"]) == (
        "只有扫黑办或组织部的审核员、领导可以结束本轮排查。"
    )
    assert policy.allows(u["a_leader"], "screening.close", rounds["county"])
    assert not policy.allows(u["a_leader"], "screening.close", rounds["city"])
    assert policy.reason(u["a_leader"], "screening.close", rounds["city"]) == (
        "某市不在甲县扫黑办的辖区内，本单位不能结束本轮排查。"
    )
    assert policy.allows(u["city_leader"], "screening.close", rounds["city"])
    with pytest.raises(PermissionDenied, match="辖区"):
        screening_services.close_round(
            actor=u["a_leader"], round_=rounds["city"], on=date(2026, 11, 1)
        )
    organisations = records_of(domains, ScreeningActionView)
    own = organisations["own"]
    assert policy.allows(u["a_police_reviewer"], "screening.review", own)
    assert policy.allows(u["dm_organisation_reviewer"], "screening.review", own)
    assert not policy.allows(u["a_reviewer"], "screening.review", own)
    assert policy.reason(u["a_reviewer"], "screening.review", own) == (
        "本轮联审部门为：公安机关、组织部，您的单位不在其中，不能参加联审。"
    )
    assert not policy.allows(u["a_police_clerk"], "screening.review", own)
    assert policy.allows(u["dm_township_clerk"], "screening.result", own)
    assert not policy.allows(
        u["dm_township_clerk"], "screening.result", organisations["other_township"]
    )
    assert not policy.allows(u["a_police_clerk"], "screening.result", own)
    # taking it off the list cancels the county office's plan: not the department's to do
    listed = organisations["other_township"]
    assert listed.standing == Standing.CONFIRMED and listed.plan is not None
    assert policy.allows(u["a_reviewer"], "screening.remove", listed)
    assert not policy.allows(u["dm_organisation_reviewer"], "screening.remove", listed)
    assert policy.reason(u["dm_organisation_reviewer"], "screening.remove", listed) == (
        "移出名单将撤销其整顿台账，该台账由甲县扫黑办负责，本单位不能撤销，"
        "应由责任单位或扫黑办的审核员、领导移出。"
    )
    with pytest.raises(PermissionDenied, match="不能撤销"):
        screening_services.remove_from_list(
            actor=u["dm_organisation_reviewer"],
            screening=listed,
            on=date(2026, 11, 1),
            reason="误报",
        )


def test_the_cadre_cases(domains: Any, db: Any) -> None:
    """The organisation department approves adjustments; the campaign office keeps the
    roster but does not evaluate secretaries."""
    u = domains.users
    adjustments = records_of(domains, AdjustmentActionView)
    proposed = adjustments["own"]
    assert policy.allows(u["dm_organisation_reviewer"], "cadres.decide", proposed)
    for persona in ("a_reviewer", "dm_organisation_clerk", "a_leader"):
        assert not policy.allows(u[persona], "cadres.decide", proposed), persona
    assert policy.reason(u["a_reviewer"], "cadres.decide", proposed) == (
        "只有组织部的审核员（调整须经组织部门审批）可以审批村干部调整。"
    )
    assert policy.allows(u["a_clerk"], "cadres.execute", adjustments["other_township"])
    assert not policy.allows(
        u["dm_township_clerk"], "cadres.execute", adjustments["other_township"]
    )
    campaign = records_of(domains, EvaluateView)["city"]
    assert not policy.allows(u["a_clerk"], "cadres.evaluate", campaign)
    assert policy.allows(u["dm_township_clerk"], "cadres.evaluate", campaign)
    assert policy.allows(u["dm_organisation_clerk"], "cadres.evaluate", campaign)
    for admin in ("sysadmin", "secadmin", "auditadmin"):
        assert not policy.allows(u[admin], "cadres.enrol")
        assert not policy.allows(u[admin], "cadres.execute", adjustments["other_township"])


API_CASES = [(persona, which) for persona in EVERYONE for which in RECORDS[ScreeningActionView]]


@pytest.mark.parametrize(("persona", "which"), API_CASES, ids=[f"{p}-{w}" for p, w in API_CASES])
def test_the_api_review_answers_as_the_policy_says(
    domains: Any, db: Any, client: Any, persona: str, which: str
) -> None:
    """联审 through the API asks the same rule before it reads the body."""
    user = domains.users[persona]
    record = records_of(domains, ScreeningActionView)[which]
    client.force_login(user)
    response = client.post(
        reverse("api:screening-organisation-review", args=[record.pk]),
        {},
        content_type="application/json",
    )
    rule = ScreeningViewSet.policy_actions["review"]
    visible = Screening.objects.visible_to(user).filter(pk=record.pk).exists()
    assert_api_outcome(response, user, rule, record, visible)


#: (list page, create or import page it links to, the rule that page asks)
CREATE_LINKS = [
    ("cases:list", "cases:create", "cases.open"),
    ("screening:rounds", "screening:round_create", "screening.open"),
    ("cadres:list", "cadres:appoint", "cadres.appoint"),
    ("cadres:list", "cadres:import", "cadres.appoint"),
    ("cadres:campaigns", "cadres:campaign_create", "cadres.open_campaign"),
]
LINK_CASES = [(*link, persona) for link in CREATE_LINKS for persona in EVERYONE]


@pytest.mark.parametrize(
    ("page", "target", "rule", "persona"), LINK_CASES, ids=[f"{t}-{p}" for _, t, _, p in LINK_CASES]
)
def test_a_create_page_opens_exactly_for_whom_the_list_offers_it(
    domains: Any, db: Any, client: Any, page: str, target: str, rule: str, persona: str
) -> None:
    assert_create_link(client, domains.users[persona], page, target, rule)


#: List pages that carry a form for an action on no record yet, or on each row.
LIST_FORMS = [
    ("cadres:education", EnrolView),
    ("cadres:bases", BaseCreateView),
    ("cadres:education", EnrolmentActionView),
]
LIST_CASES = [(*row, persona) for row in LIST_FORMS for persona in EVERYONE]


@pytest.mark.parametrize(
    ("page", "view", "persona"),
    LIST_CASES,
    ids=[f"{p}-{v.__name__}-{u}" for p, v, u in LIST_CASES],
)
def test_a_list_page_shows_exactly_the_allowed_forms(
    domains: Any, db: Any, client: Any, page: str, view: type[ActionView], persona: str
) -> None:
    user = domains.users[persona]
    client.force_login(user)
    response = client.get(reverse(page))
    route = COVERED[view]
    html = response.content.decode()
    if view is EnrolmentActionView:
        # one pair of forms per enrolment in the user's scope that the user may finish
        shown = set(re.findall(r'action="(/cadres/education/\d+/(?:graduate|withdraw)/)"', html))
        rows = cd.Enrolment.objects.visible_to(user)
        allowed = {
            url_of(view, row, name)
            for row in rows
            for name, operation in view.actions.items()
            if policy.allows(user, operation.permission, row) and view.offered(name, row)
        }
        assert shown == allowed
        return
    shown = {form for form in domain_forms(html) if form[0] == route}
    name, operation = next(iter(view.actions.items()))
    assert shown == ({(route, name)} if policy.allows(user, operation.permission) else set())
