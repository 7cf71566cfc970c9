"""The Merkle log's hashing and proofs against RFC 6962 / RFC 9162, without the database."""

from __future__ import annotations

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from sanxiang.audit import merkle, verifier

# The Certificate Transparency reference tree: eight leaf inputs and the roots of their first 1..8.
CT_LEAVES = [
    b"",
    b"\x00",
    b"\x10",
    b"\x20\x21",
    b"\x30\x31",
    b"\x40\x41\x42\x43",
    bytes(range(0x50, 0x58)),
    bytes(range(0x60, 0x70)),
]
CT_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
CT_PATH_0_OF_8 = [
    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
]
CT_CONSISTENCY_6_8 = [
    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
]


def reference_mth(leaves: list[bytes]) -> bytes:
    """MTH as RFC 6962 §2.1 writes it, recursively, from leaf hashes."""
    n = len(leaves)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return leaves[0]
    k = 1
    while k * 2 < n:
        k *= 2
    return hashlib.sha256(b"\x01" + reference_mth(leaves[:k]) + reference_mth(leaves[k:])).digest()


def leaves_of(n: int) -> list[bytes]:
    return [verifier.leaf_hash(i.to_bytes(4, "big")) for i in range(n)]


def test_the_empty_tree_hashes_to_sha256_of_nothing() -> None:
    assert verifier.EMPTY_ROOT.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert verifier.root_of([]) == verifier.EMPTY_ROOT


def test_a_leaf_hash_is_sha256_of_zero_byte_and_leaf() -> None:
    assert verifier.leaf_hash(b"") == hashlib.sha256(b"\x00").digest()
    assert verifier.root_of([verifier.leaf_hash(b"")]).hex() == CT_ROOTS[0]


@pytest.mark.parametrize("n", range(1, 9))
def test_roots_match_the_certificate_transparency_vectors(n: int) -> None:
    assert verifier.root_of([verifier.leaf_hash(x) for x in CT_LEAVES[:n]]).hex() == CT_ROOTS[n - 1]


def test_proofs_match_the_certificate_transparency_vectors() -> None:
    leaves = [verifier.leaf_hash(x) for x in CT_LEAVES]
    assert [p.hex() for p in merkle.inclusion_proof(leaves, 0, 8)] == CT_PATH_0_OF_8
    assert [p.hex() for p in merkle.consistency_proof(leaves, 1, 8)] == CT_PATH_0_OF_8
    assert [p.hex() for p in merkle.consistency_proof(leaves, 6, 8)] == CT_CONSISTENCY_6_8


def test_the_frontier_gives_the_root_after_every_append() -> None:
    frontier: list[bytes] = []
    leaves = leaves_of(70)
    for size, leaf in enumerate(leaves):
        frontier = verifier.frontier_append(frontier, size, leaf)
        assert len(frontier) == (size + 1).bit_count()
        assert verifier.fold(frontier) == reference_mth(leaves[: size + 1])


def test_inclusion_proofs_verify_for_every_leaf_of_every_size_up_to_64() -> None:
    leaves = leaves_of(64)
    for n in range(1, 65):
        root = reference_mth(leaves[:n])
        for i in range(n):
            proof = merkle.inclusion_proof(leaves, i, n)
            assert verifier.verify_inclusion(leaves[i], i, n, proof, root)
            assert not verifier.verify_inclusion(leaves[(i + 1) % n], i, n, proof, root) or n == 1
            assert not verifier.verify_inclusion(leaves[i], i, n + 1, proof, reference_mth(leaves[: n + 1]))


def test_consistency_proofs_verify_for_every_pair_of_sizes_up_to_64() -> None:
    leaves = leaves_of(64)
    roots = [reference_mth(leaves[:n]) for n in range(65)]
    for n in range(0, 65):
        for m in range(0, n + 1):
            proof = merkle.consistency_proof(leaves, m, n)
            assert verifier.verify_consistency(m, n, proof, roots[m], roots[n]), (m, n)
            if 0 < m < n:
                assert not verifier.verify_consistency(m, n, proof, roots[m], roots[n - 1]), (m, n)
                assert not verifier.verify_consistency(m, n, proof[:-1], roots[m], roots[n]), (m, n)


