"""Building inclusion and consistency proofs over a list of leaf hashes (RFC 9162 §2.1.3.1 and §2.1.4.1).

Pure functions, no database: the services load the leaf hashes and call these; :mod:`.verifier` checks the
result. Subtree hashes come from the levels of the tree, so a proof costs one pass over the leaves.
"""

from __future__ import annotations

from collections.abc import Sequence

from sanxiang.audit.verifier import fold, levels_of, range_subtrees


class _Tree:
    def __init__(self, leaves: Sequence[bytes]) -> None:
        self.levels = levels_of(list(leaves))

    def mth(self, start: int, size: int) -> bytes:
        """MTH(D[start:start+size]) for a range the RFC recursion reaches (aligned to its blocks)."""
        return fold(range_subtrees(self.levels, start, size))


def _split(n: int) -> int:
    return 1 << ((n - 1).bit_length() - 1)


def inclusion_proof(leaves: Sequence[bytes], index: int, tree_size: int) -> list[bytes]:
    """PATH(index, D[0:tree_size]): the audit path of leaf ``index`` (from 0) in the first leaves."""
    if not 0 <= index < tree_size <= len(leaves):
        raise ValueError("leaf index out of range of the tree")
    tree = _Tree(leaves[:tree_size])
    path: list[bytes] = []
    start, size, m = 0, tree_size, index
    while size > 1:
        k = _split(size)
        if m < k:
            path.append(tree.mth(start + k, size - k))
            size = k
        else:
            path.append(tree.mth(start, k))
            start, size, m = start + k, size - k, m - k
    path.reverse()
    return path


def consistency_proof(leaves: Sequence[bytes], first_size: int, second_size: int) -> list[bytes]:
    """PROOF(first_size, D[0:second_size]): shows the first tree is a prefix of the second."""
    if not 0 <= first_size <= second_size <= len(leaves):
        raise ValueError("tree sizes out of range of the log")
    if first_size in (0, second_size):
        return []
    tree = _Tree(leaves[:second_size])
    path: list[bytes] = []
    start, size, m, complete = 0, second_size, first_size, True
    # SUBPROOF(m, D[start:start+size], b), unrolled; nodes are gathered leaf-side last, so reverse at the end.
    while True:
        if m == size:
            if not complete:
                path.append(tree.mth(start, size))
            break
        k = _split(size)
        if m <= k:
            path.append(tree.mth(start + k, size - k))
            size = k
        else:
            path.append(tree.mth(start, k))
            start, size, m, complete = start + k, size - k, m - k, False
    path.reverse()
    return path
