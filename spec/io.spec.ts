/**
 * Example-based tests of `io`: known base64 vectors, both base64 implementations, the
 * exact error messages and paths, reserved record keys, the size and depth limits, and
 * the JSON string helpers.
 */
import { describe, expect, test } from 'vitest'
import { DecodeError, DomainError, io, ops, tree } from 'dendrite'
import { checkBase64, nodeBase64, swapBytes, webBase64 } from '../src/io/base64.js'

const msg = (u: unknown, codec: typeof io.TensorCodec | typeof io.TreeCodec = io.TensorCodec): string => {
  const r = io.decode(codec as typeof io.TensorCodec, u)
  if (r._tag === 'Right') throw new Error('expected a Left')
  expect(r.left).toBeInstanceOf(DecodeError)
  return r.left.message
}

describe('TensorCodec', () => {
  test('encodes little-endian bytes as base64 (known vectors)', () => {
    expect(io.encode(io.TensorCodec, ops.tensor([1]))).toEqual({ dtype: 'float32', shape: [1], data: { base64: 'AACAPw==' } })
    expect(io.encode(io.TensorCodec, ops.tensor([[1, -2]], 'float64'))).toEqual({
      dtype: 'float64',
      shape: [1, 2],
      data: { base64: 'AAAAAAAA8D8AAAAAAAAAwA==' },
    })
    expect(io.encode(io.TensorCodec, ops.zeros([0, 3]))).toEqual({ dtype: 'float32', shape: [0, 3], data: { base64: '' } })
    const x = io.decodeOrThrow(io.TensorCodec, { dtype: 'float32', shape: [], data: { base64: 'AACAPw==' } })
    expect(ops.item(x)).toBe(1)
    expect(x.shape).toEqual([])
  })

  test('decoded tensors are frozen, fresh and well-formed; only the JSON form is decoded', () => {
    const src = [1, 2, 3]
    const x = io.decodeOrThrow(io.TensorCodec, { dtype: 'float64', shape: [3], data: src })
    expect(ops.isTensor(x) && Object.isFrozen(x) && Object.isFrozen(x.shape)).toBe(true)
    expect(x.data).toBeInstanceOf(Float64Array)
    expect(ops.toArray(x)).toEqual([1, 2, 3])
    const t = ops.eye(2)
    expect(msg(t)).toBe('decode: data: expected an array of numbers or { base64 }, got Float32Array')
    expect(io.TensorCodec.is(t) && !io.TensorCodec.is(io.encode(io.TensorCodec, t))).toBe(true)
  })

  test('array form: plain numbers when lossless, float32 values exact', () => {
    const x = ops.tensor([0.1, 3.5], 'float32')
    const j = io.encode(io.tensorCodec({ data: 'array' }), x)
    expect(j.data).toEqual([Math.fround(0.1), 3.5])
    expect(io.encode(io.tensorCodec({ data: 'array' }), ops.tensor([-0])).data).toEqual({ base64: 'AAAAgA==' })
  })

  test('error messages name the field and the fault', () => {
    const ok = { dtype: 'float32', shape: [2, 3], data: [1, 2, 3, 4, 5, 6] }
    expect(msg({ ...ok, dtype: 'int8' })).toBe(`decode: dtype: unknown dtype string "int8" (expected 'float32' or 'float64')`)
    expect(msg({ shape: [2], data: [1, 2] })).toBe(`decode: dtype: missing dtype (expected 'float32' or 'float64')`)
    expect(msg({ ...ok, shape: [2, -3] })).toBe('decode: shape/1: dimension 1 must be a non-negative integer, got number -3')
    expect(msg({ ...ok, shape: [2.5, 3] })).toBe('decode: shape/0: dimension 0 must be a non-negative integer, got number 2.5')
    expect(msg({ ...ok, shape: [2, '3'] })).toBe('decode: shape/1: dimension 1 must be a non-negative integer, got string "3"')
    expect(msg({ ...ok, shape: [2 ** 32, 0] })).toBe('decode: shape/0: dimension 0 must be a non-negative integer at most 2^31, got number 4294967296')
    expect(msg({ ...ok, shape: 6 })).toBe('decode: shape: expected an array of non-negative integers, got number 6')
    expect(msg({ ...ok, shape: [65536, 65536], data: [] })).toBe(
      'decode: shape: shape [65536,65536] has 4294967296 elements, more than the limit of 2^31',
    )
    expect(msg({ ...ok, data: [1, 2, 3] })).toBe('decode: data: has 3 numbers, shape [2,3] needs 6')
    expect(msg({ ...ok, data: [1, 2, 3, null, 5, 6] })).toBe(
      'decode: data/3: expected a finite number, got null (write NaN and ±Infinity with the base64 form)',
    )
    expect(msg({ ...ok, data: [1, 2, 3, '4', 5, 6] })).toBe('decode: data/3: expected a finite number, got string "4"')
    expect(msg(JSON.parse('{"dtype":"float64","shape":[1],"data":[1e400]}'))).toMatch(/data\/0: expected a finite number, got number Infinity/)
    expect(msg({ dtype: 'float32', shape: [1], data: [1e39] })).toBe('decode: data/0: 1e+39 overflows float32')
    expect(msg({ ...ok, data: new Float32Array(6) })).toBe('decode: data: expected an array of numbers or { base64 }, got Float32Array')
    expect(msg({ ...ok, data: { base64: 'AAAA' } })).toBe('decode: data/base64: decodes to 3 bytes, shape [2,3] of float32 needs 24 (6 × 4)')
    expect(msg({ dtype: 'float32', shape: [1], data: { base64: 'AACAP===' } })).toBe('decode: data/base64: invalid base64: invalid character "=" at offset 5')
    expect(msg({ dtype: 'float32', shape: [1], data: { base64: 'AACAPx==' } })).toBe('decode: data/base64: invalid base64: non-zero bits before the padding')
    expect(msg({ dtype: 'float32', shape: [1], data: { base64: 'AACAPw' } })).toBe('decode: data/base64: invalid base64: length 6 is not a multiple of 4')
    expect(msg({ dtype: 'float32', shape: [1], data: { base64: 7 } })).toBe('decode: data/base64: expected a base64 string, got number 7')
    expect(msg(null)).toBe('decode: (root): expected a tensor object { dtype, shape, data }, got null')
    // several faults at once: one line each
    expect(msg({ dtype: 'int8', shape: [-1] })).toBe(
      `decode: dtype: unknown dtype string "int8" (expected 'float32' or 'float64')\n` +
        'shape/0: dimension 0 must be a non-negative integer, got number -1\n' +
        'data: missing data (expected an array of numbers or { base64 })',
    )
  })

  test('decodeOrThrow throws DecodeError (the example of src/errors.ts)', () => {
    expect(() => io.decodeOrThrow(io.TensorCodec, { dtype: 'float32', shape: [2], data: [1] })).toThrow(DecodeError)
    expect(() => io.decodeOrThrow(io.TensorCodec, { dtype: 'float32', shape: [2], data: [1] })).toThrow(
      'decode: data: has 1 number, shape [2] needs 2',
    )
  })
})

