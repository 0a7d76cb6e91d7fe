/**
 * Backpropagation (notes §5, vectorised over the batch §5.1): the gradient that `grad`
 * computes for an MLP of 2–3 dense layers with logistic activations and an MSE loss equals
 * the backprop formulas written out by hand, in the row-vector convention of `dense`
 * (`z(l) = h(l−1) W(l) + b(l)`, `h(l) = σ(z(l))`, `h(0) = x` of shape [B, n₀]):
 *
 *   ∇_h(L) = 2 (h(L) − y) / (B·n_L)                      (MSE, mean over all entries)
 *   ∇_z(L) = σ'(z(L)) ⊙ ∇_h(L)
 *   ∇_z(l) = σ'(z(l)) ⊙ (∇_z(l+1) W(l+1)ᵀ)
 *   ∇_W(l) = h(l−1)ᵀ ∇_z(l),   ∇_b(l) = Σ_batch ∇_z(l)
 */
import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { grad, nn, ops } from 'dendrite'
import { allClose, arb } from 'dendrite/testing'

type Dense = { readonly w: ops.Tensor; readonly b?: ops.Tensor }

const mlp = fc.record({
  widths: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 3, maxLength: 4 }), // n₀ … n_L: 2–3 layers
  batch: fc.integer({ min: 1, max: 6 }),
  key: arb.key(),
}).chain(({ widths, batch, key }) =>
  fc.tuple(
    fc.constant(widths),
    fc.constant(key),
    arb.tensor({ shape: [batch, widths[0]], min: -3, max: 3 }),
    arb.tensor({ shape: [batch, widths[widths.length - 1]], domain: 'unit' }),
  ),
)

describe('backprop', () => {
  test.prop([mlp], { numRuns: 50 })('grad of an MLP loss = the backprop formulas of the notes, by hand', ([widths, key, x, y]) => {
    const layers = widths.slice(1).flatMap((n) => [nn.dense(n, { dtype: 'float64' }), nn.sigmoid])
    const model = nn.serial(...layers)
    const { params } = model.init(key, [-1, widths[0]])
    const loss = (p: ReadonlyArray<unknown>) => nn.mse(model.apply(p as never, x), y)
    const g = grad(loss)(params) as ReadonlyArray<Dense | null>

    // forward pass, keeping z(l) and h(l)
    const L = widths.length - 1
    const W = (l: number) => (params[2 * (l - 1)] as Dense).w
    const b = (l: number) => (params[2 * (l - 1)] as Dense).b as ops.Tensor
    const h: ops.Tensor[] = [x]
    const z: ops.Tensor[] = [x]
    for (let l = 1; l <= L; l++) {
      z[l] = ops.add(ops.matmul(h[l - 1], W(l)), b(l))
      h[l] = nn.sigmoid(z[l])
    }
    // backward pass
    const dz: ops.Tensor[] = []
    const dhL = ops.div(ops.mul(ops.sub(h[L], y), 2), h[L].data.length)
    dz[L] = ops.mul(nn.sigmoidPrime(z[L]), dhL)
    for (let l = L - 1; l >= 1; l--) dz[l] = ops.mul(nn.sigmoidPrime(z[l]), ops.matmul(dz[l + 1], ops.transpose(W(l + 1))))
    for (let l = 1; l <= L; l++) {
      const gl = g[2 * (l - 1)] as Dense
      allClose(gl.w, ops.matmul(ops.transpose(h[l - 1]), dz[l]), { rtol: 1e-10, atol: 1e-14 })
      allClose(gl.b as ops.Tensor, ops.sum(dz[l], 0), { rtol: 1e-10, atol: 1e-14 })
      // activation layers have no parameters, hence no gradient
      expect(g[2 * l - 1]).toBeNull()
    }
  })
})
