// AssemblyScript (not TypeScript): compiled by scripts/build-wasm.ts into ../generated/gemm.ts.
//
// C = op(A) · op(B) for float32 (f32x4) and float64 (f64x2), GotoBLAS-style:
//   for each NC-wide column block of B, for each KC-deep slice of the shared dimension:
//     pack that KC×NC block of B into NR-wide micro-panels (zero padded);
//     for each MC-tall row block of A: pack it into MR-tall micro-panels (zero padded),
//       then for every NR×MR pair of micro-panels run the register-blocked micro-kernel,
//       which keeps the MR×NR tile of C in SIMD registers for the whole KC loop.
// op(A)[i, p] = a[i·rsA + p·csA] and op(B)[p, j] = b[p·rsB + j·csB] (strides in elements),
// so transposed operands need no copy. C has row stride ldc. All pointers are byte
// addresses in the (imported) linear memory; `ws` is this call's private workspace of
// sgemmWorkspace()/dgemmWorkspace() bytes.
//
// Every entry C[i, j] is computed by the same sequence of operations whatever the tile
// it falls in (a padded edge tile does the same arithmetic into a scratch tile), so
// splitting C into row or column blocks (threads) gives bit-identical results.

const MR32: i32 = 4
const NR32: i32 = 8
const KC32: i32 = 256
const MC32: i32 = 128
const NC32: i32 = 1024

const MR64: i32 = 4
const NR64: i32 = 4
const KC64: i32 = 256
const MC64: i32 = 64
const NC64: i32 = 512

/** Bytes of workspace one sgemm call needs. */
export function sgemmWorkspace(): i32 {
  return (MC32 * KC32 + KC32 * NC32 + MR32 * NR32) * 4
}

/** Bytes of workspace one dgemm call needs. */
export function dgemmWorkspace(): i32 {
  return (MC64 * KC64 + KC64 * NC64 + MR64 * NR64) * 8
}

// ---- float32 --------------------------------------------------------------------------

// dst[panel][p][r] = op(A)[i0 + panel·MR + r, p], zero past mc
@inline function packA32(mc: i32, kc: i32, a: usize, rs: usize, cs: usize, dst: usize): void {
  for (let i = 0; i < mc; i += MR32) {
    const rows = min(MR32, mc - i)
    const base = a + <usize>i * rs
    if (rows == MR32) {
      for (let p = 0; p < kc; p++) {
        const s = base + <usize>p * cs
        store<f32>(dst, load<f32>(s))
        store<f32>(dst, load<f32>(s + rs), 4)
        store<f32>(dst, load<f32>(s + 2 * rs), 8)
        store<f32>(dst, load<f32>(s + 3 * rs), 12)
        dst += 16
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const s = base + <usize>p * cs
        for (let r = 0; r < MR32; r++) {
          store<f32>(dst, r < rows ? load<f32>(s + <usize>r * rs) : <f32>0)
          dst += 4
        }
      }
    }
  }
}

// dst[panel][p][c] = op(B)[p, j0 + panel·NR + c], zero past nc
@inline function packB32(kc: i32, nc: i32, b: usize, rs: usize, cs: usize, dst: usize): void {
  for (let j = 0; j < nc; j += NR32) {
    const cols = min(NR32, nc - j)
    const base = b + <usize>j * cs
    if (cols == NR32 && cs == 4) {
      for (let p = 0; p < kc; p++) {
        const s = base + <usize>p * rs
        v128.store(dst, v128.load(s))
        v128.store(dst, v128.load(s, 16), 16)
        dst += 32
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const s = base + <usize>p * rs
        for (let c = 0; c < NR32; c++) {
          store<f32>(dst, c < cols ? load<f32>(s + <usize>c * cs) : <f32>0)
          dst += 4
        }
      }
    }
  }
}

