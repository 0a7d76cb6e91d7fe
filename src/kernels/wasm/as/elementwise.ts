// AssemblyScript (not TypeScript): compiled by scripts/build-wasm.ts into ../generated/elementwise.ts.
//
// Elementwise kernels on 128-bit SIMD: float32 exp, log, tanh, sigmoid (f32x4, range
// reduction + polynomial, after Cephes' expf/logf/tanhf), same-shape add/sub/mul/div
// (f32x4 and f64x2; these round exactly as the scalar operations do) and sum (float32
// lanes accumulated in float64, as the reference kernel accumulates).
//
// Calling convention: pointers are byte addresses in the imported memory. The unary and
// binary kernels process ceil(n / lanes) whole vectors, so the caller pads every buffer to
// a multiple of 16 bytes (padding lanes compute garbage that is never read). `out` may
// equal an input (in place). The sums read exactly n elements.
//
// Accuracy (checked by laws/wasm-elementwise.law.ts against Math.* rounded to float32):
// exp, log, tanh, sigmoid within 4 ulp over all float32 inputs, with IEEE special values
// (exp(±Inf) = Inf/0, log(0) = −Inf, log(x < 0) = NaN, NaN in → NaN out).

// ---- exp ------------------------------------------------------------------------------

const LOG2E: f32 = 1.44269504088896341
// ln 2 = C1 + C2, C1 with 9 significant bits so that n·C1 is exact for |n| ≤ 2^15
const C1: f32 = 0.693359375
const C2: f32 = -2.12194440e-4
// exp(88.8) overflows float32 and exp(−104) rounds to 0: clamping there keeps n in
// [−150, 128], where the two-step scaling below is exact until its last multiply
const EXP_HI: f32 = 88.8
const EXP_LO: f32 = -104.0
const MAGIC: f32 = 12582912.0 // 1.5 · 2^23

// The vector constants of exp live in globals set once by `initExp` (called on entry of
// every function that uses them). As literal `v128.const`s, V8 rematerialises each one
// inside the loop (several instructions apiece), which made the kernel ~2× slower; a
// global read is one load. They start at zero, so Binaryen cannot fold them back.
let K_HI: v128 = i32x4.splat(0)
let K_LO: v128 = i32x4.splat(0)
let K_LOG2E: v128 = i32x4.splat(0)
let K_MAGIC: v128 = i32x4.splat(0)
let K_C1: v128 = i32x4.splat(0)
let K_C2: v128 = i32x4.splat(0)
let K_P0: v128 = i32x4.splat(0)
let K_P1: v128 = i32x4.splat(0)
let K_P2: v128 = i32x4.splat(0)
let K_P3: v128 = i32x4.splat(0)
let K_P4: v128 = i32x4.splat(0)
let K_P5: v128 = i32x4.splat(0)
let K_ONE: v128 = i32x4.splat(0)
let K_127: v128 = i32x4.splat(0)
let expReady = false

@inline function initExp(): void {
  if (expReady) return
  K_HI = f32x4.splat(EXP_HI)
  K_LO = f32x4.splat(EXP_LO)
  K_LOG2E = f32x4.splat(LOG2E)
  K_MAGIC = f32x4.splat(MAGIC)
  K_C1 = f32x4.splat(C1)
  K_C2 = f32x4.splat(C2)
  // e^x for |x| ≤ ln2/2: 1 + x + x²·P(x) (Cephes expf coefficients)
  K_P0 = f32x4.splat(1.9875691500e-4)
  K_P1 = f32x4.splat(1.3981999507e-3)
  K_P2 = f32x4.splat(8.3334519073e-3)
  K_P3 = f32x4.splat(4.1665795894e-2)
  K_P4 = f32x4.splat(1.6666665459e-1)
  K_P5 = f32x4.splat(5.0000001201e-1)
  K_ONE = f32x4.splat(1.0)
  K_127 = i32x4.splat(127)
  expReady = true
}

