/**
 * Tensor values, constructors, conversions and layout: closed-form examples and the
 * messages of typed errors.
 */
import { describe, expect, test } from 'vitest'
import { DTypeError, DomainError, ShapeError, ops } from 'dendrite'

describe('constructors', () => {
  test('tensor infers shape, copies, and freezes', () => {
    const src = [[1, 2, 3], [4, 5, 6]]
    const t = ops.tensor(src, 'float64')
    src[0][0] = 99
    expect(t.shape).toEqual([2, 3])
    expect(ops.toArray(t)).toEqual([[1, 2, 3], [4, 5, 6]])
    expect(Object.isFrozen(t)).toBe(true)
    expect(Object.isFrozen(t.shape)).toBe(true)
    expect(t.data).toBeInstanceOf(Float64Array)
  })
  test('ragged input names the path', () => {
    expect(() => ops.tensor([[1, 2], [3]])).toThrow(ShapeError)
    expect(() => ops.tensor([[1, 2], [3]])).toThrow('tensor: ragged nested array: expected length 2 at [1], found length 1')
    expect(() => ops.tensor([[1, 2], 3] as never)).toThrow(/at \[1\], found number/)
    expect(() => ops.tensor([1, [2]] as never)).toThrow(/expected a number at \[1\]/)
  })
  test('empty and scalar shapes', () => {
    expect(ops.tensor([]).shape).toEqual([0])
    expect(ops.tensor([[], []]).shape).toEqual([2, 0])
    expect(ops.scalar(3).shape).toEqual([])
    expect(ops.toArray(ops.zeros([0, 3]))).toEqual([])
  })
  test('fromArray checks the length and the shape', () => {
    expect(() => ops.fromArray([1, 2, 3], [2, 2])).toThrow('fromArray: data has 3 elements but shape [2,2] needs 4')
    expect(() => ops.zeros([2, -1])).toThrow(/dimension 1 of shape \[2,-1\] must be a non-negative integer/)
    expect(() => ops.zeros([1.5])).toThrow(ShapeError)
  })
  test('unknown dtypes are DTypeErrors', () => {
    expect(() => ops.ones([1], 'int32' as never)).toThrow(DTypeError)
    expect(() => ops.add(ops.zeros([1]), ops.zeros([1], 'float64'))).toThrow('add: dtypes differ: float32 [1] and float64 [1]')
  })
  test('eye, arange, linspace, full', () => {
    expect(ops.toArray(ops.eye(2, 3))).toEqual([[1, 0, 0], [0, 1, 0]])
    expect(ops.toArray(ops.arange(5, 0, -2))).toEqual([5, 3, 1])
    expect(ops.arange(0).shape).toEqual([0])
    expect(() => ops.arange(0, 1, 0)).toThrow(DomainError)
    expect(ops.toArray(ops.linspace(-1, 1, 3, 'float64'))).toEqual([-1, 0, 1])
    expect(ops.toArray(ops.linspace(2, 3, 1))).toEqual([2])
    expect(ops.toArray(ops.full([2], -0.5))).toEqual([-0.5, -0.5])
  })
  test('get, item, astype', () => {
    const t = ops.reshape(ops.arange(24, undefined, 1, 'float64'), [2, 3, 4])
    expect(ops.get(t, 1, 2, 3)).toBe(23)
    expect(ops.get(t, -1, 0, -4)).toBe(12)
    expect(() => ops.get(t, 2, 0, 0)).toThrow('get: index 2 is out of range for axis 0 of shape [2,3,4]')
    expect(() => ops.get(t, 0, 0)).toThrow(/rank 3/)
    expect(() => ops.item(t)).toThrow('item: needs exactly one element, shape [2,3,4] has 24')
    expect(ops.astype(t, 'float32').data).toBeInstanceOf(Float32Array)
  })
})

