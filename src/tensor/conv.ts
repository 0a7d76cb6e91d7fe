/**
 * Convolution and pooling, forward only: `conv1d`/`conv2d` (cross-correlation, as in
 * PyTorch), `convolve1d`/`convolve2d` (true convolution), the signal helper
 * `convolveFull`, `im2col`/`col2im`, and max/average pooling. Layout is NCHW for inputs
 * and OIHW for kernels (NCW/OIW in 1-D), as in PyTorch.
 *
 * Laws (checked in laws/conv.law.ts), with `flip` reversing the kernel's spatial axes:
 * - every spatial axis: `out = ⌊(in + padBefore + padAfter − d·(k − 1) − 1)/s⌋ + 1`;
 *   with `padding: 'same'`, `out = ⌈in/s⌉` (so `out = in` at stride 1);
 * - `conv2d(x, w) = conv2dDirect(x, w)` (im2col + GEMM equals the defining loop);
 * - `conv2d(x, w) = reshape(W · im2col(x), [N, O, oh, ow])` with `W = reshape(w, [O, C·kh·kw])`;
 * - `convolve2d(x, w) = conv2d(x, flip(w))`, `convolve1d(x, w) = conv1d(x, flip(w))`;
 * - `convolveFull(a, b) = convolveFull(b, a)` and `len(convolveFull(a, b)) = len(a) + len(b) − 1`;
 * - `⟨im2col(x), y⟩ = ⟨x, col2im(y)⟩` (col2im is the adjoint of im2col);
 * - `avgPool2d(x, k) = conv2d(x, full([C, 1, kh, kw], 1/(kh·kw)), { groups: C, stride: k })`;
 * - `maxPool2d(x, k) ≥ avgPool2d(x, k)` elementwise (no padding);
 * - no function changes its inputs.
 *
 * Every map here is linear in `x` (and in `w`) except max pooling, and each has an
 * explicit adjoint made of the same pieces (`col2im` for `im2col`, a GEMM with `wᵀ`), so
 * the differentiation layer can give them transpose rules without new loops.
 *
 * @module
 */
import { active } from '../kernels/index.js'
import { DomainError, ShapeError, showShape } from '../errors.js'
import {
  checkRank, col2imAdd, convGeometry, geometry, im2colInto, outSize, perAxis, resolvePadding,
  type ConvOptions, type Geom,
} from './conv-internal.js'
import { alloc, make, raw, sameDType, type MutableData, type Tensor } from './Tensor.js'

/**
 * Padding of one spatial axis (1-D ops): `'valid'` (none, the default), `'same'` (see
 * below), a number `p` (p cells on both ends) or `[left, right]` (asymmetric).
 *
 * `'same'` follows TensorFlow/JAX: the total padding is
 * `max((⌈in/s⌉ − 1)·s + d·(k − 1) + 1 − in, 0)`, split `⌊total/2⌋` before and the rest
 * after (the extra cell goes at the end), so that `out = ⌈in/s⌉`; at stride 1 the total is
 * `d·(k − 1)` and the size is kept.
 *
 * @category convolution
 * @since 0.1.0
 */
export type Padding1d = 'valid' | 'same' | number | readonly [number, number]

/**
 * Padding of two spatial axes (2-D ops): `'valid'` (none, the default), `'same'` (as in
 * `Padding1d`, on each axis), a number `p` (p cells on all four sides), `[ph, pw]` (ph above
 * and below, pw left and right) or `[[top, bottom], [left, right]]` (explicit, asymmetric).
 *
 * @category convolution
 * @since 0.1.0
 */
export type Padding2d =
  | 'valid'
  | 'same'
  | number
  | readonly [number, number]
  | readonly [readonly [number, number], readonly [number, number]]

/**
 * Options of `convOutputSize`.
 *
 * @category convolution
 * @since 0.1.0
 */
export interface ConvOutputSizeOptions {
  /** Step between windows, a positive integer (default 1). */
  readonly stride?: number
  /** Padding of the axis (default `'valid'`, none). */
  readonly padding?: Padding1d
  /** Spacing between kernel taps, a positive integer (default 1). */
  readonly dilation?: number
}

/**
 * Options of `conv1d` and `convolve1d`.
 *
 * @category convolution
 * @since 0.1.0
 */
