"""Identity numbers: encrypted at rest, found by a keyed hash, shown masked; the data key and its deploy check."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.accounts.choices import Role
from kechuang.core.validators import idcard_check_char, is_valid_idcard, mask_idcard
from kechuang.talent import identity
from kechuang.talent.checks import data_key_check
from kechuang.talent.models import Person
from kechuang.talent.selectors import person_by_id_number

from .conftest import make_id

NUMBER = "45022319850715059X"


def valid_number(place: str, born: datetime.date, serial: int) -> str:
    first17 = f"{place}{born:%Y%m%d}{serial:03d}"
    return first17 + idcard_check_char(first17)


numbers = st.builds(
    valid_number,
    st.sampled_from(["450223", "450221", "450222", "450202", "450102"]),
    st.dates(min_value=datetime.date(1930, 1, 1), max_value=datetime.date(2008, 12, 31)),
    st.integers(min_value=0, max_value=999),
)


@given(numbers)
@settings(max_examples=60, deadline=None)
def test_any_valid_number_is_stored_protected_and_decoded_back(number):
    person = Person(name="测试")
    person.set_id_number(number)
    assert is_valid_idcard(number)
    assert person.id_number == number
    assert number not in person.id_number_encrypted and number not in person.id_number_hash
    assert person.id_number_masked == mask_idcard(number) == number[:4] + "*" * 10 + number[-4:]
    assert person.gender == ("male" if int(number[16]) % 2 else "female")
    assert person.birth_year == int(number[6:10])
    assert person.id_number_hash == identity.lookup_hash(number)


@given(numbers, numbers)
@settings(max_examples=40, deadline=None)
def test_the_hash_tells_numbers_apart_and_is_stable(a, b):
    assert (identity.lookup_hash(a) == identity.lookup_hash(b)) == (a == b)


def test_each_encryption_uses_a_new_nonce():
    assert identity.encrypt(NUMBER) != identity.encrypt(NUMBER)
    assert identity.decrypt(identity.encrypt(NUMBER)) == NUMBER


def test_keys_come_from_the_data_key_and_differ_by_purpose(settings):
    settings.KECHUANG_DATA_KEY = ""
    derived_hash, derived_token = identity.lookup_hash(NUMBER), identity.encrypt(NUMBER)
    settings.KECHUANG_DATA_KEY = "x" * 48
    assert identity.lookup_hash(NUMBER) != derived_hash
    with pytest.raises(ValueError, match="cannot be decrypted"):
        identity.decrypt(derived_token)
    keys = identity.keys_for("x" * 48)
    assert keys.encryption != keys.lookup  # encryption and look-up keys are separate derivations


def test_the_cipher_is_bound_to_its_column(settings):
    """A token cannot be opened without the associated data naming the identity column."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    token = identity.encrypt(NUMBER)
    raw = __import__("base64").urlsafe_b64decode(token.split(":", 1)[1])
    key = identity.keys_for(identity.master_key()).encryption
    with pytest.raises(Exception):  # noqa: B017 - cryptography's InvalidTag
        AESGCM(key).decrypt(raw[:12], raw[12:], b"another column")


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("4502**********059X", "已脱敏"),
        ("45022319850715001", "应为18位"),
        ("450223198507150019", "校验码错误"),
        ("450223198502300011", "不是有效日期"),
    ],
)
def test_invalid_or_masked_numbers_are_refused_with_their_reason(value, reason):
    with pytest.raises(ValidationError) as error:
        Person(name="测试").set_id_number(value)
    assert reason in error.value.message_dict["id_number"][0]


def test_full_width_and_spaced_numbers_are_the_same_person(make_person):
    person = make_person(id_number=NUMBER)
    spaced = "４５０２２３ 19850715 059x"
    assert person_by_id_number(user=None, id_number=spaced) == person


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        (Role.BUREAU_ADMIN, True),
        (Role.BUREAU_STAFF, True),
        (Role.LEADER, False),
        (Role.ENTERPRISE, False),
        (Role.PROVIDER, False),
        (Role.EXPERT, False),
        (Role.SYSADMIN, False),
        (Role.SECADMIN, False),
        (Role.AUDITADMIN, False),
    ],
)
def test_who_may_see_full_numbers(role, sees, make_user, make_org):
    org = make_org() if role in (Role.ENTERPRISE, Role.PROVIDER) else None
    assert identity.may_see_identity(make_user(role, organisation=org)) is sees


def test_an_inactive_user_sees_masked_numbers(make_user):
    assert not identity.may_see_identity(make_user(Role.BUREAU_ADMIN, is_active=False))


# --- the data key setting ------------------------------------------------------------------------------------


def test_deploy_check_warns_without_a_data_key(settings):
    settings.KECHUANG_DATA_KEY = ""
    assert [w.id for w in data_key_check(None)] == ["talent.W001"]
    settings.KECHUANG_DATA_KEY = "short"
    assert [w.id for w in data_key_check(None)] == ["talent.W002"]
    settings.KECHUANG_DATA_KEY = "k" * 40
    assert data_key_check(None) == []


def test_deploy_check_runs_with_check_deploy(settings, capsys):
    settings.KECHUANG_DATA_KEY = ""
    call_command("check", "--deploy", "--tag", "security", "--fail-level", "CRITICAL")
    assert "talent.W001" in capsys.readouterr().err


def test_rekey_re_encrypts_every_number_and_keeps_look_ups(settings, make_person, monkeypatch):
    settings.KECHUANG_DATA_KEY = ""
    people = [make_person(id_number=make_id(serial=n)) for n in (1, 2, 3)]
    numbers = [p.id_number for p in people]
    monkeypatch.delenv("KECHUANG_OLD_DATA_KEY", raising=False)
    settings.KECHUANG_DATA_KEY = "n" * 48
    with pytest.raises(ValueError):
        Person.objects.get(pk=people[0].pk).id_number  # noqa: B018 - the old ciphertext no longer opens
    call_command("talent_rekey")
    for person, number in zip(people, numbers, strict=True):
        stored = Person.objects.get(pk=person.pk)
        assert stored.id_number == number
        assert person_by_id_number(user=None, id_number=number) == stored
    call_command("talent_rekey")  # a second run finds everything re-encrypted already
    assert Person.objects.get(pk=people[0].pk).id_number == numbers[0]


def test_rekey_refuses_without_a_new_key(settings):
    settings.KECHUANG_DATA_KEY = ""
    with pytest.raises(CommandError, match="KECHUANG_DATA_KEY"):
        call_command("talent_rekey")
