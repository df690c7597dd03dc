from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from baolei.inbox.api import TodoApiView
from baolei.network.api import NetworkApiView
from baolei.reports.views import BriefingApiView, FiguresApiView


class SchemaView(SpectacularAPIView):
    scope_exempt = "接口说明，不含任何记录"


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI whose start-up script is a separate request (?script), not inline,
    so that the Content-Security-Policy needs no 'unsafe-inline'."""

    scope_exempt = "接口文档页面（本地静态资源），不含任何记录"
    template_name = "web/api_docs.html"


urlpatterns = [
    path("", include("baolei.web.urls")),
    path("accounts/", include("baolei.accounts.urls")),
    path("regions/", include("baolei.regions.urls")),
    path("people/", include("baolei.people.urls")),
    path("audit/", include("baolei.audit.urls")),
    path("ledger/", include("baolei.ledger.urls")),
    path("screening/", include("baolei.screening.urls")),
    path("supervision/", include("baolei.supervision.urls")),
    path("coordination/", include("baolei.coordination.urls")),
    path("cases/", include("baolei.cases.urls")),
    path("clues/", include("baolei.clues.urls")),
    path("cadres/", include("baolei.cadres.urls")),
    path("vetting/", include("baolei.vetting.urls")),
    path("reports/", include("baolei.reports.urls")),
    path("search/", include("baolei.search.urls")),
    path("notices/", include("baolei.notices.urls")),
    path("network/", include("baolei.network.urls")),
    path("api/v1/reports/figures/", FiguresApiView.as_view(), name="api-figures"),
    path("api/v1/reports/briefing.<slug:fmt>", BriefingApiView.as_view(), name="api-briefing"),
    path("api/v1/search/", include("baolei.search.api_urls")),
    path("api/v1/me/todo/", TodoApiView.as_view(), name="api-todo"),
    path("api/v1/network/", NetworkApiView.as_view(), name="api-network"),
    path("api/v1/", include("baolei.web.api_urls")),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    path("api/docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
]
