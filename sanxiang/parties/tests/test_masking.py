import pytest

from sanxiang.parties.masking import mask_address, mask_phone, mask_resident_id


def test_resident_id_keeps_six_and_four():
    assert mask_resident_id("341523198001010014") == "341523********0014"


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13800001234", "138****1234"),
        ("138 0000 1234", "138****1234"),
        ("0564-8621234", "056****1234"),
        ("8621234", "86****34"),
        ("", ""),
    ],
)
def test_phone_masking(phone, masked):
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("安徽省六安市舒城县城关镇梅河路1号", "安徽省六安市舒城县****"),
        ("舒城县城关镇梅河路1号", "舒城县****"),
        ("梅河路1号", "梅河路1****"),
        ("舒城县", "舒****"),
        ("", ""),
    ],
)
def test_address_is_cut_after_the_county(address, masked):
    assert mask_address(address) == masked
