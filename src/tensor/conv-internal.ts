/**
 * Internal machinery of `conv.ts`: option normalisation into one 2-D geometry record
 * (1-D problems are 2-D problems with `H = kh = 1`), the raw `im2col`/`col2im` loops, and
 * the direct (naive loop) convolution used by the laws as the reference.
 *
 * Laws (checked in laws/conv.law.ts):
 * - `conv2dDirect(x, w) = conv2d(x, w)` (im2col + GEMM) for every stride, padding,
 *   dilation and group count;
 * - `⟨im2colInto(x), y⟩ = ⟨x, col2imAdd(y)⟩` (the two loops are each other's transpose:
 *   they visit the same (input cell, column cell) pairs, one copying, the other adding);
 * - `out = ⌊(in + padBefore + padAfter − d·(k − 1) − 1)/s⌋ + 1` on every spatial axis.
 *
 * @module
 */
import { DomainError, ShapeError, showShape } from '../errors.js'
import { alloc, make, raw, sameDType, type MutableData, type Tensor } from './Tensor.js'
import type { Shape } from './Shape.js'
import type { Padding1d, Padding2d } from './conv.js'

/**
 * @internal The geometry of one 2-D convolution or pooling window sweep, every option
 * resolved to numbers. A 1-D problem has `h = kh = oh = 1`, `sh = dh = 1`, `pt = pb = 0`.
 */
export interface Geom {
  /** Batch size. */
  readonly n: number
  /** Input channels. */
  readonly c: number
  /** Input height. */
  readonly h: number
  /** Input width. */
  readonly w: number
  /** Kernel height. */
  readonly kh: number
  /** Kernel width. */
  readonly kw: number
  /** Vertical stride. */
  readonly sh: number
  /** Horizontal stride. */
  readonly sw: number
  /** Vertical dilation. */
  readonly dh: number
  /** Horizontal dilation. */
  readonly dw: number
  /** Padding above. */
  readonly pt: number
  /** Padding below. */
  readonly pb: number
  /** Padding on the left. */
  readonly pl: number
  /** Padding on the right. */
  readonly pr: number
  /** Output height. */
  readonly oh: number
  /** Output width. */
  readonly ow: number
}

/** @internal The window options every sweep takes, before normalisation. */
export interface WindowOptions {
  /** Stride, one number or one per spatial axis. */
  readonly stride?: number | ReadonlyArray<number>
  /** Padding, as in `Padding1d` (one spatial axis) or `Padding2d` (two). */
  readonly padding?: Padding1d | Padding2d
  /** Dilation, one number or one per spatial axis. */
  readonly dilation?: number | ReadonlyArray<number>
}

/** @internal One integer option per spatial axis, checked (`min` is the least allowed value). */
export const perAxis = (
  op: string, name: string, v: number | ReadonlyArray<number> | undefined, dflt: number, rank: number, min: number,
): number[] => {
  const list = v === undefined ? new Array<number>(rank).fill(dflt) : typeof v === 'number' ? new Array<number>(rank).fill(v) : [...v]
  if (list.length !== rank) {
    throw new DomainError(op, `${name} must be a number or ${rank} numbers (one per spatial axis), got [${list.join(',')}]`)
  }
  for (const s of list) {
    if (!Number.isInteger(s) || s < min) {
      throw new DomainError(op, `${name} must be ${min === 0 ? 'a non-negative' : 'a positive'} integer, got ${JSON.stringify(v)}`)
    }
  }
  return list
}

/**
 * @internal The TF/JAX 'same' padding of one axis: `total = max((⌈in/s⌉ − 1)·s + d·(k − 1) + 1 − in, 0)`,
 * `before = ⌊total/2⌋`, `after = total − before` (the extra cell goes at the end).
 */
export const samePadding = (inSize: number, k: number, s: number, d: number): [number, number] => {
  const out = Math.ceil(inSize / s)
  const total = Math.max((out - 1) * s + d * (k - 1) + 1 - inSize, 0)
  const before = Math.floor(total / 2)
  return [before, total - before]
}

