/**
 * Immutability: for every operation of the public API, its tensor inputs are bitwise
 * unchanged afterwards. The table must name every function of `ops` (a new operation
 * without an entry fails the coverage test), plus the tensor-taking functions of `random`,
 * `tree` and `io`.
 */
import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { io, ops, random, tree, type Tensor } from 'dendrite'
import { snapshot, uniform } from './helpers.js'

type Mk = (shape: readonly number[]) => Tensor
/** Builds the inputs of one call, and the call. */
type Case = (mk: Mk) => readonly [ReadonlyArray<Tensor>, () => unknown]

const un = (f: (x: Tensor) => unknown): Case => (mk) => {
  const x = mk([2, 3])
  return [[x], () => f(x)]
}
const bin = (f: (a: Tensor, b: Tensor) => unknown): Case => (mk) => {
  const a = mk([2, 3])
  const b = mk([3])
  return [[a, b], () => f(a, b)]
}
const mat = (f: (a: Tensor) => unknown): Case => (mk) => {
  const m = mk([3, 3])
  const a = ops.add(ops.matmul(m, ops.transpose(m)), ops.mul(ops.eye(3, 3, 'float64'), 3)) // SPD
  return [[a], () => f(a)]
}
const img = (f: (x: Tensor, w: Tensor) => unknown): Case => (mk) => {
  const x = mk([1, 2, 5, 5])
  const w = mk([3, 2, 2, 2])
  return [[x, w], () => f(x, w)]
}
const sig = (f: (x: Tensor, w: Tensor) => unknown): Case => (mk) => {
  const x = mk([1, 2, 6])
  const w = mk([3, 2, 3])
  return [[x, w], () => f(x, w)]
}

const opsCases: Record<string, Case> = {
  reshape: un((x) => ops.reshape(x, [3, 2])), ravel: un(ops.ravel), transpose: un((x) => ops.transpose(x)),
  permute: un((x) => ops.permute(x, [1, 0])), swapAxes: un((x) => ops.swapAxes(x, 0, 1)),
  expandDims: un((x) => ops.expandDims(x, 1)), squeeze: un((x) => ops.squeeze(ops.expandDims(x, 0))),
  broadcastTo: un((x) => ops.broadcastTo(x, [4, 2, 3])), slice: un((x) => ops.slice(x, [{ step: -1 }, { start: 1 }])),
  take: un((x) => ops.take(x, [2, 0], 1)), gather: un((x) => ops.gather(x, [1, 1], 0)),
  concat: bin((a) => ops.concat([a, a], 1)), stack: bin((a) => ops.stack([a, a])), split: un((x) => ops.split(x, 3, 1)),
  unstack: un((x) => ops.unstack(x, 1)), pad: un((x) => ops.pad(x, [[1, 0], [0, 2]], 1)), flip: un((x) => ops.flip(x)),
  tile: un((x) => ops.tile(x, [2, 2])), oneHot: (mk) => {
    const y = ops.abs(ops.sign(mk([4])))
    return [[y], () => ops.oneHot(y, 2)]
  },
  neg: un(ops.neg), exp: un(ops.exp), log: un(ops.log), log1p: un(ops.log1p), expm1: un(ops.expm1), sqrt: un(ops.sqrt),
  abs: un(ops.abs), sign: un(ops.sign), sin: un(ops.sin), cos: un(ops.cos), tan: un(ops.tan), tanh: un(ops.tanh),
  atan: un(ops.atan), sigmoid: un(ops.sigmoid), softplus: un(ops.softplus), relu: un(ops.relu), square: un(ops.square),
  reciprocal: un(ops.reciprocal),
  add: bin(ops.add), sub: bin(ops.sub), mul: bin(ops.mul), div: bin(ops.div), pow: bin(ops.pow), maximum: bin(ops.maximum),
  minimum: bin(ops.minimum), equal: bin(ops.equal), notEqual: bin(ops.notEqual), less: bin(ops.less),
  lessEqual: bin(ops.lessEqual), greater: bin(ops.greater), greaterEqual: bin(ops.greaterEqual),
  clip: bin((a, b) => ops.clip(a, ops.neg(ops.abs(b)), ops.abs(b))), where: bin((a, b) => ops.where(a, a, b)),
  sum: un((x) => ops.sum(x, 1)), prod: un((x) => ops.prod(x, 0)), max: un((x) => ops.max(x)), min: un((x) => ops.min(x, 1, true)),
  argmax: un((x) => ops.argmax(x, 1)), argmin: un((x) => ops.argmin(x)), mean: un((x) => ops.mean(x, [0, 1])),
  variance: un((x) => ops.variance(x, 0)), std: un((x) => ops.std(x)), logsumexp: un((x) => ops.logsumexp(x, 1)),
  softmax: un((x) => ops.softmax(x, 0)), logSoftmax: un((x) => ops.logSoftmax(x)), norm: un((x) => ops.norm(x, 'fro')),
  cumsum: un((x) => ops.cumsum(x, 1)),
  matmul: bin((a, b) => ops.matmul(a, b)), dot: bin((_, b) => ops.dot(b, b)), outer: bin((_, b) => ops.outer(b, b)),
  cholesky: mat(ops.cholesky), lu: mat(ops.lu), inv: mat(ops.inv), det: mat(ops.det),
  solve: (mk) => {
    const [[a], _] = mat((x) => x)(mk)
    const b = mk([3, 2])
    return [[a, b], () => [ops.solve(a, b), ops.solve(a, b, { assume: 'spd' })]]
  },
  lstsq: (mk) => {
    const a = mk([4, 3])
    const b = mk([4])
    return [[a, b], () => ops.lstsq(a, b, { ridge: 0.5 })]
  },
  conv1d: sig((x, w) => ops.conv1d(x, w, { padding: 'same', stride: 2 })),
  convolve1d: sig((x, w) => ops.convolve1d(x, w)),
  conv2d: img((x, w) => ops.conv2d(x, w, { padding: 1, stride: 2 })),
  convolve2d: img((x, w) => ops.convolve2d(x, w, { padding: 'same' })),
  convolveFull: (mk) => {
    const a = mk([5])
    const b = mk([3])
    return [[a, b], () => ops.convolveFull(a, b, 'same')]
  },
  im2col: img((x) => ops.im2col(x, 2)),
  col2im: (mk) => {
    const c = mk([1, 8, 16])
    return [[c], () => ops.col2im(c, [5, 5], 2)]
  },
  maxPool1d: sig((x) => ops.maxPool1d(x, 2)), avgPool1d: sig((x) => ops.avgPool1d(x, 3, { padding: 1 })),
  maxPool2d: img((x) => ops.maxPool2d(x, 2, { padding: 1 })), avgPool2d: img((x) => ops.avgPool2d(x, 2)),
  astype: un((x) => ops.astype(x, 'float32')), toArray: un(ops.toArray), toFlat: un(ops.toFlat), item: (mk) => {
    const s = mk([])
    return [[s], () => ops.item(s)]
  },
  stopGradient: un(ops.stopGradient), get: un((x) => ops.get(x, 1, 2)), isTensor: un(ops.isTensor),
  zerosLike: un(ops.zerosLike), onesLike: un(ops.onesLike), fullLike: un((x) => ops.fullLike(x, 2)),
}

