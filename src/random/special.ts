/**
 * Special functions behind the normal samplers: the complementary error function, the
 * standard normal CDF `Φ` and its inverse `Φ⁻¹` (the probit, `ndtri`), accurate in the
 * lower tail (relative error about 1e-15 down to `Φ(−37)`).
 *
 * Laws:
 * - `erfc(−x) = 2 − erfc(x)`, `erfc(0) = 1`, `erfc(+∞) = 0`;
 * - `Φ(x) = erfc(−x/√2) / 2` and `Φ(−x) = 1 − Φ(x)`;
 * - `Φ(Φ⁻¹(p)) = p` for `p ∈ (0, 1)` (relative error ~1e-15 for `p ≤ 1/2`);
 * - `Φ⁻¹(1 − p) = −Φ⁻¹(p)`.
 *
 * `erfc` follows FDLIBM's `s_erf.c` (rational approximations on `[0, 0.84375)`,
 * `[0.84375, 1.25)`, `[1.25, 1/0.35)` and `[1/0.35, 28)`, with its published coefficients):
 *
 *   Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
 *   Developed at SunPro, a Sun Microsystems, Inc. business.
 *   Permission to use, copy, modify, and distribute this software is freely granted,
 *   provided that this notice is preserved.
 *
 * `Φ⁻¹` is P. J. Acklam's rational approximation (relative error 1.15e-9) followed by one
 * Halley step on `Φ(x) − p`, which brings it to the accuracy of `erfc`.
 *
 * @module
 */

const ERX = 8.45062911510467529297e-1
/** erf on [0, 0.84375): x + x·P(x²)/Q(x²). */
const PP = [1.28379167095512558561e-1, -3.2504210724700149937e-1, -2.84817495755985104766e-2, -5.77027029648944159157e-3, -2.37630166566501626084e-5]
const QQ = [3.97917223959155352819e-1, 6.50222499887672944485e-2, 5.08130628187576562776e-3, 1.32494738004321644526e-4, -3.9602282787753681232e-6]
/** erf on [0.84375, 1.25): erx + P(s)/Q(s), s = |x| − 1. */
const PA = [
  -2.36211856075265944077e-3, 4.14856118683748331666e-1, -3.72207876035701323847e-1, 3.18346619901161753674e-1,
  -1.10894694282396677476e-1, 3.54783043256182359371e-2, -2.166375594868790843e-3,
]
const QA = [1.06420880400844228286e-1, 5.40397917702171048937e-1, 7.18286544141962662868e-2, 1.26171219808761642112e-1, 1.36370839120290507362e-2, 1.1984499846799107417e-2]
/** erfc on [1.25, 1/0.35): exp(−x² − 0.5625 + R(1/x²)/S(1/x²)) / x. */
const RA = [
  -9.86494403484714822705e-3, -6.93858572707181764372e-1, -1.05586262253232909814e1, -6.23753324503260060396e1,
  -1.62396669462573470355e2, -1.84605092906711035994e2, -8.12874355063065934246e1, -9.81432934416914548592,
]
const SA = [
  1.96512716674392571292e1, 1.376577541435190426e2, 4.34565877475229228821e2, 6.45387271733267880336e2,
  4.29008140027567833386e2, 1.08635005541779435134e2, 6.57024977031928170135, -6.04244152148580987438e-2,
]
/** erfc on [1/0.35, 28): same form, other coefficients. */
const RB = [
  -9.86494292470009928597e-3, -7.99283237680523006574e-1, -1.77579549177547519889e1, -1.60636384855821916062e2,
  -6.37566443368389627722e2, -1.02509513161107724954e3, -4.83519191608651397019e2,
]
const SB = [
  3.03380607434824582924e1, 3.25792512996573918826e2, 1.53672958608443695994e3, 3.19985821950859553908e3,
  2.55305040643316442583e3, 4.74528541206955367215e2, -2.24409524465858183362e1,
]

/** c₀ + z·(c₁ + z·(c₂ + …)), by Horner's rule. */
const poly = (c: ReadonlyArray<number>, z: number): number => {
  let acc = c[c.length - 1]
  for (let i = c.length - 2; i >= 0; i--) acc = acc * z + c[i]
  return acc
}

