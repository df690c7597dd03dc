"""同一人候选: persons without an ID number matched to other records, decided by a reviewer,
never merged; a confirmed pair is an edge of the network."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from baolei.network import services
from baolei.network.models import Decision, Identity
from baolei.network.queries import Filters, expand, node_key
from baolei.people.models import Person
from baolei.people.services import create_person


@pytest.fixture
def twin(world: Any, gang: Any) -> Person:
    """黄某 recorded again, with an ID number, from another source."""
    return create_person(
        actor=world.a_clerk,
        name="黄某",
        region=world.village_a,
        id_number="510121198001020016",
        birth_date=date(1980, 1, 2),
        sex="male",
    )


def test_finding_lists_the_pair_once_and_merges_nothing(
    world: Any, gang: Any, twin: Person
) -> None:
    persons = Person.objects.count()
    added = services.find_same_persons(actor=world.a_clerk)
    assert added >= 1
    found = Identity.objects.get(person=gang.boss, other=twin)
    assert found.decision == Decision.PENDING
    assert "same_name" in found.evidence
    assert found.evidence_labels
    assert Person.objects.count() == persons
    assert services.find_same_persons(actor=world.a_clerk) == 0
    assert (
        not Identity.objects.filter(other=world.outsider_rows[Person])
        .exclude(found_by=world.b_clerk)
        .exists()
    )


def test_only_reviewers_decide_and_a_dismissal_says_why(
    world: Any, gang: Any, twin: Person
) -> None:
    services.find_same_persons(actor=world.a_clerk)
    found = Identity.objects.get(person=gang.boss, other=twin)
    with pytest.raises(PermissionDenied, match="审核员可以研判同一人候选"):
        services.decide_identity(actor=world.a_clerk, identity=found, decision="confirmed")
    with pytest.raises(PermissionDenied, match="不在您的管理范围内"):
        services.decide_identity(actor=world.b_clerk, identity=found, decision="confirmed")
    with pytest.raises(ValidationError) as refused:
        services.decide_identity(actor=world.a_reviewer, identity=found, decision="dismissed")
    assert "排除须写明理由。" in str(refused.value)
    services.decide_identity(actor=world.a_reviewer, identity=found, decision="confirmed")
    found.refresh_from_db()
    assert found.decided_by == world.a_reviewer and found.decided_at is not None
    with pytest.raises(ValidationError, match="已研判"):
        services.decide_identity(
            actor=world.a_reviewer, identity=found, decision="dismissed", note="重复"
        )


def test_a_confirmed_pair_joins_the_network(world: Any, gang: Any, twin: Person) -> None:
    services.find_same_persons(actor=world.a_clerk)
    found = Identity.objects.get(person=gang.boss, other=twin)
    before = expand(world.a_clerk, node_key("person", twin.pk), 1, Filters())
    assert node_key("person", gang.boss.pk) not in before.nodes
    services.decide_identity(actor=world.a_reviewer, identity=found, decision="confirmed")
    after = expand(world.a_clerk, node_key("person", twin.pk), 1, Filters())
    assert node_key("person", gang.boss.pk) in after.nodes
    assert any(e.kind == "same" for e in after.edges.values())


def test_the_candidate_pages(world: Any, gang: Any, twin: Person, login: Any) -> None:
    clerk = login(world.a_clerk)
    assert clerk.post("/network/identities/find/").status_code == 302
    page = clerk.get("/network/identities/")
    assert page.status_code == 200 and "黄某" in page.content.decode()
    found = Identity.objects.get(person=gang.boss, other=twin)
    assert clerk.post(f"/network/identities/{found.pk}/confirm/").status_code == 403
    reviewer = login(world.a_reviewer)
    reviewer.post(f"/network/identities/{found.pk}/dismiss/", {"note": ""})
    found.refresh_from_db()
    assert found.decision == Decision.PENDING
    reviewer.post(f"/network/identities/{found.pk}/confirm/", {"note": "出生日期一致"})
    found.refresh_from_db()
    assert found.decision == Decision.CONFIRMED
    assert login(world.city_leader).post("/network/identities/find/").status_code == 403


def test_the_candidate_list_has_a_query_budget(
    world: Any, gang: Any, login: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(6):
        create_person(actor=world.a_clerk, name=f"路人{n}", region=world.village_a)
        create_person(actor=world.a_clerk, name=f"路人{n}", region=world.village_a)
    services.find_same_persons(actor=world.a_clerk)
    assert Identity.objects.count() >= 6
    client = login(world.a_reviewer)
    client.get("/network/identities/")  # the session and navigation badges, read once
    with django_assert_max_num_queries(20):
        assert client.get("/network/identities/").status_code == 200
