"""The assertions the policy matrices share: what a POST, an API write and a create
page must answer, given what the policy says."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from baolei.core import policy


def assert_page_outcome(response: Any, user: Any, rule: str, record: Any, visible: bool) -> None:
    """A record page's action: 404 unseen, 403 with the reason refused, else the form
    is read (a redirect with its messages, or 400 for htmx)."""
    if not visible:
        assert response.status_code == 404
    elif not policy.allows(user, rule, record):
        assert response.status_code == 403
        assert policy.reason(user, rule, record) in response.content.decode()
    else:
        assert response.status_code in (302, 400), response.content.decode()[:300]


def assert_api_outcome(response: Any, user: Any, rule: str, record: Any, visible: bool) -> None:
    """An API write: 404 unseen, 403 whose detail is the reason, else the body is read."""
    if not visible:
        assert response.status_code == 404
    elif not policy.allows(user, rule, record):
        assert response.status_code == 403
        assert response.json() == {"detail": policy.reason(user, rule, record)}
    else:
        assert response.status_code in (200, 201, 400), response.content[:300]


def assert_create_link(client: Any, user: Any, page: str, target: str, rule: str) -> None:
    """The list shows the button exactly when the create page opens (else 403 with why)."""
    client.force_login(user)
    allowed = policy.allows(user, rule)
    listing = client.get(reverse(page))
    if listing.status_code == 200:
        assert (f'href="{reverse(target)}"' in listing.content.decode()) == allowed
    opened = client.get(reverse(target))
    assert opened.status_code == (200 if allowed else 403), user.username
    if not allowed:
        assert policy.reason(user, rule) in opened.content.decode()
