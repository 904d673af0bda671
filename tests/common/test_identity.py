import datetime as dt
import logging

import pytest
from django.core.exceptions import ValidationError
from stdnum.cn import ric

from hongniudai.common.identity import (
    decrypt_id_number,
    encrypt_id_number,
    id_number_digest,
    mask_id_number,
    mask_personal_data_in_text,
    mask_phone,
    normalize_phone,
    parse_citizen_id,
)
from hongniudai.common.logging import MaskPersonalDataFilter


def _valid(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


VALID_MALE = _valid("42070419580304001")  # digit 17 = 1: odd → male


def test_valid_id_gives_birth_date_and_sex():
    cid = parse_citizen_id(VALID_MALE)
    assert cid.birth_date == dt.date(1958, 3, 4)
    assert cid.sex == "M"
    assert cid.masked == VALID_MALE[:3] + "*" * 11 + VALID_MALE[-4:]


def test_wrong_check_character_names_the_right_one():
    wrong = VALID_MALE[:-1] + ("0" if VALID_MALE[-1] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        parse_citizen_id(wrong)
    assert "校验位" in exc.value.messages[0]
    assert VALID_MALE[-1] in exc.value.messages[0]


def test_impossible_birth_date_is_refused():
    with pytest.raises(ValidationError) as exc:
        parse_citizen_id(_valid("42070419580230001"))  # 30 February
    assert "出生日期" in exc.value.messages[0]


def test_sex_must_agree_with_digit_17():
    with pytest.raises(ValidationError) as exc:
        parse_citizen_id(VALID_MALE, sex="F")
    assert "性别" in exc.value.messages[0]


@pytest.mark.parametrize("value", ["", "1234", "42070419580304001A", "4207041958030400"])
def test_malformed_numbers_are_refused(value):
    with pytest.raises(ValidationError):
        parse_citizen_id(value)


def test_lower_case_x_is_accepted():
    for seq in range(100):
        body = f"42070419900101{seq:03d}"
        if ric.calc_check_digit(body + "0") == "X":
            assert parse_citizen_id(body + "x").number.endswith("X")
            return
    pytest.fail("no X check digit found in range")


def test_phone_validation_and_masking():
    assert normalize_phone("139-1234-5678") == "13912345678"
    assert normalize_phone("+8613912345678") == "13912345678"
    with pytest.raises(ValidationError) as exc:
        normalize_phone("23912345678")
    assert "手机号" in exc.value.messages[0]
    assert mask_phone("13912345678") == "139****5678"


def test_id_number_is_encrypted_and_found_by_digest():
    token = encrypt_id_number(VALID_MALE)
    assert VALID_MALE not in token
    assert decrypt_id_number(token) == VALID_MALE
    assert id_number_digest(VALID_MALE.lower()) == id_number_digest(VALID_MALE)
    assert VALID_MALE not in id_number_digest(VALID_MALE)


def test_masking_in_free_text_and_log_records():
    text = f"查询 {VALID_MALE} 电话13912345678 完成"
    masked = mask_personal_data_in_text(text)
    assert VALID_MALE not in masked and "13912345678" not in masked
    assert mask_id_number(VALID_MALE) in masked and "139****5678" in masked
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "resident %s phone %s", (VALID_MALE, "13912345678"), None
    )
    MaskPersonalDataFilter().filter(record)
    assert VALID_MALE not in record.getMessage()
    assert "13912345678" not in record.getMessage()


def test_masking_leaves_hex_identifiers_whole():
    # A task id in a worker's log ("a153" followed by eight digits) is not a phone: masking it
    # made the log useless for finding which task ran (CI's multi-process test looked for it).
    task = "570cdef4-7b3a-4382-88e3-a15312346543"
    assert mask_personal_data_in_text(f"Task {task} not run") == f"Task {task} not run"
    assert mask_personal_data_in_text("x13912345678y") == "x13912345678y"
    # A phone after Chinese text, a colon or a space is still masked.
    assert mask_personal_data_in_text("电话:13912345678。") == "电话:139****5678。"
    assert mask_personal_data_in_text("联系人13912345678") == "联系人139****5678"


def test_unknown_region_code_is_refused():
    with pytest.raises(ValidationError) as exc:
        parse_citizen_id(_valid("00000019580304001"))
    assert "地区代码" in exc.value.messages[0]
