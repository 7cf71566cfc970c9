"""verify_audit passes on an untouched log and names the first bad event after any change behind its back."""

from __future__ import annotations

import base64
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from sanxiang import audit
from sanxiang.audit import services, verifier
from sanxiang.audit.events import EventType
from sanxiang.audit.models import Checkpoint, Event

pytestmark = pytest.mark.django_db


def fill(n: int = 12) -> None:
    for i in range(n):
        audit.record(EventType.USER_LOGGED_IN, data={"i": i})


def raw(sql: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def verify_output() -> tuple[bool, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=err)
    except CommandError as exc:
        assert exc.returncode == 1
        return False, str(exc)
    return True, out.getvalue()


def test_verify_passes_on_an_untouched_log_and_prints_counts() -> None:
    fill()
    services.checkpoint_sign()
    fill(3)
    services.checkpoint_sign()
    ok, output = verify_output()
    assert ok
    assert "已核验 17 个事件、2 个签名树头，全部相符" in output


def test_verify_passes_on_an_empty_log() -> None:
    assert services.verify_log().ok


def test_verify_names_a_row_changed_by_raw_update() -> None:
    fill()
    services.checkpoint_sign()
    raw("UPDATE audit_event SET actor_name = 'mallory' WHERE seq = 5")
    raw("UPDATE audit_event SET data = '{}' WHERE seq = 9")
    ok, message = verify_output()
    assert not ok
    assert message.startswith("第 5 号事件不符")


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("event_type", 805),
        ("agency_id", 3),
        ("subject_id", "x"),
        ("occurred_at", None),
        ("leaf_hash", b"\0" * 32),
        ("mac", b"\0" * 32),
    ],
)
def test_verify_names_the_row_whatever_column_was_changed(column: str, value: object) -> None:
    fill(6)
    if column == "occurred_at":
        first = "(SELECT occurred_at FROM audit_event WHERE seq = 1)"
        raw(f"UPDATE audit_event SET occurred_at = {first} WHERE seq = 4")  # noqa: S608
    else:
        raw(f"UPDATE audit_event SET {column} = %s WHERE seq = 4", [value])  # noqa: S608
    result = services.verify_log()
    assert not result.ok
    assert result.first_bad_seq == 4


def test_verify_names_a_row_changed_with_a_recomputed_leaf_hash() -> None:
    """Someone who knows the public algorithm fixes the leaf hash; the MAC still gives the row away."""
    fill()
    raw("UPDATE audit_event SET actor_name = 'mallory' WHERE seq = 7")
    event = Event.objects.get(seq=7)
    raw(
        "UPDATE audit_event SET leaf_hash = %s WHERE seq = 7",
        [verifier.leaf_hash(services.leaf_bytes(event))],
    )
    result = services.verify_log()
    assert result.first_bad_seq == 7
    assert "第 7 号事件不符：校验码无效" in result.problems[0]


def test_verify_names_a_deleted_row() -> None:
    fill()
    raw("DELETE FROM audit_event WHERE seq = 6")
    ok, message = verify_output()
    assert not ok
    assert message.startswith("第 6 号事件缺失")


def test_verify_names_the_last_row_when_it_is_deleted() -> None:
    fill()
    raw("DELETE FROM audit_event WHERE seq = 12")
    result = services.verify_log()
    assert result.first_bad_seq == 12
    assert result.problems[0].startswith("第 12 号事件缺失")


def _forge_after(seq: int) -> None:
    """Insert a row with a correct leaf hash, as someone who knows the public algorithm would."""
    template = Event.objects.get(seq=1)
    template.seq = seq
    template.actor_name = "mallory"
    template.leaf_hash = verifier.leaf_hash(services.leaf_bytes(template))
    occurred = connection.ops.adapt_datetimefield_value(template.occurred_at)
    raw(
        "INSERT INTO audit_event (seq, event_type, occurred_at, actor_id, actor_name, agency_id, "
        "subject_type, subject_id, data, leaf_hash, mac) "
        "VALUES (%s, %s, %s, NULL, %s, NULL, '', '', %s, %s, %s)",
        [
            seq,
            template.event_type,
            occurred,
            template.actor_name,
            template.data,
            template.leaf_hash,
            b"\1" * 32,
        ],
    )


