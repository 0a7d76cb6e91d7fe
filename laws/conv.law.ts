/**
 * Laws of convolution and pooling (src/tensor/conv.ts):
 * - `conv2d(x, w) = conv2dDirect(x, w)` (im2col + GEMM = the defining loop), any stride,
 *   padding, dilation, groups, bias; and `conv1d` likewise;
 * - `conv2d(x, w)[n] = reshape(w, [O, C·kh·kw]) · im2col(x)[n]` (the documented layout);
 * - `conv1d(x, w) = conv2d(x as [N, C, 1, W], w as [O, C, 1, k])`;
 * - `convolve2d(x, w) = conv2d(x, flip(w))`, `convolve1d(x, w) = conv1d(x, flip(w))`;
 * - `convolveFull(a, b) = convolveFull(b, a)`, its length is `n + m − 1`, it equals
 *   `convolve1d` with padding `m − 1`, and 'same'/'valid' are the numpy slices of it;
 * - output sizes follow `⌊(in + pad − d·(k − 1) − 1)/s⌋ + 1` (else `ShapeError`);
 *   'same' gives `⌈in/s⌉` and equals explicit padding `[⌊t/2⌋, t − ⌊t/2⌋]`;
 * - `⟨im2col(x), y⟩ = ⟨x, col2im(y)⟩`;
 * - `avgPool2d(x, k) = conv2d(x, 1/(kh·kw), { groups: C })`, `maxPool2d = max over im2col rows`,
 *   `maxPool2d(x) ≥ avgPool2d(x)` (no padding);
 * - inputs are bitwise unchanged.
 *
 * All in float64 to 1e-9 (sums of at most 36 products of values in [−10, 10]) unless said.
 */
import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { ops, ShapeError, type DType, type Tensor } from 'dendrite'
import { conv2dDirect } from '../src/tensor/conv-internal.js'
import { allClose, arbTensorOf, snapshot, tol } from './helpers.js'

type Pad2 = ops.Padding2d

const small = fc.integer({ min: 0, max: 2 })
const arbPadding2d: fc.Arbitrary<Pad2> = fc.oneof(
  fc.constant<Pad2>('valid'),
  fc.constant<Pad2>('same'),
  small,
  fc.tuple(small, small),
  fc.tuple(fc.tuple(small, small), fc.tuple(small, small)),
)

/** Explicit `[[top, bottom], [left, right]]` of a padding option, computed independently of the library. */
const explicitPadding = (
  p: Pad2, [h, w]: number[], [kh, kw]: number[], [sh, sw]: number[], [dh, dw]: number[],
): [[number, number], [number, number]] => {
  const same = (n: number, k: number, s: number, d: number): [number, number] => {
    const t = Math.max((Math.ceil(n / s) - 1) * s + d * (k - 1) + 1 - n, 0)
    return [Math.floor(t / 2), t - Math.floor(t / 2)]
  }
  if (p === 'valid') return [[0, 0], [0, 0]]
  if (p === 'same') return [same(h, kh, sh, dh), same(w, kw, sw, dw)]
  if (typeof p === 'number') return [[p, p], [p, p]]
  if (typeof p[0] === 'number') return [[p[0], p[0]], [p[1] as number, p[1] as number]]
  const q = p as readonly [readonly [number, number], readonly [number, number]]
  return [[q[0][0], q[0][1]], [q[1][0], q[1][1]]]
}

const formula = (n: number, k: number, s: number, d: number, a: number, b: number): number =>
  Math.floor((n + a + b - d * (k - 1) - 1) / s) + 1

/**
 * A random 2-D convolution problem. Spatial sizes are at least the dilated kernel extent,
 * so every padding gives a positive output size.
 */
