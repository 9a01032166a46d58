import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Every test user gets a password; the production hasher (PBKDF2, 10⁶ rounds) costs ~1 s each here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
