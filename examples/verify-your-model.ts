/**
 * `npm run example:verify`: prove things about a layer of your own with fast-check and
 * dendrite/testing. The layer here is a small "RMS-normalised dense" layer,
 * y = W·(x / rms(x)) + b; we check its gradients (first and second order, both modes)
 * and one invariant (scaling x by c > 0 leaves y unchanged), then show what a failure looks
 * like when a hand-written backward rule is wrong.
 */
import fc from 'fast-check'
import { customVjp, ops, type Tensor } from 'dendrite'
import { arb, checkGrads, checkInvariant } from 'dendrite/testing'

const rmsDense = (w: Tensor, b: Tensor, x: Tensor): Tensor => {
  const rms = ops.sqrt(ops.mean(ops.square(x)))
  return ops.add(ops.matmul(w, ops.div(x, rms)), b)
}

// 1. the gradient, in five lines
fc.assert(
  fc.property(arb.tensor({ shape: [2, 3] }), arb.tensor({ shape: [2] }), arb.tensor({ shape: [3], domain: 'nonzero' }), arb.key(), (w, b, x, key) =>
    checkGrads(rmsDense, [w, b, x], { order: 2, key }),
  ),
  { numRuns: 50 },
)
console.log('✓ checkGrads: rmsDense agrees with finite differences and forward = reverse, up to order 2 (50 random cases)')

// 2. an invariant: y(c·x) = y(x) for c > 0. (With the usual ε inside the square root,
//    √(mean(x²) + ε), fast-check finds the invariant broken at small scales: try it.)
fc.assert(
  fc.property(arb.tensor({ shape: [2, 3] }), arb.tensor({ shape: [3], domain: 'nonzero' }), arb.value({ min: 0.1, max: 100 }), (w, x, c) =>
    checkInvariant((v) => rmsDense(w, ops.zeros([2], 'float64'), v), (v) => ops.mul(v, c), x, { rtol: 1e-9, atol: 1e-9 }),
  ),
  { numRuns: 50 },
)
console.log('✓ checkInvariant: rmsDense ignores the scale of its input, c ∈ [0.1, 100] (50 random cases)')

// 3. a hand-written backward rule with a sign error is caught, with a small counterexample
const square = customVjp((x: Tensor) => ops.square(x), (x: Tensor) => [ops.square(x), x] as const, (x, ct) => [ops.mul(ct, ops.mul(x, -2))])
const r = fc.check(fc.property(arb.tensor({ minRank: 1, maxRank: 3 }), arb.key(), (x, key) => checkGrads(square, [x], { key })), { numRuns: 50, seed: 42 })
if (!r.failed) throw new Error('the planted error was not caught')
const [x] = r.counterexample as [Tensor, unknown]
console.log(`✓ a wrong backward rule is caught; shrunk counterexample: shape [${x.shape.join(',')}], values ${JSON.stringify(ops.toFlat(x))}`)
console.log(`  ${String(r.errorInstance).split('\n')[0]}`)