const arbConv2d = (dtype: DType = 'float64', maxGroups = 2) =>
  fc
    .record({
      n: fc.integer({ min: 1, max: 2 }),
      groups: fc.integer({ min: 1, max: maxGroups }),
      cg: fc.integer({ min: 1, max: 2 }),
      og: fc.integer({ min: 1, max: 2 }),
      kh: fc.integer({ min: 1, max: 3 }),
      kw: fc.integer({ min: 1, max: 3 }),
      sh: fc.integer({ min: 1, max: 3 }),
      sw: fc.integer({ min: 1, max: 3 }),
      dh: fc.integer({ min: 1, max: 2 }),
      dw: fc.integer({ min: 1, max: 2 }),
      eh: fc.integer({ min: 0, max: 3 }),
      ew: fc.integer({ min: 0, max: 3 }),
      padding: arbPadding2d,
      withBias: fc.boolean(),
    })
    .chain((p) => {
      const c = p.cg * p.groups
      const o = p.og * p.groups
      const h = p.dh * (p.kh - 1) + 1 + p.eh
      const w = p.dw * (p.kw - 1) + 1 + p.ew
      return fc.record({
        p: fc.constant({ ...p, c, o, h, w }),
        x: arbTensorOf([p.n, c, h, w], dtype),
        w: arbTensorOf([o, p.cg, p.kh, p.kw], dtype),
        b: arbTensorOf([o], dtype),
      })
    })
    .map(({ p, x, w, b }) => ({
      p,
      x,
      w,
      opts: {
        stride: [p.sh, p.sw] as const,
        dilation: [p.dh, p.dw] as const,
        padding: p.padding,
        groups: p.groups,
        ...(p.withBias ? { bias: b } : {}),
      },
    }))

/** The kernel with its spatial axes reversed, by index arithmetic. */
const flipKernel = (w: Tensor): Tensor => {
  const s = w.shape
  const kh = s.length === 4 ? s[2] : 1
  const kw = s[s.length - 1]
  const src = ops.toFlat(w)
  const out = src.map((_, idx) => {
    const plane = Math.floor(idx / (kh * kw))
    const r = idx % (kh * kw)
    const i = Math.floor(r / kw)
    const j = r % kw
    return src[plane * kh * kw + (kh - 1 - i) * kw + (kw - 1 - j)]
  })
  return ops.fromArray(out, s, w.dtype)
}

const dot = (a: Tensor, b: Tensor): number => {
  let s = 0
  for (let i = 0; i < a.data.length; i++) s += a.data[i] * b.data[i]
  return s
}

/** View with other dims (same data), without relying on layout ops. */
const as = (t: Tensor, shape: number[]): Tensor => ops.fromArray(t.data, shape, t.dtype)