def _flip(proof: list[bytes], index: int) -> list[bytes]:
    tampered = list(proof)
    tampered[index] = bytes([tampered[index][0] ^ 1]) + tampered[index][1:]
    return tampered


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=3000), st.data())
def test_inclusion_matches_the_rfc_for_random_sizes_and_fails_when_tampered(
    n: int, data: st.DataObject
) -> None:
    leaves = leaves_of(n)
    i = data.draw(st.integers(min_value=0, max_value=n - 1))
    root = reference_mth(leaves)
    assert verifier.root_of(leaves) == root
    proof = merkle.inclusion_proof(leaves, i, n)
    assert verifier.verify_inclusion(leaves[i], i, n, proof, root)
    if proof:
        j = data.draw(st.integers(min_value=0, max_value=len(proof) - 1))
        assert not verifier.verify_inclusion(leaves[i], i, n, _flip(proof, j), root)
    assert not verifier.verify_inclusion(verifier.leaf_hash(b"forged"), i, n, proof, root)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=3000), st.data())
def test_consistency_matches_the_rfc_for_random_sizes_and_fails_when_tampered(
    n: int, data: st.DataObject
) -> None:
    leaves = leaves_of(n)
    m = data.draw(st.integers(min_value=1, max_value=n))
    first, second = reference_mth(leaves[:m]), reference_mth(leaves)
    proof = merkle.consistency_proof(leaves, m, n)
    assert verifier.verify_consistency(m, n, proof, first, second)
    if proof:
        j = data.draw(st.integers(min_value=0, max_value=len(proof) - 1))
        assert not verifier.verify_consistency(m, n, _flip(proof, j), first, second)
        assert not verifier.verify_consistency(m, n, proof, first, verifier.leaf_hash(b"other"))


@settings(max_examples=100, deadline=None)
@given(
    st.integers(min_value=0, max_value=600),
    st.sampled_from([1, 2, 4, 8, 64]),
    st.lists(st.integers(min_value=0, max_value=600), max_size=6),
)
def test_streamed_roots_equal_the_rfc_roots(n: int, batch: int, sizes: list[int]) -> None:
    leaves = leaves_of(n)
    batches = [leaves[i : i + batch] for i in range(0, n, batch)]
    total, roots, frontier = verifier.roots_at(batches, [*sizes, n], batch)
    assert total == n
    assert verifier.fold(frontier) == reference_mth(leaves)
    for size in sizes:
        if size <= n:
            assert roots[size] == reference_mth(leaves[:size])
        else:
            assert size not in roots


def _signed(key: Ed25519PrivateKey, size: int, root: bytes) -> verifier.SignedCheckpoint:
    body = verifier.checkpoint_body(size, root, 1_764_300_000_000)
    return verifier.SignedCheckpoint(size, root, 1_764_300_000_000, key.sign(body))


def test_proofs_verify_against_signed_checkpoints_and_fail_under_another_key() -> None:
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    leaves = leaves_of(40)
    old, new = _signed(key, 23, reference_mth(leaves[:23])), _signed(key, 40, reference_mth(leaves))
    proof = merkle.inclusion_proof(leaves, 7, 40)
    assert verifier.verify_inclusion_in_checkpoint(new, public, leaf=leaves[7], index=7, proof=proof)
    assert verifier.verify_consistency_between(old, new, public, merkle.consistency_proof(leaves, 23, 40))
    other = (
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    assert not verifier.verify_inclusion_in_checkpoint(new, other, leaf=leaves[7], index=7, proof=proof)


def test_a_checkpoint_with_a_changed_size_root_or_time_fails_its_signature() -> None:
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    good = _signed(key, 5, reference_mth(leaves_of(5)))
    assert verifier.verify_checkpoint(good, public)
    for forged in (
        verifier.SignedCheckpoint(6, good.root_hash, good.timestamp_ms, good.signature),
        verifier.SignedCheckpoint(5, reference_mth(leaves_of(4)), good.timestamp_ms, good.signature),
        verifier.SignedCheckpoint(5, good.root_hash, good.timestamp_ms + 1, good.signature),
    ):
        assert not verifier.verify_checkpoint(forged, public)


def test_the_checkpoint_body_is_a_c2sp_style_note() -> None:
    root = bytes(32)
    assert verifier.checkpoint_body(3, root, 42) == (
        f"sanxiang/audit\n3\n{base64.b64encode(root).decode()}\ntimestamp 42\n".encode()
    )


def test_the_verifier_needs_neither_django_nor_the_database() -> None:
    import ast
    from pathlib import Path

    tree = ast.parse(Path(verifier.__file__).read_text(encoding="utf-8"))
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    allowed = {"__future__", "base64", "hashlib", "collections", "dataclasses", "cryptography"}
    assert {name.split(".")[0] for name in imported} <= allowed
