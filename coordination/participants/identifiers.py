"""NAF codes, SIRET numbers, signed links and the ParticipantError of the package."""

import re

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from stdnum.fr import siret as stdnum_siret

NAF_PATTERN = re.compile(r"^\d{2}\.\d{2}[A-Z]$")
#: NAF rev. 2 sections: (first division, last division, letter).
NAF_SECTIONS = (
    (1, 3, "A"),
    (5, 9, "B"),
    (10, 33, "C"),
    (35, 35, "D"),
    (36, 39, "E"),
    (41, 43, "F"),
    (45, 47, "G"),
    (49, 53, "H"),
    (55, 56, "I"),
    (58, 63, "J"),
    (64, 66, "K"),
    (68, 68, "L"),
    (69, 75, "M"),
    (77, 82, "N"),
    (84, 84, "O"),
    (85, 85, "P"),
    (86, 88, "Q"),
    (90, 93, "R"),
    (94, 96, "S"),
    (97, 98, "T"),
    (99, 99, "U"),
)


class ParticipantError(Exception):
    """A change the rules refuse; the message is shown to the user."""


# --- Identifiers -------------------------------------------------------------------------


def normalise_naf(value: str) -> str:
    """ "6201Z", "62.01z" or " 62.01Z " as "62.01Z"."""
    compact = re.sub(r"[\s.]", "", value or "").upper()
    if len(compact) == 5:
        return f"{compact[:2]}.{compact[2:]}"
    return compact


def naf_section(code: str) -> str | None:
    """The NAF section letter of a "NN.NNX" code, or None if the code is not one."""
    if not NAF_PATTERN.match(code or ""):
        return None
    division = int(code[:2])
    for first, last, letter in NAF_SECTIONS:
        if first <= division <= last:
            return letter
    return None


def clean_siret(value: str) -> str | None:
    """The 14 digits of a valid SIRET, None if empty; ValueError if invalid."""
    digits = re.sub(r"\D", "", value or "")
    if not digits:
        return None
    if not stdnum_siret.is_valid(digits):
        raise ValueError("invalid SIRET")
    return digits


# --- Signed links (no account) -----------------------------------------------------------


def _serializer(kind: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=f"participants-{kind}")


def make_token(kind: str, row_id: int) -> str:
    """A signed token that lets one person act on one row ("registration", "offer", "answer")."""
    return _serializer(kind).dumps(row_id)


def read_token(kind: str, token: str) -> int | None:
    """The row id in a token, or None if it was tampered with or is of another kind."""
    try:
        value = _serializer(kind).loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) else None