describe('conv laws', () => {
  test.prop([arbConv2d()])('conv2d (im2col + GEMM) equals the direct loop (float64, 1e-9)', ({ p, x, w, opts }) => {
    allClose(ops.conv2d(x, w, opts), conv2dDirect(x, w, opts), tol.f64)
    // 1×1 kernels with unit stride and no padding skip im2col: check that path (and its
    // boundary, strides > 1) on every run
    const w11 = ops.fromArray(ops.toFlat(w).filter((_, i) => i % (p.kh * p.kw) === 0), [p.o, p.cg, 1, 1], 'float64')
    const o11 = { groups: p.groups, dilation: opts.dilation, ...(opts.bias ? { bias: opts.bias } : {}) }
    allClose(ops.conv2d(x, w11, o11), conv2dDirect(x, w11, o11), tol.f64)
    allClose(ops.conv2d(x, w11, { ...o11, stride: opts.stride }), conv2dDirect(x, w11, { ...o11, stride: opts.stride }), tol.f64)
  })

  // float32: both accumulate in doubles and round once per output (GEMM rounds once per
  // 256-term block, never reached here), so the house float32 tolerance holds.
  test.prop([arbConv2d('float32')])('conv2d equals the direct loop (float32, 1e-5)', ({ x, w, opts }) => {
    const y = ops.conv2d(x, w, opts)
    expect(y.dtype).toBe('float32')
    allClose(y, conv2dDirect(x, w, opts), tol.f32)
  })

  test.prop([arbConv2d('float64', 1)])('conv2d = reshape(w, [O, C·kh·kw]) · im2col(x), per sample', ({ p, x, w, opts }) => {
    const { stride, dilation, padding } = opts
    const cols = ops.im2col(x, [p.kh, p.kw], { stride, dilation, padding })
    const [n, rows, L] = cols.shape
    expect(rows).toBe(p.c * p.kh * p.kw)
    const out: number[] = []
    for (let b = 0; b < n; b++) {
      for (let o = 0; o < p.o; o++) {
        for (let l = 0; l < L; l++) {
          let s = opts.bias ? opts.bias.data[o] : 0
          for (let r = 0; r < rows; r++) s += w.data[o * rows + r] * cols.data[(b * rows + r) * L + l]
          out.push(s)
        }
      }
    }
    const ref = conv2dDirect(x, w, opts)
    expect(n * p.o * L).toBe(ref.data.length)
    allClose(ops.fromArray(out, ref.shape, 'float64'), ref, tol.f64)
  })

  test.prop([arbConv2d()])('conv1d equals conv2d with H = 1, and its direct loop', ({ p, x, w, opts }) => {
    // the last row of x and of w, as a 1-D problem
    const x1f = ops.fromArray(ops.toFlat(x).filter((_, i) => Math.floor(i / p.w) % p.h === p.h - 1), [p.n, p.c, p.w], 'float64')
    const w1 = ops.fromArray(ops.toFlat(w).filter((_, i) => Math.floor(i / p.kw) % p.kh === p.kh - 1), [p.o, p.cg, p.kw], 'float64')
    const pad = explicitPadding(p.padding, [1, p.w], [1, p.kw], [1, p.sw], [1, p.dw])[1]
    const o1 = { stride: p.sw, dilation: p.dw, padding: pad, groups: p.groups, ...(opts.bias ? { bias: opts.bias } : {}) }
    const y1 = ops.conv1d(x1f, w1, o1)
    const y2 = ops.conv2d(as(x1f, [p.n, p.c, 1, p.w]), as(w1, [p.o, p.cg, 1, p.kw]), { ...o1, padding: [[0, 0], pad] })
    expect(y2.shape[2]).toBe(1)
    allClose(y1, as(y2, [y2.shape[0], y2.shape[1], y2.shape[3]]), tol.f64)
    allClose(y1, conv2dDirect(x1f, w1, o1), tol.f64)
  })

  test.prop([arbConv2d()])('convolve2d(x, w) = conv2d(x, flip(w)), convolve1d likewise', ({ p, x, w, opts }) => {
    allClose(ops.convolve2d(x, w, opts), conv2dDirect(x, flipKernel(w), opts), tol.f64)
    const x1 = as(x, [p.n, p.c, p.h * p.w])
    const w1 = as(w, [p.o, p.cg, p.kh * p.kw])
    const o1 = { stride: p.sw, dilation: p.dw, groups: p.groups, padding: 'same' as const }
    allClose(ops.convolve1d(x1, w1, o1), ops.conv1d(x1, flipKernel(w1), o1), tol.f64)
  })

  const arbSignals = fc
    .tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }))
    .chain(([n, m]) => fc.tuple(arbTensorOf([n]), arbTensorOf([m])))

  test.prop([arbSignals])('convolveFull commutes; length n + m − 1; numpy slices for same/valid', ([a, b]) => {
    const n = a.shape[0]
    const m = b.shape[0]
    const full = ops.convolveFull(a, b)
    expect(full.shape).toEqual([n + m - 1])
    allClose(full, ops.convolveFull(b, a), tol.f64)
    // definition: (a ∗ b)[t] = Σ_i a[i] b[t − i]
    const def = Array.from({ length: n + m - 1 }, (_, t) => {
      let s = 0
      for (let i = 0; i < n; i++) if (t - i >= 0 && t - i < m) s += a.data[i] * b.data[t - i]
      return s
    })
    allClose(full, def, tol.f64)
    const lo = Math.min(n, m)
    const hi = Math.max(n, m)
    const f = ops.toFlat(full)
    allClose(ops.convolveFull(a, b, 'same'), f.slice(Math.floor((lo - 1) / 2), Math.floor((lo - 1) / 2) + hi), tol.f64)
    allClose(ops.convolveFull(b, a, 'same'), f.slice(Math.floor((lo - 1) / 2), Math.floor((lo - 1) / 2) + hi), tol.f64)
    allClose(ops.convolveFull(a, b, 'valid'), f.slice(lo - 1, hi), tol.f64)
    allClose(ops.convolveFull(b, a, 'valid'), f.slice(lo - 1, hi), tol.f64)
    // and the batched true convolution with padding m − 1 gives the full result
    allClose(as(ops.convolve1d(as(a, [1, 1, n]), as(b, [1, 1, m]), { padding: m - 1 }), [n + m - 1]), full, tol.f64)
  })

  const arbAxis = fc.record({
    n: fc.integer({ min: 0, max: 9 }),
    k: fc.integer({ min: 1, max: 4 }),
    s: fc.integer({ min: 1, max: 3 }),
    d: fc.integer({ min: 1, max: 2 }),
    a: small,
    b: small,
  })

  test.prop([arbAxis, arbAxis])('output sizes follow the formula, or ShapeError names op and axis', (u, v) => {
    const expH = formula(u.n, u.k, u.s, u.d, u.a, u.b)
    const expW = formula(v.n, v.k, v.s, v.d, v.a, v.b)
    const x = ops.zeros([1, 2, u.n, v.n], 'float64')
    const w = ops.zeros([3, 2, u.k, v.k], 'float64')
    const opts = { stride: [u.s, v.s] as const, dilation: [u.d, v.d] as const, padding: [[u.a, u.b], [v.a, v.b]] as const }
    if (expH > 0 && expW > 0) {
      expect(ops.conv2d(x, w, opts).shape).toEqual([1, 3, expH, expW])
      expect(ops.im2col(x, [u.k, v.k], opts).shape).toEqual([1, 2 * u.k * v.k, expH * expW])
    } else {
      const axis = expH > 0 ? 3 : 2
      expect(() => ops.conv2d(x, w, opts)).toThrow(ShapeError)
      expect(() => ops.conv2d(x, w, opts)).toThrow(new RegExp(`^conv2d: output size along axis ${axis} would be -?\\d+ for \\[1,2,${u.n},${v.n}\\] and \\[3,2,${u.k},${v.k}\\]`))
    }
    const o1 = { stride: v.s, dilation: v.d, padding: [v.a, v.b] as const }
    if (expW > 0) {
      expect(ops.convOutputSize(v.n, v.k, o1)).toBe(expW)
      expect(ops.conv1d(ops.zeros([2, 1, v.n], 'float64'), ops.zeros([1, 1, v.k], 'float64'), o1).shape).toEqual([2, 1, expW])
    } else {
      expect(() => ops.convOutputSize(v.n, v.k, o1)).toThrow(ShapeError)
      expect(() => ops.conv1d(ops.zeros([2, 1, v.n]), ops.zeros([1, 1, v.k]), o1)).toThrow(/^conv1d: output size along axis 2/)
    }
    // pooling: no dilation, padding smaller than the kernel
    if (u.a < u.k && u.b < u.k && v.a < v.k && v.b < v.k) {
      const po = { stride: [u.s, v.s] as const, padding: [[u.a, u.b], [v.a, v.b]] as const }
      const ph = formula(u.n, u.k, u.s, 1, u.a, u.b)
      const pw = formula(v.n, v.k, v.s, 1, v.a, v.b)
      if (ph > 0 && pw > 0) {
        expect(ops.maxPool2d(x, [u.k, v.k], po).shape).toEqual([1, 2, ph, pw])
        expect(ops.avgPool2d(x, [u.k, v.k], po).shape).toEqual([1, 2, ph, pw])
      } else {
        expect(() => ops.maxPool2d(x, [u.k, v.k], po)).toThrow(ShapeError)
      }
    }
  })

  test.prop([arbAxis, arbAxis])("'same' gives ⌈in/s⌉ (in at stride 1) and equals explicit padding with the extra cell at the end", (u, v) => {
    const h = u.n + 1
    const w = v.n + 1
    const x = ops.fromArray(Array.from({ length: h * w }, (_, i) => ((i * 7919) % 13) - 6), [1, 1, h, w], 'float64')
    const k = ops.fromArray(Array.from({ length: u.k * v.k }, (_, i) => ((i * 31) % 5) - 2), [1, 1, u.k, v.k], 'float64')
    const same1 = ops.conv2d(x, k, { padding: 'same', dilation: [u.d, v.d] })
    expect(same1.shape).toEqual([1, 1, h, w])
    const opts = { padding: 'same' as const, stride: [u.s, v.s] as const, dilation: [u.d, v.d] as const }
    const same = ops.conv2d(x, k, opts)
    expect(same.shape).toEqual([1, 1, Math.ceil(h / u.s), Math.ceil(w / v.s)])
    const pad = explicitPadding('same', [h, w], [u.k, v.k], [u.s, v.s], [u.d, v.d])
    allClose(same, ops.conv2d(x, k, { ...opts, padding: pad }), tol.f64)
    expect(ops.convOutputSize(h, u.k, { padding: 'same', stride: u.s, dilation: u.d })).toBe(Math.ceil(h / u.s))
  })

  const arbAdjoint = arbConv2d().chain((c) => {
    const { p, opts } = c
    const [[pt, pb], [pl, pr]] = explicitPadding(p.padding, [p.h, p.w], [p.kh, p.kw], [p.sh, p.sw], [p.dh, p.dw])
    const L = formula(p.h, p.kh, p.sh, p.dh, pt, pb) * formula(p.w, p.kw, p.sw, p.dw, pl, pr)
    return fc.record({ c: fc.constant(c), o: fc.constant(opts), y: arbTensorOf([p.n, p.c * p.kh * p.kw, L]) })
  })

  test.prop([arbAdjoint])('⟨im2col(x), y⟩ = ⟨x, col2im(y)⟩', ({ c: { p, x }, o: opts, y }) => {
    const o = { stride: opts.stride, dilation: opts.dilation, padding: opts.padding }
    const cols = ops.im2col(x, [p.kh, p.kw], o)
    expect(cols.shape).toEqual(y.shape)
    const back = ops.col2im(y, [p.h, p.w], [p.kh, p.kw], o)
    expect(back.shape).toEqual(x.shape)
    allClose([dot(cols, y)], [dot(x, back)], tol.f64)
  })

  const arbPool = fc
    .record({
      n: fc.integer({ min: 1, max: 2 }),
      c: fc.integer({ min: 1, max: 3 }),
      kh: fc.integer({ min: 1, max: 3 }),
      kw: fc.integer({ min: 1, max: 3 }),
      sh: fc.integer({ min: 1, max: 3 }),
      sw: fc.integer({ min: 1, max: 3 }),
      eh: fc.integer({ min: 0, max: 4 }),
      ew: fc.integer({ min: 0, max: 4 }),
      pad: fc.tuple(small, small, small, small),
    })
    .chain((p) => {
      const h = p.kh + p.eh
      const w = p.kw + p.ew
      // padding on each side kept below the kernel size
      const padding = [[p.pad[0] % p.kh, p.pad[1] % p.kh], [p.pad[2] % p.kw, p.pad[3] % p.kw]] as const
      return fc.record({ p: fc.constant({ ...p, h, w, padding }), x: arbTensorOf([p.n, p.c, h, w]) })
    })

  test.prop([arbPool])('avgPool2d = conv2d with a constant kernel per channel (groups = C)', ({ p, x }) => {
    const opts = { stride: [p.sh, p.sw] as const, padding: p.padding }
    const k = ops.full([p.c, 1, p.kh, p.kw], 1 / (p.kh * p.kw), 'float64')
    allClose(ops.avgPool2d(x, [p.kh, p.kw], opts), conv2dDirect(x, k, { ...opts, groups: p.c }), tol.f64)
    // 1-D: the last row
    const x1 = as(x, [p.n, p.c * p.h, p.w])
    const k1 = ops.full([p.c * p.h, 1, p.kw], 1 / p.kw, 'float64')
    const o1 = { stride: p.sw, padding: p.padding[1] }
    allClose(ops.avgPool1d(x1, p.kw, o1), conv2dDirect(x1, k1, { ...o1, groups: p.c * p.h }), tol.f64)
  })

  test.prop([arbPool])('maxPool2d = max over im2col rows; maxPool ≥ avgPool (no padding)', ({ p, x }) => {
    const opts = { stride: [p.sh, p.sw] as const }
    const mx = ops.maxPool2d(x, [p.kh, p.kw], opts)
    const av = ops.avgPool2d(x, [p.kh, p.kw], opts)
    const cols = ops.im2col(x, [p.kh, p.kw], opts)
    const K = p.kh * p.kw
    const L = cols.shape[2]
    const ref: number[] = []
    for (let b = 0; b < p.n; b++) {
      for (let c = 0; c < p.c; c++) {
        for (let l = 0; l < L; l++) {
          let m = -Infinity
          for (let r = 0; r < K; r++) m = Math.max(m, cols.data[((b * p.c + c) * K + r) * L + l])
          ref.push(m)
        }
      }
    }
    expect(ops.toFlat(mx)).toEqual(ref)
    for (let i = 0; i < mx.data.length; i++) expect(mx.data[i]).toBeGreaterThanOrEqual(av.data[i] - 1e-12)
    const x1 = as(x, [p.n, p.c * p.h, p.w])
    const m1 = ops.maxPool1d(x1, p.kw, { stride: p.sw })
    const a1 = ops.avgPool1d(x1, p.kw, { stride: p.sw })
    for (let i = 0; i < m1.data.length; i++) expect(m1.data[i]).toBeGreaterThanOrEqual(a1.data[i] - 1e-12)
    // with padding: padded cells are −∞, so the result is the max over real cells only
    const padded = ops.maxPool2d(x, [p.kh, p.kw], { ...opts, padding: p.padding })
    const shift = (t: Tensor) => ops.fromArray(ops.toFlat(t).map((v) => v + 100), t.shape, 'float64')
    const lifted = ops.maxPool2d(shift(x), [p.kh, p.kw], { ...opts, padding: p.padding })
    allClose(shift(padded), lifted, tol.f64)
  })

  test.prop([arbConv2d(), arbPool])('inputs are bitwise unchanged', ({ p, x, w, opts }, q) => {
    const before = [x, w, q.x, ...(opts.bias ? [opts.bias] : [])].map(snapshot)
    ops.conv2d(x, w, opts)
    ops.convolve2d(x, w, opts)
    conv2dDirect(x, w, opts)
    const cols = ops.im2col(x, [p.kh, p.kw], opts)
    const colsSnap = snapshot(cols)
    ops.col2im(cols, [p.h, p.w], [p.kh, p.kw], opts)
    const x1 = as(q.x, [q.p.n, q.p.c * q.p.h, q.p.w])
    const x1Snap = snapshot(x1)
    ops.maxPool2d(q.x, [q.p.kh, q.p.kw], { padding: q.p.padding })
    ops.avgPool2d(q.x, [q.p.kh, q.p.kw], { padding: q.p.padding, countIncludePad: false })
    ops.maxPool1d(x1, q.p.kw)
    ops.avgPool1d(x1, q.p.kw)
    const w1 = as(w, [p.o, p.cg, p.kh * p.kw])
    const x2 = as(x, [p.n, p.c, p.h * p.w])
    const snaps1 = [x2, w1].map(snapshot)
    ops.conv1d(x2, w1, { padding: 'same', groups: p.groups })
    ops.convolve1d(x2, w1, { padding: 'same', groups: p.groups })
    expect([x2, w1].map(snapshot)).toEqual(snaps1)
    const a = as(x, [x.data.length])
    const b = as(w, [w.data.length])
    ops.convolveFull(a, b)
    ops.convolveFull(a, b, 'same')
    expect([x, w, q.x, ...(opts.bias ? [opts.bias] : [])].map(snapshot)).toEqual(before)
    expect(snapshot(cols)).toEqual(colsSnap)
    expect(snapshot(x1)).toEqual(x1Snap)
  })
})
