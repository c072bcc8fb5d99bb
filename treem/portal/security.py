"""Keyed hashes, signed tokens and tracking codes used by the public forms."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
import unicodedata

from django.conf import settings
from django.core import signing

from treem.lib.text import nfc

VOTER_COOKIE = "treem_voter"
VOTER_SALT = "treem.portal.voter"
FORM_TS_SALT = "treem.portal.form-ts"
UNSUBSCRIBE_SALT = "treem.portal.unsubscribe"
RECEIPT_SALT = "treem.portal.concern-receipt"
CONCERN_TOKEN_SALT = "treem.portal.concern-form"  # noqa: S105 - a salt, not a secret
# No 0/O, 1/I/L: a code read out over the phone or copied from paper is typed right.
TRACKING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
TRACKING_GROUPS = 3
TRACKING_GROUP_LEN = 4


def _key(purpose: str) -> bytes:
    salt = getattr(settings, "PORTAL_HASH_SALT", "") or settings.SECRET_KEY
    return hashlib.sha256(f"{purpose}:{salt}".encode()).digest()


def ip_hash(address: str | None) -> str:
    """Salted (keyed) hash of a connection address: equal for equal addresses, not reversible
    without the server's salt (a plain hash of an IPv4 address is brute-forced in minutes)."""
    return hmac.new(_key("ip"), (address or "unknown").encode(), hashlib.sha256).hexdigest()


def email_hash(email: str) -> str:
    return hmac.new(_key("email"), nfc(email).lower().encode(), hashlib.sha256).hexdigest()


def new_voter_token() -> str:
    return secrets.token_hex(16)


def form_timestamp() -> str:
    """A signed "form rendered at" value for the minimum-fill-time check."""
    return signing.dumps(int(time.time()), salt=FORM_TS_SALT)


def form_age_seconds(value: str | None, *, max_age: int = 86400) -> float | None:
    """Seconds since the form was rendered, or None when the value is missing, forged or old."""
    if not value:
        return None
    try:
        rendered = signing.loads(value, salt=FORM_TS_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    return time.time() - int(rendered)


def concern_form_token() -> str:
    """A signed token put in each concern form shown: a random nonce (good for one submission,
    see `services.concern_submit`) and the time the form was shown."""
    return signing.dumps(
        {"n": secrets.token_hex(16), "t": int(time.time())}, salt=CONCERN_TOKEN_SALT
    )


def concern_form_token_read(value: str | None, *, max_age: int) -> tuple[str, float] | None:
    """(nonce, seconds since the form was shown), or None when missing, forged or too old."""
    if not value:
        return None
    try:
        data = signing.loads(value, salt=CONCERN_TOKEN_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    nonce, shown = data.get("n"), data.get("t")
    if not isinstance(nonce, str) or len(nonce) != 32 or not isinstance(shown, int):
        return None
    return nonce, time.time() - shown


# Characters that draw nothing or reorder the text around them: bidirectional embeddings,
# overrides and isolates (U+202A-U+202E, U+2066-U+2069), zero-width spaces and joiners and the
# directional marks (U+200B-U+200F), the word joiner and invisible operators (U+2060-U+2064), the
# byte-order mark (U+FEFF) and every other Unicode "format" (Cf) or control (Cc) character. In a
# name they make one person look like another, or turn "Lan" into a different-looking string
# ("Trojan Source", CVE-2021-42574). Vietnamese text needs none of them.
_ALLOWED_CONTROLS = frozenset("\n\r\t")


def invisible_chars(value: str) -> list[str]:
    """The code points ("U+202E") of invisible or direction-changing characters in `value`."""
    found = []
    for ch in value or "":
        if ch in _ALLOWED_CONTROLS:
            continue
        if unicodedata.category(ch) in ("Cf", "Cc", "Zl", "Zp"):
            code = "U+%04X" % ord(ch)
            if code not in found:
                found.append(code)
    return found


def new_tracking_code() -> str:
    groups = [
        "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_GROUP_LEN))
        for _ in range(TRACKING_GROUPS)
    ]
    return "-".join(groups)


def normalise_tracking_code(value: str) -> str:
    """Accept the code as people type it: any case, spaces or dashes anywhere."""
    raw = "".join(ch for ch in (value or "").upper() if ch.isalnum())
    n = TRACKING_GROUP_LEN
    return "-".join(raw[i : i + n] for i in range(0, len(raw), n))


def unsubscribe_token(email_hash_value: str) -> str:
    return signing.dumps(email_hash_value, salt=UNSUBSCRIBE_SALT)


def unsubscribe_email_hash(token: str) -> str | None:
    try:
        return signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
