"""Folding case and diacritics: in Python (:func:`fold`) and in the database (:class:`Fold`, :func:`fold_text`).

:func:`fold` is the recommender's folding (``matching.text.fold``) for what careers stores and searches in Python
(``search_text`` of the taxonomy, catalogue queries), so the importer, the search and the index agree.

Case- and diacritic-insensitive text search in the database, the same on SQLite and PostgreSQL.

People type "metinatajs" for "Metinātājs" (phones, foreign keyboards). ``Fold(field)`` lower-cases a column and
maps accented Latin letters to their base letter; :func:`fold_text` does the same to what the user typed, so
``Fold("title")`` ``contains`` ``fold_text(word)`` matches with or without diacritics and in any case.

One table (:data:`ACCENTED` → :data:`PLAIN`) serves all three places, so both databases and Python agree letter for
letter: PostgreSQL runs ``TRANSLATE(LOWER(x), …)`` (upper-case accented letters are in the table too, since
``LOWER`` leaves them alone under the C locale); SQLite runs the Python function registered on every connection
(``careers.apps``). Letters outside the table (Cyrillic, say) are only lower-cased.
"""
from __future__ import annotations

from django.db.models import CharField, Func

from matching.text import fold as _fold_words

# Latvian first, then the other accented Latin letters of names and loan words that turn up in local postings.
_PAIRS = ("āa čc ēe ģg īi ķk ļl ņn šs ūu žz ōo ŗr "
          "áa àa âa äa ãa åa ée èe êe ëe íi ìi îi ïi óo òo ôo öo õo øo úu ùu ûu üu ýy ÿy ñn çc ćc ąa ęe łl ńn śs "
          "źz żz ěe řr ťt ďd ůu ğg şs ıi őo űu")
LOWER_ACCENTED = "".join(pair[0] for pair in _PAIRS.split())
ACCENTED = LOWER_ACCENTED + LOWER_ACCENTED.upper()
PLAIN = "".join(pair[1] for pair in _PAIRS.split()) * 2
_TABLE = str.maketrans(ACCENTED, PLAIN)
assert len(ACCENTED) == len(PLAIN) and len(LOWER_ACCENTED.upper()) == len(LOWER_ACCENTED)


def fold(text: str) -> str:
    """Lower-case ``text``, strip every diacritic and the outer whitespace: 'Metināšana ' -> 'metinasana'."""
    return _fold_words(text).strip()


def fold_text(value: str | None) -> str | None:
    """Lower-case and strip the accents of the table: 'Metinātājs' → 'metinatajs' (None stays None)."""
    return None if value is None else value.lower().translate(_TABLE)


class Fold(Func):
    """The folded text of an expression (see the module docstring)."""

    output_field = CharField()
    arity = 1

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="careers_fold", **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"TRANSLATE(LOWER({sql}), %s, %s)", (*params, ACCENTED, PLAIN)

    def as_sql(self, compiler, connection, function=None, **extra_context):
        if function is None:  # another database: lower-case only
            function = "LOWER"
        return super().as_sql(compiler, connection, function=function, **extra_context)


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: SQLite gets ``careers_fold`` (deterministic, so indexes could use it)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("careers_fold", 1, fold_text, deterministic=True)
