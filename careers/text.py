"""Text helpers shared by search and import: folding Latvian diacritics and case."""
from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-case ``text`` and strip diacritics: 'Metināšana' -> 'metinasana'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()
