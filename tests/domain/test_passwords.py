"""The password policy: length over composition, and the common passwords refused (ASVS 6.2.4)."""

from __future__ import annotations

import pytest

from portfolio.domain.passwords import COMMON_PASSWORDS_FILE, common_passwords, password_problem


def test_at_least_the_3000_most_common_passwords_are_known():
    assert len(common_passwords()) >= 3000
    assert (COMMON_PASSWORDS_FILE.with_name("COMMON-PASSWORDS.md")).read_text().count("Licence") == 1


@pytest.mark.parametrize("password", ["1qaz2wsx3edc", "q1w2e3r4t5y6", "1Q2W3E4R5T6Y", "qwertyuiop123", "lösenord1234"])
def test_common_passwords_long_enough_to_pass_the_length_rule_are_refused(password):
    assert password_problem(password) == "common"


@pytest.mark.parametrize("password", ["sommarlov vid havet 2026", "tolv-tecken!", "abcdefghij" * 6 + "klmn"])
def test_long_uncommon_passwords_pass_without_composition_rules(password):
    assert password_problem(password) is None
