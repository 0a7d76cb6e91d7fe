/**
 * `npm run example:autodiff`: automatic differentiation in dendrite — gradients of
 * ordinary code, higher derivatives, Jacobians, the expression graph of a neuron (printed
 * and written as Graphviz DOT to out/neuron-graph.dot), and a logistic-regression model
 * fitted by plain gradient descent. Deterministic (random.key(0)).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { grad, graphToString, hessian, jacfwd, ops, random, toDot, trace, valueAndGrad, type Tensor } from 'dendrite'

const line = (label: string, v: unknown): void => console.log(`${label.padEnd(44)} ${typeof v === 'string' ? v : JSON.stringify(v)}`)
const r4 = (t: Tensor): unknown => JSON.parse(JSON.stringify(ops.toArray(t), (_, v) => (typeof v === 'number' ? Math.round(v * 1e4) / 1e4 : v)))

console.log('── derivatives of ordinary code ──────────────────────────────────────')
const f = (x: Tensor) => ops.mul(x, ops.sin(x))
line('f(x) = x sin x;  f′(π/2)', ops.item(grad(f)(ops.scalar(Math.PI / 2, 'float64'))))
line('f″(π/2) = 2cos x − x sin x', ops.item(grad(grad(f))(ops.scalar(Math.PI / 2, 'float64'))))
line('jacobian of softmax at [1, 2, 3]', r4(jacfwd((z: Tensor) => ops.softmax(z))(ops.tensor([1, 2, 3], 'float64'))))
line('hessian of x₀² x₁ at [1, 2]', r4(hessian((z: Tensor) => ops.mul(ops.square(ops.slice(z, [0])), ops.slice(z, [1])))(ops.tensor([1, 2], 'float64'))))

console.log('\n── the expression graph of a neuron, σ(w·x + b) ────────────────────────')
const neuron = (w: Tensor, b: Tensor, x: Tensor) => ops.sigmoid(ops.add(ops.dot(w, x), b))
const g = trace(neuron)(ops.tensor([0.5, -1]), ops.scalar(0.1), ops.tensor([2, 1]))
console.log(graphToString(g))
mkdirSync('out', { recursive: true })
writeFileSync('out/neuron-graph.dot', toDot(g))
console.log('wrote out/neuron-graph.dot (render with: dot -Tsvg out/neuron-graph.dot)')

console.log('\n── logistic regression by gradient descent ─────────────────────────────')
const [k1, k2] = random.split(random.key(0))
const n = 200
// two Gaussian blobs in the plane, centred at (−1, −1) and (1, 1)
const labels = ops.astype(random.bernoulli(k1, 0.5, [n]), 'float64')
const centres = ops.sub(ops.mul(ops.expandDims(labels, 1), 2), 1)
const X = ops.add(ops.broadcastTo(centres, [n, 2]), random.normal(k2, [n, 2], { std: 0.8, dtype: 'float64' }))
type Params = { w: Tensor; b: Tensor }
const loss = (p: Params): Tensor => {
  const z = ops.add(ops.matmul(X, p.w), p.b)
  // binary cross-entropy from logits, stably: softplus(z) − y z
  return ops.mean(ops.sub(ops.softplus(z), ops.mul(labels, z)))
}
let p: Params = { w: ops.zeros([2], 'float64'), b: ops.scalar(0, 'float64') }
const eta = 0.5
for (let step = 0; step <= 100; step++) {
  const [l, gp] = valueAndGrad(loss)(p)
  if (step % 20 === 0) {
    const acc = ops.item(ops.mean(ops.equal(ops.greater(ops.add(ops.matmul(X, p.w), p.b), 0), labels)))
    line(`step ${String(step).padStart(3)}: loss, accuracy`, [Math.round(ops.item(l) * 1e4) / 1e4, acc])
  }
  p = { w: ops.sub(p.w, ops.mul(gp.w, eta)), b: ops.sub(p.b, ops.mul(gp.b, eta)) }
}
line('learned w, b', [r4(p.w), r4(p.b)])
