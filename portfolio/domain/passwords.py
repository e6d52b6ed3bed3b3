"""Password policy: length over composition (NIST SP 800-63B), common passwords refused.

The common passwords are the 19,640 of `common-passwords.txt.gz` (source and licence in
COMMON-PASSWORDS.md beside it; ASVS 6.2.4 asks for at least the top 3,000) and a short list
of Swedish ones below.
"""

from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path

MIN_LENGTH = 12
MAX_LENGTH = 256

COMMON_PASSWORDS_FILE = Path(__file__).with_name("common-passwords.txt.gz")

# Swedish and local passwords that are long enough but among the most used. Compared
# case-insensitively.
LOCAL_COMMON_PASSWORDS = frozenset(
    {
        "123456789012", "1234567890123", "12345678901234", "123456123456", "qwertyuiopas",
        "qwertyuiop123", "qwerty123456", "password1234", "password12345", "passwordpassword",
        "lösenord1234", "losenord1234", "lösenordlösenord", "sommar2024sommar", "iloveyou1234",
        "abcdefghijkl", "abc123abc123", "111111111111", "000000000000", "aaaaaaaaaaaa",
        "letmein12345", "welcome12345", "välkommen123", "valkommen123", "administrator",
        "administratör", "adminadmin12", "changeme1234", "portfolio123", "portfolio-demo",
        "innovation123", "hejhejhejhej", "sverige12345", "stockholm123", "1q2w3e4r5t6y",
        "zaq12wsxcde3", "trustno1trustno1", "football1234", "superman1234", "monkey123456",
    }
)


@cache
def common_passwords() -> frozenset[str]:
    """Every refused common password, lower-cased (read once)."""
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as lines:
        listed = {line.strip() for line in lines if line.strip()}
    return frozenset(listed) | LOCAL_COMMON_PASSWORDS


def password_problem(password: str) -> str | None:
    """Why a password is refused, as a message key, or None when it is acceptable.

    Keys: "too_short", "too_long", "common".
    """
    if len(password) < MIN_LENGTH:
        return "too_short"
    if len(password) > MAX_LENGTH:
        return "too_long"
    if password.casefold() in common_passwords() or password.lower() in common_passwords() or len(set(password)) <= 2:
        return "common"
    return None
