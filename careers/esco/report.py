"""What an import did: created / updated / unchanged per kind, and notes on what was skipped."""
from __future__ import annotations

from dataclasses import dataclass, field

KIND_LABELS = {
    "skills": "skills",
    "occupations": "occupations",
    "occupation_skills": "occupation–skill relations",
    "broader": "broader skill relations",
    "related": "related skill relations",
    "labels_lv": "Latvian labels",
    "lv_classifier_codes": "Latvian classifier codes",
    "riasec": "RIASEC profiles",
}


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class ImportReport:
    counts: dict[str, Counts] = field(default_factory=lambda: {kind: Counts() for kind in KIND_LABELS})
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated for c in self.counts.values())

    def lines(self) -> list[str]:
        width = max(len(label) for label in KIND_LABELS.values())
        rows = [
            f"{KIND_LABELS[kind]:<{width}}  created {c.created:>7,}  updated {c.updated:>7,}  unchanged {c.unchanged:>7,}"
            for kind, c in self.counts.items()
        ]
        rows += [f"note: {note}" for note in self.notes]
        rows.append("changes written" if self.changed else "nothing changed: the database already matched the files")
        return rows