export interface Conv1dOptions {
  /** Step between windows, a positive integer (default 1). */
  readonly stride?: number
  /** Padding with zeros (default `'valid'`, none). */
  readonly padding?: Padding1d
  /** Spacing between kernel taps, a positive integer (default 1). */
  readonly dilation?: number
  /** Channel groups: input channels and kernels are split into `groups` independent convolutions (default 1). */
  readonly groups?: number
  /** Shape `[O]`: one value per output channel, added to the result. */
  readonly bias?: Tensor
}

/**
 * Options of `conv2d` and `convolve2d`.
 *
 * @category convolution
 * @since 0.1.0
 */
export interface Conv2dOptions extends Im2colOptions {
  /** Channel groups: input channels and kernels are split into `groups` independent convolutions (default 1). */
  readonly groups?: number
  /** Shape `[O]`: one value per output channel, added to the result. */
  readonly bias?: Tensor
}

/**
 * Options of `im2col` and `col2im`.
 *
 * @category convolution
 * @since 0.1.0
 */
export interface Im2colOptions {
  /** Step between windows, one number or `[sh, sw]` (default 1). */
  readonly stride?: number | readonly [number, number]
  /** Padding with zeros (default `'valid'`, none). */
  readonly padding?: Padding2d
  /** Spacing between kernel taps, one number or `[dh, dw]` (default 1). */
  readonly dilation?: number | readonly [number, number]
}

/**
 * Options of `maxPool1d` and `avgPool1d`.
 *
 * @category pooling
 * @since 0.1.0
 */
export interface Pool1dOptions {
  /** Step between windows, a positive integer (default: the kernel size). */
  readonly stride?: number
  /** Padding (default `'valid'`, none); each side must be smaller than the kernel size. */
  readonly padding?: Padding1d
}

/**
 * Options of `maxPool2d` and `avgPool2d`.
 *
 * @category pooling
 * @since 0.1.0
 */
export interface Pool2dOptions {
  /** Step between windows, one number or `[sh, sw]` (default: the kernel size). */
  readonly stride?: number | readonly [number, number]
  /** Padding (default `'valid'`, none); each side must be smaller than the kernel size on its axis. */
  readonly padding?: Padding2d
}

/**
 * Options of `avgPool1d`.
 *
 * @category pooling
 * @since 0.1.0
 */
export interface AvgPool1dOptions extends Pool1dOptions {
  /** Divide by the whole window size, padded cells included (true, the default, as PyTorch), or by the number of real cells (false, as TensorFlow's 'SAME' pooling). */
  readonly countIncludePad?: boolean
}

/**
 * Options of `avgPool2d`.
 *
 * @category pooling
 * @since 0.1.0
 */
export interface AvgPool2dOptions extends Pool2dOptions {
  /** Divide by the whole window size, padded cells included (true, the default, as PyTorch), or by the number of real cells (false, as TensorFlow's 'SAME' pooling). */
  readonly countIncludePad?: boolean
}

/**
 * The modes of `convolveFull`, as in `numpy.convolve`.
 *
 * `'full'`: every overlap, length `n + m − 1`; `'same'`: length `max(n, m)`, centred;
 * `'valid'`: only full overlaps, length `max(n, m) − min(n, m) + 1`.
 *
 * @category convolution
 * @since 0.1.0
 */
export type ConvolveMode = 'full' | 'same' | 'valid'

/** @internal The value of `ops.convOutputSize` (documented there). */
export const convOutputSize = (inSize: number, kernelSize: number, opts: ConvOutputSizeOptions = {}): number => {
  const op = 'convOutputSize'
  if (!Number.isInteger(inSize) || inSize < 0) throw new DomainError(op, `input size must be a non-negative integer, got ${inSize}`)
  const [k] = perAxis(op, 'kernel size', kernelSize, 1, 1, 1)
  const [s] = perAxis(op, 'stride', opts.stride, 1, 1, 1)
  const [d] = perAxis(op, 'dilation', opts.dilation, 1, 1, 1)
  const [[before, after]] = resolvePadding(op, opts.padding, [inSize], [k], [s], [d])
  return outSize(op, [[inSize], [k]], 0, inSize, k, s, d, before, after)
}

