"""The taxonomy's labels as one long frame for the label search (``matching.skill_search``)."""
from __future__ import annotations

import pandas as pd

from careers.models import Skill

LABEL_COLUMNS = ["item_id", "label", "language", "preferred"]


def skill_labels_frame() -> pd.DataFrame:
    """One row per skill label: preferred and alternative (ESCO altLabels, kept by the import), lv and en."""
    rows = []
    for pk, en, lv, alt_en, alt_lv in Skill.objects.order_by("pk").values_list(
            "pk", "label_en", "label_lv", "alt_labels_en", "alt_labels_lv").iterator(chunk_size=5000):
        rows.append((pk, en, "en", True))
        if lv:
            rows.append((pk, lv, "lv", True))
        rows += [(pk, label, "en", False) for label in alt_en or () if isinstance(label, str)]
        rows += [(pk, label, "lv", False) for label in alt_lv or () if isinstance(label, str)]
    return pd.DataFrame.from_records(rows, columns=LABEL_COLUMNS)
