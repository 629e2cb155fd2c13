"""Subject IDs: the same patient gets the same ID in every export; another key gives unlinkable IDs."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from bot.analytics.pseudonym import derive_key, is_subject_id, subject_id

KEY = derive_key("test-secret", "analytics-export-v1")


def test_subject_id_is_stable_across_exports_and_releases() -> None:
    again = derive_key("test-secret", "analytics-export-v1")
    assert subject_id(again, "PSP-000123") == subject_id(KEY, "PSP-000123")
    # Pinned: if this changes, every subject ID analysts hold changes with it.
    assert subject_id(KEY, "PSP-000123") == "S-S4R2CLENS24EEWOU"


def test_subject_id_is_the_documented_keyed_hash() -> None:
    digest = hmac.new(KEY, b"PSP-000123", hashlib.sha256).digest()[:10]
    assert subject_id(KEY, "PSP-000123") == "S-" + base64.b32encode(digest).decode()


def test_subject_id_depends_on_key_purpose_and_patient() -> None:
    ids = {
        subject_id(KEY, "PSP-000123"),
        subject_id(KEY, "PSP-000124"),
        subject_id(derive_key("other-secret", "analytics-export-v1"), "PSP-000123"),
        subject_id(derive_key("test-secret", "payer-export-v1"), "PSP-000123"),
    }
    assert len(ids) == 4


def test_subject_id_reveals_nothing_of_the_reference() -> None:
    sid = subject_id(KEY, "PSP-000123")
    assert is_subject_id(sid)
    assert "000123" not in sid and "PSP" not in sid


def test_many_subject_ids_do_not_collide() -> None:
    ids = {subject_id(KEY, f"PSP-{n:06d}") for n in range(20_000)}
    assert len(ids) == 20_000


@pytest.mark.parametrize(
    ("key", "ref"),
    [(b"short", "PSP-000123"), (KEY, ""), ("a string key of some length", "PSP-000123")],
)
def test_subject_id_refuses_weak_keys_and_empty_refs(key: object, ref: str) -> None:
    with pytest.raises(ValueError):
        subject_id(key, ref)  # type: ignore[arg-type]


def test_derive_key_needs_a_secret_and_a_purpose() -> None:
    assert len(KEY) == 32
    with pytest.raises(ValueError):
        derive_key("", "analytics-export-v1")
    with pytest.raises(ValueError):
        derive_key("test-secret", "")