/** im2col + GEMM: one patch matrix per sample, one product per group. */
const convGemm = (op: string, x: Tensor, w: Tensor, opts: ConvOptions): Tensor => {
  const { g, groups, o } = convGeometry(op, x, w, opts)
  const { n, c, h, w: wd, kh, kw, oh, ow } = g
  const og = o / groups
  const kk = (c / groups) * kh * kw
  const L = oh * ow
  const xs = raw(x)
  const ws = raw(w)
  const out = alloc(x.dtype, n * o * L)
  const mm = active().matmul
  // A 1×1 kernel with unit stride and no padding sees the input itself as its patch matrix.
  const identity = kh === 1 && kw === 1 && g.sh === 1 && g.sw === 1 && g.pt + g.pb + g.pl + g.pr === 0
  const cols = identity ? xs : alloc(x.dtype, c * kh * kw * L)
  for (let b = 0; b < n; b++) {
    const colsOff = identity ? b * c * L : 0
    if (!identity) im2colInto(xs, b * c * h * wd, g, 0, c, cols, 0)
    for (let grp = 0; grp < groups; grp++) {
      mm(ws, grp * og * kk, cols, colsOff + grp * kk * L, out, (b * o + grp * og) * L, og, kk, L)
    }
  }
  if (opts.bias !== undefined) {
    const bs = raw(opts.bias)
    for (let b = 0; b < n; b++) {
      for (let oc = 0; oc < o; oc++) {
        const v = bs[oc]
        for (let i = (b * o + oc) * L, e = i + L; i < e; i++) out[i] += v
      }
    }
  }
  return make(x.dtype, x.shape.length === 3 ? [n, o, ow] : [n, o, oh, ow], out)
}

/** @internal The value of `ops.conv1d` (documented there). */
export const conv1d = (x: Tensor, w: Tensor, opts: Conv1dOptions = {}): Tensor => {
  checkRank('conv1d', 'input', x, 3, '(N, C, W)')
  return convGemm('conv1d', x, w, opts)
}

/** @internal The value of `ops.conv2d` (documented there). */
export const conv2d = (x: Tensor, w: Tensor, opts: Conv2dOptions = {}): Tensor => {
  checkRank('conv2d', 'input', x, 4, '(N, C, H, W)')
  return convGemm('conv2d', x, w, opts)
}

/** The kernel with its spatial axes (all axes after the first two) reversed. */
const flipSpatial = (w: Tensor): Tensor => {
  const [o, c] = w.shape
  const kh = w.shape.length === 4 ? w.shape[2] : 1
  const kw = w.shape[w.shape.length - 1]
  const src = raw(w)
  const out = alloc(w.dtype, src.length)
  for (let p = 0; p < o * c; p++) {
    const base = p * kh * kw
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) out[base + i * kw + j] = src[base + (kh - 1 - i) * kw + (kw - 1 - j)]
    }
  }
  return make(w.dtype, w.shape, out)
}

/** @internal The value of `ops.convolve1d` (documented there). */
export const convolve1d = (x: Tensor, w: Tensor, opts: Conv1dOptions = {}): Tensor => {
  checkRank('convolve1d', 'input', x, 3, '(N, C, W)')
  checkRank('convolve1d', 'kernel', w, 3, '(O, C/groups, kW)')
  return convGemm('convolve1d', x, flipSpatial(w), opts)
}

/** @internal The value of `ops.convolve2d` (documented there). */
export const convolve2d = (x: Tensor, w: Tensor, opts: Conv2dOptions = {}): Tensor => {
  checkRank('convolve2d', 'input', x, 4, '(N, C, H, W)')
  checkRank('convolve2d', 'kernel', w, 4, '(O, C/groups, kH, kW)')
  return convGemm('convolve2d', x, flipSpatial(w), opts)
}

