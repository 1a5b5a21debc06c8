"""Input fields stricter than DRF's defaults."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

MSG_NOT_A_STRING = _("Send text (a JSON string), not a number, boolean or object.")


class StrictCharField(serializers.CharField):
    """A CharField that refuses numbers: DRF would turn ``{"title": 0}`` into ``"0"`` and accept it."""

    default_error_messages = {"not_a_string": MSG_NOT_A_STRING}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_a_string")
        return super().to_internal_value(data)