@inline function expPoly(r: v128): v128 {
  const z = f32x4.mul(r, r)
  let y = K_P0
  y = f32x4.add(f32x4.mul(y, r), K_P1)
  y = f32x4.add(f32x4.mul(y, r), K_P2)
  y = f32x4.add(f32x4.mul(y, r), K_P3)
  y = f32x4.add(f32x4.mul(y, r), K_P4)
  y = f32x4.add(f32x4.mul(y, r), K_P5)
  return f32x4.add(f32x4.add(f32x4.mul(y, z), r), K_ONE)
}

// 2^n as float32 for n in [−126, 127]
@inline function pow2(n: v128): v128 {
  return i32x4.shl(i32x4.add(n, K_127), 23)
}

/** e^x per lane: x = n·ln2 + r, e^x = 2^n · e^r, 2^n applied in two exact halves. */
@inline function exp4(x: v128): v128 {
  // pmin/pmax (one instruction each on x64, unlike min/max) with x first keep NaN as NaN:
  // pmax(a, b) = a < b ? b : a
  const xc = f32x4.pmax(f32x4.pmin(x, K_HI), K_LO)
  // round x·log2(e) to an integer by adding 1.5·2^23 (the sum's low mantissa bits are then
  // that integer): cheaper than nearest + trunc_sat, exact for |x·log2 e| < 2^22
  const t = f32x4.add(f32x4.mul(xc, K_LOG2E), K_MAGIC)
  const fx = f32x4.sub(t, K_MAGIC)
  const r = f32x4.sub(f32x4.sub(xc, f32x4.mul(fx, K_C1)), f32x4.mul(fx, K_C2))
  const p = expPoly(r)
  const n = i32x4.sub(t, K_MAGIC)
  const n1 = i32x4.shr_s(n, 1)
  const n2 = i32x4.sub(n, n1)
  // p · 2^n1 is normal (n1 ≥ −75), so only the last multiply rounds (also into subnormals)
  return f32x4.mul(f32x4.mul(p, pow2(n1)), pow2(n2))
}

export function expF32(x: usize, out: usize, n: i32): void {
  initExp()
  const end = x + (<usize>(n + 3) >> 2 << 4)
  // two vectors per iteration: their independent chains overlap
  for (; x + 16 < end; x += 32, out += 32) {
    const a = exp4(v128.load(x))
    const b = exp4(v128.load(x, 16))
    v128.store(out, a)
    v128.store(out, b, 16)
  }
  for (; x < end; x += 16, out += 16) v128.store(out, exp4(v128.load(x)))
}

// ---- log ------------------------------------------------------------------------------

const SQRTHF: f32 = 0.707106781186547524

/** log x per lane (Cephes logf): x = m·2^e with m in [√½, √2), log x = e·ln2 + log m. */
@inline function log4(x0: v128): v128 {
  // subnormals: scale by 2^25 first (their exponent field would read as −127)
  const sub = f32x4.lt(x0, f32x4.splat(1.17549435e-38))
  const x = v128.bitselect(f32x4.mul(x0, f32x4.splat(33554432.0)), x0, sub)
  const bits = x
  // e such that m = x / 2^e lies in [0.5, 1)
  let e = i32x4.sub(i32x4.shr_s(bits, 23), i32x4.splat(126))
  e = i32x4.sub(e, v128.and(sub, i32x4.splat(25)))
  let m = v128.or(v128.and(bits, i32x4.splat(0x007fffff)), i32x4.splat(0x3f000000))
  // m < √½: use 2m − 1 and e − 1, else m − 1
  const small = f32x4.lt(m, f32x4.splat(SQRTHF))
  e = i32x4.add(e, small) // the mask is −1 in lanes where small
  m = f32x4.sub(f32x4.add(m, v128.and(small, m)), f32x4.splat(1.0))
  const fe = f32x4.convert_i32x4_s(e)
  const z = f32x4.mul(m, m)
  let y = f32x4.splat(7.0376836292e-2)
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(-1.1514610310e-1))
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(1.1676998740e-1))
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(-1.2420140846e-1))
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(1.4249322787e-1))
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(-1.6668057665e-1))
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(2.0000714765e-1))
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(-2.4999993993e-1))
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(3.3333331174e-1))
  y = f32x4.mul(f32x4.mul(y, m), z)
  y = f32x4.add(y, f32x4.mul(fe, f32x4.splat(C2)))
  y = f32x4.sub(y, f32x4.mul(z, f32x4.splat(0.5)))
  let r = f32x4.add(f32x4.add(m, y), f32x4.mul(fe, f32x4.splat(C1)))
  // special values: +Inf → +Inf, 0 → −Inf, x < 0 or NaN → NaN
  r = v128.bitselect(x0, r, f32x4.eq(x0, f32x4.splat(Infinity)))
  r = v128.bitselect(f32x4.splat(-Infinity), r, f32x4.eq(x0, f32x4.splat(0)))
  r = v128.bitselect(f32x4.splat(NaN), r, v128.not(f32x4.ge(x0, f32x4.splat(0))))
  return r
}

