from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def checkpoint_file(settings: Any, tmp_path: Any) -> Any:
    """Each test keeps its security-log checkpoints in a file of its own."""
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.log"
    return settings.AUDIT_CHECKPOINT_FILE
