/**
 * Differentiable convolution and pooling, built from two linear primitives that are each
 * other's transpose, `im2col` and `col2im`, plus `matmul`, `pad` and reductions:
 *
 * - `conv2d(x, w) = reshape(W · im2col(x))`, `W = reshape(w, [O, C·kh·kw])` (per group);
 * - `maxPool2d(x) = max over the window axis of im2col(pad(x, −∞))`;
 * - `avgPool2d(x) = mean over the window axis of im2col(pad(x, 0))`.
 *
 * So gradients with respect to the input and the kernel, with any stride, padding and
 * dilation, come from the rules of those primitives: `∂/∂x` is a `col2im` of `Wᵀ G`,
 * `∂/∂w` is `G · im2col(x)ᵀ`.
 *
 * Laws: `⟨im2col(x), y⟩ = ⟨x, col2im(y)⟩`; the value of each composite equals the
 * tensor layer's (direct) result.
 *
 * @module
 */
import { concrete, traceOf, type Primitive } from '../ad/core.js'

/** No input is traced: the tensor layer's direct loops (and messages) serve. */
const plain = (...ts: ReadonlyArray<Tensor | undefined>): boolean => ts.every((t) => t === undefined || traceOf(t) === undefined)
import { ShapeError, showShape } from '../errors.js'
import { convGeometry, geometry, type Geom } from '../tensor/conv-internal.js'
import type {
  AvgPool1dOptions, AvgPool2dOptions, Conv1dOptions, Conv2dOptions, ConvolveMode, Im2colOptions, Padding1d, Padding2d,
  Pool1dOptions, Pool2dOptions,
} from '../tensor/conv.js'
import type { Tensor } from '../tensor/Tensor.js'
import { add, div } from './elementwise.js'
import { expandDims, flip, pad, reshape, slice, squeeze } from './layout.js'
import { matmul } from './linalg.js'
import { call, T } from './prim.js'
import { max, mean, sum } from './reduce.js'

interface ColParams {
  /** Kernel size [kh, kw]. */
  readonly kernel: readonly [number, number]
  /** Window options (stride, padding, dilation). */
  readonly opts: Im2colOptions
  /** Image size [H, W] (for col2im). */
  readonly image: readonly [number, number]
}

/** @internal */
export const im2colPrim: Primitive<ColParams> = {
  name: 'im2col',
  impl: ([x], p) => T.im2col(x, p.kernel, p.opts),
  jvp: (_, [t], __, p) => call(im2colPrim, [t as Tensor], p),
  vjp: (ct, _, __, p) => [call(col2imPrim, [ct], p)],
  showParams: (p) => `kernel=[${p.kernel.join(',')}]`,
}

/** @internal */
export const col2imPrim: Primitive<ColParams> = {
  name: 'col2im',
  impl: ([c], p) => T.col2im(c, p.image, p.kernel, p.opts),
  jvp: (_, [t], __, p) => call(col2imPrim, [t as Tensor], p),
  vjp: (ct, _, __, p) => [call(im2colPrim, [ct], p)],
  showParams: (p) => `image=[${p.image.join(',')}], kernel=[${p.kernel.join(',')}]`,
}

/** @internal Convolution primitives for the table. */
export const convPrims = { im2col: im2colPrim, col2im: col2imPrim }

const pair = (k: number | readonly [number, number]): readonly [number, number] => (typeof k === 'number' ? [k, k] : k)

const explicit = (g: Geom): Im2colOptions => ({
  stride: [g.sh, g.sw],
  dilation: [g.dh, g.dw],
  padding: [[g.pt, g.pb], [g.pl, g.pr]],
})

