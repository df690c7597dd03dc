"""The review queue: bulk decisions on a filtered set, explicit changes, follow-up of a hit."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from baolei.audit.models import SecurityEvent
from baolei.cadres.models import Adjustment, Appointment, Reason
from baolei.clues.models import Clue
from baolei.vetting import services
from baolei.vetting.models import Candidate, Decision, DecisionRecord, VettingRun
from baolei.vetting.tests.conftest import make_candidate


@pytest.fixture
def queue(world: Any, cadre: Appointment, hit_list: Any) -> dict[str, Candidate]:
    """Three county-A candidates scored 0.3, 0.5 and 0.9, and a pending county-B one at 0.3."""
    run = VettingRun.objects.create(region=world.county_a, sources=["external"], threshold=0.2)
    entry = hit_list.entries.first()
    found = {
        name: make_candidate(run, cadre, entry, score, name)
        for name, score in (("低分甲", 0.3), ("中分甲", 0.5), ("高分甲", 0.9))
    }
    b_run = VettingRun.objects.create(region=world.county_b, sources=["external"], threshold=0.2)
    found["乙县"] = make_candidate(b_run, world.outsider_rows[Appointment], entry, 0.3, "乙县低分")
    return found


def decision_of(candidate: Candidate) -> str:
    candidate.refresh_from_db()
    return candidate.decision


def bulk(client: Any, **data: Any) -> Any:
    return client.post(reverse("vetting:bulk_decide"), data, follow=True)


def test_dismiss_everything_below_a_score_in_the_filter(world, queue, client):
    client.force_login(world.a_reviewer)
    response = bulk(
        client,
        target="filtered",
        query="decision=pending&score_below=0.6",
        decision="dismissed",
        note="同名不同人",
    )
    assert "已记录 2 条疑似命中的研判结论" in response.content.decode()
    assert decision_of(queue["低分甲"]) == decision_of(queue["中分甲"]) == Decision.DISMISSED
    assert decision_of(queue["高分甲"]) == Decision.PENDING
    assert decision_of(queue["乙县"]) == Decision.PENDING  # outside the reviewer's scope
    for name in ("低分甲", "中分甲"):
        pk = queue[name].pk
        assert DecisionRecord.objects.get(candidate_id=pk).note == "同名不同人"
        assert (
            SecurityEvent.objects.filter(
                action="vetting_decision", target=f"vetting.candidate:{pk}"
            ).count()
            == 1
        )


def test_confirm_selected_touches_only_visible_candidates(world, queue, client):
    client.force_login(world.a_reviewer)
    bulk(
        client,
        target="selected",
        ids=[queue["高分甲"].pk, queue["乙县"].pk],
        query="",
        decision="confirmed",
    )
    assert decision_of(queue["高分甲"]) == Decision.CONFIRMED
    assert decision_of(queue["乙县"]) == Decision.PENDING
    assert decision_of(queue["低分甲"]) == Decision.PENDING


def test_bulk_dismissal_needs_a_reason(world, queue):
    with pytest.raises(ValidationError, match="须说明理由"):
        services.decide_candidates(
            actor=world.a_reviewer, candidates=Candidate.objects.all(), decision="dismissed"
        )
    assert not DecisionRecord.objects.filter(candidate__run__region=world.county_a).exists()


def test_bulk_on_a_decided_candidate_is_refused_unless_a_change(world, queue, client):
    services.decide_candidate(
        actor=world.a_reviewer, candidate=queue["低分甲"], decision="unsure", note="待核"
    )
    client.force_login(world.a_reviewer)
    response = bulk(
        client, target="filtered", query="score_below=0.6", decision="dismissed", note="排除"
    )
    assert "有 1 条已研判" in response.content.decode()
    assert decision_of(queue["低分甲"]) == Decision.UNSURE
    assert decision_of(queue["中分甲"]) == Decision.PENDING  # all or nothing
    bulk(
        client,
        target="filtered",
        query="score_below=0.6",
        decision="dismissed",
        note="排除",
        change="on",
    )
    assert decision_of(queue["低分甲"]) == decision_of(queue["中分甲"]) == Decision.DISMISSED
    change = DecisionRecord.objects.filter(candidate=queue["低分甲"]).first()
    assert change is not None and change.previous == Decision.UNSURE


def test_a_decided_candidate_changes_only_explicitly(world, queue):
    candidate = queue["高分甲"]
    services.decide_candidate(actor=world.a_reviewer, candidate=candidate, decision="confirmed")
    with pytest.raises(ValidationError, match="已研判为「确认命中」"):
        services.decide_candidate(
            actor=world.a_reviewer, candidate=candidate, decision="dismissed", note="同名"
        )
    services.decide_candidate(
        actor=world.a_reviewer, candidate=candidate, decision="dismissed", note="同名", change=True
    )
    assert decision_of(candidate) == Decision.DISMISSED
    assert list(candidate.records.values_list("previous", "decision")) == [
        ("confirmed", "dismissed"),
        ("pending", "confirmed"),
    ]


def test_clerk_may_not_decide_in_bulk(world, queue):
    with pytest.raises(PermissionDenied):
        services.decide_candidates(
            actor=world.a_clerk, candidates=Candidate.objects.all(), decision="confirmed"
        )


def test_confirmed_hit_proposes_the_cadres_adjustment_in_one_step(world, queue, client):
    candidate = queue["高分甲"]
    services.decide_candidate(
        actor=world.a_reviewer,
        candidate=candidate,
        decision="confirmed",
        note="经公安核实为同一人",
        propose_adjustment=True,
    )
    candidate.refresh_from_db()
    adjustment = Adjustment.objects.get(pk=candidate.adjustment_id)
    assert adjustment.appointment_id == candidate.appointment_id
    assert adjustment.reason == Reason.GANG_EVIL
    assert f"疑似命中第{candidate.pk}号" in adjustment.details
    client.force_login(world.a_reviewer)
    adjustment_page = client.get(reverse("cadres:adjustment", args=[adjustment.pk]))
    assert reverse("vetting:candidate", args=[candidate.pk]) in adjustment_page.content.decode()
    candidate_page = client.get(reverse("vetting:candidate", args=[candidate.pk]))
    assert reverse("cadres:adjustment", args=[adjustment.pk]) in candidate_page.content.decode()


def test_only_a_confirmed_hit_is_followed_up(world, queue):
    with pytest.raises(ValidationError, match="只有确认命中"):
        services.decide_candidate(
            actor=world.a_reviewer,
            candidate=queue["高分甲"],
            decision="unsure",
            propose_adjustment=True,
        )
    assert not Adjustment.objects.filter(appointment=queue["高分甲"].appointment).exists()


def test_a_hit_confirmed_earlier_opens_its_clue_from_the_page(world, queue, client):
    candidate = queue["高分甲"]
    services.decide_candidate(actor=world.a_reviewer, candidate=candidate, decision="confirmed")
    client.force_login(world.a_reviewer)
    client.post(reverse("vetting:follow_up", args=[candidate.pk]), {"open_clue": "on"})
    candidate.refresh_from_db()
    assert candidate.clue is not None and "背景审查发现" in candidate.clue.summary
    first = candidate.clue_id
    client.post(reverse("vetting:follow_up", args=[candidate.pk]), {"open_clue": "on"})
    candidate.refresh_from_db()
    assert candidate.clue_id == first  # a hit opens one clue
    assert Clue.objects.filter(source="vetting_hit").count() == 1


def test_change_through_the_page_needs_the_box(world, queue, client):
    candidate = queue["高分甲"]
    client.force_login(world.a_reviewer)
    url = reverse("vetting:decide", args=[candidate.pk])
    client.post(url, {"decision": "confirmed"})
    response = client.post(url, {"decision": "unsure", "note": "再核"}, follow=True)
    assert "如需改变结论请勾选" in response.content.decode()
    assert decision_of(candidate) == Decision.CONFIRMED
    client.post(url, {"decision": "unsure", "note": "再核", "change": "on"})
    assert decision_of(candidate) == Decision.UNSURE