export function logF32(x: usize, out: usize, n: i32): void {
  const end = x + (<usize>(n + 3) >> 2 << 4)
  for (; x < end; x += 16, out += 16) v128.store(out, log4(v128.load(x)))
}

// ---- tanh -----------------------------------------------------------------------------

const SIGN: i32 = 0x80000000

/** tanh per lane (Cephes tanhf): odd polynomial below 0.625, 1 − 2/(e^{2|x|} + 1) above. */
@inline function tanh4(x: v128): v128 {
  const z = f32x4.abs(x)
  // large branch, on |x| (exp overflows to Inf for |x| > 44, giving exactly 1); sign below
  const s = exp4(f32x4.add(z, z))
  const big = f32x4.sub(f32x4.splat(1.0), f32x4.div(f32x4.splat(2.0), f32x4.add(s, f32x4.splat(1.0))))
  // small branch: x + x·z²·Q(z²)
  const w = f32x4.mul(x, x)
  let q = f32x4.splat(-5.70498872745e-3)
  q = f32x4.add(f32x4.mul(q, w), f32x4.splat(2.06390887954e-2))
  q = f32x4.add(f32x4.mul(q, w), f32x4.splat(-5.37397155531e-2))
  q = f32x4.add(f32x4.mul(q, w), f32x4.splat(1.33314422036e-1))
  q = f32x4.add(f32x4.mul(q, w), f32x4.splat(-3.33332819422e-1))
  const small = f32x4.add(f32x4.mul(f32x4.mul(q, w), x), x)
  // NaN fails the comparison and takes the small branch, which keeps it NaN
  const r = v128.bitselect(big, small, f32x4.ge(z, f32x4.splat(0.625)))
  // tanh is odd and |tanh x| ≤ |x|: the result has the sign of x (also tanh(−0) = −0,
  // which x + x·w·q would round to +0)
  return v128.or(v128.and(r, i32x4.splat(~SIGN)), v128.and(x, i32x4.splat(SIGN)))
}

export function tanhF32(x: usize, out: usize, n: i32): void {
  initExp()
  const end = x + (<usize>(n + 3) >> 2 << 4)
  for (; x < end; x += 16, out += 16) v128.store(out, tanh4(v128.load(x)))
}

// ---- sigmoid --------------------------------------------------------------------------

/** 1/(1 + e^{−x}) for x ≥ 0 and e^{x}/(1 + e^{x}) for x < 0, as the reference computes it. */
@inline function sigmoid4(x: v128): v128 {
  const e = exp4(f32x4.neg(f32x4.abs(x)))
  const num = v128.bitselect(f32x4.splat(1.0), e, f32x4.ge(x, f32x4.splat(0)))
  // NaN: e is NaN, num = e, NaN / NaN = NaN
  return f32x4.div(num, f32x4.add(f32x4.splat(1.0), e))
}

export function sigmoidF32(x: usize, out: usize, n: i32): void {
  initExp()
  const end = x + (<usize>(n + 3) >> 2 << 4)
  for (; x < end; x += 16, out += 16) v128.store(out, sigmoid4(v128.load(x)))
}

// ---- same-shape binary ----------------------------------------------------------------
// A float32 +, −, ×, ÷ rounds exactly as the double operation rounded to float32 (the
// reference), since 53 ≥ 2·24 + 2: these agree with the reference bit for bit.

