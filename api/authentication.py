"""JWT authentication that also refuses access tokens revoked at sign-out."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.settings import api_settings as jwt_settings

from careers.selectors.accounts import access_token_is_revoked

TOKEN_REVOKED = _("This access token was revoked at sign-out.")


class RevocableJWTAuthentication(JWTAuthentication):
    """simplejwt's check, then the sign-out denylist (careers.models.RevokedAccessToken): one indexed lookup."""

    def get_validated_token(self, raw_token: bytes):
        token = super().get_validated_token(raw_token)
        if access_token_is_revoked(jti=str(token.get(jwt_settings.JTI_CLAIM, ""))):
            raise InvalidToken({"detail": TOKEN_REVOKED, "code": "token_not_valid"})
        return token
