"""Page-number pagination: 20 per page by default, `page_size` from 1 to 100 (anything else is a 400)."""
import re

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

MSG_BAD_PAGE_SIZE = _("Give page_size once, as a whole number from 1 to 100.")
PAGE_SIZE_LIMIT = 100


class StandardPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = PAGE_SIZE_LIMIT

    def get_page_size(self, request) -> int:
        """A page_size that is not a whole number from 1 to 100 is a 400 (DRF would silently use the default)."""
        values = [value for value in request.query_params.getlist(self.page_size_query_param) if value != ""]
        if not values:
            return self.page_size
        if len(values) > 1 or not re.fullmatch(r"0*[1-9][0-9]{0,2}", values[0]) or int(values[0]) > PAGE_SIZE_LIMIT:
            raise ValidationError({self.page_size_query_param: [MSG_BAD_PAGE_SIZE]})
        return min(int(values[0]), self.max_page_size)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        """DRF's parameters with their bounds, so clients (and schemathesis) know what is accepted."""
        parameters = super().get_schema_operation_parameters(view)
        bounds = {self.page_query_param: {"minimum": 1},
                  self.page_size_query_param: {"minimum": 1, "maximum": PAGE_SIZE_LIMIT}}
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters
