"""Spreadsheets in (issue 13): the query of an upload, and the answers of the template, dry run and commit."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .resources_common import MAX_ID


class ImportQuerySerializer(serializers.Serializer):
    institution = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID, help_text=_(
        "Programmes and intakes: the institution (staff must name it; provider staff always import for their own)."))
    employer = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID, help_text=_(
        "Vacancies: the employer (staff must name it; members only if they belong to several)."))


class UploadFormSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("The spreadsheet: .csv or .xlsx."))


class TemplateQuerySerializer(serializers.Serializer):
    lang = serializers.ChoiceField(choices=[("lv", "latviešu"), ("en", "English")], required=False,
                                   help_text=_("Header language (default: the request language)."))


class TemplateColumnSerializer(serializers.Serializer):
    header = serializers.CharField(help_text=_("The header in the chosen language."))
    header_lv = serializers.CharField()
    header_en = serializers.CharField()
    field = serializers.CharField(help_text=_("The JSON field it fills."))
    required = serializers.BooleanField()
    format = serializers.CharField(help_text=_("What to write in the cells."))


class TemplateOutputSerializer(serializers.Serializer):
    kind = serializers.CharField()
    language = serializers.CharField()
    columns = TemplateColumnSerializer(many=True)


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text=_("The spreadsheet row (the header is row 1; JSON: the item, from 1)."))
    column = serializers.CharField(allow_null=True, help_text=_("The column's header (null: the row as a whole)."))
    field = serializers.CharField(allow_null=True)
    message = serializers.CharField(help_text=_("In the request language."))


class ImportOutputSerializer(serializers.Serializer):
    kind = serializers.CharField()
    dry_run = serializers.BooleanField()
    rows = serializers.IntegerField(help_text=_("Data rows read."))
    created = serializers.IntegerField(help_text=_("Rows with a new code (dry run: would be created)."))
    updated = serializers.IntegerField(help_text=_("Rows with a code seen before (dry run: would be updated)."))
    written = serializers.BooleanField(help_text=_("Whether the rows were stored (a commit without errors)."))
    errors = ImportErrorSerializer(many=True)
