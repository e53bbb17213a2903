"""How a member is shown to people who need to recognise, not identify, them (陈*龙, 138****0001)."""


def masked_name(name: str) -> str:
    """陈元龙 -> 陈*龙, 李四 -> 李*, 欧阳建国 -> 欧**国: the first and last character stay."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def masked_phone(phone: str) -> str:
    """13800000001 -> 138****0001: enough to match a face to a voucher, not enough to copy. A shorter
    number (kept from before numbers had to be mainland mobiles) keeps only its first and last two."""
    if len(phone) >= 8:
        return phone[:3] + "****" + phone[-4:]
    return phone[:2] + "*" * (len(phone) - 4) + phone[-2:] if len(phone) > 4 else "*" * len(phone)
