"""Deployment check for the security log (run by `baolei check --deploy`)."""

from __future__ import annotations

from typing import Any

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError, connection

from baolei.audit import guard


@register(Tags.security, deploy=True)
def check_log_triggers(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """Without its triggers the security log can be edited or emptied in place."""
    try:
        absent = guard.missing(connection)
    except DatabaseError as exc:
        return [
            Warning(
                f"无法检查安全日志触发器：数据库不可用（{exc}）。",
                id="audit.W002",
            )
        ]
    if not absent:
        return []
    return [
        Warning(
            f"数据库缺少安全日志触发器：{'、'.join(absent)}，日志可被直接修改或删除。",
            hint="查明原因后运行 baolei audit guard 重新安装，再运行 baolei audit verify。",
            id="audit.W001",
        )
    ]
