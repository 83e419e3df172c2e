"""Merkle tree hashes and inclusion proofs in the manner of RFC 6962 §2.1 (Certificate Transparency), pure Python.

- leaf hash ``SHA-256(0x00 || data)``, interior node ``SHA-256(0x01 || left || right)`` (the prefixes keep a leaf
  from passing for a node: no second-preimage trick);
- the tree over ``n`` leaves splits at ``k``, the largest power of two below ``n``, so it is defined for any ``n``
  and never duplicates a leaf (unlike Bitcoin's tree);
- an inclusion proof (audit path) is the list of sibling hashes from the leaf up; ``verify_inclusion`` is the
  algorithm of RFC 9162 §2.1.3.2, which also checks the proof's length against the tree size.

Hashes travel as lowercase hex.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

__all__ = ["MerkleError", "inclusion_proof", "leaf_hash", "node_hash", "root", "verify_inclusion"]


class MerkleError(ValueError):
    """A proof that does not fit its tree (wrong index, size or length)."""


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two strictly below ``n`` (n ≥ 2)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def _root_of_hashes(hashes: Sequence[bytes]) -> bytes:
    if not hashes:
        return hashlib.sha256(b"").digest()
    if len(hashes) == 1:
        return hashes[0]
    k = _split(len(hashes))
    return node_hash(_root_of_hashes(hashes[:k]), _root_of_hashes(hashes[k:]))


def root(leaves: Sequence[bytes]) -> str:
    """The Merkle tree hash (MTH) of the leaves' data, hex."""
    return _root_of_hashes([leaf_hash(d) for d in leaves]).hex()


def _path(index: int, hashes: Sequence[bytes]) -> list[bytes]:
    if len(hashes) <= 1:
        return []
    k = _split(len(hashes))
    if index < k:
        return [*_path(index, hashes[:k]), _root_of_hashes(hashes[k:])]
    return [*_path(index - k, hashes[k:]), _root_of_hashes(hashes[:k])]


def inclusion_proof(leaves: Sequence[bytes], index: int) -> list[str]:
    """The audit path of leaf ``index`` (RFC 6962 §2.1.1 PATH), hex, leaf side first."""
    if not 0 <= index < len(leaves):
        raise MerkleError(f"leaf index {index} outside a tree of {len(leaves)}")
    return [h.hex() for h in _path(index, [leaf_hash(d) for d in leaves])]


def verify_inclusion(data: bytes, index: int, size: int, proof: Sequence[str], expected_root: str) -> bool:
    """True when ``data`` is leaf ``index`` of a tree of ``size`` leaves whose root is ``expected_root``."""
    if not 0 <= index < size:
        return False
    try:
        path = [bytes.fromhex(p) for p in proof]
        wanted = bytes.fromhex(expected_root)
    except (TypeError, ValueError):
        return False
    fn, sn, r = index, size - 1, leaf_hash(data)
    for p in path:
        if sn == 0:
            return False  # the proof is longer than the tree is deep
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == wanted
