"""Admin login throttling (django-axes): repeated wrong passwords lock the login out, the right
password included, until the cool-off ends; other users and addresses are not affected."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.test.utils import override_settings

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "right-horse-battery-staple"  # noqa: S105 (a test user's)


@pytest.fixture
def staff() -> User:
    return User.objects.create_user("editor", password=PASSWORD, is_staff=True)


def _login(client: Client, password: str, *, address: str = "203.0.113.7", user="editor"):
    return client.post(LOGIN, {"username": user, "password": password}, REMOTE_ADDR=address)


def _logged_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/admin/"


@override_settings(AXES_FAILURE_LIMIT=5)
def test_wrong_passwords_lock_the_login_out_right_password_included(staff):
    """The fifth wrong password locks the login out (429); the right one is refused then too."""
    client = Client()
    for attempt in range(4):
        response = _login(client, f"guess-{attempt}")
        assert response.status_code == 200  # the form again, with its error
    assert _login(client, "guess-4").status_code == 429
    locked = _login(client, PASSWORD)
    assert locked.status_code == 429
    assert not _logged_in(locked)


@override_settings(AXES_FAILURE_LIMIT=5)
def test_lockout_is_per_username_and_address(staff):
    """A lockout of one username from one address leaves the same user from another address
    and other users from the same address able to log in."""
    User.objects.create_user("other", password=PASSWORD, is_staff=True)
    for attempt in range(6):
        _login(Client(), f"guess-{attempt}")
    assert _logged_in(_login(Client(), PASSWORD, address="198.51.100.2"))
    assert _logged_in(_login(Client(), PASSWORD, user="other"))


@override_settings(AXES_FAILURE_LIMIT=5)
def test_success_before_the_limit_resets_the_count(staff):
    """Four wrong passwords and then the right one: the count starts again."""
    for attempt in range(4):
        _login(Client(), f"guess-{attempt}")
    assert _logged_in(_login(Client(), PASSWORD))
    for attempt in range(4):
        _login(Client(), f"again-{attempt}")
    assert _logged_in(_login(Client(), PASSWORD))
