"""Voucher codes a clerk can read aloud and type: eight characters with no 0/O, 1/I/L look-alikes."""
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # 31 symbols: 31**8 is about 8.5e11 codes
LENGTH = 8


def new_voucher_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(typed: str) -> str:
    """What a clerk typed or a scanner read (a code, `ABCD-EFGH`, or a voucher URL) as a bare code."""
    text = typed.strip().split("?")[0].rstrip("/").rsplit("/", 1)[-1]
    return text.upper().replace("-", "").replace(" ", "")


def display(code: str) -> str:
    """`ABCDEFGH` as `ABCD-EFGH`, easier to read aloud."""
    return f"{code[:4]}-{code[4:]}"
