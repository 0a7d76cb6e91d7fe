/**
 * The Threefry-2x32 block function (Salmon, Moraes, Dror and Shaw, "Parallel random numbers:
 * as easy as 1, 2, 3", SC 2011) with 20 rounds, the constants of Random123 and JAX:
 * key-schedule parity `0x1BD11BDA`, rotations `[13, 15, 26, 6]` and `[17, 29, 16, 24]`
 * alternating every four rounds, and a key injection `x₀ += ks[(g+1) mod 3]`,
 * `x₁ += ks[(g+2) mod 3] + g + 1` after each group `g` of four rounds.
 *
 * Laws (known answers from Random123's `kat_vectors`, also JAX's `threefry_2x32` test):
 * - `threefry2x32((0x13198a2e, 0x03707344), (0x243f6a88, 0x85a308d3)) = (0xc4923a9c, 0x483df7a0)`;
 * - `threefry2x32((0, 0), (0, 0)) = (0x6b200159, 0x99ba4efe)`;
 * - `threefry2x32((2³²−1, 2³²−1), (2³²−1, 2³²−1)) = (0x1cb996fc, 0xbb002be7)`.
 *
 * All arithmetic is on uint32 values kept as non-negative JS numbers: sums are reduced with
 * `>>> 0`, rotations use `<<`, `>>>` and `|`.
 *
 * @module
 */

/** Threefry's key-schedule parity constant (the 32-bit Skein constant). */
const PARITY = 0x1bd11bda

/**
 * @internal Threefry-2x32 (20 rounds) of the counter `(c0, c1)` under the key `(k0, k1)`;
 * writes the two output words to `out[at]` and `out[at + 1]`. `out` is the caller's own
 * scratch buffer.
 */
export const threefry2x32 = (
  k0: number,
  k1: number,
  c0: number,
  c1: number,
  out: Uint32Array,
  at: number,
): void => {
  const ks0 = k0 >>> 0
  const ks1 = k1 >>> 0
  const ks2 = (ks0 ^ ks1 ^ PARITY) >>> 0
  let x0 = (c0 + ks0) >>> 0
  let x1 = (c1 + ks1) >>> 0
  // Five groups of four rounds (unrolled for speed), each followed by a key injection.
  x0 = (x0 + x1) >>> 0; x1 = (((x1 << 13) | (x1 >>> 19)) ^ x0) >>> 0
  x0 = (x0 + x1) >>> 0; x1 = (((x1 << 15) | (x1 >>> 17)) ^ x0) >>> 0
  x0 = (x0 + x1) >>> 0; x1 = (((x1 << 26) | (x1 >>> 6)) ^ x0) >>> 0
  x0 = (x0 + x1) >>> 0; x1 = (((x1 << 6) | (x1 >>> 26)) ^ x0) >>> 0
  x0 = (x0 + ks1) >>> 0; x1 = (x1 + ks2 + 1) >>> 0
  x0 = (x0 + x1) >>> 0; x1 = (((x1 << 17) | (x1 >>> 15)) ^ x0) >>> 0
  x0 = (x0 + x1) >>> 0; x1 = (((x1 << 29) | (x1 >>> 3)) ^ x0) >>> 0
  x0 = (x0 + x1) >>> 0; x1 = (((x1 << 16) | (x1 >>> 16)) ^ x0) >>> 0
  x0 = (x0 + x1) >>> 0; x1 = (((x1 << 24) | (x1 >>> 8)) ^ x0) >>> 0
  x0 = (x0 + ks2) >>> 0; x1 = (x1 + ks0 + 2) >>> 0
  x0 = (x0 + x1) >>> 0; x1 = (((x1 << 13) | (x1 >>> 19)) ^ x0) >>> 0
  x0 = (x0 + x1) >>> 0; x1 = (((x1 << 15) | (x1 >>> 17)) ^ x0) >>> 0
  x0 = (x0 + x1) >>> 0; x1 = (((x1 << 26) | (x1 >>> 6)) ^ x0) >>> 0
  x0 = (x0 + x1) >>> 0; x1 = (((x1 << 6) | (x1 >>> 26)) ^ x0) >>> 0
  x0 = (x0 + ks0) >>> 0; x1 = (x1 + ks1 + 3) >>> 0
  x0 = (x0 + x1) >>> 0; x1 = (((x1 << 17) | (x1 >>> 15)) ^ x0) >>> 0
  x0 = (x0 + x1) >>> 0; x1 = (((x1 << 29) | (x1 >>> 3)) ^ x0) >>> 0
  x0 = (x0 + x1) >>> 0; x1 = (((x1 << 16) | (x1 >>> 16)) ^ x0) >>> 0
  x0 = (x0 + x1) >>> 0; x1 = (((x1 << 24) | (x1 >>> 8)) ^ x0) >>> 0
  x0 = (x0 + ks1) >>> 0; x1 = (x1 + ks2 + 4) >>> 0
  x0 = (x0 + x1) >>> 0; x1 = (((x1 << 13) | (x1 >>> 19)) ^ x0) >>> 0
  x0 = (x0 + x1) >>> 0; x1 = (((x1 << 15) | (x1 >>> 17)) ^ x0) >>> 0
  x0 = (x0 + x1) >>> 0; x1 = (((x1 << 26) | (x1 >>> 6)) ^ x0) >>> 0
  x0 = (x0 + x1) >>> 0; x1 = (((x1 << 6) | (x1 >>> 26)) ^ x0) >>> 0
  x0 = (x0 + ks2) >>> 0; x1 = (x1 + ks0 + 5) >>> 0
  out[at] = x0
  out[at + 1] = x1
}

/** 2³², the modulus of a uint32 word. */
const TWO32 = 4294967296

/** @internal High word of a non-negative counter below 2⁵³. */
export const hiWord = (i: number): number => Math.floor(i / TWO32) >>> 0

/** @internal Low word of a non-negative counter below 2⁵³. */
export const loWord = (i: number): number => (i % TWO32) >>> 0
