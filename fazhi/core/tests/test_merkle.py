"""RFC 6962 Merkle tree: known answers from RFC 6962/9162 test vectors and every proof of trees up to 33 leaves."""

from __future__ import annotations

import hashlib

import pytest

from fazhi.core import merkle

# The eight leaves of the Certificate Transparency reference tests (certificate-transparency-go, merkle_test.go).
CT_LEAVES = [bytes.fromhex(h) for h in ("", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                                        "606162636465666768696a6b6c6d6e6f")]
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


def test_empty_tree_and_leaf_prefixes():
    assert merkle.root([]) == hashlib.sha256(b"").hexdigest()
    assert merkle.root([b"a"]) == hashlib.sha256(b"\x00a").hexdigest()
    assert merkle.root([b"a", b"b"]) == merkle.node_hash(merkle.leaf_hash(b"a"), merkle.leaf_hash(b"b")).hex()


@pytest.mark.parametrize("n", range(1, 9))
def test_roots_match_the_reference_vectors(n):
    assert merkle.root(CT_LEAVES[:n]) == CT_ROOTS[n - 1]


def test_reference_inclusion_proof():
    # CT reference: leaf 0 of 8 leaves
    assert merkle.inclusion_proof(CT_LEAVES, 0) == [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ]


@pytest.mark.parametrize("n", [1, 2, 3, 5, 7, 8, 9, 16, 17, 33])
def test_every_proof_verifies_and_a_wrong_one_does_not(n):
    leaves = [f"unit-{i}".encode() for i in range(n)]
    root = merkle.root(leaves)
    for i, data in enumerate(leaves):
        proof = merkle.inclusion_proof(leaves, i)
        assert merkle.verify_inclusion(data, i, n, proof, root)
        assert not merkle.verify_inclusion(data + b"x", i, n, proof, root)  # changed leaf
        if n > 1:
            assert not merkle.verify_inclusion(data, (i + 1) % n, n, proof, root)  # wrong position
            assert not merkle.verify_inclusion(data, i, n, proof[:-1], root)  # shortened proof
        assert not merkle.verify_inclusion(data, i, n, [*proof, "00" * 32], root)  # lengthened proof


def test_bad_input_is_false_not_a_crash():
    leaves = [b"a", b"b", b"c"]
    root = merkle.root(leaves)
    assert not merkle.verify_inclusion(b"a", 0, 3, ["zz"], root)
    assert not merkle.verify_inclusion(b"a", -1, 3, [], root)
    assert not merkle.verify_inclusion(b"a", 0, 3, merkle.inclusion_proof(leaves, 0), "not-hex")
    with pytest.raises(merkle.MerkleError):
        merkle.inclusion_proof(leaves, 3)
