"""Codes a person can type: an activity's 6-character short code, the venue screen's short live code,
and a member card's 8-digit number.

An activity's short code is its id enciphered with the service's secret (a small Feistel network over
the 31**6 codes, walking the cycle until the result fits): every activity has its own, no two
activities share one, nothing is stored, and knowing the codes of some activities tells nothing of
another's. The screen's live code is an HMAC of the activity and the current time slot, so it changes
with the screen's QR. A card number is the member's id scrambled into 7 digits and a Luhn check
digit, so one mistyped digit is caught before anyone is checked in by mistake.
"""
import hashlib
import hmac
import re
from datetime import datetime

from .codes import InvalidCode

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: easy to read aloud and to type
LENGTH = 6
SPACE = len(ALPHABET) ** LENGTH
_HALF_BITS = 15  # two halves of 15 bits: 2**30 just covers SPACE
_HALF = 1 << _HALF_BITS
_ROUNDS = 6
CARD_DIGITS = 8
_CARD_SPACE = 10 ** (CARD_DIGITS - 1)
_CARD_MULTIPLIER = 7_368_787  # coprime with 10: a permutation of 0..9,999,999
_CARD_OFFSET = 4_086_213
_TYPED_NOISE = re.compile(r"[\s\-]")


def short_code(secret: str, activity_id: int) -> str:
    """The activity's short code: 6 characters from ALPHABET, one per activity."""
    if not 0 < activity_id < SPACE:
        raise ValueError("activity ids above 31**6 have no short code")
    return _spell(_walk(secret, activity_id, _encipher))


def activity_of_short_code(secret: str, typed: str) -> int:
    """The id of the activity whose short code was typed (any case, spaces ignored); InvalidCode if
    it is not one."""
    number = _number(typed)
    activity_id = _walk(secret, number, _decipher)
    if activity_id == 0:
        raise InvalidCode("this is not a check-in code")
    return activity_id


def live_short_code(secret: str, activity_id: int, slot: int) -> str:
    """The short code the venue screen shows during time slot `slot` (the live QR's lifetime)."""
    digest = hmac.new(secret.encode(), f"benniu-live-short|{activity_id}|{slot}".encode(), hashlib.sha256).digest()
    return _spell(int.from_bytes(digest[:8], "big") % SPACE)


def time_slot(now: datetime, seconds: int) -> int:
    return int(now.timestamp()) // max(1, seconds)


def looks_short(typed: str) -> bool:
    """Whether what was typed is a short code (rather than a scanned signed code or a URL)."""
    cleaned = normalise(typed)
    return len(cleaned) == LENGTH and all(character in ALPHABET for character in cleaned)


def normalise(typed: str) -> str:
    """What was typed, upper case, without spaces and dashes: ' ab3 d-ef ' -> 'AB3DEF'."""
    return _TYPED_NOISE.sub("", typed or "").upper()


def card_number(member_id: int) -> str:
    """The member card's number: 8 digits, one per member, the last a Luhn check digit."""
    if not 0 < member_id < _CARD_SPACE:
        raise ValueError("member ids above 10**7 have no card number")
    body = f"{(member_id * _CARD_MULTIPLIER + _CARD_OFFSET) % _CARD_SPACE:07d}"
    return body + _luhn_digit(body)


def is_card_number(typed: str) -> bool:
    cleaned = normalise(typed)
    return len(cleaned) == CARD_DIGITS and cleaned.isascii() and cleaned.isdigit()


def member_of_card_number(typed: str) -> int:
    """The id of the member whose card number was typed; InvalidCode if the check digit is wrong."""
    cleaned = normalise(typed)
    if not is_card_number(cleaned) or _luhn_digit(cleaned[:-1]) != cleaned[-1]:
        raise InvalidCode("this is not a member card number")
    member_id = (int(cleaned[:-1]) - _CARD_OFFSET) * pow(_CARD_MULTIPLIER, -1, _CARD_SPACE) % _CARD_SPACE
    if member_id == 0:
        raise InvalidCode("this is not a member card number")
    return member_id


def _luhn_digit(body: str) -> str:
    total = 0
    for index, digit in enumerate(reversed(body)):
        value = int(digit) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def _spell(number: int) -> str:
    letters = []
    for _ in range(LENGTH):
        number, index = divmod(number, len(ALPHABET))
        letters.append(ALPHABET[index])
    return "".join(reversed(letters))


def _number(typed: str) -> int:
    if not looks_short(typed):
        raise InvalidCode("this is not a check-in code")
    number = 0
    for character in normalise(typed):
        number = number * len(ALPHABET) + ALPHABET.index(character)
    return number


def _walk(secret: str, number: int, step) -> int:
    """Apply a permutation of 0..2**30-1 until the result falls inside SPACE again (cycle walking):
    a permutation of 0..SPACE-1 itself."""
    key = hashlib.sha256(f"benniu-short-code|{secret}".encode()).digest()
    number = step(key, number)
    while number >= SPACE:
        number = step(key, number)
    return number


def _round(key: bytes, index: int, half: int) -> int:
    digest = hmac.new(key, f"{index}|{half}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:4], "big") % _HALF


def _encipher(key: bytes, number: int) -> int:
    left, right = divmod(number, _HALF)
    for index in range(_ROUNDS):
        left, right = right, left ^ _round(key, index, right)
    return left * _HALF + right


def _decipher(key: bytes, number: int) -> int:
    left, right = divmod(number, _HALF)
    for index in reversed(range(_ROUNDS)):
        left, right = right ^ _round(key, index, left), left
    return left * _HALF + right