/** Functions of `ops` that take no tensor (constructors from numbers, shape arithmetic). */
const noTensorInput = new Set(['tensor', 'fromArray', 'scalar', 'zeros', 'ones', 'full', 'eye', 'arange', 'linspace', 'sizeOf', 'broadcastShapes', 'convOutputSize'])

const otherCases: Record<string, Case> = {
  'random.bernoulli': (mk) => {
    const p = ops.sigmoid(mk([2, 3]))
    return [[p], () => random.bernoulli(random.key(1), p)]
  },
  'random.categorical': un((x) => random.categorical(random.key(1), x)),
  'random.shuffle': un((x) => random.shuffle(random.key(1), x, 1)),
  'tree.map': bin((a, b) => tree.map({ a, b: [b] }, ops.neg)),
  'tree.zipWith': bin((a, b) => tree.zipWith(ops.add, { a, b }, { a, b })),
  'tree.flatten': bin((a, b) => tree.unflatten(tree.flatten([a, { b }]).treedef, [b, a])),
  'io.toJSON': bin((a, b) => io.toJSON({ a, b })),
  'io.encode': un((x) => io.encode(io.TensorCodec, x)),
}

const pool = fc.array(uniform(-3, 3), { minLength: 64, maxLength: 64 })
const maker = (values: number[]): Mk => {
  let i = 0
  return (shape) => ops.fromArray(Array.from({ length: ops.sizeOf(shape) }, () => values[i++ % values.length]), shape, 'float64')
}

describe('immutability', () => {
  test('the table covers every function of ops', () => {
    const fns = Object.entries(ops).filter(([, v]) => typeof v === 'function').map(([k]) => k)
    const missing = fns.filter((k) => !(k in opsCases) && !noTensorInput.has(k))
    expect(missing).toEqual([])
  })
  for (const [name, c] of [...Object.entries(opsCases), ...Object.entries(otherCases)]) {
    test.prop([pool], { numRuns: 10 })(`${name} leaves its inputs bitwise unchanged`, (values) => {
      const [inputs, run] = c(maker(values))
      const before = inputs.map(snapshot)
      run()
      expect(inputs.map(snapshot)).toEqual(before)
    })
  }
})
