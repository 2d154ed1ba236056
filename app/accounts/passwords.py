"""Password policy and hashing (Argon2id at OWASP's recommended parameters)."""

import gzip
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l

from app.core.errors import DomainError

MIN_LENGTH = 12
MAX_LENGTH = 128
COMMON_PASSWORDS = Path(__file__).parent / "data" / "common-passwords.txt.gz"

# OWASP Password Storage Cheat Sheet: Argon2id, 19 MiB of memory, 2 iterations, 1 lane.
hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


@cache
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS, "rt", encoding="utf-8") as handle:
        return frozenset(line.strip().casefold() for line in handle if line.strip())


def check_policy(password: str, *personal: str, field: str = "password") -> None:
    """Refuse a password that is too short, too long, common or made of the user's own data."""
    if len(password) < MIN_LENGTH:
        raise DomainError(_l("The password must be at least 12 characters long."), field=field)
    if len(password) > MAX_LENGTH:
        raise DomainError(_l("The password must be at most 128 characters long."), field=field)
    folded = password.casefold()
    if folded in common_passwords():
        raise DomainError(
            _l("This password is among the most common ones. Choose another."), field=field
        )
    if any(part and len(part) >= 4 and part.casefold() in folded for part in personal):
        raise DomainError(
            _l("The password must not contain your login, name or e-mail."), field=field
        )


def hash_password(password: str) -> str:
    return hasher.hash(password)


@cache
def _dummy_hash() -> str:
    return hasher.hash("not a password of anyone")


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches. Without a hash (an unknown login, an account whose
    password is not set yet) a dummy hash is checked all the same, so that the answer takes as
    long and does not tell which logins exist."""
    try:
        return hasher.verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return hasher.check_needs_rehash(password_hash)