const isPair = (p: unknown): p is readonly [number, number] =>
  Array.isArray(p) && p.length === 2 && typeof p[0] === 'number' && typeof p[1] === 'number'

/** @internal Resolves a padding option into `[before, after]` per spatial axis. */
export const resolvePadding = (
  op: string, padding: Padding1d | Padding2d | undefined, ins: number[], ks: number[], ss: number[], ds: number[],
): Array<[number, number]> => {
  const rank = ins.length
  const bad = (): never => {
    const forms = rank === 1
      ? `'valid', 'same', a number or [left, right]`
      : `'valid', 'same', a number, [ph, pw] or [[top, bottom], [left, right]]`
    throw new DomainError(op, `padding must be ${forms} of non-negative integers, got ${JSON.stringify(padding)}`)
  }
  let pairs: Array<[number, number]>
  if (padding === undefined || padding === 'valid') pairs = ins.map(() => [0, 0])
  else if (padding === 'same') pairs = ins.map((n, i) => samePadding(n, ks[i], ss[i], ds[i]))
  else if (typeof padding === 'number') pairs = ins.map(() => [padding, padding])
  else if (rank === 1 && isPair(padding)) pairs = [[padding[0], padding[1]]]
  else if (rank === 2 && isPair(padding)) pairs = [[padding[0], padding[0]], [padding[1], padding[1]]]
  else if (rank === 2 && Array.isArray(padding) && padding.length === 2 && isPair(padding[0]) && isPair(padding[1])) {
    pairs = [[padding[0][0], padding[0][1]], [padding[1][0], padding[1][1]]]
  } else return bad()
  for (const [a, b] of pairs) if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b < 0) bad()
  return pairs
}

/**
 * @internal Output length of one axis, or a `ShapeError` naming op, shapes and axis when
 * it would be zero or negative: `⌊(in + pad − d·(k − 1) − 1)/s⌋ + 1`.
 */
export const outSize = (
  op: string, shapes: ReadonlyArray<Shape>, axis: number,
  inSize: number, k: number, s: number, d: number, before: number, after: number,
): number => {
  const span = inSize + before + after - d * (k - 1) - 1
  const out = Math.floor(span / s) + 1
  if (!(out > 0) || span < 0) {
    throw new ShapeError(
      op,
      `output size along axis ${axis} would be ${Math.min(out, 0)} for ${shapes.map(showShape).join(' and ')}: ` +
        `kernel size ${k}${d > 1 ? ` (dilation ${d}, extent ${d * (k - 1) + 1})` : ''} is larger than ` +
        `${inSize} + padding ${before}+${after} = ${inSize + before + after}`,
      shapes,
      axis,
    )
  }
  return out
}

/**
 * @internal Normalises window options over an input `[N, C, ...spatial]` with a kernel of
 * `kSpatial` cells into a `Geom`. `shapes` are named in errors; spatial axis `i` is tensor
 * axis `2 + i`.
 */
export const geometry = (
  op: string, xShape: Shape, kSpatial: ReadonlyArray<number>, opts: WindowOptions, shapes: ReadonlyArray<Shape>,
): Geom => {
  const rank = xShape.length - 2
  const ins = xShape.slice(2)
  const ks = [...kSpatial]
  const ss = perAxis(op, 'stride', opts.stride, 1, rank, 1)
  const ds = perAxis(op, 'dilation', opts.dilation, 1, rank, 1)
  const ps = resolvePadding(op, opts.padding, ins, ks, ss, ds)
  const outs = ins.map((n, i) => outSize(op, shapes, 2 + i, n, ks[i], ss[i], ds[i], ps[i][0], ps[i][1]))
  const [n, c] = xShape
  if (rank === 1) {
    return { n, c, h: 1, w: ins[0], kh: 1, kw: ks[0], sh: 1, sw: ss[0], dh: 1, dw: ds[0], pt: 0, pb: 0, pl: ps[0][0], pr: ps[0][1], oh: 1, ow: outs[0] }
  }
  return {
    n, c, h: ins[0], w: ins[1], kh: ks[0], kw: ks[1], sh: ss[0], sw: ss[1], dh: ds[0], dw: ds[1],
    pt: ps[0][0], pb: ps[0][1], pl: ps[1][0], pr: ps[1][1], oh: outs[0], ow: outs[1],
  }
}