/**
 * Unfolds an image batch into patch columns (PyTorch's `unfold`): `[N, C, H, W]` →
 * `[N, C·kh·kw, oh·ow]`. Row `r = (c·kh + i)·kw + j` (channel outermost, then kernel
 * row, then kernel column) and column `l = p·ow + q` (output position, row-major) hold the
 * input cell under tap `(i, j)` of the window at output position `(p, q)`; cells in the
 * padding are 0. `conv2d(x, w)` is then `reshape(w, [O, C·kh·kw]) · im2col(x)` per sample.
 *
 * `im2col(x)[n, (c·kh + i)·kw + j, p·ow + q] = x[n, c, p·sh + i·dh − padTop, q·sw + j·dw − padLeft]`
 *
 * @category convolution
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const x = ops.tensor([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]])
 * assert.deepStrictEqual(ops.toArray(ops.im2col(x, 2)), [[
 *   [1, 2, 4, 5],
 *   [2, 3, 5, 6],
 *   [4, 5, 7, 8],
 *   [5, 6, 8, 9],
 * ]])
 * assert.deepStrictEqual(ops.im2col(x, [2, 3], { padding: 1, stride: 2 }).shape, [1, 6, 4])
 * ```
 */
export const im2col = (x: Tensor, kernelSize: number | readonly [number, number], opts: Im2colOptions = {}): Tensor => {
  if (x.shape.length !== 4) return T.im2col(concrete(x), kernelSize, opts) // throws
  return call(im2colPrim, [x], { kernel: pair(kernelSize), opts, image: [x.shape[2], x.shape[3]] })
}

/**
 * Folds patch columns back into an image batch (PyTorch's `fold`), the adjoint of
 * `im2col` with the same kernel size and options: `[N, C·kh·kw, oh·ow]` → `[N, C, H, W]`
 * for `imageSize = [H, W]`, each input cell receiving the sum of every column cell copied
 * from it (padding cells are dropped). So `col2im(im2col(x))` is `x` times the number of
 * windows covering each cell, and `⟨im2col(x), y⟩ = ⟨x, col2im(y)⟩`.
 *
 * `col2im(y)[n, c, u, v] = Σ { y[n, (c·kh + i)·kw + j, p·ow + q] : p·sh + i·dh − padTop = u, q·sw + j·dw − padLeft = v }`
 *
 * @category convolution
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const cols = ops.im2col(ops.ones([1, 1, 3, 3]), 2)
 * assert.deepStrictEqual(ops.toArray(ops.col2im(cols, [3, 3], 2)), [[[[1, 2, 1], [2, 4, 2], [1, 2, 1]]]])
 * ```
 */
export const col2im = (
  cols: Tensor, imageSize: readonly [number, number], kernelSize: number | readonly [number, number], opts: Im2colOptions = {},
): Tensor => {
  return call(col2imPrim, [cols], { kernel: pair(kernelSize), opts, image: imageSize })
}

/**
 * 2-D cross-correlation (PyTorch's `conv2d`): input `[N, C, H, W]`, kernel
 * `[O, C/groups, kh, kw]`, result `[N, O, oh, ow]`; computed as `im2col` followed by one
 * matrix product per sample and group (`active().matmul`).
 *
 * `y[n,o,p,q] = b[o] + Σ_{c,i,j} x[n, c, p·sh + i·dh − padTop, q·sw + j·dw − padLeft] · w[o,c,i,j]`
 * (x = 0 in the padding; with groups, `c` runs over the group of `o`)
 *
 * @category convolution
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const x = ops.tensor([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]])
 * const w = ops.tensor([[[[1, 0], [0, -1]]]])
 * assert.deepStrictEqual(ops.toArray(ops.conv2d(x, w)), [[[[-4, -4], [-4, -4]]]])
 * assert.deepStrictEqual(ops.conv2d(x, w, { padding: 'same' }).shape, [1, 1, 3, 3])
 * const b = ops.tensor([10])
 * assert.deepStrictEqual(ops.toArray(ops.conv2d(x, w, { stride: 2, bias: b })), [[[[6]]]])
 * ```
 */