/** @internal The value of `ops.convolveFull` (documented there). */
export const convolveFull = (a: Tensor, b: Tensor, mode: ConvolveMode = 'full'): Tensor => {
  const op = 'convolveFull'
  for (const [name, t] of [['first signal', a], ['second signal', b]] as const) {
    if (t.shape.length !== 1) {
      throw new ShapeError(op, `${name} must have rank 1, got shape ${showShape(t.shape)} (with ${showShape(a.shape)} and ${showShape(b.shape)})`, [a.shape, b.shape])
    }
    if (t.shape[0] === 0) throw new ShapeError(op, `${name} is empty: ${showShape(a.shape)} and ${showShape(b.shape)}`, [a.shape, b.shape], 0)
  }
  const dtype = sameDType(op, a, b)
  if (mode !== 'full' && mode !== 'same' && mode !== 'valid') {
    throw new DomainError(op, `mode must be 'full', 'same' or 'valid', got ${JSON.stringify(mode)}`)
  }
  const n = a.shape[0]
  const m = b.shape[0]
  const lo = Math.min(n, m)
  const hi = Math.max(n, m)
  const [start, len] = mode === 'full' ? [0, n + m - 1] : mode === 'same' ? [Math.floor((lo - 1) / 2), hi] : [lo - 1, hi - lo + 1]
  const xs = raw(a)
  const ys = raw(b)
  const out = alloc(dtype, len)
  for (let k = 0; k < len; k++) {
    const t = start + k
    let s = 0
    for (let i = Math.max(0, t - m + 1), e = Math.min(n - 1, t); i <= e; i++) s += xs[i] * ys[t - i]
    out[k] = s
  }
  return make(dtype, [len], out)
}

/** Kernel size as `[kh, kw]`, checked. */
const kernel2 = (op: string, k: number | ReadonlyArray<number>): number[] => perAxis(op, 'kernel size', k, 1, 2, 1)

/** @internal The value of `ops.im2col` (documented there). */
export const im2col = (x: Tensor, kernelSize: number | readonly [number, number], opts: Im2colOptions = {}): Tensor => {
  const op = 'im2col'
  checkRank(op, 'input', x, 4, '(N, C, H, W)')
  const g = geometry(op, x.shape, kernel2(op, kernelSize), opts, [x.shape])
  const { n, c, h, w, kh, kw, oh, ow } = g
  const rows = c * kh * kw
  const L = oh * ow
  const xs = raw(x)
  const out = alloc(x.dtype, n * rows * L)
  for (let b = 0; b < n; b++) im2colInto(xs, b * c * h * w, g, 0, c, out, b * rows * L)
  return make(x.dtype, [n, rows, L], out)
}

/** @internal The value of `ops.col2im` (documented there). */
export const col2im = (
  cols: Tensor, imageSize: readonly [number, number], kernelSize: number | readonly [number, number], opts: Im2colOptions = {},
): Tensor => {
  const op = 'col2im'
  checkRank(op, 'columns', cols, 3, '(N, C·kh·kw, oh·ow)')
  const [kh, kw] = kernel2(op, kernelSize)
  const [h, w] = perAxis(op, 'image size', imageSize, 0, 2, 0)
  const [n, rows, L] = cols.shape
  if (rows % (kh * kw) !== 0) {
    throw new ShapeError(op, `columns ${showShape(cols.shape)} have ${rows} rows (axis 1), not a multiple of kh·kw = ${kh}·${kw}`, [cols.shape], 1)
  }
  const c = rows / (kh * kw)
  const imageShape = [n, c, h, w]
  const g = geometry(op, imageShape, [kh, kw], opts, [cols.shape, imageShape])
  if (g.oh * g.ow !== L) {
    throw new ShapeError(
      op,
      `columns ${showShape(cols.shape)} have ${L} windows (axis 2), but a ${kh}×${kw} kernel over ${h}×${w} gives ${g.oh}·${g.ow} = ${g.oh * g.ow}`,
      [cols.shape, imageShape],
      2,
    )
  }
  const ys = raw(cols)
  const out = alloc(cols.dtype, n * c * h * w)
  for (let b = 0; b < n; b++) col2imAdd(ys, b * rows * L, g, 0, c, out, b * c * h * w)
  return make(cols.dtype, imageShape, out)
}

/** Geometry of a pooling sweep; padding on each side must be smaller than the kernel. */
const poolGeometry = (
  op: string, x: Tensor, kernelSize: number | ReadonlyArray<number>, opts: Pool1dOptions | Pool2dOptions, rank: 1 | 2,
): Geom => {
  checkRank(op, 'input', x, rank + 2, rank === 1 ? '(N, C, W)' : '(N, C, H, W)')
  const ks = perAxis(op, 'kernel size', kernelSize, 1, rank, 1)
  const g = geometry(op, x.shape, ks, { stride: opts.stride ?? ks, padding: opts.padding }, [x.shape])
  const sides: Array<[number, number, number, number]> = rank === 1 ? [[g.pl, g.pr, g.kw, 2]] : [[g.pt, g.pb, g.kh, 2], [g.pl, g.pr, g.kw, 3]]
  for (const [a, b, k, axis] of sides) {
    if (a >= k || b >= k) {
      throw new DomainError(
        op,
        `padding ${a}+${b} along axis ${axis} of ${showShape(x.shape)} must be smaller than the kernel size ${k} on each side (a window would lie entirely in the padding)`,
        [x.shape],
        axis,
      )
    }
  }
  return g
}