export function addF32(a: usize, b: usize, out: usize, n: i32): void {
  const end = a + (<usize>(n + 3) >> 2 << 4)
  for (; a < end; a += 16, b += 16, out += 16) v128.store(out, f32x4.add(v128.load(a), v128.load(b)))
}
export function subF32(a: usize, b: usize, out: usize, n: i32): void {
  const end = a + (<usize>(n + 3) >> 2 << 4)
  for (; a < end; a += 16, b += 16, out += 16) v128.store(out, f32x4.sub(v128.load(a), v128.load(b)))
}
export function mulF32(a: usize, b: usize, out: usize, n: i32): void {
  const end = a + (<usize>(n + 3) >> 2 << 4)
  for (; a < end; a += 16, b += 16, out += 16) v128.store(out, f32x4.mul(v128.load(a), v128.load(b)))
}
export function divF32(a: usize, b: usize, out: usize, n: i32): void {
  const end = a + (<usize>(n + 3) >> 2 << 4)
  for (; a < end; a += 16, b += 16, out += 16) v128.store(out, f32x4.div(v128.load(a), v128.load(b)))
}
export function addF64(a: usize, b: usize, out: usize, n: i32): void {
  const end = a + (<usize>(n + 1) >> 1 << 4)
  for (; a < end; a += 16, b += 16, out += 16) v128.store(out, f64x2.add(v128.load(a), v128.load(b)))
}
export function subF64(a: usize, b: usize, out: usize, n: i32): void {
  const end = a + (<usize>(n + 1) >> 1 << 4)
  for (; a < end; a += 16, b += 16, out += 16) v128.store(out, f64x2.sub(v128.load(a), v128.load(b)))
}
export function mulF64(a: usize, b: usize, out: usize, n: i32): void {
  const end = a + (<usize>(n + 1) >> 1 << 4)
  for (; a < end; a += 16, b += 16, out += 16) v128.store(out, f64x2.mul(v128.load(a), v128.load(b)))
}
export function divF64(a: usize, b: usize, out: usize, n: i32): void {
  const end = a + (<usize>(n + 1) >> 1 << 4)
  for (; a < end; a += 16, b += 16, out += 16) v128.store(out, f64x2.div(v128.load(a), v128.load(b)))
}

// ---- sum ------------------------------------------------------------------------------

/** Σ x[0..n) of float32 values, accumulated in float64 (four running sums, then the tail). */
export function sumF32(x: usize, n: i32): f64 {
  let s0 = f64x2.splat(0)
  let s1 = f64x2.splat(0)
  const vend = x + (<usize>n >> 2 << 2 << 2)
  for (; x < vend; x += 16) {
    const v = v128.load(x)
    s0 = f64x2.add(s0, f64x2.promote_low_f32x4(v))
    s1 = f64x2.add(s1, f64x2.promote_low_f32x4(f32x4.shuffle(v, v, 2, 3, 0, 1)))
  }
  let s = (f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s1, 0)) + (f64x2.extract_lane(s0, 1) + f64x2.extract_lane(s1, 1))
  for (let i = 0, t = n & 3; i < t; i++, x += 4) s += <f64>load<f32>(x)
  return s
}

/** Σ x[0..n) of float64 values (two running sums, then the tail). */
export function sumF64(x: usize, n: i32): f64 {
  let s0 = f64x2.splat(0)
  let s1 = f64x2.splat(0)
  const vend = x + (<usize>n >> 2 << 2 << 3)
  for (; x < vend; x += 32) {
    s0 = f64x2.add(s0, v128.load(x))
    s1 = f64x2.add(s1, v128.load(x, 16))
  }
  let s = (f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s1, 0)) + (f64x2.extract_lane(s0, 1) + f64x2.extract_lane(s1, 1))
  for (let i = 0, t = n & 3; i < t; i++, x += 8) s += load<f64>(x)
  return s
}

/**
 * acc[i] += x[p·inner + i] for p < n, i < inner: the middle-axis sum of an `n × inner`
 * block of float32 values into float64 accumulators. Rows are read as whole vectors, so
 * `acc` holds `inner` rounded up to 4 lanes and `x` has 3 readable elements past its end
 * (the caller pads both and zeroes `acc`).
 */
