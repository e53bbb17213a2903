"""Phone numbers as people type them: one spelling for looking someone up and for counting
their failed sign-ins, whatever spaces, dashes or country code were typed around it."""
import re

_NOT_A_DIGIT = re.compile(r"[^0-9]")


def normalise_phone(typed: str) -> str:
    """Digits only, without a leading 86 country code: ' +86 138-0000-0001\\t' -> '13800000001'."""
    digits = _NOT_A_DIGIT.sub("", typed or "")
    return digits[2:] if len(digits) == 13 and digits.startswith("861") else digits
