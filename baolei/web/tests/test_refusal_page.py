"""A refusal is a page in Chinese that says why, never a bare English 403."""

from __future__ import annotations

from typing import Any


def test_a_refused_page_says_why_in_chinese(world: Any, client: Any) -> None:
    client.force_login(world.a_clerk)
    response = client.get("/audit/")  # the security log is the audit administrator's
    assert response.status_code == 403
    page = response.content.decode()
    assert "无权办理此操作" in page and "Forbidden" not in page
    assert "您的角色无权访问此页面。" in page  # the reason the view gave