// The 4×8 micro-kernel: t = Σₚ ap[p][:] ⊗ bp[p][:], then C (+)= t on the rows×cols corner.
@inline function kernel32(
  kc: i32, ap: usize, bp: usize, c: usize, ldc: usize, first: bool, rows: i32, cols: i32, tile: usize,
): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0)
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0)
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0)
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0)
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp)
    const b1 = v128.load(bp, 16)
    let x = v128.load32_splat(ap)
    c00 = f32x4.add(c00, f32x4.mul(x, b0)); c01 = f32x4.add(c01, f32x4.mul(x, b1))
    x = v128.load32_splat(ap, 4)
    c10 = f32x4.add(c10, f32x4.mul(x, b0)); c11 = f32x4.add(c11, f32x4.mul(x, b1))
    x = v128.load32_splat(ap, 8)
    c20 = f32x4.add(c20, f32x4.mul(x, b0)); c21 = f32x4.add(c21, f32x4.mul(x, b1))
    x = v128.load32_splat(ap, 12)
    c30 = f32x4.add(c30, f32x4.mul(x, b0)); c31 = f32x4.add(c31, f32x4.mul(x, b1))
    ap += 16
    bp += 32
  }
  if (rows == MR32 && cols == NR32) {
    let r = c
    if (!first) { c00 = f32x4.add(v128.load(r), c00); c01 = f32x4.add(v128.load(r, 16), c01) }
    v128.store(r, c00); v128.store(r, c01, 16); r += ldc
    if (!first) { c10 = f32x4.add(v128.load(r), c10); c11 = f32x4.add(v128.load(r, 16), c11) }
    v128.store(r, c10); v128.store(r, c11, 16); r += ldc
    if (!first) { c20 = f32x4.add(v128.load(r), c20); c21 = f32x4.add(v128.load(r, 16), c21) }
    v128.store(r, c20); v128.store(r, c21, 16); r += ldc
    if (!first) { c30 = f32x4.add(v128.load(r), c30); c31 = f32x4.add(v128.load(r, 16), c31) }
    v128.store(r, c30); v128.store(r, c31, 16)
  } else {
    v128.store(tile, c00); v128.store(tile, c01, 16)
    v128.store(tile, c10, 32); v128.store(tile, c11, 48)
    v128.store(tile, c20, 64); v128.store(tile, c21, 80)
    v128.store(tile, c30, 96); v128.store(tile, c31, 112)
    for (let i = 0; i < rows; i++) {
      const r = c + <usize>i * ldc
      const t = tile + <usize>(i * NR32 * 4)
      for (let j = 0; j < cols; j++) {
        const o = <usize>j << 2
        const v = load<f32>(t + o)
        store<f32>(r + o, first ? v : load<f32>(r + o) + v)
      }
    }
  }
}

/** C = op(A)·op(B) in float32; see the header for the arguments. */
export function sgemm(
  m: i32, n: i32, k: i32,
  a: usize, rsA: i32, csA: i32, b: usize, rsB: i32, csB: i32, c: usize, ldc: i32, ws: usize,
): void {
  const packA = ws
  const packB = ws + <usize>(MC32 * KC32 * 4)
  const tile = packB + <usize>(KC32 * NC32 * 4)
  const ra = <usize>rsA << 2, ca = <usize>csA << 2, rb = <usize>rsB << 2, cb = <usize>csB << 2
  const lc = <usize>ldc << 2
  for (let jc = 0; jc < n; jc += NC32) {
    const nc = min(NC32, n - jc)
    for (let pc = 0; pc < k; pc += KC32) {
      const kc = min(KC32, k - pc)
      const first = pc == 0
      packB32(kc, nc, b + <usize>pc * rb + <usize>jc * cb, rb, cb, packB)
      for (let ic = 0; ic < m; ic += MC32) {
        const mc = min(MC32, m - ic)
        packA32(mc, kc, a + <usize>ic * ra + <usize>pc * ca, ra, ca, packA)
        for (let jr = 0; jr < nc; jr += NR32) {
          const cols = min(NR32, nc - jr)
          const bp = packB + <usize>(jr * kc * 4)
          for (let ir = 0; ir < mc; ir += MR32) {
            const rows = min(MR32, mc - ir)
            const cp = c + <usize>(ic + ir) * lc + (<usize>(jc + jr) << 2)
            kernel32(kc, packA + <usize>(ir * kc * 4), bp, cp, lc, first, rows, cols, tile)
          }
        }
      }
    }
  }
}

// ---- float64 --------------------------------------------------------------------------

@inline function packA64(mc: i32, kc: i32, a: usize, rs: usize, cs: usize, dst: usize): void {
  for (let i = 0; i < mc; i += MR64) {
    const rows = min(MR64, mc - i)
    const base = a + <usize>i * rs
    if (rows == MR64) {
      for (let p = 0; p < kc; p++) {
        const s = base + <usize>p * cs
        store<f64>(dst, load<f64>(s))
        store<f64>(dst, load<f64>(s + rs), 8)
        store<f64>(dst, load<f64>(s + 2 * rs), 16)
        store<f64>(dst, load<f64>(s + 3 * rs), 24)
        dst += 32
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const s = base + <usize>p * cs
        for (let r = 0; r < MR64; r++) {
          store<f64>(dst, r < rows ? load<f64>(s + <usize>r * rs) : <f64>0)
          dst += 8
        }
      }
    }
  }
}

@inline function packB64(kc: i32, nc: i32, b: usize, rs: usize, cs: usize, dst: usize): void {
  for (let j = 0; j < nc; j += NR64) {
    const cols = min(NR64, nc - j)
    const base = b + <usize>j * cs
    if (cols == NR64 && cs == 8) {
      for (let p = 0; p < kc; p++) {
        const s = base + <usize>p * rs
        v128.store(dst, v128.load(s))
        v128.store(dst, v128.load(s, 16), 16)
        dst += 32
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const s = base + <usize>p * rs
        for (let c = 0; c < NR64; c++) {
          store<f64>(dst, c < cols ? load<f64>(s + <usize>c * cs) : <f64>0)
          dst += 8
        }
      }
    }
  }
}

