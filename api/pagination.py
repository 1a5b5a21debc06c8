"""Page-number pagination: 20 per page by default, `page_size` up to 100 (larger values are capped)."""
import re

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

MSG_BAD_PAGE_SIZE = _("Give page_size once, as a whole number from 1 up.")


class StandardPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request) -> int:
        """A page_size that is not a positive whole number is a 400 (DRF would silently use the default)."""
        values = [value for value in request.query_params.getlist(self.page_size_query_param) if value != ""]
        if not values:
            return self.page_size
        if len(values) > 1 or not re.fullmatch(r"0*[1-9][0-9]*", values[0]):
            raise ValidationError({self.page_size_query_param: [MSG_BAD_PAGE_SIZE]})
        digits = values[0].lstrip("0")
        return self.max_page_size if len(digits) > 6 else min(int(digits), self.max_page_size)
