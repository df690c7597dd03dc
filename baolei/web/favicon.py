"""/favicon.ico: browsers and tools ask for it at the root even when a page names its
icon; it leads to the icon among the static files, for anyone, signed in or not."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.templatetags.static import static
from django.utils.decorators import method_decorator
from django.views.generic import RedirectView


@method_decorator(login_not_required, name="dispatch")
class FaviconView(RedirectView):
    policy_exempt = "站点图标，不办理任何事项"
    scope_exempt = "网站图标（静态文件），不含任何记录"
    permanent = False

    def get_redirect_url(self, *args: Any, **kwargs: Any) -> str:
        return static("baolei/favicon.svg")