const maxPoolLoop = (x: Tensor, g: Geom, shape: number[]): Tensor => {
  const { n, c, h, w, kh, kw, sh, sw, pt, pl, oh, ow } = g
  const xs = raw(x)
  const out = alloc(x.dtype, n * c * oh * ow)
  let k = 0
  for (let pIdx = 0; pIdx < n * c; pIdx++) {
    const plane = pIdx * h * w
    for (let oy = 0; oy < oh; oy++) {
      const y0 = oy * sh - pt
      const yLo = Math.max(0, y0)
      const yHi = Math.min(h, y0 + kh)
      for (let ox = 0; ox < ow; ox++) {
        const x0 = ox * sw - pl
        const xLo = Math.max(0, x0)
        const xHi = Math.min(w, x0 + kw)
        let m = -Infinity
        let nan = false
        for (let y = yLo; y < yHi; y++) {
          for (let xx = xLo; xx < xHi; xx++) {
            const v = xs[plane + y * w + xx]
            if (v > m) m = v
            else if (v !== v) nan = true
          }
        }
        out[k++] = nan ? NaN : m
      }
    }
  }
  return make(x.dtype, shape, out)
}

const avgPoolLoop = (x: Tensor, g: Geom, shape: number[], countIncludePad: boolean): Tensor => {
  const { n, c, h, w, kh, kw, sh, sw, pt, pl, oh, ow } = g
  const xs = raw(x)
  const out: MutableData = alloc(x.dtype, n * c * oh * ow)
  let k = 0
  for (let pIdx = 0; pIdx < n * c; pIdx++) {
    const plane = pIdx * h * w
    for (let oy = 0; oy < oh; oy++) {
      const y0 = oy * sh - pt
      const yLo = Math.max(0, y0)
      const yHi = Math.min(h, y0 + kh)
      for (let ox = 0; ox < ow; ox++) {
        const x0 = ox * sw - pl
        const xLo = Math.max(0, x0)
        const xHi = Math.min(w, x0 + kw)
        let s = 0
        for (let y = yLo; y < yHi; y++) {
          for (let xx = xLo; xx < xHi; xx++) s += xs[plane + y * w + xx]
        }
        out[k++] = s / (countIncludePad ? kh * kw : (yHi - yLo) * (xHi - xLo))
      }
    }
  }
  return make(x.dtype, shape, out)
}

/** @internal The value of `ops.maxPool1d` (documented there). */
export const maxPool1d = (x: Tensor, kernelSize: number, opts: Pool1dOptions = {}): Tensor => {
  const g = poolGeometry('maxPool1d', x, kernelSize, opts, 1)
  return maxPoolLoop(x, g, [g.n, g.c, g.ow])
}

/** @internal The value of `ops.maxPool2d` (documented there). */
export const maxPool2d = (x: Tensor, kernelSize: number | readonly [number, number], opts: Pool2dOptions = {}): Tensor => {
  const g = poolGeometry('maxPool2d', x, kernelSize, opts, 2)
  return maxPoolLoop(x, g, [g.n, g.c, g.oh, g.ow])
}

/** @internal The value of `ops.avgPool1d` (documented there). */
export const avgPool1d = (x: Tensor, kernelSize: number, opts: AvgPool1dOptions = {}): Tensor => {
  const g = poolGeometry('avgPool1d', x, kernelSize, opts, 1)
  return avgPoolLoop(x, g, [g.n, g.c, g.ow], opts.countIncludePad ?? true)
}

/** @internal The value of `ops.avgPool2d` (documented there). */
export const avgPool2d = (x: Tensor, kernelSize: number | readonly [number, number], opts: AvgPool2dOptions = {}): Tensor => {
  const g = poolGeometry('avgPool2d', x, kernelSize, opts, 2)
  return avgPoolLoop(x, g, [g.n, g.c, g.oh, g.ow], opts.countIncludePad ?? true)
}