describe('layout', () => {
  const m = ops.reshape(ops.arange(6), [2, 3])
  test('reshape errors name both shapes', () => {
    expect(() => ops.reshape(m, [4, -1])).toThrow('reshape: cannot reshape [2,3] (6 elements) into [4,-1]')
    expect(() => ops.reshape(m, [-1, -1])).toThrow(/only one dimension may be -1/)
    expect(() => ops.reshape(m, [7])).toThrow(ShapeError)
  })
  test('transpose errors', () => {
    expect(() => ops.transpose(m, [0, 0])).toThrow('transpose: [0,0] is not a permutation of the axes of [2,3]')
    expect(() => ops.transpose(m, [0])).toThrow(/has 1 axes, shape \[2,3\] has 2/)
  })
  test('axis errors name the axis and the shape', () => {
    expect(() => ops.sum(m, 2)).toThrow('sum: axis 2 is out of range for rank 2 for shape [2,3]')
    try {
      ops.concat([m, ops.zeros([3, 3])], 1)
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(ShapeError)
      expect((e as ShapeError).axis).toBe(1)
      expect((e as ShapeError).shapes).toEqual([[2, 3], [3, 3]])
    }
  })
  test('concat, stack, split', () => {
    expect(ops.toArray(ops.concat([m, m], 1))).toEqual([[0, 1, 2, 0, 1, 2], [3, 4, 5, 3, 4, 5]])
    expect(ops.stack([m, m], -1).shape).toEqual([2, 3, 2])
    expect(() => ops.split(m, 2, 1)).toThrow('split: cannot split axis 1 of length 3 (shape [2,3]) into 2 equal parts')
    expect(() => ops.split(m, [1, 1], 1)).toThrow(/adding up to 3/)
  })
  test('slice edge cases', () => {
    const v = ops.arange(5)
    expect(ops.toArray(ops.slice(v, [{ start: 10 }]))).toEqual([])
    expect(ops.toArray(ops.slice(v, [{ start: -100, stop: 2 }]))).toEqual([0, 1])
    expect(ops.toArray(ops.slice(v, [{ start: 3, stop: -100, step: -1 }]))).toEqual([3, 2, 1, 0])
    expect(() => ops.slice(v, [{ step: 0 }])).toThrow(/non-zero integer on axis 0/)
    expect(() => ops.slice(v, [5])).toThrow('slice: index 5 is out of range for axis 0 of shape [5]')
  })
  test('take, oneHot, pad, tile, flip', () => {
    expect(() => ops.take(m, [3], 0)).toThrow('take: index 3 is out of range for axis 0 of shape [2,3]')
    expect(ops.take(m, ops.tensor([[0, 1], [1, 0]]), 1).shape).toEqual([2, 2, 2])
    expect(() => ops.oneHot([3], 3)).toThrow(DomainError)
    expect(() => ops.pad(m, [[1, 1]], 0)).not.toThrow()
    expect(() => ops.pad(m, [[1, -1], [0, 0]])).toThrow(/non-negative integers/)
    expect(ops.toArray(ops.tile(ops.tensor([[1, 2]]), [2, 2]))).toEqual([[1, 2, 1, 2], [1, 2, 1, 2]])
    expect(ops.toArray(ops.flip(m))).toEqual([[5, 4, 3], [2, 1, 0]])
    expect(ops.toArray(ops.broadcastTo(ops.tensor([[1], [2]]), [2, 3]))).toEqual([[1, 1, 1], [2, 2, 2]])
    expect(() => ops.broadcastTo(ops.zeros([3]), [2, 2])).toThrow(/broadcastTo: cannot broadcast \[3\] with \[2,2\]/)
  })
})

describe('reductions and elementwise, closed forms', () => {
  test('empty reductions', () => {
    expect(ops.item(ops.sum(ops.zeros([0])))).toBe(0)
    expect(ops.item(ops.prod(ops.zeros([0])))).toBe(1)
    expect(() => ops.max(ops.zeros([2, 0]), 1)).toThrow('max: cannot reduce the empty axis 1 of shape [2,0]')
  })
  test('NaN propagates through max and wins argmax', () => {
    const x = ops.tensor([1, NaN, 3])
    expect(Number.isNaN(ops.item(ops.max(x)))).toBe(true)
    expect(ops.item(ops.argmax(x))).toBe(1)
  })
  test('logsumexp of -∞ and +∞', () => {
    expect(ops.item(ops.logsumexp(ops.tensor([-Infinity, -Infinity])))).toBe(-Infinity)
    expect(ops.item(ops.logsumexp(ops.tensor([Infinity, 0])))).toBe(Infinity)
  })
  test('softmax golden values', () => {
    const s = ops.toFlat(ops.softmax(ops.tensor([1, 2, 3], 'float64')))
    const z = Math.exp(1) + Math.exp(2) + Math.exp(3)
    s.forEach((v, i) => expect(v).toBeCloseTo(Math.exp(i + 1) / z, 15))
  })
  test('norm of huge and tiny values does not overflow or underflow', () => {
    expect(ops.item(ops.norm(ops.tensor([3e200, 4e200], 'float64')))).toBeCloseTo(5e200, -190)
    expect(ops.item(ops.norm(ops.tensor([3e-200, 4e-200], 'float64')))).toBeCloseTo(5e-200, 210)
  })
})
