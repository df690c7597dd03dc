"""两步验证 reads: who must give a second factor, a user's authenticator, its QR code."""

from __future__ import annotations

from base64 import b32encode
from typing import Any

import qrcode
import qrcode.image.svg
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from baolei.accounts.models import TWO_FACTOR_ROLES

AUTHENTICATOR = "验证器"
RECOVERY = "恢复码"
RECOVERY_CODE_COUNT = 10


def required_for(user: Any) -> bool:
    """等保 level 3: administrators and leaders always; others when their agency requires it."""
    if user.has_role(*TWO_FACTOR_ROLES):
        return True
    return bool(user.agency_id and user.agency.requires_two_factor)


def is_enrolled(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def asks_second_factor(user: Any) -> bool:
    """Whoever has enrolled, even where optional, is asked for the code at every sign-in."""
    return required_for(user) or is_enrolled(user)


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def qr_svg(device: TOTPDevice) -> SafeString:
    """The otpauth:// address as an inline SVG drawn here, so the secret never leaves."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=20)
    svg = image.to_string(encoding="unicode")
    return mark_safe(svg.replace("<svg ", '<svg role="img" aria-label="绑定二维码" ', 1))  # noqa: S308


def secret_text(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def normalise(token: str) -> str:
    return "".join(token.split()).replace("-", "").lower()
