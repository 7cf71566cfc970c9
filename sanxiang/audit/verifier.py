"""Checking the audit log's proofs without the database or Django: only :mod:`hashlib` and ``cryptography``.

Anyone holding a signed checkpoint (a tree size, a root hash, a time and an Ed25519 signature) can check with
these functions that an event is in the log (an inclusion proof) and that a later checkpoint extends an
earlier one (a consistency proof). The hashing is RFC 6962 / RFC 9162 §2.1: a leaf is SHA-256(0x00 || leaf
bytes), an interior node SHA-256(0x01 || left || right), and a tree of n leaves splits at the largest power of
two smaller than n. The proof checks follow RFC 9162 §2.1.3.2 and §2.1.4.2 step by step.

The module may be copied out of the project and run on its own.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()
CHECKPOINT_ORIGIN = "sanxiang/audit"
FIELD_SEPARATOR = "\x1f"

_sha256 = hashlib.sha256


def leaf_hash(leaf: bytes) -> bytes:
    """RFC 6962 leaf hash: SHA-256(0x00 || leaf)."""
    return _sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 6962 interior node hash: SHA-256(0x01 || left || right)."""
    return _sha256(b"\x01" + left + right).digest()


def event_content(
    *,
    seq: int,
    event_type: int,
    occurred_at: str,
    actor_id: int | None,
    actor_name: str,
    agency_id: int | None,
    subject_type: str,
    subject_id: str,
    data: str,
) -> bytes:
    """An audit event's stored columns as text joined by U+001F, in UTF-8: what its MAC covers.

    ``occurred_at`` is the UTC time as ``YYYY-MM-DDTHH:MM:SS.ffffffZ``; ``data`` is canonical JSON
    (which never contains a raw control character). The writer strips control characters from the other
    text fields, so the joined string splits back into the same nine fields: no two events share content.
    """
    fields = (
        str(seq),
        str(event_type),
        occurred_at,
        "" if actor_id is None else str(actor_id),
        actor_name,
        "" if agency_id is None else str(agency_id),
        subject_type,
        subject_id,
        data,
    )
    return FIELD_SEPARATOR.join(fields).encode()


def event_leaf(content: bytes, mac: bytes) -> bytes:
    """The leaf bytes: the content, U+001F, and the event's MAC in lower-case hex (so the tree covers it)."""
    return content + b"\x1f" + mac.hex().encode()


# --- tree shape -----------------------------------------------------------------------------------------


