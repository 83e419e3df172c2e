"""Finding 10 of issue 14: one reader for numbers (``fazhi.core.numbers.read_decimal``)."""

from decimal import Decimal

import pytest

from fazhi.core.numbers import NumberError, read_decimal


@pytest.mark.parametrize(("raw", "expected"), [
    ("9.5", "9.5"), (" 9.50 ", "9.50"), ("+3", "3"), ("-0", "0"), ("0.00", "0"), (9.5, "9.5"), (40, "40"),
    (Decimal("12.25"), "12.25"), ("９．５", "9.5"), ("１００", "100"), ("－２", "-2"), ("1e2", "1E+2"),
    ("　８　", "8"), (".5", "0.5"), ("0e-999999", "0"),
])
def test_accepted(raw, expected):
    assert read_decimal(raw) == Decimal(expected)


@pytest.mark.parametrize(("raw", "reason"), [
    ("1e-999999", "too_many_places"), ("1e400", "too_large"), ("1e999999", "too_large"),
    ("NaN", "not_finite"), ("-Infinity", "not_finite"), ("inf", "not_finite"), (float("nan"), "not_finite"),
    (Decimal("sNaN"), "not_finite"), ("9,5", "comma"), ("９，５", "comma"), ("abc", "not_a_number"), ("", "not_a_number"),
    ("٣", "not_a_number"), ("1" * 40, "too_many_digits"), ("0." + "1" * 30, "too_many_places"), ("1" * 14, "too_large"),
    ("0.00000000001", "too_many_places"), (True, "not_a_number"), (None, "not_a_number"), ([1], "not_a_number"),
    ("1_000", "not_a_number"), ("9.5\x00", "not_a_number"),
])
def test_refused(raw, reason):
    with pytest.raises(NumberError) as caught:
        read_decimal(raw)
    assert caught.value.reason == reason
    assert caught.value.zh and caught.value.en
