from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from baolei.audit.models import SecurityEvent
from baolei.cadres.models import Appointment, Post
from baolei.clues.models import Source as ClueSource
from baolei.people.idnumber import check_char
from baolei.people.services import create_person
from baolei.vetting import services
from baolei.vetting.models import Candidate, Decision, Source

FIRST17 = "52010219800307123"
ID_NUMBER = FIRST17 + check_char(FIRST17)
TYPO = ID_NUMBER[:10] + "1" + ID_NUMBER[11:]  # a one-digit typo in the birth month


@pytest.fixture
def run(world):
    cadre = create_person(
        actor=world.a_clerk, name="张建国", region=world.village_a, id_number=ID_NUMBER
    )
    Appointment.objects.create(
        person=cadre,
        region=world.village_a,
        post=Post.SECRETARY,
        started_on=date(2024, 1, 1),
        term_starts_on=date(2024, 1, 1),
        term_ends_on=date(2029, 1, 1),
    )
    services.import_external_list(
        actor=world.a_clerk,
        name="前科人员名单",
        source_agency="市公安局",
        rows=[
            services.EntryRow("張建國", TYPO, None, "寻衅滋事"),
            services.EntryRow("李四", "", date(1970, 1, 1), ""),
        ],
    )
    return services.run_vetting(
        actor=world.a_clerk, region=world.county_a, sources=[Source.EXTERNAL]
    )


def test_run_finds_the_typo_and_traditional_form(run):
    candidate = Candidate.objects.get(run=run)
    assert "id_one_edit" in candidate.evidence and "same_name" in candidate.evidence
    assert run.progress == 100 and run.cadres_total >= 1
    assert ID_NUMBER[4:14] not in candidate.matched_id_masked


def test_confirmed_hit_opens_a_clue_and_is_audited(run, world):
    candidate = Candidate.objects.get(run=run)
    services.decide_candidate(
        actor=world.a_reviewer, candidate=candidate, decision=Decision.CONFIRMED, open_clue=True
    )
    candidate.refresh_from_db()
    assert candidate.clue is not None and candidate.clue.source == ClueSource.VETTING_HIT
    assert SecurityEvent.objects.filter(target=f"vetting.candidate:{candidate.pk}").exists()


def test_rerun_does_not_repeat_decided_candidates(run, world):
    candidate = Candidate.objects.get(run=run)
    services.decide_candidate(
        actor=world.a_reviewer, candidate=candidate, decision=Decision.DISMISSED, note="同名不同人"
    )
    again = services.run_vetting(
        actor=world.a_clerk, region=world.county_a, sources=[Source.EXTERNAL]
    )
    assert not again.candidates.exists()


def test_dismissal_needs_a_reason(run, world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.decide_candidate(
            actor=world.a_reviewer, candidate=Candidate.objects.get(run=run), decision="dismissed"
        )


def test_clerk_may_not_decide(run, world):
    with pytest.raises(PermissionDenied):
        services.decide_candidate(
            actor=world.a_clerk, candidate=Candidate.objects.get(run=run), decision="confirmed"
        )


def test_pages_show_only_masked_numbers(run, world, client, django_assert_max_num_queries):
    client.force_login(world.a_reviewer)
    candidate = Candidate.objects.get(run=run)
    for url in (
        reverse("vetting:candidate", args=[candidate.pk]),
        reverse("vetting:run", args=[run.pk]),
        reverse("api:vetting-candidate-list"),
    ):
        body = client.get(url).content.decode()
        assert "张建国" in body and TYPO not in body and ID_NUMBER not in body
    with django_assert_max_num_queries(12):
        assert client.get(reverse("vetting:candidates"), {"export": "xlsx"}).status_code == 200


def test_decision_through_the_page(run, world, client):
    client.force_login(world.a_reviewer)
    candidate = Candidate.objects.get(run=run)
    client.post(
        reverse("vetting:decide", args=[candidate.pk]), {"decision": "unsure", "note": "待核"}
    )
    candidate.refresh_from_db()
    assert candidate.decision == Decision.UNSURE


def test_coverage_counts_the_vetted_cadre(run, world, client):
    client.force_login(world.a_reviewer)
    body = client.get(reverse("vetting:coverage")).content.decode()
    assert "100%" in body


def sheet(rows):
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["姓名", "身份证号码", "出生日期", "备注"])
    for row in rows:
        book.active.append(row)
    stream = io.BytesIO()
    book.save(stream)
    stream.seek(0)
    return stream


def test_list_import_is_all_or_nothing(world, client):
    from baolei.vetting.models import ExternalEntry

    client.force_login(world.a_clerk)
    bad = sheet([["王五", ID_NUMBER, "", ""], ["赵六", "123", "", ""]])
    response = client.post(
        reverse("vetting:import"), {"name": "名单", "source_agency": "市公安局", "file": bad}
    )
    assert "<td>3</td><td>身份证号码</td>" in response.content.decode()
    assert not ExternalEntry.objects.exists()
    good = sheet([["王五", ID_NUMBER, "", "备注"], ["赵六", "", "1970-01-02", ""]])
    client.post(
        reverse("vetting:import"), {"name": "名单", "source_agency": "市公安局", "file": good}
    )
    assert ExternalEntry.objects.count() == 2
    assert (
        ExternalEntry.objects.get(name="王五").id_number_masked
        == ID_NUMBER[:4] + "*" * 10 + ID_NUMBER[-4:]
    )