export function sumAxisF32(x: usize, acc: usize, n: i32, inner: i32): void {
  const row = <usize>inner << 2
  const vend = <usize>(inner + 3) >> 2
  for (let p = 0; p < n; p++, x += row) {
    let a = acc
    let s = x
    for (let v: usize = 0; v < vend; v++, s += 16, a += 32) {
      const q = v128.load(s)
      v128.store(a, f64x2.add(v128.load(a), f64x2.promote_low_f32x4(q)))
      v128.store(a, f64x2.add(v128.load(a, 16), f64x2.promote_low_f32x4(f32x4.shuffle(q, q, 2, 3, 0, 1))), 16)
    }
  }
}

/** acc[i] += x[p·inner + i] for float64 values (`acc` and `x` padded to 2 lanes, `acc` zeroed). */
export function sumAxisF64(x: usize, acc: usize, n: i32, inner: i32): void {
  const row = <usize>inner << 3
  const vend = <usize>(inner + 1) >> 1
  for (let p = 0; p < n; p++, x += row) {
    let a = acc
    let s = x
    for (let v: usize = 0; v < vend; v++, s += 16, a += 16) v128.store(a, f64x2.add(v128.load(a), v128.load(s)))
  }
}

// ---- relu and broadcasting binary ops ---------------------------------------------------
// relu(x) = max(x, 0): wasm's max propagates NaN and gives max(−0, +0) = +0, as the
// reference does. The broadcasting forms below are the ones dense layers and optimisers
// use: `a op s` for a scalar s, and `a op row` with one row repeated over the leading axes.

export function reluF32(x: usize, out: usize, n: i32): void {
  const end = x + (<usize>(n + 3) >> 2 << 4)
  const z = f32x4.splat(0)
  for (; x < end; x += 16, out += 16) v128.store(out, f32x4.max(v128.load(x), z))
}
export function reluF64(x: usize, out: usize, n: i32): void {
  const end = x + (<usize>(n + 1) >> 1 << 4)
  const z = f64x2.splat(0)
  for (; x < end; x += 16, out += 16) v128.store(out, f64x2.max(v128.load(x), z))
}

// op codes shared by the scalar and row forms: 0 add, 1 sub, 2 mul, 3 div
@inline function op4(op: i32, a: v128, b: v128): v128 {
  return op == 0 ? f32x4.add(a, b) : op == 1 ? f32x4.sub(a, b) : op == 2 ? f32x4.mul(a, b) : f32x4.div(a, b)
}
@inline function op1(op: i32, a: f32, b: f32): f32 {
  return op == 0 ? a + b : op == 1 ? a - b : op == 2 ? a * b : a / b
}
@inline function op2(op: i32, a: v128, b: v128): v128 {
  return op == 0 ? f64x2.add(a, b) : op == 1 ? f64x2.sub(a, b) : op == 2 ? f64x2.mul(a, b) : f64x2.div(a, b)
}
@inline function op1d(op: i32, a: f64, b: f64): f64 {
  return op == 0 ? a + b : op == 1 ? a - b : op == 2 ? a * b : a / b
}

/**
 * out[i] = a[i] op s for i < n (whole vectors: the caller pads). Codes 4–9 are the
 * comparisons >, <, ≥, ≤, =, ≠ giving 1 or 0 (a lane mask ANDed with the bits of 1.0;
 * NaN compares as in JS: only ≠ holds).
 */
