from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.views.generic import TemplateView

from baolei.regions import queries
from baolei.regions.models import Region


class HomeView(TemplateView):
    """The user's region, its governance-centre coverage and its subdivisions."""

    scope_exempt = "只通过 Region.objects.visible_to(user) 与 centre_coverage(user) 读取"
    template_name = "web/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        root = queries.scope_root(user)
        context["root"] = root
        if root is not None:
            context["coverage"] = queries.centre_coverage(user)
            context["children"] = (
                Region.objects.visible_to(user)
                .filter(parent=root)
                .select_related("governance_centre")
                .annotate(child_count=Count("children"))
            )
        return context
