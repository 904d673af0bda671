from typing import Any

from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from hongniudai.common.pagination import CappedPaginator


class Pagination(PageNumberPagination):
    """`count` is exact up to 10,000 rows; beyond, it is 10000 and `count_capped` is true (see
    `common.pagination`): filter or search to reach the rest."""

    django_paginator_class = CappedPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        paginator = self.page.paginator if self.page is not None else None
        response.data["count_capped"] = bool(getattr(paginator, "capped", False))
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        result = super().get_paginated_response_schema(schema)
        result["properties"]["count_capped"] = {"type": "boolean", "example": False}
        return result