def test_verify_names_a_forged_row_inserted_at_the_end() -> None:
    fill()
    _forge_after(13)
    ok, message = verify_output()
    assert not ok
    assert message.startswith("第 13 号事件不符")


def test_verify_names_a_forged_row_inserted_at_the_end_even_with_a_valid_looking_mac() -> None:
    fill()
    _forge_after(13)
    raw("UPDATE audit_event SET mac = (SELECT mac FROM audit_event WHERE seq = 12) WHERE seq = 13")
    assert services.verify_log().first_bad_seq == 13


def test_verify_names_a_forged_row_inserted_in_the_middle() -> None:
    fill()
    # Make room after event 4 by renumbering the later rows, then slip a forged row in.
    raw("UPDATE audit_event SET seq = seq + 1000 WHERE seq > 4")
    raw("UPDATE audit_event SET seq = seq - 999 WHERE seq > 1000")
    _forge_after(5)
    ok, message = verify_output()
    assert not ok
    assert message.startswith("第 5 号事件不符")


def test_verify_detects_a_tampered_checkpoint_signature() -> None:
    fill()
    checkpoint = services.checkpoint_sign()
    signature = bytearray(bytes(checkpoint.signature))
    signature[0] ^= 1
    raw("UPDATE audit_checkpoint SET signature = %s WHERE id = %s", [bytes(signature), checkpoint.pk])
    result = services.verify_log()
    assert not result.ok
    assert result.first_bad_seq is None
    assert any("签名无效" in p for p in result.problems)


def test_verify_detects_a_checkpoint_with_a_changed_root() -> None:
    fill()
    checkpoint = services.checkpoint_sign()
    raw("UPDATE audit_checkpoint SET tree_size = 5 WHERE id = %s", [checkpoint.pk])
    assert not services.verify_log().ok


def test_verify_detects_a_checkpoint_signed_with_another_key(settings: Any) -> None:
    fill()
    services.checkpoint_sign()
    settings.SIGNING_KEY = base64.b64encode(bytes(range(1, 33))).decode()
    result = services.verify_log()
    assert not result.ok


def test_signing_is_safe_to_run_twice_and_covers_its_own_event() -> None:
    fill(3)
    first = services.checkpoint_sign()
    assert services.checkpoint_sign().pk == first.pk
    assert first.tree_size == 4
    assert Event.objects.get(seq=4).event_type == EventType.CHECKPOINT_SIGNED
    assert Checkpoint.objects.count() == 1
    leaves = [bytes(h) for h in Event.objects.values_list("leaf_hash", flat=True)]
    assert bytes(first.root_hash) == verifier.root_of(leaves)


def test_service_proofs_verify_against_the_signed_checkpoints() -> None:
    fill(10)
    older = services.checkpoint_sign()
    fill(9)
    newer = services.checkpoint_sign()
    key = services.signing_key().public_key
    event = Event.objects.get(seq=6)
    proof = services.inclusion_proof(seq=6, tree_size=newer.tree_size)
    signed_new, signed_old = services._signed(newer), services._signed(older)
    assert verifier.verify_inclusion_in_checkpoint(
        signed_new, key, leaf=bytes(event.leaf_hash), index=5, proof=proof
    )
    consistency = services.consistency_proof(first_size=older.tree_size, second_size=newer.tree_size)
    assert verifier.verify_consistency_between(signed_old, signed_new, key, consistency)


def test_sign_checkpoint_command_prints_size_and_root() -> None:
    fill(2)
    out = io.StringIO()
    call_command("sign_checkpoint", stdout=out)
    checkpoint = Checkpoint.objects.get()
    assert f"大小 {checkpoint.tree_size}" in out.getvalue()
    assert checkpoint.root_hex in out.getvalue()


def test_signing_refuses_a_tampered_head() -> None:
    fill(2)
    raw("UPDATE audit_loghead SET size = 1")
    with pytest.raises(services.AuditIntegrityError):
        services.checkpoint_sign()
