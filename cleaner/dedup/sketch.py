"""Fingerprints of a body for deduplication: canonical tokens, exact hash, MinHash signature.

Everything here is a pure function of the text and a few integer parameters: no
Python `hash()` (salted per process), no global RNG, so two processes on two days
compute the same fingerprint for the same body.

The signature is one-permutation MinHash with optimal densification (Li, Owen & Zhang
2012; Shrivastava 2017): each shingle is hashed once to 64 bits, the top bits pick one of
`num_perm` bins and the bin keeps its smallest value; an empty bin borrows the value of
the first non-empty bin along a fixed probe sequence. Two signatures agree in a bin with
probability equal to the Jaccard similarity of the shingle sets, as with `num_perm`
independent permutations, at the cost of one hash per shingle instead of `num_perm`.
"""
from __future__ import annotations

import functools
import hashlib
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

# A word is a run of letters, digits and marks (Unicode categories L, N, M); anything else
# separates words. Scripts written without spaces (Han, kana, Thai, Lao, Khmer, Myanmar)
# count one character per word, so their bodies still get meaningful shingles.
SPACELESS = ((0x0E00, 0x0EFF), (0x1000, 0x109F), (0x1780, 0x17FF), (0x3040, 0x30FF),
             (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
# Flag bit, above any code point, marking a character of a script written without spaces.
ALONE = np.uint32(1 << 30)
# Bodies are fingerprinted together in groups of about this many characters: enough to
# make NumPy's per-call cost negligible, few enough to keep the arrays small (~40 MB).
GROUP_CHARS = 1 << 20
# One shingle in 2**SAMPLE_BITS is kept as a sample (those whose hash has these bits
# zero). Samples of a body contained in another are samples of the other too (Broder's
# mod-m sketch), so shared samples find a teaser or a truncation inside a longer body,
# which MinHash bands miss when the lengths differ a lot. 1/16 gives ~25 samples for a
# 400-word body and still a few for a 60-word teaser.
SAMPLE_BITS = 4

_FMIX1 = np.uint64(0xFF51AFD7ED558CCD)
_FMIX2 = np.uint64(0xC4CEB9FE1A85EC53)
_S33 = np.uint64(33)
_LOW32 = np.uint64(0xFFFFFFFF)
_LOW63 = np.uint64(0x7FFFFFFFFFFFFFFF)
# A bin no shingle fell into (a real minimum of 2**32 - 1 is taken for one: harmless).
_EMPTY = np.uint32(0xFFFFFFFF)
# Odd multipliers (from SplitMix64 and xxHash) that make a shingle depend on word order.
_POSITION = np.array(
    [0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB, 0xC2B2AE3D27D4EB4F,
     0x165667B19E3779F9, 0x27D4EB2F165667C5, 0x85EBCA77C2B2AE63, 0xFF51AFD7ED558CCD],
    dtype=np.uint64,
)
# Words are hashed as polynomials in this odd base modulo 2**64, all at once with NumPy:
# character k of the text is weighted by BASE**-k, a prefix sum gives every word's sum,
# and multiplying by BASE**start makes the value independent of where the word stands.
_BASE = 0x100000001B3
_BASE_INV = pow(_BASE, -1, 2**64)


@functools.cache
def _char_table() -> np.ndarray:
    """Per code point, what it adds to a word's hash: 0 for a separator; else the code
    point + 1, with ALONE set for a character that is a word on its own."""
    classes = np.ones(0x110000, dtype=bool)  # beyond the BMP: letters of rare scripts
    classes[:0x10000] = [unicodedata.category(chr(cp))[0] in "LNM" for cp in range(0x10000)]
    table = np.arange(1, 0x110001, dtype=np.uint32)
    table[~classes] = 0
    for lo, hi in SPACELESS:
        part = table[lo : hi + 1]
        part[part != 0] |= ALONE
    return table


class _Powers:
    """BASE**k and BASE**-k modulo 2**64 for k < n, grown on demand."""

    def __init__(self) -> None:
        self.up = self.down = np.empty(0, dtype=np.uint64)

    def get(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        if n > len(self.up):
            size = max(n, 2 * len(self.up), 4096)
            self.up = np.cumprod(np.full(size, _BASE, dtype=np.uint64)) * np.uint64(_BASE_INV)
            self.down = np.cumprod(np.full(size, _BASE_INV, dtype=np.uint64)) * np.uint64(_BASE)
        return self.up[:n], self.down[:n]


_powers = _Powers()


def canonical(text: str) -> str:
    """NFKC and case-folded: the text the word hashes are taken from. (Most text is
    NFKC already, and telling so takes a fifth of the time of normalising it.)"""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text.casefold()


def word_hashes(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Stable 64-bit hash of every word of `text` (made `canonical` first) in order, and
    the index of each word's first character; whitespace and punctuation change nothing."""
    # surrogatepass: a lone surrogate (from a lenient decoder) becomes a separator.
    cp = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    if cp.size == 0:
        return np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.intp)
    chars = _char_table()[cp]
    word = chars != 0
    start = np.empty(len(chars), dtype=bool)
    start[0] = word[0]
    np.greater(word[1:], word[:-1], out=start[1:])
    if chars.max() >= ALONE:  # each such character starts a word, and so does the next
        alone = chars >= ALONE
        start[1:] |= word[1:] & (alone[1:] | alone[:-1])
    starts = np.flatnonzero(start)
    if starts.size == 0:
        return np.empty(0, dtype=np.uint64), starts
    up, down = _powers.get(len(cp))
    # Not mixed further: mixing is a bijection, so it would not make fewer collisions,
    # and shingle hashes are mixed anyway.
    return np.add.reduceat(chars * down, starts) * up[starts], starts


def exact_hash(words: np.ndarray) -> str:
    """SHA-256 (hex) of the canonical word sequence: what exact duplicates share."""
    return hashlib.sha256(np.ascontiguousarray(words, dtype="<u8").tobytes()).hexdigest()


def fmix64(x: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser: every input bit flips each output bit with p ~ 1/2."""
    x = x ^ (x >> _S33)
    x = x * _FMIX1
    x = x ^ (x >> _S33)
    x = x * _FMIX2
    return x ^ (x >> _S33)


def shingle_hashes(words: np.ndarray, size: int) -> np.ndarray:
    """64-bit hashes of every run of `size` consecutive words of `words`."""
    count = len(words) - size + 1
    if count <= 0:
        return np.empty(0, dtype=np.uint64)
    acc = words[:count] * _POSITION[0]
    for j in range(1, size):
        acc += words[j : j + count] * _POSITION[j]
    return fmix64(acc)


@dataclass(frozen=True, slots=True)
class Layout:
    """How signatures are built and banded; fixed for the life of an index."""

    num_perm: int = 128
    bands: int = 32
    shingle: int = 5

    def __post_init__(self) -> None:
        if not 2 <= self.num_perm <= 1024 or self.num_perm & (self.num_perm - 1):
            raise ValueError(f"num_perm must be a power of two in 2..1024, got {self.num_perm}")
        if self.bands < 1 or self.num_perm % self.bands:
            raise ValueError(f"bands ({self.bands}) must divide num_perm ({self.num_perm})")
        if not 1 <= self.shingle <= len(_POSITION):
            raise ValueError(f"shingle must be 1..{len(_POSITION)}, got {self.shingle}")

    @property
    def rows(self) -> int:
        return self.num_perm // self.bands


class Sketch(NamedTuple):
    """Everything the index needs of one body (a tuple: cheap to make by the thousand)."""

    exact: str
    signature: np.ndarray
    shingles: int
    bands: list[int]
    samples: list[int]

    @property
    def empty(self) -> bool:
        return self.shingles == 0


class Sketcher:
    """Fingerprints bodies for one Layout, many at a time: NumPy does the same work on a
    batch of bodies in about the time it takes on one, so batches are much faster."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.bin_bits = layout.num_perm.bit_length() - 1
        # Probe sequence of each bin for densification: a fixed pseudo-random permutation,
        # the same in every process (seeded), so two documents borrow from the same bins.
        rng = np.random.Generator(np.random.PCG64(20230111))
        self.probes = np.stack([rng.permutation(layout.num_perm) for _ in range(layout.num_perm)])
        self.band_salts = fmix64(np.arange(1, layout.bands + 1, dtype=np.uint64) * _POSITION[1])
        self.row_weights = fmix64(np.arange(1, layout.rows + 1, dtype=np.uint64) * _POSITION[2])
        self.row_weights |= np.uint64(1)

    def sketch(self, text: str) -> Sketch:
        """The fingerprint of one body."""
        return self.sketch_many([text])[0]

    def sketch_many(self, texts: list[str]) -> list[Sketch]:
        """The fingerprints of many bodies, computed together in groups."""
        canon = [canonical(t) for t in texts]
        out: list[Sketch] = []
        group: list[str] = []
        size = 0
        for text in canon:
            if group and size + len(text) > GROUP_CHARS:
                out.extend(self._sketch_group(group))
                group, size = [], 0
            group.append(text)
            size += len(text)
        if group:
            out.extend(self._sketch_group(group))
        return out

    def _sketch_group(self, canon: list[str]) -> list[Sketch]:
        """The fingerprints of canonical bodies, all in one pass."""
        # One string for all: a newline (a separator) between bodies keeps words apart.
        words, starts = word_hashes("\n".join(canon))
        if len(canon) == 1:
            bounds = np.array([0, len(words)])
        else:
            char_ends = np.cumsum(np.array([len(c) + 1 for c in canon], dtype=np.int64))
            bounds = np.concatenate([[0], np.searchsorted(starts, char_ends)])
        shingles, owners = self._shingles(words, bounds)
        sigs, counts = self._signatures(shingles, owners, len(canon))
        band_keys = self._band_keys(sigs)
        samples = self._samples(shingles, owners, len(canon))
        return [
            Sketch(exact_hash(words[a:b]), sigs[i], int(counts[i]), band_keys[i], samples[i])
            for i, (a, b) in enumerate(zip(bounds[:-1].tolist(), bounds[1:].tolist()))
        ]

    def _samples(self, shingles: np.ndarray, owners: np.ndarray, docs: int) -> list[list[int]]:
        """The distinct sampled shingles of each body, as sorted 63-bit ints. The sample
        bits (32 up) are apart from the bin (top) and value (low 32) bits of the signature."""
        keep = (shingles >> np.uint64(32)) & np.uint64((1 << SAMPLE_BITS) - 1) == 0
        values, who = shingles[keep] >> np.uint64(1), owners[keep]
        if docs == 1:  # a few dozen values: Python is quicker than NumPy's calls
            return [sorted(set(values.tolist()))]
        order = np.lexsort((values, who))
        values, who = values[order], who[order]
        new = np.ones(len(values), dtype=bool)
        new[1:] = (values[1:] != values[:-1]) | (who[1:] != who[:-1])
        values, who = values[new], who[new]
        cuts = np.searchsorted(who, np.arange(docs + 1)).tolist()
        flat = values.tolist()
        return [flat[cuts[i] : cuts[i + 1]] for i in range(docs)]

    def _shingles(self, words: np.ndarray, bounds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Shingle hashes of every body and the body each belongs to. A body shorter
        than a shingle is one shingle of all its words."""
        size = self.layout.shingle
        if len(bounds) == 2:  # one body: no windows across bodies to drop
            hashes = shingle_hashes(words, min(size, len(words)) or 1)
            return hashes, np.zeros(len(hashes), dtype=np.intp)
        lengths = np.diff(bounds)
        hashes = shingle_hashes(words, size)
        owners = np.repeat(np.arange(len(lengths)), lengths)[: len(hashes)]
        # A window starting less than `size` words before its body's end runs into the next.
        inside = np.arange(len(hashes)) + size <= bounds[1:][owners]
        parts, who = [hashes[inside]], [owners[inside]]
        for i in np.flatnonzero((lengths > 0) & (lengths < size)):
            parts.append(shingle_hashes(words[bounds[i] : bounds[i + 1]], int(lengths[i])))
            who.append(np.array([i]))
        return np.concatenate(parts), np.concatenate(who)

    def _signatures(
        self, shingles: np.ndarray, owners: np.ndarray, docs: int
    ) -> tuple[np.ndarray, list[int] | np.ndarray]:
        """(docs x num_perm uint32 signatures, distinct shingles per body).

        The top bits of a shingle hash pick its bin, the low 32 bits are its value, and
        each bin keeps its smallest value; an empty bin borrows from the first filled
        bin on its probe sequence.
        """
        perm = self.layout.num_perm
        slots = (shingles >> np.uint64(64 - self.bin_bits)).astype(np.intp)
        if docs > 1:
            slots += owners * perm
        sigs = np.full(docs * perm, _EMPTY, dtype=np.uint32)
        np.minimum.at(sigs, slots, (shingles & _LOW32).astype(np.uint32))
        sigs = sigs.reshape(docs, perm)
        # Distinct shingles per body: sort (body, top 40 bits of the hash), count changes.
        if docs == 1:
            keyed = np.sort(shingles)
            counts = [int(np.count_nonzero(keyed[1:] != keyed[:-1])) + 1 if len(keyed) else 0]
        else:
            keyed = np.sort((owners.astype(np.uint64) << np.uint64(40)) | (shingles >> np.uint64(24)))
            new = np.ones(len(keyed), dtype=bool)
            np.not_equal(keyed[1:], keyed[:-1], out=new[1:])
            counts = np.bincount((keyed[new] >> np.uint64(40)).astype(np.intp), minlength=docs)
        filled = sigs != _EMPTY
        doc, empty = np.nonzero(~filled)
        if doc.size:
            rows = self.probes[empty]
            donor = rows[np.arange(len(rows)), filled[doc[:, None], rows].argmax(axis=1)]
            sigs[doc, empty] = sigs[doc, donor]
        return sigs, counts

    def _band_keys(self, sigs: np.ndarray) -> list[list[int]]:
        """One 63-bit key per band of each signature: equal keys mean equal bands."""
        layout = self.layout
        cols = sigs.reshape(len(sigs), layout.bands, layout.rows).astype(np.uint64)
        # A weighted sum with random odd 64-bit weights: two different bands give the
        # same key with probability ~2**-63, and dicts and B-trees need no more mixing.
        summed = (cols * self.row_weights).sum(axis=2, dtype=np.uint64) + self.band_salts
        return (summed & _LOW63).tolist()


def jaccard(sig: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Estimated Jaccard similarity of one signature with each row of `others`."""
    return (others == sig).mean(axis=1)


def containment(similarity: float, size_a: int, size_b: int) -> float:
    """Estimated share of the smaller shingle set found in the larger, from Jaccard and sizes.

    |A ∩ B| = J (|A| + |B|) / (1 + J), divided by min(|A|, |B|), capped at 1.
    """
    smaller = min(size_a, size_b)
    if smaller == 0:
        return 0.0
    return min(1.0, similarity * (size_a + size_b) / ((1.0 + similarity) * smaller))
