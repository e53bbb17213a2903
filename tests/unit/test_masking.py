"""Names and phones shown at counters and on public boards keep only what recognises a person."""
import pytest

from points.masking import masked_name, masked_phone


@pytest.mark.parametrize(("name", "shown"), [("陈元龙", "陈*龙"), ("李四", "李*"), ("欧阳建国", "欧**国"), ("王", "王"),
                                             ("", "")])
def test_a_name_keeps_its_first_and_last_character(name, shown):
    assert masked_name(name) == shown


def test_a_phone_keeps_its_first_three_and_last_four_digits():
    assert masked_phone("13800000001") == "138****0001"
    assert masked_phone("1234567") == "12***67"  # an old short number is still masked, never shown whole
    assert masked_phone("12345") == "12*45" and masked_phone("1234") == "****"
