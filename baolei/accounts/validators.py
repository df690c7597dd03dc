"""Password rules of 等保 level 3 that Django does not ship."""

from __future__ import annotations

import string
from typing import Any

from django.core.exceptions import ValidationError

CLASSES = {
    "大写字母": set(string.ascii_uppercase),
    "小写字母": set(string.ascii_lowercase),
    "数字": set(string.digits),
}


def character_classes(password: str) -> int:
    found = sum(1 for chars in CLASSES.values() if chars.intersection(password))
    has_symbol = any(not (c.isascii() and c.isalnum()) for c in password)
    return found + int(has_symbol)


class CharacterClassValidator:
    """鉴别信息具有复杂度要求: at least N of upper case, lower case, digits, symbols."""

    def __init__(self, classes: int = 3) -> None:
        self.classes = classes

    def validate(self, password: str, user: Any = None) -> None:
        if character_classes(password) < self.classes:
            raise ValidationError(
                f"密码必须包含大写字母、小写字母、数字、符号中的至少 {self.classes} 类。",
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return f"密码须包含大写字母、小写字母、数字、符号中的至少 {self.classes} 类。"
