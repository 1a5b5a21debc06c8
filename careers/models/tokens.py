"""Access tokens revoked before they expire (sign-out); refresh tokens use simplejwt's own blacklist."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RevokedAccessToken(models.Model):
    """An access token's id (``jti``) refused until the token would have expired anyway."""

    jti = models.CharField(_("token id"), max_length=255, unique=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("revoked access token")
        verbose_name_plural = _("revoked access tokens")

    def __str__(self) -> str:
        return self.jti
