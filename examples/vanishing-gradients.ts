/**
 * `npm run example:vanishing-gradients`: why deep logistic networks were hard to train.
 * Backpropagation multiplies the gradient, layer by layer going backwards, by `Wᵀ` and by
 * the activation's derivative; for the logistic sigmoid `σ' = σ(1 − σ) ≤ 1/4`, so with
 * weights of unit gain (variance 1/fan-in) each logistic layer shrinks the gradient by a
 * factor of about 4 or more, and after ten layers the first layer gets almost nothing.
 *
 * Two 784-32×10-10 networks (ten hidden layers of width 32) get one batch of 256 MNIST
 * digits at initialisation, and `grad` of the softmax cross-entropy is computed once:
 * - logistic: `dense(32) → sigmoid`, ten times, with dense's default init glorotUniform,
 *   which for the 32 × 32 layers has variance 2/(32 + 32) = 1/fan_in: the "unit gain" the
 *   argument above assumes, so no special init is needed (lecunNormal, std 1/√fan_in,
 *   gives about the same: 4.4× per layer);
 * - ReLU: `dense(32, { kernelInit: nn.heNormal }) → relu`, ten times: He's init
 *   (variance 2/fan_in) exactly compensates the half of the units that ReLU switches off.
 *
 * Prints the per-layer gradient norms (`nn.layerGradNorms`), the ratio of each hidden
 * layer's norm to the one before it (going backwards: `‖g_{l+1}‖ / ‖g_l‖`, for layers
 * 2…10: layer 1's inputs are 784 pixels rather than 32 activations, so its weight
 * gradient, the outer product of input and backpropagated error, is on another scale) and
 * their geometric mean, and THROWS if the logistic network's geometric mean is below 4 (or the
 * ReLU network's is 4 or more), so the example fails loudly if the effect disappears.
 * Writes the norms per layer (log scale) to out/vanishing-gradients.svg.
 * Deterministic: random.key(0).
 */
import { data, grad, nn, ops, random, type Tensor } from 'dendrite'
import { lineChart, writeFile } from 'dendrite/viz'

const DEPTH = 10
const WIDTH = 32
const BATCH = 256

type Run = { readonly name: string; readonly norms: ReadonlyArray<number>; readonly geo: number }

const main = async (): Promise<void> => {
  const t0 = performance.now()
  const { train } = data.mnist()
  const idx = Array.from({ length: BATCH }, (_, i) => i)
  const x = ops.take(train.x, idx)
  const y = ops.take(train.y, idx)
  console.log(`one batch of ${BATCH} MNIST digits; ${DEPTH} hidden layers of width ${WIDTH}, then dense(10)\n`)

  const [kLogistic, kRelu] = random.split(random.key(0))
  const deep = (act: nn.Activation, init: nn.Initializer) =>
    nn.serial(...Array.from({ length: DEPTH }, () => [nn.dense(WIDTH, { kernelInit: init }), act]).flat(), nn.dense(10))

  const measure = (name: string, model: nn.Combinator, key: ReturnType<typeof random.key>): Run => {
    const { params } = model.init(key, [-1, 784])
    const g = grad((p: typeof params) => nn.crossEntropy(model.apply(p, x), y))(params)
    // one entry per dense layer (activations have no parameters and are skipped); the last is the output layer
    const norms = nn.layerGradNorms(g).map((n) => n.norm)
    // ratios between hidden layers 2…DEPTH, whose inputs are all WIDTH activations; layer 1's
    // input is 784 pixels, so its weight gradient (input ⊗ backpropagated error) has another scale
    const hidden = norms.slice(1, DEPTH)
    const ratios = hidden.slice(1).map((n, l) => n / hidden[l])
    const geo = Math.exp(ratios.reduce((s, r) => s + Math.log(r), 0) / ratios.length)
    console.log(`${name}: gradient norm per layer (layer 1 = next to the input, ${DEPTH + 1} = output)`)
    norms.forEach((n, l) => {
      const r = l >= 2 && l < DEPTH ? `   ‖g_${l + 1}‖/‖g_${l}‖ = ${ratios[l - 2].toFixed(2)}` : l === 1 ? `   (‖g_2‖/‖g_1‖ = ${(n / norms[0]).toFixed(2)}: layer 1 sees pixels, not compared)` : ''
      console.log(`  layer ${String(l + 1).padStart(2)}: ${n.toExponential(3)}${r}`)
    })
    console.log(`  geometric mean of the ${ratios.length} ratios between hidden layers 2…${DEPTH}: ${geo.toFixed(2)} per layer; ` +
      `layer 2 gets ${(hidden[0] / hidden[hidden.length - 1]).toExponential(2)} times the gradient norm of layer ${DEPTH}\n`)
    return { name, norms, geo }
  }

  const logistic = measure('logistic (sigmoid), glorotUniform init', deep(nn.sigmoid, nn.glorotUniform), kLogistic)
  const relu = measure('ReLU, heNormal init', deep(nn.relu, nn.heNormal), kRelu)

  if (!(logistic.geo >= 4)) throw new Error(`expected the logistic network's gradients to shrink by ≥ 4× per layer going backwards, got ${logistic.geo.toFixed(2)}×`)
  if (!(relu.geo < 4)) throw new Error(`expected the ReLU network's gradients not to vanish, got ${relu.geo.toFixed(2)}× per layer`)
  console.log(`logistic: gradients shrink ${logistic.geo.toFixed(2)}× per layer going backwards (≥ 4, as σ' ≤ 1/4 predicts); ReLU + He: ${relu.geo.toFixed(2)}× (no vanishing)`)

  const layers = logistic.norms.map((_, l) => l + 1)
  const svg = await lineChart(
    [logistic, relu].map((r) => ({ name: r.name, x: layers, y: [...r.norms] })),
    { title: `gradient norm per layer at initialisation (${DEPTH} hidden layers of ${WIDTH})`, xLabel: 'layer (1 = input side)', yLabel: '‖∂L/∂θ_layer‖', logY: true },
  )
  await writeFile('out/vanishing-gradients.svg', svg)
  console.log(`wrote out/vanishing-gradients.svg (${((performance.now() - t0) / 1000).toFixed(1)} s in all)`)
}

void main()