export const conv2d = (x: Tensor, w: Tensor, opts: Conv2dOptions = {}): Tensor => {
  if (plain(x, w, opts.bias)) return T.conv2d(x, w, opts)
  if (x.shape.length !== 4 || w.shape.length !== 4) return T.conv2d(concrete(x), concrete(w), opts) // throws
  const { g, groups, o } = convGeometry('conv2d', concrete(x), concrete(w), opts)
  const cols = call(im2colPrim, [x], { kernel: [g.kh, g.kw], opts: explicit(g), image: [g.h, g.w] })
  const k = (g.c / groups) * g.kh * g.kw
  const L = g.oh * g.ow
  let y: Tensor
  if (groups === 1) {
    y = matmul(reshape(w, [o, k]), cols) // [O, K] @ [N, K, L] → [N, O, L]
  } else {
    const wg = reshape(w, [groups, o / groups, k])
    y = matmul(wg, reshape(cols, [g.n, groups, k, L])) // [g, O/g, K] @ [N, g, K, L] → [N, g, O/g, L]
  }
  y = reshape(y, [g.n, o, g.oh, g.ow])
  return opts.bias === undefined ? y : add(y, reshape(opts.bias, [o, 1, 1]))
}

/** 1-D options as 2-D ones on an image of height 1. */
const lift1d = (opts: Conv1dOptions): Conv2dOptions => ({
  stride: [1, opts.stride ?? 1],
  dilation: [1, opts.dilation ?? 1],
  padding: lift1dPadding(opts.padding),
  groups: opts.groups,
  bias: opts.bias,
})
const lift1dPadding = (p: Padding1d | undefined): Padding2d => {
  if (p === undefined || p === 'valid' || p === 'same') return p ?? 'valid'
  if (typeof p === 'number') return [[0, 0], [p, p]]
  return [[0, 0], [p[0], p[1]]]
}
const check3 = (op: string, x: Tensor, name: string, what: string): void => {
  if (x.shape.length !== 3) throw new ShapeError(op, `${name} must have rank 3 ${what}, got shape ${showShape(x.shape)} of rank ${x.shape.length}`, [x.shape])
}

/**
 * 1-D cross-correlation (what deep-learning libraries call convolution, PyTorch's
 * `conv1d`): input `[N, C, W]`, kernel `[O, C/groups, k]`, result `[N, O, out]`.
 *
 * `y[n,o,t] = b[o] + Σ_{c,j} x[n, c, t·s + j·d − padLeft] · w[o,c,j]` (x = 0 in the padding;
 * with groups, `c` runs over the group of `o`)
 *
 * @category convolution
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const x = ops.tensor([[[1, 2, 3, 4]]])
 * const w = ops.tensor([[[1, -1]]])
 * assert.deepStrictEqual(ops.toArray(ops.conv1d(x, w)), [[[-1, -1, -1]]])
 * assert.deepStrictEqual(ops.toArray(ops.conv1d(x, w, { stride: 2 })), [[[-1, -1]]])
 * assert.deepStrictEqual(ops.toArray(ops.conv1d(x, w, { padding: 1 })), [[[-1, -1, -1, -1, 4]]])
 * assert.deepStrictEqual(ops.conv1d(x, w, { padding: 'same' }).shape, [1, 1, 4])
 * ```
 */
export const conv1d = (x: Tensor, w: Tensor, opts: Conv1dOptions = {}): Tensor => {
  if (plain(x, w, opts.bias)) return T.conv1d(x, w, opts)
  if (x.shape.length !== 3 || w.shape.length !== 3) return T.conv1d(concrete(x), concrete(w), opts) // throws
  T.conv1d(T.zeros([0, x.shape[1], x.shape[2]], x.dtype), concrete(w), { ...opts, bias: undefined }) // validates cheaply
  return squeeze(conv2d(expandDims(x, 2), expandDims(w, 2), lift1d(opts)), 2)
}

/**
 * True 2-D convolution: cross-correlation with the kernel flipped along both spatial
 * axes. Same arguments and result shape as `conv2d`.
 *
 * `y[n,o,p,q] = b[o] + Σ_{c,i,j} x[n, c, p·sh + i·dh − padTop, q·sw + j·dw − padLeft] · w[o, c, kh − 1 − i, kw − 1 − j]`
 *
 * @category convolution
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const x = ops.tensor([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]])
 * const w = ops.tensor([[[[1, 0], [0, -1]]]])
 * assert.deepStrictEqual(ops.toArray(ops.convolve2d(x, w)), [[[[4, 4], [4, 4]]]])
 * ```
 */
