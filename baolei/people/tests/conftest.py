from __future__ import annotations

from typing import Any

import pytest

from baolei.people.models import Education, Person
from baolei.people.services import create_person

#: 1985-03-02, male (17th digit 3); 529901850302123 is the same number in 15 digits.
ID_A = "529901198503021236"
PHONE_A = "13812341234"


@pytest.fixture
def person_a(world: Any) -> Person:
    return create_person(
        actor=world.a_clerk,
        name="甲县李四",
        region=world.village_a,
        id_number=ID_A,
        phone=PHONE_A,
        ethnicity="汉族",
        education=Education.UNDERGRADUATE,
        party_member=True,
    )