export function scalarF32(op: i32, a: usize, s: f32, out: usize, n: i32): void {
  const end = a + (<usize>(n + 3) >> 2 << 4)
  const b = f32x4.splat(s)
  const one = f32x4.splat(1.0)
  if (op == 0) for (; a < end; a += 16, out += 16) v128.store(out, f32x4.add(v128.load(a), b))
  else if (op == 1) for (; a < end; a += 16, out += 16) v128.store(out, f32x4.sub(v128.load(a), b))
  else if (op == 2) for (; a < end; a += 16, out += 16) v128.store(out, f32x4.mul(v128.load(a), b))
  else if (op == 3) for (; a < end; a += 16, out += 16) v128.store(out, f32x4.div(v128.load(a), b))
  else if (op == 4) for (; a < end; a += 16, out += 16) v128.store(out, v128.and(f32x4.gt(v128.load(a), b), one))
  else if (op == 5) for (; a < end; a += 16, out += 16) v128.store(out, v128.and(f32x4.lt(v128.load(a), b), one))
  else if (op == 6) for (; a < end; a += 16, out += 16) v128.store(out, v128.and(f32x4.ge(v128.load(a), b), one))
  else if (op == 7) for (; a < end; a += 16, out += 16) v128.store(out, v128.and(f32x4.le(v128.load(a), b), one))
  else if (op == 8) for (; a < end; a += 16, out += 16) v128.store(out, v128.and(f32x4.eq(v128.load(a), b), one))
  else for (; a < end; a += 16, out += 16) v128.store(out, v128.and(f32x4.ne(v128.load(a), b), one))
}
export function scalarF64(op: i32, a: usize, s: f64, out: usize, n: i32): void {
  const end = a + (<usize>(n + 1) >> 1 << 4)
  const b = f64x2.splat(s)
  const one = f64x2.splat(1.0)
  if (op == 0) for (; a < end; a += 16, out += 16) v128.store(out, f64x2.add(v128.load(a), b))
  else if (op == 1) for (; a < end; a += 16, out += 16) v128.store(out, f64x2.sub(v128.load(a), b))
  else if (op == 2) for (; a < end; a += 16, out += 16) v128.store(out, f64x2.mul(v128.load(a), b))
  else if (op == 3) for (; a < end; a += 16, out += 16) v128.store(out, f64x2.div(v128.load(a), b))
  else if (op == 4) for (; a < end; a += 16, out += 16) v128.store(out, v128.and(f64x2.gt(v128.load(a), b), one))
  else if (op == 5) for (; a < end; a += 16, out += 16) v128.store(out, v128.and(f64x2.lt(v128.load(a), b), one))
  else if (op == 6) for (; a < end; a += 16, out += 16) v128.store(out, v128.and(f64x2.ge(v128.load(a), b), one))
  else if (op == 7) for (; a < end; a += 16, out += 16) v128.store(out, v128.and(f64x2.le(v128.load(a), b), one))
  else if (op == 8) for (; a < end; a += 16, out += 16) v128.store(out, v128.and(f64x2.eq(v128.load(a), b), one))
  else for (; a < end; a += 16, out += 16) v128.store(out, v128.and(f64x2.ne(v128.load(a), b), one))
}

/** out[i·n + j] = a[i·n + j] op row[j] for i < m, j < n (exactly these elements). */
export function rowF32(op: i32, a: usize, row: usize, out: usize, m: i32, n: i32): void {
  const vn = n & ~3
  for (let i = 0; i < m; i++) {
    let j = 0
    for (; j < vn; j += 4) {
      const o = <usize>j << 2
      v128.store(out + o, op4(op, v128.load(a + o), v128.load(row + o)))
    }
    for (; j < n; j++) {
      const o = <usize>j << 2
      store<f32>(out + o, op1(op, load<f32>(a + o), load<f32>(row + o)))
    }
    a += <usize>n << 2
    out += <usize>n << 2
  }
}
export function rowF64(op: i32, a: usize, row: usize, out: usize, m: i32, n: i32): void {
  const vn = n & ~1
  for (let i = 0; i < m; i++) {
    let j = 0
    for (; j < vn; j += 2) {
      const o = <usize>j << 3
      v128.store(out + o, op2(op, v128.load(a + o), v128.load(row + o)))
    }
    for (; j < n; j++) {
      const o = <usize>j << 3
      store<f64>(out + o, op1d(op, load<f64>(a + o), load<f64>(row + o)))
    }
    a += <usize>n << 3
    out += <usize>n << 3
  }
}

/** out[i] = Σ_p x[i·n + p] for i < rows: float32 rows summed in float64 (out is float64). */
export function sumRowsF32(x: usize, out: usize, rows: i32, n: i32): void {
  const stride = <usize>n << 2
  for (let i = 0; i < rows; i++, x += stride, out += 8) store<f64>(out, sumF32(x, n))
}

/** out[i] = Σ_p x[i·n + p] for i < rows, float64. */
export function sumRowsF64(x: usize, out: usize, rows: i32, n: i32): void {
  const stride = <usize>n << 3
  for (let i = 0; i < rows; i++, x += stride, out += 8) store<f64>(out, sumF64(x, n))
}