@inline function kernel64(
  kc: i32, ap: usize, bp: usize, c: usize, ldc: usize, first: bool, rows: i32, cols: i32, tile: usize,
): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0)
  let c10 = f64x2.splat(0), c11 = f64x2.splat(0)
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0)
  let c30 = f64x2.splat(0), c31 = f64x2.splat(0)
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp)
    const b1 = v128.load(bp, 16)
    let x = v128.load64_splat(ap)
    c00 = f64x2.add(c00, f64x2.mul(x, b0)); c01 = f64x2.add(c01, f64x2.mul(x, b1))
    x = v128.load64_splat(ap, 8)
    c10 = f64x2.add(c10, f64x2.mul(x, b0)); c11 = f64x2.add(c11, f64x2.mul(x, b1))
    x = v128.load64_splat(ap, 16)
    c20 = f64x2.add(c20, f64x2.mul(x, b0)); c21 = f64x2.add(c21, f64x2.mul(x, b1))
    x = v128.load64_splat(ap, 24)
    c30 = f64x2.add(c30, f64x2.mul(x, b0)); c31 = f64x2.add(c31, f64x2.mul(x, b1))
    ap += 32
    bp += 32
  }
  if (rows == MR64 && cols == NR64) {
    let r = c
    if (!first) { c00 = f64x2.add(v128.load(r), c00); c01 = f64x2.add(v128.load(r, 16), c01) }
    v128.store(r, c00); v128.store(r, c01, 16); r += ldc
    if (!first) { c10 = f64x2.add(v128.load(r), c10); c11 = f64x2.add(v128.load(r, 16), c11) }
    v128.store(r, c10); v128.store(r, c11, 16); r += ldc
    if (!first) { c20 = f64x2.add(v128.load(r), c20); c21 = f64x2.add(v128.load(r, 16), c21) }
    v128.store(r, c20); v128.store(r, c21, 16); r += ldc
    if (!first) { c30 = f64x2.add(v128.load(r), c30); c31 = f64x2.add(v128.load(r, 16), c31) }
    v128.store(r, c30); v128.store(r, c31, 16)
  } else {
    v128.store(tile, c00); v128.store(tile, c01, 16)
    v128.store(tile, c10, 32); v128.store(tile, c11, 48)
    v128.store(tile, c20, 64); v128.store(tile, c21, 80)
    v128.store(tile, c30, 96); v128.store(tile, c31, 112)
    for (let i = 0; i < rows; i++) {
      const r = c + <usize>i * ldc
      const t = tile + <usize>(i * NR64 * 8)
      for (let j = 0; j < cols; j++) {
        const o = <usize>j << 3
        const v = load<f64>(t + o)
        store<f64>(r + o, first ? v : load<f64>(r + o) + v)
      }
    }
  }
}

/** C = op(A)·op(B) in float64; see the header for the arguments. */
export function dgemm(
  m: i32, n: i32, k: i32,
  a: usize, rsA: i32, csA: i32, b: usize, rsB: i32, csB: i32, c: usize, ldc: i32, ws: usize,
): void {
  const packA = ws
  const packB = ws + <usize>(MC64 * KC64 * 8)
  const tile = packB + <usize>(KC64 * NC64 * 8)
  const ra = <usize>rsA << 3, ca = <usize>csA << 3, rb = <usize>rsB << 3, cb = <usize>csB << 3
  const lc = <usize>ldc << 3
  for (let jc = 0; jc < n; jc += NC64) {
    const nc = min(NC64, n - jc)
    for (let pc = 0; pc < k; pc += KC64) {
      const kc = min(KC64, k - pc)
      const first = pc == 0
      packB64(kc, nc, b + <usize>pc * rb + <usize>jc * cb, rb, cb, packB)
      for (let ic = 0; ic < m; ic += MC64) {
        const mc = min(MC64, m - ic)
        packA64(mc, kc, a + <usize>ic * ra + <usize>pc * ca, ra, ca, packA)
        for (let jr = 0; jr < nc; jr += NR64) {
          const cols = min(NR64, nc - jr)
          const bp = packB + <usize>(jr * kc * 8)
          for (let ir = 0; ir < mc; ir += MR64) {
            const rows = min(MR64, mc - ir)
            const cp = c + <usize>(ic + ir) * lc + (<usize>(jc + jr) << 3)
            kernel64(kc, packA + <usize>(ir * kc * 8), bp, cp, lc, first, rows, cols, tile)
          }
        }
      }
    }
  }
}
