/**
 * `npm run demo`: a short tour of dendrite's foundation — immutable tensors, broadcasting,
 * reductions, linear algebra, convolution, PRNG keys, parameter trees, codecs and typed
 * errors. Deterministic: every random number comes from `random.key(0)`.
 */
import { io, ops, random, tree, ShapeError, type Tensor } from 'dendrite'

const show = (label: string, t: Tensor | number): void => {
  const body = typeof t === 'number' ? String(t) : `${JSON.stringify(ops.toArray(roundT(t)))}   (${t.dtype}, shape [${t.shape.join(',')}])`
  console.log(`${label.padEnd(34)} ${body}`)
}
const roundT = (t: Tensor): Tensor => ops.fromArray(ops.toFlat(t).map((v) => Math.round(v * 1e4) / 1e4), t.shape, 'float64')
const line = (label: string, text: string): void => console.log(`${label.padEnd(34)} ${text}`)
const section = (title: string): void => console.log(`\n── ${title} ${'─'.repeat(Math.max(0, 70 - title.length))}`)

section('tensors are immutable values')
const a = ops.tensor([[1, 2, 3], [4, 5, 6]])
show('a', a)
show('a + 10 (a is unchanged)', ops.add(a, 10))
show('a', a)
console.log(`${'Object.isFrozen(a)'.padEnd(34)} ${Object.isFrozen(a)}`)

section('broadcasting and layout')
const col = ops.tensor([[100], [200]])
show('a + [[100],[200]]', ops.add(a, col))
show('transpose(a)', ops.transpose(a))
show('slice(a, [all, {step: -1}])', ops.slice(a, [null, { step: -1 }]))
line('concat([a, a], 0).shape', `[${ops.concat([a, a], 0).shape.join(',')}]`)
show('oneHot([2, 0, 1], 3)', ops.oneHot([2, 0, 1], 3))

section('reductions (stable where it matters)')
show('sum(a, axis 0)', ops.sum(a, 0))
show('mean(a, axis 1, keepDims)', ops.mean(a, 1, true))
show('softmax([1000, 1001, 1002])', ops.softmax(ops.tensor([1000, 1001, 1002])))
show('logsumexp([1000, 1000]) − 1000', ops.item(ops.logsumexp(ops.tensor([1000, 1000], 'float64'))) - 1000)
show('sigmoid([-1e4, 0, 1e4])', ops.sigmoid(ops.tensor([-1e4, 0, 1e4])))

section('linear algebra')
const A = ops.tensor([[4, 2], [2, 3]], 'float64')
const bvec = ops.tensor([2, 1], 'float64')
show('A', A)
show('cholesky(A)', ops.cholesky(A))
show('solve(A, b)', ops.solve(A, bvec))
show('det(A)', ops.det(A))
show('inv(A) @ A', ops.matmul(ops.inv(A), A))
show('lstsq(A, b, ridge 0.1)', ops.lstsq(A, bvec, { ridge: 0.1 }))
line('matmul([2,1,1,3], [4,3,2]).shape', `[${ops.matmul(ops.zeros([2, 1, 1, 3]), ops.zeros([4, 3, 2])).shape.join(',')}]`)

section('convolution (NCHW, OIHW)')
const img = ops.reshape(ops.arange(16), [1, 1, 4, 4])
const edge = ops.tensor([[[[1, -1]]]])
show('conv2d(img, [1, -1])', ops.conv2d(img, edge))
show('maxPool2d(img, 2)', ops.maxPool2d(img, 2))
show('convolveFull([1,1], [1,2,3])', ops.convolveFull(ops.tensor([1, 1]), ops.tensor([1, 2, 3])))

section('randomness: explicit, splittable keys')
const key = random.key(0)
const [k1, k2] = random.split(key)
show('uniform(k1, [3])', random.uniform(k1, [3]))
show('uniform(k1, [3]) again (same key)', random.uniform(k1, [3]))
show('normal(k2, [3])', random.normal(k2, [3]))
show('permutation(k2, 6)', random.permutation(k2, 6))

section('parameter trees and codecs')
const params = { dense: { w: random.normal(k1, [2, 2], { std: 0.1 }), b: ops.zeros([2]) }, scale: ops.scalar(1) }
console.log(`${'tree.paths(params)'.padEnd(34)} ${tree.paths(params).join(', ')}`)
const doubled = tree.map(params, (t) => ops.mul(t, 2))
show('doubled.dense.b + 1', ops.add(doubled.dense.b, 1))
const json = io.toJSON(params)
console.log(`${'io.toJSON(params)'.padEnd(34)} ${json.length} characters`)
const back = io.fromJSON(json)
console.log(`${'fromJSON(toJSON(p)) has same shape'.padEnd(34)} ${back._tag === 'Right' && tree.structureEquals(back.right, params)}`)
const bad = io.decode(io.TreeCodec, { dense: { w: { dtype: 'float32', shape: [2, 2], data: [1, 2, 3] } } })
console.log(`${'decoding a corrupted tree'.padEnd(34)} ${bad._tag === 'Left' ? bad.left.message : 'accepted?!'}`)

section('errors name the operation, the shapes and the axis')
try {
  ops.matmul(ops.zeros([2, 3]), ops.zeros([4, 5]))
} catch (e) {
  console.log(`${(e instanceof ShapeError ? 'ShapeError' : 'error').padEnd(34)} ${(e as Error).message}`)
}
try {
  ops.concat([ops.zeros([2, 3]), ops.zeros([2, 4])], 0)
} catch (e) {
  console.log(`${'ShapeError'.padEnd(34)} ${(e as Error).message}`)
}