def _largest_power_of_two_below(n: int) -> int:
    """The k of RFC 6962 §2.1: the largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def subtree_sizes(n: int) -> list[int]:
    """Sizes of the perfect subtrees that make up a tree of n leaves, left to right (n's binary digits)."""
    return [1 << bit for bit in range(n.bit_length() - 1, -1, -1) if n >> bit & 1]


def fold(subtrees: Sequence[bytes]) -> bytes:
    """Root of a tree given the hashes of its perfect subtrees, left to right (its "compact range")."""
    if not subtrees:
        return EMPTY_ROOT
    root = subtrees[-1]
    for left in reversed(subtrees[:-1]):
        root = node_hash(left, root)
    return root


def levels_of(leaves: list[bytes]) -> list[list[bytes]]:
    """Every level of complete nodes above ``leaves``: level j holds the hashes of aligned blocks of 2**j."""
    levels = [leaves]
    level = leaves
    while len(level) > 1:
        level = [_sha256(b"\x01" + a + b).digest() for a, b in zip(level[0::2], level[1::2], strict=False)]
        levels.append(level)
    return levels


def range_subtrees(levels: list[list[bytes]], start: int, size: int) -> list[bytes]:
    """Hashes of the perfect subtrees covering leaves [start, start+size) (a range the RFC recursion uses)."""
    out = []
    for block in subtree_sizes(size):
        bit = block.bit_length() - 1
        out.append(levels[bit][start >> bit])
        start += block
    return out


def root_of(leaves: list[bytes]) -> bytes:
    """Merkle tree hash (MTH) of a list of leaf hashes, built level by level."""
    if not leaves:
        return EMPTY_ROOT
    return fold(range_subtrees(levels_of(leaves), 0, len(leaves)))


def frontier_append(frontier: list[bytes], size: int, leaf: bytes) -> list[bytes]:
    """The compact range of ``size + 1`` leaves, from that of ``size`` leaves and the new leaf hash."""
    frontier = [*frontier, leaf]
    carry = size
    while carry & 1:
        right = frontier.pop()
        left = frontier.pop()
        frontier.append(node_hash(left, right))
        carry >>= 1
    return frontier


# --- proofs (RFC 9162 §2.1.3.2 and §2.1.4.2) -------------------------------------------------------------


def verify_inclusion(leaf: bytes, index: int, tree_size: int, proof: Sequence[bytes], root: bytes) -> bool:
    """True if ``proof`` shows that the leaf hash ``leaf`` is leaf number ``index`` (from 0) of the tree."""
    if index < 0 or index >= tree_size:
        return False
    fn, sn = index, tree_size - 1
    r = leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(
    first_size: int, second_size: int, proof: Sequence[bytes], first_root: bytes, second_root: bytes
) -> bool:
    """True if ``proof`` shows that the tree of ``second_size`` leaves extends the one of ``first_size``."""
    if first_size < 0 or first_size > second_size:
        return False
    if first_size == second_size:
        return not proof and first_root == second_root
    if first_size == 0:
        return not proof and first_root == EMPTY_ROOT
    if not proof:
        return False
    path = list(proof)
    if first_size & (first_size - 1) == 0:
        path.insert(0, first_root)
    fn, sn = first_size - 1, second_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_root and sr == second_root


# --- checkpoints -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignedCheckpoint:
    """A signed tree head as handed out: size, root, signing time (ms since the epoch) and signature."""

    tree_size: int
    root_hash: bytes
    timestamp_ms: int
    signature: bytes

    def body(self) -> bytes:
        return checkpoint_body(self.tree_size, self.root_hash, self.timestamp_ms)


def checkpoint_body(tree_size: int, root_hash: bytes, timestamp_ms: int) -> bytes:
    """The signed text, in the C2SP checkpoint layout: origin, size, base64 root, then a timestamp line."""
    root = base64.b64encode(root_hash).decode()
    return f"{CHECKPOINT_ORIGIN}\n{tree_size}\n{root}\ntimestamp {timestamp_ms}\n".encode()


def key_id(public_key: bytes) -> str:
    """A short name for a public key: the first 8 bytes of its SHA-256, in hex."""
    return hashlib.sha256(public_key).hexdigest()[:16]


def verify_checkpoint(checkpoint: SignedCheckpoint, public_key: bytes) -> bool:
    """True if the checkpoint's signature is valid under the trusted 32-byte Ed25519 public key."""
    if len(checkpoint.root_hash) != HASH_SIZE or checkpoint.tree_size < 0:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(checkpoint.signature, checkpoint.body())
    except (InvalidSignature, ValueError):
        return False
    return True


def verify_inclusion_in_checkpoint(
    checkpoint: SignedCheckpoint, public_key: bytes, *, leaf: bytes, index: int, proof: Sequence[bytes]
) -> bool:
    """An event's leaf hash is in the log that the signed checkpoint describes."""
    return verify_checkpoint(checkpoint, public_key) and verify_inclusion(
        leaf, index, checkpoint.tree_size, proof, checkpoint.root_hash
    )


def verify_consistency_between(
    older: SignedCheckpoint, newer: SignedCheckpoint, public_key: bytes, proof: Sequence[bytes]
) -> bool:
    """Both checkpoints are signed and the newer log is the older one with events appended, none changed."""
    return (
        verify_checkpoint(older, public_key)
        and verify_checkpoint(newer, public_key)
        and verify_consistency(older.tree_size, newer.tree_size, proof, older.root_hash, newer.root_hash)
    )


def roots_at(
    batches: Iterable[list[bytes]], sizes: Iterable[int], batch_size: int
) -> tuple[int, dict[int, bytes], list[bytes]]:
    """Stream leaf hashes in batches of ``batch_size`` (a power of two; the last may be short).

    Returns the number of leaves, the root at each requested size that is within it, and the compact range at
    the end. Memory stays at one batch's levels however long the log.
    """
    if batch_size < 1 or batch_size & (batch_size - 1):
        raise ValueError("batch size must be a power of two")
    wanted = sorted(set(sizes))
    roots: dict[int, bytes] = {}
    stack: list[tuple[int, bytes]] = []  # perfect subtrees, sizes descending
    done = 0
    pending = 0
    while pending < len(wanted) and wanted[pending] == 0:
        roots[0] = EMPTY_ROOT
        pending += 1
    for batch in batches:
        n = len(batch)
        if not n:
            continue
        if done % batch_size or n > batch_size:
            raise ValueError("batches must hold batch_size leaf hashes; only the last may be short")
        levels = levels_of(batch)
        prefix = [h for _, h in stack]
        while pending < len(wanted) and wanted[pending] < done + n:
            roots[wanted[pending]] = fold(prefix + range_subtrees(levels, 0, wanted[pending] - done))
            pending += 1
        stack.extend(zip(subtree_sizes(n), range_subtrees(levels, 0, n), strict=True))
        # A full aligned batch is one perfect subtree; it merges with equal neighbours like a binary carry.
        while len(stack) >= 2 and stack[-1][0] == stack[-2][0]:
            (size, right), (_, left) = stack.pop(), stack.pop()
            stack.append((size * 2, node_hash(left, right)))
        done += n
    frontier = [h for _, h in stack]
    while pending < len(wanted) and wanted[pending] == done:
        roots[done] = fold(frontier)
        pending += 1
    return done, roots, frontier
