/**
 * save∘load = id for every layer type: each layer (and combinator) is initialised from a
 * random key, its parameters saved to JSON and to the binary format, loaded back against
 * the model's own structure (`like`), and compared bit for bit; the reloaded parameters
 * give the same outputs.
 */
import { test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { io, nn, ops, tree, type Tensor } from 'dendrite'
import { arb } from 'dendrite/testing'

const layers: ReadonlyArray<readonly [string, nn.Layer<any>, readonly number[]]> = [
  ['dense', nn.dense(3), [-1, 4]],
  ['dense without bias', nn.dense(2, { useBias: false }), [-1, 4]],
  ['activation', nn.activation(nn.tanh), [-1, 4]],
  ['dropout', nn.dropout(0.5), [-1, 4]],
  ['flatten', nn.flatten(), [-1, 2, 2]],
  ['reshape', nn.reshape([2, 2]), [-1, 4]],
  ['serial', nn.serial(nn.dense(5), nn.relu, nn.dense(3)), [-1, 4]],
  ['fanOut', nn.fanOut(nn.dense(2), nn.dense(3)), [-1, 4]],
  ['parallel', nn.parallel(nn.dense(2), nn.dense(2)), [-1, 4]],
  ['residual', nn.residual(nn.serial(nn.dense(4), nn.tanh)), [-1, 4]],
  ['nested', nn.serial(nn.flatten(), nn.residual(nn.dense(4)), nn.fanOut(nn.dense(1), nn.serial(nn.dense(2), nn.sigmoid))), [-1, 2, 2]],
]

const sameBits = (a: tree.Tree, b: tree.Tree): boolean => {
  const la = tree.leaves(a)
  const lb = tree.leaves(b)
  return la.length === lb.length && la.every((t, i) => t.dtype === lb[i].dtype && ops.toFlat(t).every((v, j) => Object.is(v, lb[i].data[j])))
}

describe.each(layers)('%s', (_, layer, inShape) => {
  test.prop([arb.key(), arb.tensor({ shape: [2, ...inShape.slice(1)], dtype: 'float32', min: -1, max: 1 })], { numRuns: 15 })(
    'save∘load = id (JSON and binary), and the reloaded model computes the same',
    (key, x) => {
      const { params } = layer.init(key, inShape)
      const fromJson = io.loadJSONOrThrow(io.saveJSON(params), params)
      const fromBin = io.fromBinaryOrThrow(io.toBinary(params), params)
      expect(tree.structureEquals(fromJson, params)).toBe(true)
      expect(sameBits(fromJson, params)).toBe(true)
      expect(sameBits(fromBin, params)).toBe(true)
      const y: Tensor = layer.apply(params, x)
      expect(ops.toFlat(layer.apply(fromBin, x))).toEqual(ops.toFlat(y))
    },
  )
})
