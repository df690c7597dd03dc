"""Deployment checks for sign-in (run by `baolei check --deploy`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.test import RequestFactory

CLIENT = "198.51.100.7"


@register(Tags.security, deploy=True)
def check_proxy_count(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """BAOLEI_PROXY_COUNT set but not honoured: every client would share the proxy's
    address, and five failures from anyone would lock everyone out."""
    count = settings.PROXY_COUNT
    if count <= 0:
        return []
    from axes.helpers import get_client_ip_address

    from baolei.audit.services import client_ip

    proxies = [f"192.0.2.{hop}" for hop in range(1, count + 1)]
    request = RequestFactory().get(
        "/",
        HTTP_X_FORWARDED_FOR=", ".join(["203.0.113.9", CLIENT, *proxies[:-1]]),
        REMOTE_ADDR=proxies[-1],
    )
    seen = {"django-axes": get_client_ip_address(request), "安全日志": client_ip(request)}
    wrong = [name for name, address in seen.items() if address != CLIENT]
    if not wrong:
        return []
    return [
        Warning(
            f"已设置 BAOLEI_PROXY_COUNT={count}，但{'、'.join(wrong)}未按它读取客户端地址"
            "（AXES_CLIENT_IP_CALLABLE 被改动或未生效），所有用户将共用代理的地址。",
            hint="AXES_CLIENT_IP_CALLABLE 应为 baolei.accounts.network.client_address。",
            id="baolei.W001",
        )
    ]
