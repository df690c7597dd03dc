"""The floor plan holds: the toolkit logs through the audit app's actions, and the
import contracts of `.importlinter` are kept (the test command also runs lint-imports)."""

from __future__ import annotations

from baolei.audit.models import Action
from baolei.core import security_log


def test_every_action_the_toolkit_logs_is_an_action_of_the_security_log() -> None:
    assert set(security_log.ACTIONS) <= set(Action.values)


def test_the_recorder_is_the_security_logs_own(settings: object) -> None:
    from django.utils.module_loading import import_string

    from baolei.audit.services import record_event

    assert import_string(settings.SECURITY_LOG_RECORDER) is record_event  # type: ignore[attr-defined]
