"""Demo users: the planned accounts, their invented names, and the one sync that writes them."""
from __future__ import annotations

import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from careers.models import User

from .common import fixture
from .logins import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD
from .sync import upsert

# Generated candidates cannot log in: a password starting with "!" is unusable in Django.
NO_LOGIN_PASSWORD = "!demo-generated-no-login"
# A fixed salt keeps the stored hash identical between runs (idempotence); the password is public anyway.
_PASSWORD_SALT = "nextgendemo2026"


@dataclass
class PlannedUser:
    username: str
    first_name: str
    last_name: str
    role: str
    can_log_in: bool
    is_staff: bool = False
    is_superuser: bool = False
    preferred_language: str = "lv"


def users_sync(*, planned: list[PlannedUser]) -> dict[str, User]:
    """Create or update the planned users; returns username -> user."""
    demo_hash = make_password(DEMO_PASSWORD, salt=_PASSWORD_SALT)
    existing = {u.username: u for u in User.objects.filter(username__in=[p.username for p in planned])}
    rows = {
        p.username: {
            "username": p.username,
            "first_name": p.first_name,
            "last_name": p.last_name,
            "email": f"{p.username}@{DEMO_EMAIL_DOMAIN}",
            "role": p.role,
            "is_staff": p.is_staff,
            "is_superuser": p.is_superuser,
            "is_active": True,
            "preferred_language": p.preferred_language,
            "password": demo_hash if p.can_log_in else NO_LOGIN_PASSWORD,
        }
        for p in planned
    }
    return upsert(User, existing, rows)


class NamePicker:
    """Random combinations of common Latvian (or Russian) first names and surnames."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.names = fixture("names.json")

    def pick(self, gender: str, russian: bool = False) -> tuple[str, str]:
        female = gender == "female" or (gender not in ("female", "male") and self.rng.random() < 0.5)
        suffix = "_ru" if russian else ""
        first = self.rng.choice(self.names[("first_female" if female else "first_male") + suffix])
        last = self.rng.choice(self.names["surnames" + suffix])[1 if female else 0]
        return first, last
