"""The person pages: masked numbers everywhere, full numbers only on request, logged."""

from __future__ import annotations

import io
from typing import Any

from django.urls import reverse
from openpyxl import load_workbook

from baolei.audit.models import Action, SecurityEvent
from baolei.people.models import Person
from baolei.people.tests.conftest import ID_A, PHONE_A

MASKED_ID = "5299**********1236"
MASKED_PHONE = "138****1234"


def reveal(client: Any, person: Person, field: str = "id_number") -> Any:
    return client.post(
        reverse("people:reveal", args=[person.pk]), {"field": field}, HTTP_HX_REQUEST="true"
    )


def test_clerk_sees_only_masked_numbers_on_list_detail_export_and_api(
    world: Any, person_a: Person, client: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(world.a_clerk)
    with django_assert_max_num_queries(16):  # 4 of them the navigation's to-do badges
        listing = client.get(reverse("people:list")).content.decode()
    detail = client.get(reverse("people:detail", args=[person_a.pk])).content.decode()
    export = client.get(reverse("people:list"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row]
    api = client.get(reverse("api:person-detail", args=[person_a.pk])).json()
    for shown in (listing, detail, " ".join(cells), str(api)):
        assert MASKED_ID in shown and MASKED_PHONE in shown
        assert ID_A not in shown and PHONE_A not in shown
    assert "查看完整号码" not in detail
    assert (api["id_number_masked"], api["phone_masked"]) == (MASKED_ID, MASKED_PHONE)


def test_clerk_gets_403_on_unmask_and_the_refusal_is_logged(
    world: Any, person_a: Person, client: Any
) -> None:
    client.force_login(world.a_clerk)
    response = reveal(client, person_a)
    assert response.status_code == 403
    assert ID_A not in response.content.decode()
    denied = SecurityEvent.objects.get(action=Action.ACCESS_DENIED, actor="a_clerk")
    assert denied.detail == {"person": person_a.pk, "field": "id_number"} and not denied.success
    assert not SecurityEvent.objects.filter(action=Action.SENSITIVE_VIEW).exists()


def test_leader_unmasks_in_place_and_it_is_in_the_security_log(
    world: Any, person_a: Person, client: Any
) -> None:
    client.force_login(world.city_leader)
    detail = client.get(reverse("people:detail", args=[person_a.pk])).content.decode()
    assert 'hx-target="#number-id_number"' in detail and "查看完整号码" in detail
    response = reveal(client, person_a)
    assert response.status_code == 200
    assert 'id="number-id_number"' in response.content.decode()
    assert ID_A in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert PHONE_A in reveal(client, person_a, "phone").content.decode()
    views = SecurityEvent.objects.filter(action=Action.SENSITIVE_VIEW).order_by("seq")
    assert [(e.actor, e.detail["field"]) for e in views] == [
        ("city_leader", "id_number"),
        ("city_leader", "phone"),
    ]
    assert all(ID_A not in str(e.detail) + e.target for e in views)


def test_reviewer_may_unmask_and_unknown_fields_are_refused(
    world: Any, person_a: Person, client: Any
) -> None:
    client.force_login(world.a_reviewer)
    assert reveal(client, person_a).status_code == 200
    assert reveal(client, person_a, "note").status_code == 400


def test_county_a_gets_404_on_a_county_b_person(world: Any, client: Any) -> None:
    outsider = world.outsider_rows[Person]
    for persona in ("a_clerk", "a_reviewer"):
        client.force_login(world.users[persona])
        assert client.get(reverse("people:detail", args=[outsider.pk])).status_code == 404
        assert client.get(reverse("people:edit", args=[outsider.pk])).status_code == 404
        assert reveal(client, outsider).status_code == 404
        assert client.get(reverse("api:person-detail", args=[outsider.pk])).status_code == 404
    assert not SecurityEvent.objects.filter(action=Action.SENSITIVE_VIEW).exists()


def test_create_form_takes_office_dates_and_says_what_is_wrong(world: Any, client: Any) -> None:
    client.force_login(world.a_clerk)
    form = {"name": "王五", "region": world.village_a.pk, "ethnicity": "汉族"}
    page = client.post(
        reverse("people:create"), form | {"id_number": "529901198503021235"}
    ).content.decode()
    assert "身份证号码校验位错误，应为 6" in page
    page = client.post(
        reverse("people:create"), form | {"id_number": ID_A, "birth_date": "1985/3/3"}
    ).content.decode()
    assert "出生日期与身份证号码不符：身份证号码中的出生日期为1985年3月2日。" in page
    response = client.post(
        reverse("people:create"), form | {"id_number": ID_A, "birth_date": "1985年3月2日"}
    )
    person = Person.objects.get(name="王五")
    assert response.status_code == 302 and response["Location"] == reverse(
        "people:detail", args=[person.pk]
    )
    assert person.sex == "male" and person.history.first().history_user == world.a_clerk
    client.post(reverse("people:create"), form | {"name": "赵六", "birth_date": "2019-11-07"})
    assert str(Person.objects.get(name="赵六").birth_date) == "2019-11-07"


def test_create_is_for_clerks_and_reviewers(world: Any, client: Any) -> None:
    client.force_login(world.city_leader)
    assert client.get(reverse("people:create")).status_code == 403


def test_edit_never_puts_numbers_in_the_form_and_blank_keeps_them(
    world: Any, person_a: Person, client: Any
) -> None:
    client.force_login(world.a_clerk)
    url = reverse("people:edit", args=[person_a.pk])
    page = client.get(url).content.decode()
    assert ID_A not in page and PHONE_A not in page and f"现为 {MASKED_ID}" in page
    form = {"name": "甲县李四", "region": world.village_a.pk, "birth_date": "1985-03-02"}
    assert client.post(url, form | {"note": "已核实"}).status_code == 302
    person_a.refresh_from_db()
    assert person_a.id_number_masked == MASKED_ID and person_a.note == "已核实"
    client.post(url, form | {"remove_phone": "on"})
    person_a.refresh_from_db()
    assert person_a.phone_masked == ""


def test_history_on_the_page_shows_no_number(world: Any, person_a: Person, client: Any) -> None:
    client.force_login(world.a_reviewer)
    url = reverse("people:edit", args=[person_a.pk])
    form = {"name": "甲县李四", "region": world.village_a.pk, "ethnicity": "汉族"}
    client.post(url, form | {"id_number": "529901200109304561"})
    page = client.get(reverse("people:detail", args=[person_a.pk])).content.decode()
    assert "身份证号码有变更（号码不记入修改记录）" in page
    assert "出生日期：1985年3月2日 → 2001年9月30日" in page
    assert ID_A not in page and "529901200109304561" not in page


def test_id_number_search_keeps_the_number_out_of_urls_and_the_log(
    world: Any, person_a: Person, client: Any
) -> None:
    client.force_login(world.a_clerk)
    response = client.get(reverse("people:list"), {"id_number": "529901850302123", "sex": "male"})
    assert response.status_code == 302
    location = response["Location"]
    assert "id_key=" in location and "sex=male" in location and "529901" not in location
    page = client.get(reverse("people:list") + location).content.decode()
    assert "甲县李四" in page and "已按身份证号码筛选" in page
    export = client.get(reverse("people:list") + location + "&export=csv")
    assert "甲县李四" in export.content.decode("utf-8-sig")
    logged = SecurityEvent.objects.get(action=Action.EXPORT)
    assert "529901" not in str(logged.detail)
    wrong = client.get(reverse("people:list"), {"id_number": "529901198503021235"}, follow=True)
    assert "身份证号码校验位错误，应为 6" in wrong.content.decode()
    assert "甲县李四" not in wrong.content.decode().split("<tbody>")[1]


def test_list_filters_by_region_subtree_and_party_membership(
    world: Any, person_a: Person, client: Any
) -> None:
    client.force_login(world.city_leader)
    url = reverse("people:list")
    page = client.get(url, {"region": world.county_a.code}).content.decode()
    assert "甲县李四" in page and "乙县张三" not in page
    page = client.get(url, {"party_member": "false"}).content.decode()
    assert "乙县张三" in page and "甲县李四" not in page
    page = client.get(url, {"sort": "-birth"}).content.decode()
    assert page.index("甲县李四") < page.index("乙县张三")
