"""The admin sign-in page locks a username out from one address after AXES_FAILURE_LIMIT wrong passwords (issue 15,
finding 2); the same account stays reachable from every other address, so an attacker cannot lock its owner out."""
from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import AdminUserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "Demo-Parole-2026"


def admin_sign_in(address: str, username: str, password: str):
    return Client(REMOTE_ADDR=address).post(LOGIN, {"username": username, "password": password,
                                                    "next": "/admin/"})


@pytest.fixture
def admin_user():
    user = AdminUserFactory(is_staff=True, is_superuser=True)
    user.set_password(PASSWORD)
    user.save()
    return user


def test_forty_wrong_passwords_then_the_right_one_from_that_address_is_refused(admin_user):
    for _ in range(40):
        assert admin_sign_in("203.0.113.5", admin_user.username, "wrong-password").status_code in (200, 429)
    response = admin_sign_in("203.0.113.5", admin_user.username, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in response.wsgi_request.session


def test_the_real_user_from_another_address_still_gets_in(admin_user):
    for _ in range(40):
        admin_sign_in("203.0.113.5", admin_user.username, "wrong-password")
    response = admin_sign_in("192.0.2.44", admin_user.username, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert response.wsgi_request.session["_auth_user_id"] == str(admin_user.pk)


def test_a_correct_sign_in_is_not_counted_against_the_address(admin_user):
    response = admin_sign_in("203.0.113.5", admin_user.username, PASSWORD)
    assert response.status_code == 302