/** @internal Throws unless `t` has the given rank; `what` describes the layout, e.g. `(N, C, H, W)`. */
export const checkRank = (op: string, name: string, t: Tensor, rank: number, what: string): void => {
  if (t.shape.length !== rank) {
    throw new ShapeError(op, `${name} must have rank ${rank} ${what}, got shape ${showShape(t.shape)} of rank ${t.shape.length}`, [t.shape])
  }
}

/** @internal The options of `conv1d`/`conv2d`, before normalisation. */
export interface ConvOptions extends WindowOptions {
  /** Number of channel groups. */
  readonly groups?: number
  /** One value per output channel, added to the result. */
  readonly bias?: Tensor
}

/** @internal Checked conv geometry and group count for input `x` and kernel `w` (same rank). */
export const convGeometry = (op: string, x: Tensor, w: Tensor, opts: ConvOptions): { g: Geom; groups: number; o: number } => {
  const rank = x.shape.length
  const what = rank === 3 ? '(N, C, W)' : '(N, C, H, W)'
  const kwhat = rank === 3 ? '(O, C/groups, kW)' : '(O, C/groups, kH, kW)'
  checkRank(op, 'kernel', w, rank, kwhat)
  sameDType(op, x, w)
  const groups = opts.groups ?? 1
  if (!Number.isInteger(groups) || groups < 1) throw new DomainError(op, `groups must be a positive integer, got ${groups}`)
  const shapes = [x.shape, w.shape]
  const [o, cg] = w.shape
  const c = x.shape[1]
  if (cg * groups !== c) {
    throw new ShapeError(
      op,
      `input ${showShape(x.shape)} has ${c} channels (axis 1) but kernel ${showShape(w.shape)} expects ${cg}·${groups} = ${cg * groups} (C/groups · groups)`,
      shapes,
      1,
    )
  }
  if (o % groups !== 0) {
    throw new ShapeError(op, `kernel ${showShape(w.shape)} has ${o} output channels (axis 0), not divisible by groups = ${groups}`, shapes, 0)
  }
  for (let i = 2; i < rank; i++) {
    if (w.shape[i] < 1) throw new ShapeError(op, `kernel ${showShape(w.shape)} is empty along axis ${i}`, shapes, i)
  }
  if (opts.bias !== undefined) {
    const b = opts.bias
    sameDType(op, x, b)
    if (b.shape.length !== 1 || b.shape[0] !== o) {
      throw new ShapeError(op, `bias must have shape [${o}] (one per output channel of kernel ${showShape(w.shape)}), got ${showShape(b.shape)}`, [x.shape, w.shape, b.shape], 0)
    }
  }
  return { g: geometry(op, x.shape, w.shape.slice(2), opts, shapes), groups, o }
}

/**
 * @internal Writes the patch matrix of one sample: `cols[colsOff + r·L + l]` with
 * `r = (c·kh + i)·kw + j`, `l = oy·ow + ox`, `L = oh·ow`, equal to
 * `x[xOff + (c·h + y)·w + x']` at `y = oy·sh + i·dh − pt`, `x' = ox·sw + j·dw − pl`, and 0
 * where that falls in the padding. Channels `c0 … c0 + nc − 1` only.
 */
