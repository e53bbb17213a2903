"""Phone numbers as people type them: one spelling for looking someone up and for counting
their failed sign-ins, whatever spaces, dashes or country code were typed around it; and which
numbers a person may be registered with (mainland mobiles, unless the service says otherwise)."""
import re

_NOT_A_DIGIT = re.compile(r"[^0-9]")
MAINLAND_MOBILE = r"1[0-9]{10}"
_pattern = re.compile(MAINLAND_MOBILE)


def use_phone_pattern(pattern: str) -> None:
    """The numbers people may be registered with, from here on (the service's BENNIU_PHONE_PATTERN)."""
    global _pattern
    _pattern = re.compile(pattern)


def is_phone(text: str) -> bool:
    """Whether `text` (digits as stored: no spaces, dashes or country code) is a number people may have."""
    return _pattern.fullmatch(text) is not None


def normalise_phone(typed: str) -> str:
    """Digits only, without a leading 86 country code: ' +86 138-0000-0001\\t' -> '13800000001'."""
    digits = _NOT_A_DIGIT.sub("", typed or "")
    return digits[2:] if len(digits) == 13 and digits.startswith("861") else digits


_SEPARATORS = re.compile(r"[\s\-]")


def phone_typed(text: str | None) -> str | None:
    """A phone number as a person typed it into a form or a sheet (spaces, dashes and a +86 dropped),
    or None if it is not one people may be registered with."""
    phone = _SEPARATORS.sub("", text or "")
    phone = phone[3:] if phone.startswith("+86") else phone
    return phone if is_phone(phone) else None
