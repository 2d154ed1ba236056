"""Passwords are used whole (ASVS 2.1.3, 2.1.4): nothing is cut off, any character counts."""

from app.accounts import passwords


def test_the_last_character_of_a_128_character_password_counts(app):
    password = "ё" * 127 + "a"
    stored = passwords.hash_password(password)
    assert passwords.verify_password(stored, password)
    assert not passwords.verify_password(stored, "ё" * 127 + "b")
    assert not passwords.verify_password(stored, "ё" * 127)


def test_spaces_and_emoji_are_allowed_and_count(app):
    password = "библиотека 📚 в Нюрбе  "
    passwords.check_policy(password, "admin-a")
    stored = passwords.hash_password(password)
    assert passwords.verify_password(stored, password)
    assert not passwords.verify_password(stored, password.rstrip())