export const convolve2d = (x: Tensor, w: Tensor, opts: Conv2dOptions = {}): Tensor => {
  if (plain(x, w, opts.bias)) return T.convolve2d(x, w, opts)
  if (w.shape.length !== 4) return T.convolve2d(concrete(x), concrete(w), opts) // throws
  return conv2d(x, flip(w, [2, 3]), opts)
}

/**
 * True 1-D convolution: cross-correlation with the kernel reversed. Same arguments and
 * result shape as `conv1d`.
 *
 * `y[n,o,t] = b[o] + Σ_{c,j} x[n, c, t·s + j·d − padLeft] · w[o, c, k − 1 − j]`; with stride 1,
 * no dilation and padding `k − 1` on both ends this is the full signal convolution
 * `(x ∗ w)[t] = Σ_j x[t − j] · w[j]` of each channel pair.
 *
 * @category convolution
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const x = ops.tensor([[[1, 2, 4, 8]]])
 * const w = ops.tensor([[[1, -1]]])
 * assert.deepStrictEqual(ops.toArray(ops.convolve1d(x, w)), [[[1, 2, 4]]])
 * assert.deepStrictEqual(ops.toArray(ops.conv1d(x, w)), [[[-1, -2, -4]]])
 * ```
 */
export const convolve1d = (x: Tensor, w: Tensor, opts: Conv1dOptions = {}): Tensor => {
  if (plain(x, w, opts.bias)) return T.convolve1d(x, w, opts)
  if (w.shape.length !== 3) return T.convolve1d(concrete(x), concrete(w), opts) // throws
  return conv1d(x, flip(w, 2), opts)
}

/**
 * Convolution of two 1-D signals, as `numpy.convolve` (for example filtering a spike
 * train with a synaptic kernel). Commutative. `mode` picks the part of the full result:
 * `'full'` (default, length `n + m − 1`), `'same'` (length `max(n, m)`, starting at
 * index `⌊(min(n, m) − 1)/2⌋` of the full result), `'valid'` (length
 * `max(n, m) − min(n, m) + 1`, starting at index `min(n, m) − 1`).
 *
 * `(a ∗ b)[t] = Σ_i a[i] · b[t − i]`, for `0 ≤ t < n + m − 1`
 *
 * @category convolution
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const a = ops.tensor([1, 2, 3])
 * const b = ops.tensor([0, 1, 0.5])
 * assert.deepStrictEqual(ops.toArray(ops.convolveFull(a, b)), [0, 1, 2.5, 4, 1.5])
 * assert.deepStrictEqual(ops.toArray(ops.convolveFull(a, b, 'same')), [1, 2.5, 4])
 * assert.deepStrictEqual(ops.toArray(ops.convolveFull(a, b, 'valid')), [2.5])
 * ```
 */
export const convolveFull = (a: Tensor, b: Tensor, mode: ConvolveMode = 'full'): Tensor => {
  if (plain(a, b)) return T.convolveFull(a, b, mode)
  if (a.shape.length !== 1 || b.shape.length !== 1 || a.shape[0] === 0 || b.shape[0] === 0 || a.dtype !== b.dtype ||
    (mode !== 'full' && mode !== 'same' && mode !== 'valid')) {
    return T.convolveFull(concrete(a), concrete(b), mode) // throws the tensor layer's error
  }
  const n = a.shape[0]
  const m = b.shape[0]
  const full = reshape(conv1d(reshape(a, [1, 1, n]), reshape(flip(b), [1, 1, m]), { padding: m - 1 }), [n + m - 1])
  const lo = Math.min(n, m)
  const hi = Math.max(n, m)
  if (mode === 'full') return full
  const start = mode === 'same' ? Math.floor((lo - 1) / 2) : lo - 1
  const len = mode === 'same' ? hi : hi - lo + 1
  return slice(full, [{ start, stop: start + len }])
}

// ---------------------------------------------------------------------------------------
// pooling

const poolGeometry = (op: string, x: Tensor, k: readonly [number, number], stride: Pool2dOptions['stride'], padding: Padding2d | undefined): Geom => {
  if (x.shape.length !== 4) throw new ShapeError(op, `input must have rank 4 (N, C, H, W), got shape ${showShape(x.shape)} of rank ${x.shape.length}`, [x.shape])
  return geometry(op, x.shape, k, { stride: stride ?? [k[0], k[1]], padding, dilation: 1 }, [x.shape])
}

