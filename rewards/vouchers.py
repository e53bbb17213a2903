"""Voucher codes a clerk can read aloud and type: eight characters with no 0/O, 1/I/L look-alikes."""
import secrets

from points.codes import last_segment

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # 31 symbols: 31**8 is about 8.5e11 codes
LENGTH = 8


def new_voucher_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(typed: str) -> str:
    """What a clerk typed or a scanner read (a code, `ABCD-EFGH`, or a voucher URL) as a bare code.

    Cut to the column's 16 characters: anything longer is no voucher, and stays a plain miss.
    """
    return last_segment(typed).upper().replace("-", "").replace(" ", "")[:16]


def display(code: str) -> str:
    """`ABCDEFGH` as `ABCD-EFGH`, easier to read aloud."""
    return f"{code[:4]}-{code[4:]}"
