"""The side navigation: only what is built, only what the user's roles may open."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.urls import reverse

from baolei.accounts.models import Role
from baolei.inbox.queries import todo_for_request


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple[str, ...] = ()
    section: str = "工作台"


NAVIGATION = [
    NavItem("首页", "web:home"),
    NavItem("驾驶舱", "reports:dashboard"),
    NavItem("通报", "reports:briefing"),
    NavItem("整改台账", "ledger:list"),
    NavItem("我的预警", "ledger:warnings"),
    NavItem("软弱涣散排查", "screening:rounds"),
    NavItem("问题线索", "clues:list"),
    NavItem("线索移送", "clues:referrals"),
    NavItem("案件", "cases:list"),
    NavItem("村干部", "cadres:list"),
    NavItem("背景审查", "vetting:runs"),
    NavItem("关系网络", "network:graph"),
    NavItem("专项督导", "supervision:plans"),
    NavItem("问题清单", "supervision:problems"),
    NavItem("会议", "coordination:meetings"),
    NavItem("制度机制", "coordination:mechanisms"),
    NavItem("考核", "coordination:schemes"),
    NavItem("行政区划", "regions:list", section="基础信息"),
    NavItem("综治中心", "regions:centres", section="基础信息"),
    NavItem("人员信息", "people:list", section="基础信息"),
    NavItem("单位", "accounts:agencies", section="基础信息"),
    NavItem("用户管理", "accounts:users", (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN), "系统管理"),
    NavItem("安全日志", "audit:events", (Role.AUDIT_ADMIN,), "系统管理"),
    NavItem("令牌管理", "accounts:token_admin", (Role.SECURITY_ADMIN,), "系统管理"),
    NavItem("系统账户", "accounts:systems", (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN), "系统管理"),
    NavItem("接口令牌", "accounts:tokens", section="系统管理"),
    NavItem("接口文档", "api-docs", section="系统管理"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {}
    items = [
        (item, reverse(item.url_name))
        for item in NAVIGATION
        if not item.roles or user.has_role(*item.roles)
    ]
    # The longest matching prefix is the current page: /ledger/warnings/ is not /ledger/.
    matches = [
        url
        for _, url in items
        if request.path == url or (url != "/" and request.path.startswith(url))
    ]
    current = max(matches, key=len, default=None)
    badges = todo_badges(request, [url for _, url in items])
    sections: dict[str, list[dict[str, Any]]] = {}
    for item, url in items:
        sections.setdefault(item.section, []).append(
            {"label": item.label, "url": url, "active": url == current, "badge": badges.get(url, 0)}
        )
    return {"nav_sections": sections}


#: How long the navigation's badges may be reused before they are counted again. Counting
#: every kind is one query but a heavy one (tens of subqueries, about 0.2 s); the home
#: page and the to-do API always count afresh and renew them. They are kept in the cache
#: under the user's session (a read never rewrites the session itself).
BADGE_SECONDS = 60


def todo_badges(request: HttpRequest, urls: list[str]) -> dict[str, int]:
    """Per navigation URL, the count of the to-do kinds whose list it opens (the item
    whose URL is the longest prefix of the list's), reused for ``BADGE_SECONDS`` unless
    this request has counted anyway."""
    session = getattr(request, "session", None)
    session_key = session.session_key if session is not None else None
    key = f"todo-badges:{request.user.pk}:{session_key}" if session_key else None
    counted = getattr(request, "_baolei_todo", None) is not None
    kept = cache.get(key) if key and not counted else None
    if kept is not None:
        return {url: n for url, n in kept.items() if url in urls}
    badges = count_badges(request, urls)
    if key:
        cache.set(key, badges, BADGE_SECONDS)
    return badges


def count_badges(request: HttpRequest, urls: list[str]) -> dict[str, int]:
    badges: dict[str, int] = {}
    for todo in todo_for_request(request):
        if not todo.count:
            continue
        path = reverse(todo.kind.url_name)
        owner = max(
            (url for url in urls if path.startswith(url) and url != "/"), key=len, default=None
        )
        if owner is not None:
            badges[owner] = badges.get(owner, 0) + todo.count
    return badges
