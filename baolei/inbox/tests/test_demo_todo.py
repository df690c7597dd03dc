"""Every demo persona's home page shows its own work, and every count is the number of
rows of the list it links to, opened as that persona."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pytest

from baolei.accounts.models import User
from baolei.core import policy
from baolei.demo.city import CITY_USERS, COUNTIES
from baolei.inbox.queries import Todo, todo_list

#: One worker builds the demo city once for the module (see ``built_once``).
pytestmark = pytest.mark.xdist_group("demo-inbox")

#: The work each persona has on the demo city: the kinds with a non-zero count. The
#: demo's referrals between the police and the discipline commission wait for
#: feedback, its cadres are adjusted through the organisation department, its ledger
#: items run late or come back from acceptance, and its vetting run waits for reviewers.
EXPECTED: dict[str, set[str]] = {
    "office_clerk": {"ledger_returned", "adjustment_execute", "vetting_runs"},
    "office_reviewer": {"ledger_returned", "adjustment_execute", "vetting_decide"},
    "city_leader": set(),
    "discipline_clerk": {"referral_feedback", "warning_yellow"},
    "police_clerk": {"referral_feedback", "warning_red", "warning_yellow"},
    "procuratorate_clerk": {"warning_yellow"},
    "court_clerk": {"warning_red", "warning_yellow"},
    "organisation_clerk": {"adjustment_execute", "warning_yellow"},
    "discipline_reviewer": {"referral_feedback", "vetting_decide", "warning_yellow"},
    "politicallegal_reviewer": {"vetting_decide", "warning_yellow"},
    "police_reviewer": {"referral_feedback", "vetting_decide", "warning_red", "warning_yellow"},
    "organisation_reviewer": {
        "adjustment_decide",
        "adjustment_execute",
        "vetting_decide",
        "warning_yellow",
    },
    "sysadmin": set(),
    "secadmin": set(),
    "auditadmin": set(),
    "baihe_clerk": {"ledger_returned", "warning_red", "warning_yellow", "warning_blue"},
    "baihe_leader": {"warning_red", "warning_yellow", "warning_blue"},
}
PERSONAS = [username for username, *_ in CITY_USERS] + ["baihe_clerk", "baihe_leader"]
ROW = re.compile(r'data-kind="(\w+)" data-count="(\d+)"')


@pytest.fixture(scope="module")
def demo_city(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[None]:
    from django.core.management import call_command

    from baolei.conftest import built_once

    with built_once(django_db_blocker, tmp_path_factory):
        call_command("demo", "--quiet-accounts", stdout=io.StringIO())  # the README's city
        yield


@pytest.fixture
def demo(demo_city: None, db: Any) -> None:
    return demo_city


def listed(client: Any, todo: Todo) -> Any:
    """The linked list page as the signed-in user: its row count and its rows."""
    response = client.get(f"{todo.url}&page_size=200")
    assert response.status_code == 200, todo.url
    return response.context["paginator"].count, list(response.context["object_list"])


def test_personas_are_the_demo_accounts() -> None:
    assert set(PERSONAS) == set(EXPECTED)
    assert "baihe" in {slug for _, _, slug, _ in COUNTIES}


@pytest.mark.parametrize("username", PERSONAS)
def test_home_page_shows_the_personas_own_work(username: str, demo: None, client: Any) -> None:
    user = User.objects.get(username=username)
    todos = todo_list(user)
    counts = {todo.kind.key: todo.count for todo in todos}
    assert {key for key, n in counts.items() if n} == EXPECTED[username]
    client.force_login(user)
    shown = dict(ROW.findall(client.get("/").content.decode()))
    assert {key: int(n) for key, n in shown.items()} == counts


@pytest.mark.parametrize("username", PERSONAS)
def test_every_count_is_the_rows_of_its_list(username: str, demo: None, client: Any) -> None:
    user = User.objects.get(username=username)
    client.force_login(user)
    for todo in todo_list(user):
        count, rows = listed(client, todo)
        assert count == todo.count, (todo.kind.key, todo.url)
        for row in rows:  # "waiting on them": the user may act on every row
            assert not todo.kind.rule or policy.allows(user, todo.kind.rule, row), todo.kind.key


@pytest.mark.parametrize("username", ["office_reviewer", "baihe_clerk"])
def test_the_api_gives_the_home_pages_list(username: str, demo: None, client: Any) -> None:
    user = User.objects.get(username=username)
    client.force_login(user)
    answer = client.get("/api/v1/me/todo/").json()
    assert [(row["key"], row["count"]) for row in answer] == [
        (todo.kind.key, todo.count) for todo in todo_list(user)
    ]