/** The windows of a padded input: [N, C, kh·kw, oh·ow]. */
const windows = (x: Tensor, g: Geom, value: number): Tensor => {
  const padded = g.pt + g.pb + g.pl + g.pr === 0 ? x : pad(x, [[0, 0], [0, 0], [g.pt, g.pb], [g.pl, g.pr]], value)
  const cols = im2col(padded, [g.kh, g.kw], { stride: [g.sh, g.sw] })
  return reshape(cols, [g.n, g.c, g.kh * g.kw, g.oh * g.ow])
}

/**
 * 2-D max pooling: the largest value of each window, per channel. Input `[N, C, H, W]`,
 * result `[N, C, oh, ow]`; padded cells count as −∞ (never chosen); NaN propagates.
 *
 * `y[n,c,p,q] = max_{i<kh, j<kw} x[n, c, p·sh + i − padTop, q·sw + j − padLeft]`
 *
 * @category pooling
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const x = ops.tensor([[[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]]])
 * assert.deepStrictEqual(ops.toArray(ops.maxPool2d(x, 2)), [[[[6, 8], [14, 16]]]])
 * assert.deepStrictEqual(ops.toArray(ops.maxPool2d(x, [1, 4])), [[[[4], [8], [12], [16]]]])
 * ```
 */
export const maxPool2d = (x: Tensor, kernelSize: number | readonly [number, number], opts: Pool2dOptions = {}): Tensor => {
  if (plain(x)) return T.maxPool2d(x, kernelSize, opts)
  const k = pair(kernelSize)
  if (x.shape.length === 4) T.maxPool2d(T.zeros([0, ...x.shape.slice(1)], x.dtype), kernelSize, opts) // validates (empty batch)
  const g = poolGeometry('maxPool2d', x, k, opts.stride, opts.padding)
  return reshape(max(windows(x, g, -Infinity), 2), [g.n, g.c, g.oh, g.ow])
}

/**
 * 2-D average pooling: the mean of each window, per channel. Input `[N, C, H, W]`, result
 * `[N, C, oh, ow]`. Padded cells are zeros and, by default (`countIncludePad: true`, as
 * PyTorch), count in the divisor; with `countIncludePad: false` the divisor is the number
 * of real cells in the window (as TensorFlow's 'SAME' pooling).
 *
 * `y[n,c,p,q] = (1/(kh·kw)) Σ_{i<kh, j<kw} x[n, c, p·sh + i − padTop, q·sw + j − padLeft]`
 *
 * @category pooling
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const x = ops.tensor([[[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]]])
 * assert.deepStrictEqual(ops.toArray(ops.avgPool2d(x, 2)), [[[[3.5, 5.5], [11.5, 13.5]]]])
 * ```
 */
export const avgPool2d = (x: Tensor, kernelSize: number | readonly [number, number], opts: AvgPool2dOptions = {}): Tensor => {
  if (plain(x)) return T.avgPool2d(x, kernelSize, opts)
  const k = pair(kernelSize)
  if (x.shape.length === 4) T.avgPool2d(T.zeros([0, ...x.shape.slice(1)], x.dtype), kernelSize, opts) // validates (empty batch)
  const g = poolGeometry('avgPool2d', x, k, opts.stride, opts.padding)
  const win = windows(x, g, 0)
  if (opts.countIncludePad ?? true) return reshape(mean(win, 2), [g.n, g.c, g.oh, g.ow])
  // divide by the number of real cells of each window: the windows of a padded ones image
  const ones = T.ones([1, 1, g.h, g.w], x.dtype)
  const counts = sum(windows(ones, { ...g, n: 1, c: 1 }, 0), 2)
  return reshape(div(sum(win, 2), counts), [g.n, g.c, g.oh, g.ow])
}

/** Runs the tensor layer's checks on an empty batch of the same shape (no work). */
const validate1d = <O>(f: (x: Tensor, k: number, o: O) => Tensor, x: Tensor, k: number, opts: O): true => {
  if (x.shape.length === 3) f(T.zeros([0, ...x.shape.slice(1)], x.dtype), k, opts)
  return true
}

