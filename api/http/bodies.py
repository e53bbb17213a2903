"""Reading JSON request bodies safely: malformed, deeply nested or absurd numbers are all
"not JSON we take" (400), never a RecursionError or ValueError deep inside a view."""
import json
import re

MAX_DEPTH = 32  # Benniu's bodies nest three levels; anything far deeper is an attack
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(r"[\[\]{}]")


def nesting_depth(text: str) -> int:
    """How deeply arrays and objects nest in `text` (brackets inside strings do not count)."""
    depth = deepest = 0
    for bracket in _BRACKET.findall(_STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def parse(raw: bytes | str):
    """The JSON in a request body; json.JSONDecodeError (a ValueError) if it is not JSON we take."""
    try:
        text = raw.decode() if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as error:
        raise json.JSONDecodeError(f"not UTF-8: {error.reason}", "", error.start) from None
    if nesting_depth(text) > MAX_DEPTH:
        raise json.JSONDecodeError(f"nested deeper than {MAX_DEPTH} levels", text[:100], 0)
    try:
        value = json.loads(text)
        if "\\u" in text:  # an escaped lone surrogate ("\ud800") decodes to a string no database can store
            json.dumps(value, ensure_ascii=False).encode()
        return value
    except UnicodeEncodeError:
        raise json.JSONDecodeError("not valid text: a lone surrogate", text[:100], 0) from None
    except RecursionError:  # not reached past the depth check; kept as the last line of defence
        raise json.JSONDecodeError("nested too deeply", text[:100], 0) from None
    except json.JSONDecodeError:
        raise
    except ValueError as error:  # e.g. an integer of more than 4,300 digits
        raise json.JSONDecodeError(str(error), text[:100], 0) from None