describe('TreeCodec', () => {
  const params = { layers: [{ weight: ops.eye(2), bias: ops.zeros([2]) }, null, { weight: ops.ones([1, 2]), bias: ops.zeros([1]) }] }

  test('errors carry the path inside the tree', () => {
    const json = io.encode(io.TreeCodec, params) as { layers: Array<Record<string, unknown> | null> }
    const bad = { layers: [json.layers[0], null, { ...json.layers[2], weight: { dtype: 'float32', shape: [1, -2], data: [] } }] }
    expect(msg(bad, io.TreeCodec)).toBe('decode: layers/2/weight/shape/1: dimension 1 must be a non-negative integer, got number -2')
    expect(msg({ layers: [3] }, io.TreeCodec)).toBe(
      'decode: layers/0: expected a tensor object { dtype, shape, data }, an array, a record or null, got number 3',
    )
    expect(msg({ w: { shape: [1], data: [1] } }, io.TreeCodec)).toBe(`decode: w/dtype: missing dtype (expected 'float32' or 'float64')`)
  })

  test('record keys dtype, shape and data are escaped with a backslash and round-trip', () => {
    const t = { data: ops.scalar(1), '\\data': ops.scalar(2), dtype: null, shape: [ops.scalar(3)], 'a/b': ops.scalar(4) }
    const json = io.encode(io.TreeCodec, t) as Record<string, unknown>
    expect(Object.keys(json).sort()).toEqual(['\\\\data', '\\data', '\\dtype', '\\shape', 'a/b'])
    const back = io.decodeOrThrow(io.TreeCodec, JSON.parse(JSON.stringify(json)))
    expect(tree.paths(back)).toEqual(tree.paths(t))
    expect(tree.leaves(back).map(ops.item)).toEqual([2, 4, 1, 3]) // keys sorted: \\data, a/b, data, shape
    expect(msg({ 'a/b': { dtype: 'f' } }, io.TreeCodec)).toMatch(/^decode: a~1b\/dtype: unknown dtype/)
  })

  test('__proto__ is an ordinary key', () => {
    const r = io.fromJSON('{"__proto__": {"dtype": "float32", "shape": [1], "data": [5]}}')
    expect(r._tag).toBe('Right')
    if (r._tag === 'Right') {
      const t = r.right as Record<string, unknown>
      expect(Object.keys(t)).toEqual(['__proto__'])
      expect(Object.getPrototypeOf(t)).toBe(Object.prototype)
      expect(tree.paths(t as tree.Tree)).toEqual(['__proto__'])
    }
  })

  test('decoded trees are frozen, keys sorted; undefined decodes as undefined, encodes as null', () => {
    const back = io.decodeOrThrow(io.TreeCodec, { b: [null, { dtype: 'float64', shape: [0], data: [] }], a: undefined })
    expect(Object.keys(back as object)).toEqual(['a', 'b'])
    expect(Object.isFrozen(back) && Object.isFrozen((back as { b: unknown }).b)).toBe(true)
    expect(io.encode(io.TreeCodec, { a: undefined, b: [undefined] })).toEqual({ a: null, b: [null] })
  })

  test('nesting deeper than 512 levels is rejected, not a stack overflow', () => {
    let deep: unknown = null
    for (let i = 0; i < 10_000; i++) deep = [deep]
    expect(msg(deep, io.TreeCodec)).toMatch(/nested more than 512 levels deep/)
    let ok: unknown = ops.scalar(1)
    for (let i = 0; i < 500; i++) ok = [ok]
    expect(io.decode(io.TreeCodec, io.encode(io.TreeCodec, ok as tree.Tree))._tag).toBe('Right')
  })

  test('formatErrors shows 10 lines and counts the rest', () => {
    const bad = Array.from({ length: 15 }, () => 0)
    const m = msg(bad, io.TreeCodec)
    expect(m.split('\n')).toHaveLength(11)
    expect(m.endsWith('… and 5 more errors')).toBe(true)
  })

  test('is and encode', () => {
    expect(io.TreeCodec.is(params)).toBe(true)
    expect(io.TreeCodec.is({ w: 1 })).toBe(false)
    expect(() => io.encode(io.TreeCodec, { w: 1 } as never)).toThrow(DomainError)
  })
})

