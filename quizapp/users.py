"""Accounts, the service layer: passwords (hashing, checking in constant time, the strength
rule), the one normal form of an email address, time zones and the rate-limit policies of the
account pages. No request, session or signed-in user here: the auth and account views and the
``quizapp users`` commands call it alike."""

from __future__ import annotations

import re
import secrets
import unicodedata
import zoneinfo
from functools import cache

from email_validator import EmailNotValidError, validate_email
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from .models import User

ROLES = ("student", "instructor")
MIN_PASSWORD = 10
MAX_PASSWORD = 200
# zxcvbn's score: 3 is "safely unguessable" (about 10^8 guesses or more); below it, the
# password is on a list of common ones, a pattern, or made of the account's own data.
MIN_PASSWORD_SCORE = 3
ZXCVBN_CHARS = 72
TIMEZONES = sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})

# Rate limits (README, Security). Sign-in: the account lockout refuses; the per-address limit
# only slows down, so a correct password from a shared address still gets in.
SIGN_IN_ACCOUNT = "5 per minute;30 per hour"
SIGN_IN_ADDRESS = "30 per minute"
REGISTER_ADDRESS_SLOW = "20 per hour"
REGISTER_ADDRESS_MAX = "200 per day"
PASSWORD_CHANGE_ACCOUNT = "5 per minute;20 per hour"
SLOWDOWN_SECONDS = 2.0


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


@cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_hex(16))


def password_matches(user: User | None, password: str) -> bool:
    """Check the password; for an unknown account a dummy hash is checked, so the answer
    takes as long as for a known one."""
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return False
    return check_password_hash(user.password_hash, password)


def normalize_email(value: str) -> str:
    """The one form of an address that accounts are stored and compared under: NFKC (so
    fullwidth letters and ligatures become plain ones), then email-validator's checks and
    IDNA normalization (a punycode domain and its Unicode form are the same), lower case.
    Raises ValueError with a message saying what is wrong.

    The one check of an address, for the registration form and the CLI alike. Never a DNS
    lookup (no deliverability check). Domains under the special-use ``.test`` (RFC 6761, as
    schools use for class accounts: ``sam@student.test``) are accepted; other special-use
    names (``.invalid``, ``.localhost``, ``.onion``...) are not."""
    text = unicodedata.normalize("NFKC", value.strip())
    if not text:
        raise ValueError("Enter an email address, such as name@school.org.")
    try:
        info = validate_email(text, check_deliverability=False, test_environment=True)
    except EmailNotValidError as exc:
        raise ValueError(str(exc)) from exc
    normalized = f"{info.local_part}@{info.domain}".lower()
    if len(normalized) > 254:
        raise ValueError("The email address is too long.")
    return normalized


def lookup_email(value: str) -> tuple[str, bool]:
    """The stored form of a typed address and True; for an invalid address (which matches no
    account, but still has a sign-in counter) its plain lower case and False."""
    try:
        return normalize_email(value), True
    except ValueError:
        return unicodedata.normalize("NFKC", value.strip()).lower()[:254], False


def password_problem(password: str, user_inputs: list[str]) -> str | None:
    """Why a new password is refused (NIST SP 800-63B): too short or long, common, a
    pattern, or guessable from the account's own data; None when it is fine."""
    if len(password) < MIN_PASSWORD:
        return f"The password needs at least {MIN_PASSWORD} characters."
    if len(password) > MAX_PASSWORD:
        return f"The password can have at most {MAX_PASSWORD} characters."
    words = [w for value in user_inputs for w in re.split(r"[@.\s_+-]+", value.lower()) if w]
    # zxcvbn's own cap: its cost grows fast with length, and 72 characters that are safely
    # unguessable stay so whatever follows.
    result = zxcvbn(password[:ZXCVBN_CHARS], user_inputs=[*user_inputs, *words])
    if result["score"] >= MIN_PASSWORD_SCORE:
        return None
    feedback = result["feedback"]
    hint = feedback.get("warning") or "It is too easy to guess."
    if any(w and w in password.lower() for w in words if len(w) >= 3):
        hint = "It contains your name or email address."
    advice = " ".join(feedback.get("suggestions") or []) or "Add more words or characters."
    return f"This password is too easy to guess. {hint} {advice}".strip()
