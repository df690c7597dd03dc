"""The security log as the toolkit sees it.

The toolkit logs exports, imports and refused access, but it sits below the app that
keeps the log (``baolei.audit``), so it calls the recorder that
``settings.SECURITY_LOG_RECORDER`` names rather than importing it.  The actions it
records are values of ``baolei.audit.models.Action`` (a test keeps them so)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

ACCESS_DENIED = "access_denied"
EXPORT = "export"
IMPORT = "import"
IMPORT_REFUSED = "import_refused"
ACTIONS = (ACCESS_DENIED, EXPORT, IMPORT, IMPORT_REFUSED)


def record(action: str, **details: Any) -> Any:
    return import_string(settings.SECURITY_LOG_RECORDER)(action, **details)