describe('JSON helpers', () => {
  test('toJSON / fromJSON', () => {
    const t = { w: ops.tensor([[1, 2]]), b: [ops.tensor([NaN], 'float64'), null] }
    const text = io.toJSON(t)
    expect(text).toBe(
      '{"b":[{"dtype":"float64","shape":[1],"data":{"base64":"AAAAAAAA+H8="}},null],"w":{"dtype":"float32","shape":[1,2],"data":{"base64":"AACAPwAAAEA="}}}',
    )
    const r = io.fromJSON(text)
    expect(r._tag === 'Right' && tree.structureEquals(r.right, t)).toBe(true)
    expect(io.toJSON(t, { data: 'array' })).toContain('"data":[1,2]')
    expect(() => io.toJSON({ w: 'x' } as never)).toThrow(DomainError)
  })

  test('fromJSON returns Left for text that is not JSON', () => {
    const r = io.fromJSON('{"w": ')
    expect(r._tag).toBe('Left')
    if (r._tag === 'Left') {
      expect(r.left).toBeInstanceOf(DecodeError)
      expect(r.left.op).toBe('fromJSON')
      expect(r.left.message).toMatch(/^fromJSON: invalid JSON: /)
    }
  })
})

describe('base64 internals', () => {
  test('the Node and web implementations agree', () => {
    expect(nodeBase64).toBeDefined()
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 13) & 255)
      const s = webBase64.encode(bytes)
      expect(nodeBase64!.encode(bytes)).toBe(s)
      expect(checkBase64(s)).toBeUndefined()
      expect(Array.from(webBase64.decode(s))).toEqual(Array.from(bytes))
      expect(Array.from(nodeBase64!.decode(s))).toEqual(Array.from(bytes))
    }
    const big = Uint8Array.from({ length: 100_000 }, (_, i) => i & 255)
    expect(webBase64.encode(big)).toBe(nodeBase64!.encode(big))
  })

  test('checkBase64 accepts only canonical padded base64', () => {
    for (const s of ['', 'AA==', 'AAA=', 'AAAA', 'ab+/', 'QQ==']) expect(checkBase64(s)).toBeUndefined()
    for (const s of ['A', 'AA=', 'A===', 'AB==', 'AAB=', 'AA-_', 'AA==AAAA', 'AA AA===', '====']) expect(checkBase64(s)).toBeDefined()
  })

  test('swapBytes reverses each group (the big-endian path)', () => {
    const b = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8])
    expect(Array.from(swapBytes(b, 4))).toEqual([4, 3, 2, 1, 8, 7, 6, 5])
    expect(Array.from(swapBytes(swapBytes(b, 8), 8))).toEqual(Array.from(b))
  })
})