const pool1d = (op: string, x: Tensor, k: number, opts: Pool1dOptions, f: (x4: Tensor, k2: readonly [number, number], o: Pool2dOptions) => Tensor): Tensor => {
  check3(op, x, 'input', '(N, C, W)')
  const o: Pool2dOptions = { stride: [1, opts.stride ?? k], padding: lift1dPadding(opts.padding) }
  return squeeze(f(expandDims(x, 2), [1, k], o), 2)
}

/**
 * 1-D max pooling: the largest value of each window, per channel. Input `[N, C, W]`,
 * result `[N, C, out]`; padded cells count as −∞ (never chosen); NaN propagates.
 *
 * `y[n,c,t] = max_{j<k} x[n, c, t·s + j − padLeft]`
 *
 * @category pooling
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const x = ops.tensor([[[1, 3, 2, 5, 4]]])
 * assert.deepStrictEqual(ops.toArray(ops.maxPool1d(x, 2)), [[[3, 5]]])
 * assert.deepStrictEqual(ops.toArray(ops.maxPool1d(x, 2, { stride: 1 })), [[[3, 3, 5, 5]]])
 * assert.deepStrictEqual(ops.toArray(ops.maxPool1d(x, 2, { padding: 1 })), [[[1, 3, 5]]])
 * ```
 */
export const maxPool1d = (x: Tensor, kernelSize: number, opts: Pool1dOptions = {}): Tensor =>
  plain(x) ? T.maxPool1d(x, kernelSize, opts) : validate1d(T.maxPool1d, x, kernelSize, opts) && pool1d('maxPool1d', x, kernelSize, opts, (x4, k2, o) => maxPool2d(x4, k2, o))

/**
 * 1-D average pooling: the mean of each window, per channel. Input `[N, C, W]`, result
 * `[N, C, out]`. Padded cells are zeros and, by default (`countIncludePad: true`, as
 * PyTorch), count in the divisor; with `countIncludePad: false` the divisor is the number
 * of real cells in the window.
 *
 * `y[n,c,t] = (1/k) Σ_{j<k} x[n, c, t·s + j − padLeft]`
 *
 * @category pooling
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const x = ops.tensor([[[1, 3, 2, 6]]])
 * assert.deepStrictEqual(ops.toArray(ops.avgPool1d(x, 2)), [[[2, 4]]])
 * assert.deepStrictEqual(ops.toArray(ops.avgPool1d(x, 2, { padding: 1 })), [[[0.5, 2.5, 3]]])
 * assert.deepStrictEqual(ops.toArray(ops.avgPool1d(x, 2, { padding: 1, countIncludePad: false })), [[[1, 2.5, 6]]])
 * ```
 */
export const avgPool1d = (x: Tensor, kernelSize: number, opts: AvgPool1dOptions = {}): Tensor =>
  plain(x) ? T.avgPool1d(x, kernelSize, opts) : validate1d(T.avgPool1d, x, kernelSize, opts) && pool1d('avgPool1d', x, kernelSize, opts, (x4, k2, o) => avgPool2d(x4, k2, { ...o, countIncludePad: opts.countIncludePad }))

/**
 * Output length of a convolution or pooling window sweep along one axis. Throws
 * `ShapeError` when it would be zero or negative (the dilated kernel is longer than the
 * padded input).
 *
 * `out = ⌊(in + padBefore + padAfter − d·(k − 1) − 1)/s⌋ + 1`; with `padding: 'same'`, `out = ⌈in/s⌉`.
 *
 * @category convolution
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.strictEqual(ops.convOutputSize(32, 3), 30)
 * assert.strictEqual(ops.convOutputSize(32, 3, { stride: 2, padding: 1 }), 16)
 * assert.strictEqual(ops.convOutputSize(7, 3, { stride: 2, padding: 'same' }), 4)
 * assert.strictEqual(ops.convOutputSize(7, 3, { dilation: 3 }), 1)
 * assert.throws(() => ops.convOutputSize(2, 3), /convOutputSize: output size/)
 * ```
 */
export const convOutputSize = T.convOutputSize