/** 1 + z·(c₀ + z·(c₁ + …)), the denominators of FDLIBM. */
const poly1 = (c: ReadonlyArray<number>, z: number): number => 1 + z * poly(c, z)

/**
 * @internal The complementary error function `erfc(x) = 1 − erf(x) = (2/√π) ∫ₓ^∞ e^{−t²} dt`,
 * accurate to a few ulps, relatively so for large positive `x` (down to the underflow near 27).
 */
export const erfc = (x: number): number => {
  if (Number.isNaN(x)) return NaN
  const ax = Math.abs(x)
  if (ax < 0.84375) {
    if (ax < 1.3877787807814457e-17) return 1 - x // |x| < 2^-56
    const z = x * x
    const y = poly(PP, z) / poly1(QQ, z)
    if (x < 0.25) return 1 - (x + x * y)
    return 0.5 - (x * y + (x - 0.5))
  }
  if (ax < 1.25) {
    const s = ax - 1
    const pq = poly(PA, s) / poly1(QA, s)
    return x >= 0 ? 1 - ERX - pq : 1 + (ERX + pq)
  }
  if (ax < 28) {
    if (x < -6) return 2
    const s = 1 / (ax * ax)
    const rs = ax < 2.857142857142857 ? poly(RA, s) / poly1(SA, s) : poly(RB, s) / poly1(SB, s)
    // z keeps 24 significant bits, so z·z is exact and exp(−x²) loses nothing to rounding x².
    const z = Math.fround(ax)
    const r = Math.exp(-z * z - 0.5625) * Math.exp((z - ax) * (z + ax) + rs)
    return x > 0 ? r / ax : 2 - r / ax
  }
  return x > 0 ? 0 : 2
}

/** @internal The standard normal CDF `Φ(x) = erfc(−x/√2)/2`, relatively accurate for x < 0. */
export const normCdf = (x: number): number => 0.5 * erfc(-x * Math.SQRT1_2)

/** 1/√(2π). */
const INV_SQRT_2PI = 0.3989422804014327

/** @internal The standard normal density `φ(x) = e^{−x²/2}/√(2π)`. */
export const normPdf = (x: number): number => INV_SQRT_2PI * Math.exp(-0.5 * x * x)

/* Acklam's coefficients: central region |p − ½| ≤ ½ − 0.02425, and the tails. */
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239]
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1]
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783]
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416]
const P_LOW = 0.02425

/** Highest-degree-first evaluation: ((c₀·r + c₁)·r + …) + cₙ. */
const hornerHigh = (c: ReadonlyArray<number>, r: number): number => {
  let acc = c[0]
  for (let i = 1; i < c.length; i++) acc = acc * r + c[i]
  return acc
}

/** Φ⁻¹ on (0, ½], where Φ is relatively accurate. */
const probitLower = (p: number): number => {
  let x: number
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p))
    x = hornerHigh(C, q) / (hornerHigh(D, q) * q + 1)
  } else {
    const q = p - 0.5
    const r = q * q
    x = (hornerHigh(A, r) * q) / (hornerHigh(B, r) * r + 1)
  }
  // One Halley step on f(x) = Φ(x) − p: f' = φ(x), f''/f' = −x.
  const dens = normPdf(x)
  if (dens > 0) {
    const u = (normCdf(x) - p) / dens
    x -= u / (1 + 0.5 * x * u)
  }
  return x
}

/**
 * @internal The standard normal quantile `Φ⁻¹(p)` (probit); `−∞` at 0, `+∞` at 1, NaN outside
 * [0, 1]. For `p > ½` it uses `Φ⁻¹(p) = −Φ⁻¹(1 − p)` (1 − p is exact there).
 */
export const ndtri = (p: number): number => {
  if (!(p >= 0 && p <= 1)) return NaN
  if (p === 0) return -Infinity
  if (p === 1) return Infinity
  return p > 0.5 ? -probitLower(1 - p) : probitLower(p)
}