export const im2colInto = (
  x: MutableData, xOff: number, g: Geom, c0: number, nc: number, cols: MutableData, colsOff: number,
): void => {
  const { h, w, kh, kw, sh, sw, dh, dw, pt, pl, oh, ow } = g
  const L = oh * ow
  for (let c = 0; c < nc; c++) {
    const plane = xOff + (c0 + c) * h * w
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const row = colsOff + ((c * kh + i) * kw + j) * L
        for (let oy = 0; oy < oh; oy++) {
          const y = oy * sh + i * dh - pt
          const dst = row + oy * ow
          if (y < 0 || y >= h) {
            for (let ox = 0; ox < ow; ox++) cols[dst + ox] = 0
            continue
          }
          const src = plane + y * w
          for (let ox = 0; ox < ow; ox++) {
            const xx = ox * sw + j * dw - pl
            cols[dst + ox] = xx >= 0 && xx < w ? x[src + xx] : 0
          }
        }
      }
    }
  }
}

/**
 * @internal The transpose of `im2colInto`: adds each column cell back onto the input cell
 * it was copied from (cells that came from padding are dropped). `out` is accumulated into.
 */
export const col2imAdd = (
  cols: MutableData, colsOff: number, g: Geom, c0: number, nc: number, out: MutableData, outOff: number,
): void => {
  const { h, w, kh, kw, sh, sw, dh, dw, pt, pl, oh, ow } = g
  const L = oh * ow
  for (let c = 0; c < nc; c++) {
    const plane = outOff + (c0 + c) * h * w
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const row = colsOff + ((c * kh + i) * kw + j) * L
        for (let oy = 0; oy < oh; oy++) {
          const y = oy * sh + i * dh - pt
          if (y < 0 || y >= h) continue
          const src = row + oy * ow
          const dst = plane + y * w
          for (let ox = 0; ox < ow; ox++) {
            const xx = ox * sw + j * dw - pl
            if (xx >= 0 && xx < w) out[dst + xx] += cols[src + ox]
          }
        }
      }
    }
  }
}

/**
 * @internal The definition of (grouped, strided, dilated, padded) cross-correlation as a
 * plain loop, for the laws to check `conv2d` against:
 *
 * `y[n,o,oy,ox] = b[o] + Σ_{c<C/G} Σ_{i<kh} Σ_{j<kw} x[n, g·C/G + c, oy·sh + i·dh − pt, ox·sw + j·dw − pl] · w[o,c,i,j]`
 *
 * with `g = ⌊o/(O/G)⌋` and `x = 0` outside the input. Accepts the same arguments as
 * `conv2d` (and, for rank-3 inputs, as `conv1d`).
 */
export const conv2dDirect = (x: Tensor, w: Tensor, opts: ConvOptions = {}): Tensor => {
  const op = x.shape.length === 3 ? 'conv1dDirect' : 'conv2dDirect'
  if (x.shape.length !== 3 && x.shape.length !== 4) checkRank(op, 'input', x, 4, '(N, C, H, W)')
  const { g, groups, o } = convGeometry(op, x, w, opts)
  const { n, c, h, w: wd, kh, kw, sh, sw, dh, dw, pt, pl, oh, ow } = g
  const cg = c / groups
  const og = o / groups
  const xs = raw(x)
  const ws = raw(w)
  const bs = opts.bias === undefined ? undefined : raw(opts.bias)
  const out = alloc(x.dtype, n * o * oh * ow)
  let k = 0
  for (let b = 0; b < n; b++) {
    for (let oc = 0; oc < o; oc++) {
      const grp = Math.floor(oc / og)
      for (let oy = 0; oy < oh; oy++) {
        for (let ox = 0; ox < ow; ox++) {
          let s = 0
          for (let ci = 0; ci < cg; ci++) {
            const cin = grp * cg + ci
            for (let i = 0; i < kh; i++) {
              const y = oy * sh + i * dh - pt
              if (y < 0 || y >= h) continue
              for (let j = 0; j < kw; j++) {
                const xx = ox * sw + j * dw - pl
                if (xx < 0 || xx >= wd) continue
                s += xs[((b * c + cin) * h + y) * wd + xx] * ws[((oc * cg + ci) * kh + i) * kw + j]
              }
            }
          }
          out[k++] = s + (bs === undefined ? 0 : bs[oc])
        }
      }
    }
  }
  const shape = x.shape.length === 3 ? [n, o, ow] : [n, o, oh, ow]
  return make(x.dtype, shape, out)
}
