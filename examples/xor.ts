/**
 * `npm run example:xor`: the XOR problem, which no single-layer perceptron can solve and a
 * network with one hidden layer of two logistic units can. A 2-2-1 network
 * `x ↦ σ(W₂ σ(W₁ x + b₁) + b₂)` (σ the logistic sigmoid) is trained by plain full-batch
 * gradient descent with momentum (`optim.momentum(0.5, 0.9)`) on the binary cross-entropy
 * of the four points of `data.xor()`; its four predictions are printed before and after.
 * Then a single-layer logistic model `x ↦ σ(w·x + b)` gets the same treatment: it can only
 * draw one straight line, so it stays at 0.5 on every point (the loss stays at ln 2), and
 * a search over 20,000 random lines shows that no line classifies more than 3 of the 4
 * points (75%).
 *
 * A 2-2-1 network has local minima: with SEED=0 (random.key(0)) gradient descent settles at
 * loss ln(2)/2 with one corner stuck at 0.5; with the default random.key(1) and the other
 * keys 2–7 it solves XOR, and a 2-4-1 network (HIDDEN=4) solved it for every key 0–7 tried.
 *
 * Writes out/xor-loss.svg (both loss curves, log scale). Deterministic: random.key(1)
 * (environment variables SEED, HIDDEN and STEPS change the run).
 */
import { data, nn, ops, optim, random, type Tensor } from 'dendrite'
import { lineChart, writeFile } from 'dendrite/viz'

const STEPS = Number(process.env.STEPS ?? 2000)
const LR = 0.5
const BETA = 0.9
const HIDDEN = Number(process.env.HIDDEN ?? 2)
const SEED = Number(process.env.SEED ?? 1)

const { x, y: labels } = data.xor()
const y = ops.reshape(labels, [4, 1])
const corners = ops.toArray(x) as number[][]

/** Prints the four predictions and returns how many are on the right side of 0.5. */
const show = (name: string, p: Tensor): number => {
  const probs = Array.from(ops.toFlat(p))
  const target = Array.from(ops.toFlat(labels))
  console.log(`  ${name}:`)
  probs.forEach((v, i) => console.log(`    (${corners[i].join(', ')}) → ${v.toFixed(4)}   (target ${target[i]})`))
  const correct = probs.filter((v, i) => (v > 0.5 ? 1 : 0) === target[i]).length
  console.log(`    accuracy ${correct}/4 = ${(100 * correct / 4).toFixed(0)}%`)
  return correct
}

/** Full-batch gradient descent with momentum; returns the trained parameters and the loss per step. */
const train = <P extends Parameters<typeof optim.fit>[0]['params']>(
  name: string,
  params: P,
  logits: (p: P, x: Tensor) => Tensor,
  key: ReturnType<typeof random.key>,
): { readonly params: P; readonly loss: ReadonlyArray<number> } => {
  console.log(`training ${name} for ${STEPS} steps of gradient descent with momentum (lr ${LR}, β ${BETA}):`)
  const r = optim.fit({
    params,
    optimizer: optim.momentum(LR, BETA),
    loss: (p, xb, yb) => nn.binaryCrossEntropyWithLogits(logits(p, xb), yb),
    data: { x, y },
    epochs: STEPS,
    batchSize: 4,
    key,
    callbacks: {
      onEpochEnd: (e) => {
        if (e.epoch === 0 || (e.epoch + 1) % (STEPS / 4) === 0) console.log(`  step ${String(e.epoch + 1).padStart(4)}: loss ${e.loss.toFixed(5)}`)
      },
    },
  })
  return { params: r.params, loss: r.history.loss }
}

const main = async (): Promise<void> => {
  const t0 = performance.now()
  const [kInit, kFit, kInit1, kFit1, kLines] = random.split(random.key(SEED), 5)

  // the 2-2-1 network: the hidden layer maps the four corners to a plane where they are separable
  const mlp = nn.serial(nn.dense(HIDDEN, { kernelInit: nn.glorotNormal }), nn.sigmoid, nn.dense(1, { kernelInit: nn.glorotNormal }))
  const { params: p0 } = mlp.init(kInit, [-1, 2])
  console.log(`2-${HIDDEN}-1 logistic network before training:`)
  show('predictions σ(output)', ops.sigmoid(mlp.apply(p0, x)))
  const net = train(`the 2-${HIDDEN}-1 network`, p0, (p, xb) => mlp.apply(p, xb), kFit)
  console.log(`2-${HIDDEN}-1 logistic network after training:`)
  const solved = show('predictions σ(output)', ops.sigmoid(mlp.apply(net.params, x)))
  if (solved !== 4) throw new Error(`the 2-${HIDDEN}-1 network classified only ${solved}/4 points: a local minimum (try another SEED)`)

  // the single-layer perceptron (logistic regression) 2-1
  const single = nn.dense(1)
  const { params: q0 } = single.init(kInit1, [-1, 2])
  console.log('\nsingle-layer logistic model 2-1 before training:')
  show('predictions σ(w·x + b)', ops.sigmoid(single.apply(q0, x)))
  const lin = train('the 2-1 logistic model', q0, (p, xb) => single.apply(p, xb), kFit1)
  console.log('single-layer logistic model 2-1 after training:')
  show('predictions σ(w·x + b)', ops.sigmoid(single.apply(lin.params, x)))
  const w = Array.from(ops.toFlat(lin.params.w)).map((v) => v.toExponential(1))
  console.log(`  w = [${w.join(', ')}], b = ${ops.item(lin.params.b ?? ops.tensor(0)).toExponential(1)}: the best a line can do on the cross-entropy is w = 0, b = 0, every prediction 0.5, loss ln 2 = ${Math.LN2.toFixed(5)}`)

  // no line does better than 3 of 4: try 20,000 random lines w·x + b > 0
  const [kW, kB] = random.split(kLines)
  const scores = ops.add(ops.matmul(x, random.normal(kW, [2, 20000])), random.normal(kB, [20000])) // [4, 20000]: w·x + b per line
  const hits = ops.sum(ops.equal(ops.greater(scores, 0), ops.reshape(labels, [4, 1])), 0)
  console.log(`  best of 20,000 random lines: ${ops.item(ops.max(hits))}/4 points correct (a linear classifier cannot separate XOR)`)

  const steps = net.loss.map((_, i) => i + 1)
  const svg = await lineChart(
    [
      { name: `2-${HIDDEN}-1 network`, x: steps, y: [...net.loss] },
      { name: '2-1 logistic model', x: steps, y: [...lin.loss] },
    ],
    { title: 'XOR: binary cross-entropy per gradient-descent step', xLabel: 'step', yLabel: 'loss', logY: true },
  )
  await writeFile('out/xor-loss.svg', svg)
  console.log(`\nwrote out/xor-loss.svg (${((performance.now() - t0) / 1000).toFixed(1)} s in all)`)
}

void main()
