/**
 * `npm run bench:ad`: the cost of reverse-mode differentiation on a 784-128-10 MLP with
 * softmax cross-entropy, batch 64, float32: forward time, forward + backward time and
 * their ratio; and the per-primitive overhead of tracing (tiny tensors, so the arithmetic
 * is negligible and what is left is the interpreter).
 */
import { grad, jvp, ops, random, trace, valueAndGrad, type Tensor } from 'dendrite'
import { time } from './util.js'


const [k1, k2, k3, k4] = random.split(random.key(0), 4)
const params = {
  w1: random.normal(k1, [784, 128], { std: Math.sqrt(2 / 784) }),
  b1: ops.zeros([128]),
  w2: random.normal(k2, [128, 10], { std: Math.sqrt(2 / 128) }),
  b2: ops.zeros([10]),
}
const x = random.uniform(k3, [64, 784])
const labels = ops.oneHot(ops.toFlat(random.categorical(k4, ops.zeros([64, 10]))), 10)
type P = typeof params
const loss = (p: P): Tensor => {
  const h = ops.relu(ops.add(ops.matmul(x, p.w1), p.b1))
  const logits = ops.add(ops.matmul(h, p.w2), p.b2)
  return ops.neg(ops.mean(ops.sum(ops.mul(labels, ops.logSoftmax(logits)), 1)))
}

const reps = 30
const tF = time(() => loss(params), reps)
const tFB = time(() => valueAndGrad(loss)(params), reps)
const g = trace(loss)(params)
console.log('MLP 784-128-10, batch 64, float32, softmax cross-entropy')
console.log(`  primitives in the step:          ${g.equations.length}`)
console.log(`  forward:                         ${tF.toFixed(2)} ms`)
console.log(`  forward + backward (valueAndGrad): ${tFB.toFixed(2)} ms`)
console.log(`  ratio:                           ${(tFB / tF).toFixed(2)}×`)

// where the time goes: the three matmuls of the backward pass and the forward ones
const h = ops.relu(ops.add(ops.matmul(x, params.w1), params.b1))
const tMm1 = time(() => ops.matmul(x, params.w1), reps)
const tMm1T = time(() => ops.matmul(ops.transpose(x), ops.zeros([64, 128])), reps)
const tMm2 = time(() => ops.matmul(h, params.w2), reps)
console.log(`  of which: x·W1 ${tMm1.toFixed(2)} ms, xᵀ·G (∂W1) ${tMm1T.toFixed(2)} ms, h·W2 ${tMm2.toFixed(2)} ms`)

// per-primitive overhead on scalars: a chain of 1000 adds
const chainOf = (s: Tensor): Tensor => {
  let y = s
  for (let i = 0; i < 1000; i++) y = ops.add(y, 1)
  return y
}
const s = ops.scalar(1)
const tPlain = time(() => chainOf(s), 20) / 1000
const tRev = time(() => grad(chainOf)(s), 20) / 1000
const tFwd = time(() => jvp(chainOf)([s], [ops.scalar(1)]), 20) / 1000
const tGraph = time(() => trace(chainOf)(s), 20) / 1000
console.log('per-primitive cost on scalars (µs per add):')
console.log(`  plain ${(tPlain * 1000).toFixed(2)}, forward (jvp) ${(tFwd * 1000).toFixed(2)}, reverse (grad, record + backward) ${(tRev * 1000).toFixed(2)}, graph trace ${(tGraph * 1000).toFixed(2)}`)
