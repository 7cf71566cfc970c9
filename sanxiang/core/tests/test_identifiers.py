import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from sanxiang.core.identifiers import (
    CREDIT_CODE_CHARSET,
    Sex,
    age_on,
    credit_code_check_char,
    mask_resident_id,
    normalise_credit_code,
    normalise_resident_id,
    resident_id_birth_date,
    resident_id_check_digit,
    resident_id_sex,
    validate_credit_code,
    validate_resident_id,
)

TODAY = datetime.date(2026, 11, 28)

VALID_RESIDENT_IDS = [
    "11010519491231002X",
    "440524188001010014",
    "11010119900307803X",
    "341523198001010014",
    "34152320000229002X",
]
INVALID_RESIDENT_IDS = ["110105194912310021", "11010119900307001X"]

VALID_CREDIT_CODES = [
    "91350100M000100Y43",
    "91110000802100433B",
    "91341523MA2T00000B",
    "12341523003124567P",
    "52341523MJ0000000D",
]
INVALID_CREDIT_CODES = ["91350211M000100Y4X", "911100001000000000"]


def message(error: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(error.value.messages)


@pytest.mark.parametrize("value", VALID_RESIDENT_IDS)
def test_valid_resident_ids_are_accepted(value):
    validate_resident_id(value, today=TODAY)


@pytest.mark.parametrize("value", INVALID_RESIDENT_IDS)
def test_invalid_resident_ids_are_refused_for_their_check_digit(value):
    with pytest.raises(ValidationError) as error:
        validate_resident_id(value, today=TODAY)
    assert error.value.code == "resident_id_check_digit"
    assert "校验码错误" in message(error)


def test_check_digit_message_names_the_expected_character():
    with pytest.raises(ValidationError) as error:
        validate_resident_id("110105194912310021", today=TODAY)
    assert message(error) == "公民身份号码校验码错误：第18位应为“X”，实际为“1”。"


def test_lower_case_x_is_accepted_and_normalised():
    validate_resident_id("34152320000229002x", today=TODAY)
    assert normalise_resident_id(" 341523 20000229 002x ") == "34152320000229002X"


def test_resident_id_of_wrong_length_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_resident_id("34152319800101001", today=TODAY)
    assert message(error) == "公民身份号码应为18位，当前为17位。"


def test_resident_id_with_a_letter_in_the_body_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_resident_id("3415231980010100A4", today=TODAY)
    assert message(error) == "公民身份号码前17位应为数字，第17位“A”不是数字。"


def test_resident_id_with_a_bad_check_character_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_resident_id("34152319800101001Y", today=TODAY)
    assert "第18位（校验码）应为数字或X" in message(error)


def test_full_width_digits_are_not_digits():
    with pytest.raises(ValidationError) as error:
        validate_resident_id("３41523198001010014", today=TODAY)
    assert error.value.code == "resident_id_character"


def with_check(first17: str) -> str:
    return first17 + resident_id_check_digit(first17)


def test_29_february_of_a_common_year_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_resident_id(with_check("34152320010229002"), today=TODAY)
    assert message(error) == "公民身份号码中的出生日期20010229不是有效日期。"


def test_29_february_1900_is_refused_and_2000_accepted():
    with pytest.raises(ValidationError):
        validate_resident_id(with_check("34152319000229002"), today=TODAY)
    validate_resident_id(with_check("34152320000229002"), today=TODAY)


def test_month_13_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_resident_id(with_check("34152319801301001"), today=TODAY)
    assert error.value.code == "resident_id_birth_date"


def test_birth_date_in_the_future_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_resident_id(with_check("34152320261129001"), today=TODAY)
    assert message(error) == "公民身份号码中的出生日期2026-11-29晚于今天。"
    validate_resident_id(with_check("34152320261128001"), today=TODAY)


def test_default_today_is_the_local_date():
    with pytest.raises(ValidationError):
        validate_resident_id(with_check("34152330000101001"))
    validate_resident_id("341523198001010014")


def test_birth_date_and_sex_are_read_from_the_number():
    assert resident_id_birth_date("34152320000229002X") == datetime.date(2000, 2, 29)
    assert resident_id_sex("341523198001010014") == Sex.MALE
    assert resident_id_sex("34152320000229002x") == Sex.FEMALE


@pytest.mark.parametrize(
    ("on", "age"),
    [
        (datetime.date(2000, 1, 1), 0),
        (datetime.date(2013, 12, 31), 13),
        # 周岁 is completed the day after the birthday (法释〔2006〕1号 Art.2).
        (datetime.date(2014, 1, 1), 13),
        (datetime.date(2014, 1, 2), 14),
        (datetime.date(2018, 1, 2), 18),
    ],
)
def test_age_on_counts_full_years_from_the_day_after_the_birthday(on, age):
    assert age_on(with_check("34152320000101001"), on) == age


def test_age_of_someone_born_on_29_february():
    rid = "34152320000229002X"
    assert age_on(rid, datetime.date(2014, 2, 28)) == 13
    assert age_on(rid, datetime.date(2014, 3, 1)) == 14
    assert age_on(rid, datetime.date(2016, 2, 29)) == 15
    assert age_on(rid, datetime.date(2016, 3, 1)) == 16


def test_age_before_birth_is_an_error():
    with pytest.raises(ValueError):
        age_on("341523198001010014", datetime.date(1979, 12, 31))


def test_masked_resident_id_keeps_address_code_and_last_four():
    assert mask_resident_id("341523198001010014") == "341523********0014"


@pytest.mark.parametrize("value", VALID_CREDIT_CODES)
def test_valid_credit_codes_are_accepted(value):
    validate_credit_code(value)


def test_synthetic_codes_are_accepted_although_their_embedded_organisation_code_does_not_check():
    # 91341523MA2T00000B: the 组织机构代码 MA2T0000-0 would need check digit 7, not 0.
    validate_credit_code("91341523MA2T00000B")


def test_credit_code_with_wrong_check_character_names_the_expected_one():
    with pytest.raises(ValidationError) as error:
        validate_credit_code("91350211M000100Y4X")
    assert message(error) == "统一社会信用代码校验码错误：第18位应为“6”，实际为“X”。"


def test_all_zero_credit_code_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_credit_code("911100001000000000")
    assert error.value.code == "credit_code_check_char"


@pytest.mark.parametrize("value", INVALID_CREDIT_CODES)
def test_invalid_credit_codes_are_refused(value):
    with pytest.raises(ValidationError):
        validate_credit_code(value)


def test_credit_code_of_wrong_length_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_credit_code("91350100M000100Y4")
    assert message(error) == "统一社会信用代码应为18位，当前为17位。"


@pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z"])
def test_credit_code_letters_outside_the_set_are_refused(letter):
    with pytest.raises(ValidationError) as error:
        validate_credit_code("91350100M000100Y4" + letter)
    assert message(error).startswith(f"统一社会信用代码第18位“{letter}”不是有效字符")


def test_credit_code_is_normalised_to_upper_case():
    assert normalise_credit_code(" 91350100m000100y43 ") == "91350100M000100Y43"
    validate_credit_code("91350100m000100y43")


def test_check_helpers_refuse_a_body_of_the_wrong_shape():
    with pytest.raises(ValueError):
        resident_id_check_digit("1234")
    with pytest.raises(ValueError):
        credit_code_check_char("91350100M000100YI")


resident_bodies = st.builds(
    lambda region, birth, sequence: f"{region:06d}{birth:%Y%m%d}{sequence:03d}",
    st.integers(0, 999_999),
    st.dates(datetime.date(1900, 1, 1), TODAY),
    st.integers(0, 999),
)


@given(resident_bodies, st.sampled_from("0123456789X"))
def test_any_resident_id_body_passes_only_with_its_computed_check_digit(body, other):
    check = resident_id_check_digit(body)
    validate_resident_id(body + check, today=TODAY)
    if other != check:
        with pytest.raises(ValidationError):
            validate_resident_id(body + other, today=TODAY)


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_check_digit_is_one_of_eleven_characters(body):
    assert resident_id_check_digit(body) in "0123456789X"


@given(
    st.text(alphabet=CREDIT_CODE_CHARSET, min_size=17, max_size=17),
    st.sampled_from(CREDIT_CODE_CHARSET),
)
def test_any_credit_code_body_passes_only_with_its_computed_check_character(body, other):
    check = credit_code_check_char(body)
    validate_credit_code(body + check)
    if other != check:
        with pytest.raises(ValidationError):
            validate_credit_code(body + other)
