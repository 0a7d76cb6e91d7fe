/**
 * Convolution and pooling by example: hand-computed values, a known edge detector,
 * PyTorch-semantics outputs for stride 2 / padding 1, the 'same' conventions, and the
 * error messages.
 */
import { describe, expect, test } from 'vitest'
import { DomainError, DTypeError, ops, ShapeError } from 'dendrite'
import { conv2dDirect } from '../src/tensor/conv-internal.js'
import { allClose } from '../laws/helpers.js'

const img3 = ops.tensor([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]], 'float64')

/** The integers `start … stop − 1` as a float64 tensor of the given shape. */
const range = (start: number, stop: number, shape: number[]) =>
  ops.fromArray(Array.from({ length: stop - start }, (_, i) => start + i), shape, 'float64')

/** The error `f` throws (fails the test when it does not throw). */
const caught = (f: () => unknown): Error & { op?: string; axis?: number; shapes?: number[][] } => {
  try {
    f()
  } catch (e) {
    return e as Error
  }
  throw new Error('expected a throw')
}

describe('conv2d', () => {
  test('3×3 image, 2×2 kernel, by hand', () => {
    // y[p,q] = x[p,q]·1 + x[p,q+1]·2 + x[p+1,q]·3 + x[p+1,q+1]·4
    const w = ops.tensor([[[[1, 2], [3, 4]]]], 'float64')
    expect(ops.toArray(ops.conv2d(img3, w))).toEqual([[[[1 + 4 + 12 + 20, 2 + 6 + 15 + 24], [4 + 10 + 21 + 32, 5 + 12 + 24 + 36]]]])
    expect(ops.toArray(ops.conv2d(img3, w))).toEqual([[[[37, 47], [67, 77]]]])
  })

  test('Sobel-x finds a vertical step edge; Laplacian of a point', () => {
    const step = ops.tensor([[[[0, 0, 0, 1, 1], [0, 0, 0, 1, 1], [0, 0, 0, 1, 1], [0, 0, 0, 1, 1]]]])
    const sobelX = ops.tensor([[[[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]]])
    expect(ops.toArray(ops.conv2d(step, sobelX))).toEqual([[[[0, 4, 4], [0, 4, 4]]]])
    const point = ops.tensor([[[[0, 0, 0], [0, 1, 0], [0, 0, 0]]]])
    const laplace = ops.tensor([[[[0, 1, 0], [1, -4, 1], [0, 1, 0]]]])
    expect(ops.toArray(ops.conv2d(point, laplace, { padding: 'same' }))).toEqual([[[[0, 1, 0], [1, -4, 1], [0, 1, 0]]]])
    expect(ops.toArray(ops.conv2d(ops.full([1, 1, 4, 4], 3), laplace))).toEqual([[[[0, 0], [0, 0]]]])
  })

  // Expected values from an independent NumPy loop of PyTorch's definition of
  // torch.nn.functional.conv2d(x, w, b, stride=2, padding=1).
  test('stride 2, padding 1 (PyTorch semantics)', () => {
    const x = range(1, 26, [1, 1, 5, 5])
    const w = ops.tensor([[[[1, 0, -1], [2, 0, -2], [1, 0, -1]]]], 'float64')
    expect(ops.toArray(ops.conv2d(x, w, { stride: 2, padding: 1 }))).toEqual([[[[-11, -6, 17], [-48, -8, 56], [-61, -6, 67]]]])

    const x2 = range(0, 32, [1, 2, 4, 4])
    const w2 = range(-18, 18, [2, 2, 3, 3])
    const b2 = ops.tensor([1, -1], 'float64')
    expect(ops.toArray(ops.conv2d(x2, w2, { stride: 2, padding: 1, bias: b2 }))).toEqual([
      [[[-315, -675], [-1250, -2273]], [[1195, 1915], [2312, 3557]]],
    ])
    expect(ops.toArray(conv2dDirect(x2, w2, { stride: 2, padding: 1, bias: b2 }))).toEqual([
      [[[-315, -675], [-1250, -2273]], [[1195, 1915], [2312, 3557]]],
    ])
  })

  test('1×1 kernels (the no-im2col path) mix channels per pixel, across a batch and groups', () => {
    const x = range(0, 16, [2, 2, 2, 2])
    const w = ops.tensor([[[[1]], [[10]]], [[[-1]], [[0]]], [[[0]], [[2]]]], 'float64')
    const y = ops.conv2d(x, w)
    expect(y.shape).toEqual([2, 3, 2, 2])
    // sample 1, pixel (0,0): channels 8 and 12
    expect(ops.get(y, 1, 0, 0, 0)).toBe(8 + 120)
    expect(ops.get(y, 1, 1, 0, 0)).toBe(-8)
    expect(ops.get(y, 1, 2, 0, 0)).toBe(24)
    allClose(y, conv2dDirect(x, w))
    const wg = ops.tensor([[[[2]]], [[[3]]]], 'float64')
    expect(ops.toArray(ops.conv2d(x, wg, { groups: 2 }))).toEqual([
      [[[0, 2], [4, 6]], [[12, 15], [18, 21]]],
      [[[16, 18], [20, 22]], [[36, 39], [42, 45]]],
    ])
  })

  test('float32 in, float32 out', () => {
    const y = ops.conv2d(ops.ones([1, 1, 3, 3]), ops.ones([1, 1, 2, 2]))
    expect(y.dtype).toBe('float32')
    expect(ops.toArray(y)).toEqual([[[[4, 4], [4, 4]]]])
  })

  test("'same' puts the odd extra padding cell at the end (TF/JAX)", () => {
    // even kernel: total padding 1 → 0 before, 1 after
    const x = ops.tensor([[[1, 2, 3, 4]]], 'float64')
    expect(ops.toArray(ops.conv1d(x, ops.tensor([[[1, 1]]], 'float64'), { padding: 'same' }))).toEqual([[[3, 5, 7, 4]]])
    // stride 2: out = ⌈5/2⌉ = 3, total = (3 − 1)·2 + 3 − 5 = 2 → [1, 1]
    const x5 = ops.tensor([[[1, 2, 3, 4, 5]]], 'float64')
    const ones3 = ops.tensor([[[1, 1, 1]]], 'float64')
    expect(ops.toArray(ops.conv1d(x5, ones3, { padding: 'same', stride: 2 }))).toEqual([[[3, 9, 9]]])
    expect(ops.toArray(ops.conv1d(x5, ones3, { padding: [1, 1], stride: 2 }))).toEqual([[[3, 9, 9]]])
    // 2-D, stride 1: shape kept, any kernel size and dilation
    expect(ops.conv2d(ops.zeros([1, 1, 5, 6]), ops.zeros([1, 1, 2, 3]), { padding: 'same', dilation: 2 }).shape).toEqual([1, 1, 5, 6])
  })

  test('explicit asymmetric padding and dilation', () => {
    const w = ops.tensor([[[[1, 1], [1, 1]]]], 'float64')
    // pad one row at the top only, one column on the right only
    expect(ops.toArray(ops.conv2d(img3, w, { padding: [[1, 0], [0, 1]] }))).toEqual([
      [[[3, 5, 3], [12, 16, 9], [24, 28, 15]]],
    ])
    // dilation 2: taps at offsets 0 and 2
    expect(ops.toArray(ops.conv2d(img3, w, { dilation: 2 }))).toEqual([[[[1 + 3 + 7 + 9]]]])
    expect(ops.toArray(ops.conv1d(ops.tensor([[[1, 2, 3, 4, 5]]]), ops.tensor([[[1, 1]]]), { dilation: 2 }))).toEqual([[[4, 6, 8]]])
  })

  test('depthwise (groups = C) 1-D', () => {
    const x = ops.tensor([[[1, 2, 3], [10, 20, 30]]])
    const w = ops.tensor([[[2]], [[3]]])
    expect(ops.toArray(ops.conv1d(x, w, { groups: 2 }))).toEqual([[[2, 4, 6], [30, 60, 90]]])
  })

  test('an empty batch gives an empty result', () => {
    expect(ops.conv2d(ops.zeros([0, 2, 4, 4]), ops.zeros([3, 2, 3, 3])).shape).toEqual([0, 3, 2, 2])
  })
})

describe('convolve', () => {
  test('convolve2d flips the kernel', () => {
    const w = ops.tensor([[[[1, 2], [3, 4]]]], 'float64')
    expect(ops.toArray(ops.convolve2d(img3, w))).toEqual([[[[1 * 4 + 2 * 3 + 4 * 2 + 5 * 1, 2 * 4 + 3 * 3 + 5 * 2 + 6 * 1], [4 * 4 + 5 * 3 + 7 * 2 + 8 * 1, 5 * 4 + 6 * 3 + 8 * 2 + 9 * 1]]]])
  })

  test('convolveFull filters a spike train; modes as numpy.convolve', () => {
    const spikes = ops.tensor([1, 0, 0, 1, 0], 'float64')
    const kernel = ops.tensor([1, 0.5, 0.25], 'float64')
    expect(ops.toArray(ops.convolveFull(spikes, kernel))).toEqual([1, 0.5, 0.25, 1, 0.5, 0.25, 0])
    // numpy.convolve([1,2,3,4,5], [1,1,1,1], 'same') = [3, 6, 10, 14, 12]
    const a = ops.tensor([1, 2, 3, 4, 5], 'float64')
    const b = ops.tensor([1, 1, 1, 1], 'float64')
    expect(ops.toArray(ops.convolveFull(a, b, 'same'))).toEqual([3, 6, 10, 14, 12])
    expect(ops.toArray(ops.convolveFull(b, a, 'same'))).toEqual([3, 6, 10, 14, 12])
    expect(ops.toArray(ops.convolveFull(a, b, 'valid'))).toEqual([10, 14])
    // numpy.convolve([1,2,3,4,5,6], [1,2,3,4], 'same') = [4, 10, 20, 30, 40, 43]
    expect(ops.toArray(ops.convolveFull(ops.tensor([1, 2, 3, 4, 5, 6]), ops.tensor([1, 2, 3, 4]), 'same'))).toEqual([4, 10, 20, 30, 40, 43])
  })
})

describe('im2col / col2im', () => {
  test('layout: row (c·kh + i)·kw + j, column p·ow + q', () => {
    const x = range(0, 18, [1, 2, 3, 3])
    const cols = ops.im2col(x, 2, { stride: 1 })
    expect(cols.shape).toEqual([1, 8, 4])
    // channel 1, tap (1, 0), window (1, 1): x[0, 1, 2, 1] = 9 + 7 = 16
    expect(ops.get(cols, 0, (1 * 2 + 1) * 2 + 0, 1 * 2 + 1)).toBe(16)
    // padded cell
    expect(ops.get(ops.im2col(x, 2, { padding: 1 }), 0, 0, 0)).toBe(0)
  })

  test('col2im sums overlapping patches', () => {
    const cols = ops.im2col(ops.ones([1, 1, 4, 4], 'float64'), 3, { padding: 1, stride: 2 })
    expect(ops.toArray(ops.col2im(cols, [4, 4], 3, { padding: 1, stride: 2 }))).toEqual([
      [[[1, 2, 1, 1], [2, 4, 2, 2], [1, 2, 1, 1], [1, 2, 1, 1]]],
    ])
  })
})

describe('pooling', () => {
  test('max and average, 2×2 windows', () => {
    const x = ops.tensor([[[[1, -2], [3, 0]], [[-1, -1], [-1, -5]]]], 'float64')
    expect(ops.toArray(ops.maxPool2d(x, 2))).toEqual([[[[3]], [[-1]]]])
    expect(ops.toArray(ops.avgPool2d(x, 2))).toEqual([[[[0.5]], [[-2]]]])
  })

  test('max pooling ignores padding (−∞) even when every value is negative', () => {
    const x = ops.full([1, 1, 2, 2], -5)
    expect(ops.toArray(ops.maxPool2d(x, 2, { padding: 1 }))).toEqual([[[[-5, -5], [-5, -5]]]])
  })

  test('NaN propagates through max pooling', () => {
    const y = ops.maxPool1d(ops.tensor([[[1, NaN, 3, 4]]]), 2)
    expect(Number.isNaN(ops.get(y, 0, 0, 0))).toBe(true)
    expect(ops.get(y, 0, 0, 1)).toBe(4)
  })

  test("average pooling with 'same': padding counted (default) or not", () => {
    const opts = { stride: 1, padding: 'same' } as const
    expect(ops.toArray(ops.avgPool2d(img3, 2, opts))).toEqual([[[[3, 4, 2.25], [6, 7, 3.75], [3.75, 4.25, 2.25]]]])
    expect(ops.toArray(ops.avgPool2d(img3, 2, { ...opts, countIncludePad: false }))).toEqual([[[[3, 4, 4.5], [6, 7, 7.5], [7.5, 8.5, 9]]]])
  })

  test('stride defaults to the kernel size', () => {
    expect(ops.maxPool2d(ops.zeros([1, 1, 6, 7]), 2).shape).toEqual([1, 1, 3, 3])
    expect(ops.maxPool2d(ops.zeros([1, 1, 6, 7]), [3, 2], { stride: 1 }).shape).toEqual([1, 1, 4, 6])
  })
})

describe('errors name op, shapes and axis', () => {
  test('rank', () => {
    const e = caught(() => ops.conv2d(ops.zeros([3, 3]), ops.zeros([1, 1, 2, 2])))
    expect(e).toBeInstanceOf(ShapeError)
    expect(e.message).toBe('conv2d: input must have rank 4 (N, C, H, W), got shape [3,3] of rank 2')
    expect(() => ops.conv1d(ops.zeros([1, 1, 4]), ops.zeros([1, 1, 2, 2]))).toThrow(/^conv1d: kernel must have rank 3 \(O, C\/groups, kW\), got shape \[1,1,2,2\]/)
    expect(() => ops.maxPool1d(ops.zeros([4]), 2)).toThrow(/^maxPool1d: input must have rank 3/)
  })

  test('channels', () => {
    const e = caught(() => ops.conv2d(ops.zeros([1, 3, 5, 5]), ops.zeros([2, 2, 3, 3])))
    expect(e).toBeInstanceOf(ShapeError)
    expect(e.message).toBe('conv2d: input [1,3,5,5] has 3 channels (axis 1) but kernel [2,2,3,3] expects 2·1 = 2 (C/groups · groups)')
    expect(e.axis).toBe(1)
    expect(e.shapes).toEqual([[1, 3, 5, 5], [2, 2, 3, 3]])
    expect(() => ops.conv2d(ops.zeros([1, 4, 5, 5]), ops.zeros([3, 2, 3, 3]), { groups: 2 })).toThrow(
      /^conv2d: kernel \[3,2,3,3\] has 3 output channels \(axis 0\), not divisible by groups = 2/,
    )
  })

  test('output size', () => {
    const e = caught(() => ops.conv2d(ops.zeros([1, 1, 2, 5]), ops.zeros([1, 1, 3, 3])))
    expect(e).toBeInstanceOf(ShapeError)
    expect(e.message).toBe('conv2d: output size along axis 2 would be 0 for [1,1,2,5] and [1,1,3,3]: kernel size 3 is larger than 2 + padding 0+0 = 2')
    expect(e.axis).toBe(2)
    expect(() => ops.conv2d(ops.zeros([1, 1, 5, 3]), ops.zeros([1, 1, 3, 2]), { dilation: [1, 3] })).toThrow(
      /^conv2d: output size along axis 3 would be 0 for \[1,1,5,3\] and \[1,1,3,2\]: kernel size 2 \(dilation 3, extent 4\)/,
    )
    expect(() => ops.avgPool2d(ops.zeros([1, 1, 5, 1]), 2)).toThrow(/^avgPool2d: output size along axis 3/)
  })

  test('dtype, bias, options', () => {
    expect(() => ops.conv2d(ops.zeros([1, 1, 3, 3]), ops.zeros([1, 1, 2, 2], 'float64'))).toThrow(DTypeError)
    expect(() => ops.conv2d(ops.zeros([1, 1, 3, 3]), ops.zeros([2, 1, 2, 2]), { bias: ops.zeros([3]) })).toThrow(
      /^conv2d: bias must have shape \[2\] \(one per output channel of kernel \[2,1,2,2\]\), got \[3\]/,
    )
    expect(() => ops.conv2d(ops.zeros([1, 1, 3, 3]), ops.zeros([1, 1, 2, 2]), { stride: 0 })).toThrow(DomainError)
    expect(() => ops.conv2d(ops.zeros([1, 1, 3, 3]), ops.zeros([1, 1, 2, 2]), { padding: -1 })).toThrow(/^conv2d: padding must be/)
    expect(() => ops.conv1d(ops.zeros([1, 1, 3]), ops.zeros([1, 1, 2]), { padding: 'full' as never })).toThrow(/^conv1d: padding must be 'valid', 'same', a number or \[left, right\]/)
    const e = caught(() => ops.maxPool2d(ops.zeros([1, 1, 4, 4]), 2, { padding: [0, 2] }))
    expect(e).toBeInstanceOf(DomainError)
    expect(e.message).toMatch(/^maxPool2d: padding 2\+2 along axis 3 of \[1,1,4,4\] must be smaller than the kernel size 2/)
    expect(e.axis).toBe(3)
  })

  test('convolveFull and col2im', () => {
    expect(() => ops.convolveFull(ops.zeros([2, 2]), ops.zeros([2]))).toThrow(/^convolveFull: first signal must have rank 1, got shape \[2,2\]/)
    expect(() => ops.convolveFull(ops.zeros([2]), ops.zeros([0]))).toThrow(ShapeError)
    expect(() => ops.col2im(ops.zeros([1, 4, 5]), [3, 3], 2)).toThrow(/^col2im: columns \[1,4,5\] have 5 windows \(axis 2\), but a 2×2 kernel over 3×3 gives 2·2 = 4/)
    expect(() => ops.col2im(ops.zeros([1, 5, 4]), [3, 3], 2)).toThrow(/^col2im: columns \[1,5,4\] have 5 rows \(axis 1\), not a multiple of kh·kw = 2·2/)
  })
})
