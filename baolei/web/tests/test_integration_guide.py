"""The integrator guide (docs/integration.md) runs: every ``curl`` example in it is parsed
(method, address, headers, JSON body — no shell) and sent to the site through the test
client, in order, as an agency system holding a token would send it; each must succeed."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import time_machine

from baolei.accounts import systems
from baolei.accounts.models import Agency, AgencyKind, Role
from baolei.audit.models import Action, SecurityEvent
from baolei.cases import services as cases
from baolei.cases.models import StageEvent
from baolei.clues import services as clues
from baolei.clues.models import Referral
from baolei.conftest import make_user
from baolei.ledger.calendar import seed_from_package

ROOT = Path(__file__).resolve().parents[3]
GUIDE = ROOT / "docs" / "integration.md"


@dataclass
class Curl:
    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None


def curl_commands(text: str) -> list[str]:
    """The curl commands of the guide's ``sh`` blocks, continuation lines joined."""
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.S)
    joined = [re.sub(r"\s*\\\n\s*", " ", block) for block in blocks]
    return [line.strip() for block in joined for line in block.splitlines() if line.strip()]


def parse(command: str, variables: dict[str, str]) -> Curl:
    words = shlex.split(command)
    assert words[0] == "curl", command

    def expand(word: str) -> str:
        def value(match: re.Match[str]) -> str:
            name = match.group(1) or match.group(2)
            assert name in variables, f"the guide uses ${name}, which it does not define"
            return variables[name]

        return re.sub(r"\$\{(\w+)\}|\$(\w+)", value, word)

    found = Curl("GET", "")
    rest = iter(words[1:])
    for word in rest:
        if word == "-X":
            found.method = next(rest)
        elif word == "-H":
            name, _, value = expand(next(rest)).partition(":")
            found.headers[name.strip()] = value.strip()
        elif word in ("-d", "--data", "--data-raw"):
            found.body = expand(next(rest))
            if found.method == "GET":
                found.method = "POST"
        else:
            assert not word.startswith("-"), f"the test does not know {word} ({command})"
            found.url = expand(word)
    return found


def send(client: Any, curl: Curl) -> Any:
    headers = dict(curl.headers)
    content_type = headers.pop("Content-Type", "application/octet-stream")
    url = quote(curl.url, safe="/?&=:%")  # curl sends the UTF-8 bytes; the same, escaped
    if curl.body is None:
        return client.generic(curl.method, url, headers=headers)
    return client.generic(curl.method, url, curl.body, content_type, headers=headers)


def test_the_parser_reads_what_the_guide_writes() -> None:
    command = curl_commands(
        '```sh\ncurl -X POST "$B/api/v1/x/" \\\n  -H "Authorization: Token $T" \\\n'
        '  -d \'{"on": "2026-11-20"}\'\n```\n'
    )
    assert command == [
        'curl -X POST "$B/api/v1/x/" -H "Authorization: Token $T" -d \'{"on": "2026-11-20"}\''
    ]
    parsed = parse(command[0], {"B": "", "T": "bl_x"})
    assert parsed == Curl(
        "POST", "/api/v1/x/", {"Authorization": "Token bl_x"}, '{"on": "2026-11-20"}'
    )
    with pytest.raises(AssertionError, match="does not define"):
        parse('curl "$NOWHERE/api/v1/"', {})


@pytest.fixture
def site(world: Any) -> dict[str, Any]:
    """What the guide's examples name: the police clerk's cases and a referral to sign."""
    seed_from_package()
    police = make_user("a_police_clerk", world.agencies["a_police"], Role.CLERK)
    discipline = Agency.objects.create(
        name="甲县纪委监委", kind=AgencyKind.DISCIPLINE, region=world.county_a
    )
    discipline_clerk = make_user("a_discipline_clerk", discipline, Role.CLERK)
    found = {}
    for n in (1, 2, 3):
        found[n] = cases.open_case(
            actor=police,
            number=f"甲公刑〔2026〕{n}号",
            name=f"第{n}起恶势力案",
            kind="evil_force",
            region=world.village_a,
            lead_agency=world.agencies["a_police"],
            opened_on=date(2026, 11, 1),
        )
    clue = clues.register_clue(
        actor=discipline_clerk,
        received_on=date(2026, 11, 20),
        source="letter_visit",
        category="gang",
        summary="信访反映甲县一村有人聚众斗殴",
        region=world.village_a,
    )
    referral = clues.refer(
        actor=discipline_clerk,
        clue=clue,
        to_agency=world.agencies["a_police"],
        on=date(2026, 11, 23),
        reason="属公安机关管辖",
    )
    # As the guide says: a system account of the police, asked for and approved.
    account = systems.request_system_account(
        actor=world.users["a_sysadmin"],
        name="甲县公安局办案系统",
        agency=world.agencies["a_police"],
        region=world.county_a,
        purpose="推送案件阶段，签收移送的线索",
        roles=[Role.CLERK],
        scopes=["regions:read", "cases:write", "clues:write"],
        token_days=30,
    )
    account = systems.approve_system_account(actor=world.users["a_secadmin"], account=account)
    _, key = systems.issue_system_token(
        actor=world.users["a_sysadmin"],
        account=account,
        name="公安办案系统",
        scopes=["regions:read", "cases:write", "clues:write"],
    )
    return {"token": key, "cases": found, "referral": referral, "system": account}


def test_every_curl_example_of_the_guide_succeeds(client: Any, site: dict[str, Any]) -> None:
    variables = {
        "BAOLEI": "",
        "TOKEN": site["token"],
        "CASE_ID": str(site["cases"][1].pk),
        "REFERRAL_ID": str(site["referral"].pk),
    }
    commands = curl_commands(GUIDE.read_text(encoding="utf-8"))
    assert len(commands) >= 7
    answers = []
    with time_machine.travel(date(2026, 11, 26), tick=False):
        for command in commands:
            curl = parse(command, variables)
            response = send(client, curl)
            assert response.status_code < 300, (command, response.content.decode()[:500])
            answers.append((curl, response))
    searched = next(r for c, r in answers if "search=" in c.url)
    assert [row["id"] for row in searched.json()["results"]] == [site["cases"][1].pk]
    due = next(r for c, r in answers if "todo=acknowledge" in c.url)
    assert [row["id"] for row in due.json()["results"]] == [site["referral"].pk]
    stage_posts = [r for c, r in answers if c.url.endswith(f"/{site['cases'][1].pk}/stage/")]
    assert [r.has_header("Idempotent-Replayed") for r in stage_posts] == [False, True]
    assert StageEvent.objects.filter(stage="transferred").count() == 3  # once, not twice
    assert Referral.objects.get(pk=site["referral"].pk).acknowledged_on == date(2026, 11, 24)
    calls = SecurityEvent.objects.filter(action=Action.API_CALL)
    assert calls.count() == len(commands)
    assert set(calls.values_list("actor", flat=True)) == {site["system"].user.username}


def test_the_readme_links_the_guide() -> None:
    assert "docs/integration.md" in (ROOT / "README.md").read_text(encoding="utf-8")
