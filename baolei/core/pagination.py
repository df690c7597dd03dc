from typing import Any

from rest_framework.pagination import PageNumberPagination

from baolei.core import params


class Pagination(PageNumberPagination):
    """``page`` and ``page_size`` on every API list; a malformed or out-of-range value is a
    400 (a page past the last one is a 404)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request: Any) -> int:
        return params.page_size(request, self.page_size, maximum=self.max_page_size)

    def get_page_number(self, request: Any, paginator: Any) -> Any:
        number = params.page_number(request, self.page_query_param)
        return paginator.num_pages if number == "last" else number

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.page_query_param: {"minimum": 1, "maximum": params.INTEGER_MAX},
            self.page_size_query_param: {"minimum": 1, "maximum": self.max_page_size},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters
