"""Password rules of 等保 level 3 that Django does not ship."""

from __future__ import annotations

import string
from typing import Any

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
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


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule with a Chinese message (its zh_Hans catalogue lacks the 5.2 wording)."""

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(
                f"密码长度太短，至少需要 {self.min_length} 个字符。", code="password_too_short"
            )

    def get_help_text(self) -> str:
        return f"密码至少需要 {self.min_length} 个字符。"


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def validate(self, password: str, user: Any = None) -> None:
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError(
                "这个密码过于常见，请换一个。", code="password_too_common"
            ) from None

    def get_help_text(self) -> str:
        return "密码不能是常见密码。"


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    def validate(self, password: str, user: Any = None) -> None:
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError(
                "密码与用户名或姓名过于相似。", code="password_too_similar"
            ) from None

    def get_help_text(self) -> str:
        return "密码不能与用户名或姓名过于相似。"


class PasswordHistoryValidator:
    """口令不得重复使用: none of the last N passwords (the current one included) again,
    so "changing" to the same password is no change."""

    def __init__(self, count: int = 5) -> None:
        self.count = count

    def recent_hashes(self, user: Any) -> list[str]:
        if user is None or user.pk is None:
            return []
        from baolei.accounts.models import PasswordHistory, User

        kept = list(
            PasswordHistory.objects.filter(user_id=user.pk).values_list("password", flat=True)[
                : self.count
            ]
        )
        current = User.objects.filter(pk=user.pk).values_list("password", flat=True).first()
        return [current, *kept] if current else kept

    def validate(self, password: str, user: Any = None) -> None:
        if any(check_password(password, encoded) for encoded in self.recent_hashes(user)):
            raise ValidationError(
                f"新密码不能与最近 {self.count} 次使用过的密码（含当前密码）相同。",
                code="password_reused",
            )

    def password_changed(self, password: str, user: Any = None) -> None:
        # Django calls this after saving a new password; the hash it saved is kept.
        if user is None or user.pk is None:
            return
        from baolei.accounts.models import PasswordHistory

        PasswordHistory.objects.create(user_id=user.pk, password=user.password)
        stale = PasswordHistory.objects.filter(user_id=user.pk).values_list("pk", flat=True)[
            self.count :
        ]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()

    def get_help_text(self) -> str:
        return f"密码不能与最近 {self.count} 次使用过的密码相同。"
