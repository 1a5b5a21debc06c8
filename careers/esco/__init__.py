"""Import of the official ESCO CSV download (and the Latvian and O*NET extras beside it)."""
from .errors import EscoImportError
from .importer import esco_import
from .report import Counts, ImportReport

__all__ = ["Counts", "EscoImportError", "ImportReport", "esco_import"]
