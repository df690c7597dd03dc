"""Content-Security-Policy on every page, and no caching of personal data."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from baolei.accounts.tokens import issue_token

BAOLEI = Path(settings.BASE_DIR)
#: The standalone briefing is a downloaded file (Content-Disposition: attachment),
#: opened from disk where no policy applies; it carries its own styles.
STANDALONE = {"reports/templates/reports/briefing_standalone.html"}
INLINE = [
    (
        re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>"),
        "inline <script>",
    ),
    (re.compile(r"\sstyle=\""), 'style="" attribute'),
    (re.compile(r"<style[\s>]"), "<style> element"),
    (re.compile(r"\son[a-z]+=[\"']"), "on…= event handler"),
    (re.compile(r"\shx-on"), "hx-on (needs eval)"),
    (re.compile(r"javascript:"), "javascript: URL"),
]


def test_no_template_has_what_the_policy_refuses() -> None:
    found = []
    for path in BAOLEI.rglob("templates/**/*.html"):
        name = str(path.relative_to(BAOLEI))
        if name in STANDALONE:
            continue
        text = path.read_text(encoding="utf-8")
        found += [f"{name}: {what}" for pattern, what in INLINE if pattern.search(text)]
    assert found == []


def test_the_policy_allows_nothing_inline(client: Any, world: Any) -> None:
    client.force_login(world.a_clerk)
    policy = client.get("/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy


@pytest.mark.parametrize(
    "url", ["/", "/ledger/", "/people/", "/accounts/tokens/", "/api/v1/regions/"]
)
def test_signed_in_pages_and_api_are_not_stored(client: Any, world: Any, url: str) -> None:
    client.force_login(world.a_clerk)
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_token_api_responses_are_not_stored(client: Any, world: Any) -> None:
    _, key = issue_token(actor=world.a_clerk, name="脚本")
    response = client.get("/api/v1/regions/", headers={"Authorization": f"Token {key}"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    refused = client.get("/api/v1/regions/", headers={"Authorization": "Token bl_unknown"})
    assert "no-store" in refused["Cache-Control"]


def test_swagger_start_up_script_is_a_separate_file(client: Any, world: Any) -> None:
    client.force_login(world.a_clerk)
    page = client.get("/api/docs/").content.decode()
    assert "<style" not in page
    script = re.search(r'<script src="(/api/docs/\?[^"]*script[^"]*)"', page)
    assert script, page
    response = client.get(script.group(1).replace("&amp;", "&"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
