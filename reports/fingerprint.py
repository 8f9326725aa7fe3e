"""Text fingerprints for near-duplicate detection: MinHash signatures and LSH band keys.

Pure (no Django). The same report as a Word file, a web page and a PDF gives texts that differ by
page furniture, line breaks, spacing and a few characters; their sets of character shingles are
nearly the same. ``text_fingerprint`` estimates that set with a MinHash signature (datasketch)
and cuts the signature into LSH bands: two texts whose shingle sets have a Jaccard similarity
above ``LSH_THRESHOLD`` share at least one band key with high probability, so candidates are
found by an index lookup on the band keys rather than by comparing with every stored text.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache

import numpy as np
from datasketch import MinHash, MinHashLSH  # type: ignore[import-untyped]

NUM_PERM = 128
SHINGLE_CHARS = 5
# The Jaccard similarity the LSH bands are tuned for; the stored band keys depend on it (and on
# NUM_PERM), so changing either means recomputing every report's fingerprint.
LSH_THRESHOLD = 0.5
# Two texts are near-duplicates when this share of the shorter one's shingles is in the other
# (so a copy without its cover letter still counts, as long as the LSH finds it).
CONTAINMENT_THRESHOLD = 0.8
# Below this many shingles a text says too little to be compared (an empty page, a stub).
MIN_SHINGLES = 50
_SEED = 1


@dataclass(frozen=True, slots=True)
class Fingerprint:
    signature: bytes  # NUM_PERM unsigned 64-bit MinHash values, little-endian
    bands: tuple[int, ...]  # one signed 64-bit key per LSH band
    size: int  # how many distinct shingles the text has


def normalised_text(text: str) -> str:
    """Letters, CJK characters and digits only, case-folded: layout, spacing and punctuation,
    which differ between formats of one document, are gone."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def text_shingles(text: str, size: int = SHINGLE_CHARS) -> set[bytes]:
    """The distinct ``size``-character runs of the normalised text, UTF-8 encoded."""
    norm = normalised_text(text)
    return {norm[i : i + size].encode("utf-8") for i in range(max(len(norm) - size + 1, 0))}


@cache
def lsh_bands_rows() -> tuple[int, int]:
    """(bands, rows per band) that datasketch finds best for ``LSH_THRESHOLD``."""
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    return lsh.b, lsh.r


def text_fingerprint(text: str) -> Fingerprint | None:
    """The text's MinHash signature and LSH band keys; None for a text too short to compare."""
    shingles = text_shingles(text)
    if len(shingles) < MIN_SHINGLES:
        return None
    minhash = MinHash(num_perm=NUM_PERM, seed=_SEED)
    minhash.update_batch(shingles)
    values = np.asarray(minhash.hashvalues, dtype="<u8")
    bands, rows = lsh_bands_rows()
    keys = tuple(_band_key(i, values[i * rows : (i + 1) * rows]) for i in range(bands))
    return Fingerprint(signature=values.tobytes(), bands=keys, size=len(shingles))


def _band_key(index: int, values: np.ndarray) -> int:
    digest = hashlib.blake2b(values.tobytes(), digest_size=8, person=b"band%04d" % index).digest()
    return int.from_bytes(digest, "little", signed=True)


def signature_similarity(first: bytes, second: bytes) -> float:
    """The Jaccard similarity of two shingle sets, as their MinHash signatures estimate it."""
    a = np.frombuffer(first, dtype="<u8")
    b = np.frombuffer(second, dtype="<u8")
    if a.shape != b.shape or not a.size:
        return 0.0
    return float(np.count_nonzero(a == b)) / a.size


def containment(
    first: Fingerprint | tuple[bytes, int], second: Fingerprint | tuple[bytes, int]
) -> float:
    """The share of the smaller text's shingles that are in the other, estimated from the
    signatures' Jaccard similarity J and the set sizes: |A ∩ B| = J (|A| + |B|) / (1 + J)."""
    (sig_a, size_a), (sig_b, size_b) = _pair(first), _pair(second)
    if not size_a or not size_b:
        return 0.0
    jaccard = signature_similarity(sig_a, sig_b)
    common = jaccard * (size_a + size_b) / (1 + jaccard)
    return min(common / min(size_a, size_b), 1.0)


def _pair(value: Fingerprint | tuple[bytes, int]) -> tuple[bytes, int]:
    if isinstance(value, Fingerprint):
        return value.signature, value.size
    return value
