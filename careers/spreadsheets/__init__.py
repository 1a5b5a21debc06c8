"""Spreadsheets in: reading uploads safely (``reading``), the templates' columns (``columns``) and turning what
Latvians write in a cell into the value of a JSON field (``cells``). The writes are ``careers.services.spreadsheets``."""
