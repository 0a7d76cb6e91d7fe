/**
 * `npm run example:universal-approximation`: one hidden layer is enough. A 1-H-1 network
 * with tanh hidden units, `x ↦ W₂ tanh(W₁ x + b₁) + b₂`, is fitted by mean squared error
 * and Adam (full batch, 6,000 steps, learning rate 0.01 with cosine decay) to
 * `f(x) = sin(3x) + 0.3 x²` sampled at 200 random points of [−2, 2]
 * (`data.functionRegression`), for H = 2, 4, 8, 16 and 32 hidden units. The universal
 * approximation theorem says that enough tanh (or logistic) units approximate any
 * continuous function on an interval; the printed MSEs (on the training points and on
 * a grid of 401 points against the true f) shrink as H grows. Environment variables STEPS,
 * LR and WIDTHS (e.g. `WIDTHS=2,8,32`) change the run.
 *
 * Writes out/universal-approximation.svg (truth and the five networks on the grid) and
 * out/universal-approximation-points.svg (the training points and the 32-unit network's
 * predictions at them). Deterministic: random.key(0).
 */
import { data, nn, ops, optim, random, type Tensor } from 'dendrite'
import { lineChart, scatter, writeFile } from 'dendrite/viz'

const STEPS = Number(process.env.STEPS ?? 6000)
const LR = Number(process.env.LR ?? 0.01)
const WIDTHS = (process.env.WIDTHS ?? '2,4,8,16,32').split(',').map(Number)
const N = 200

const f = (x: number): number => Math.sin(3 * x) + 0.3 * x * x

const main = async (): Promise<void> => {
  const t0 = performance.now()
  const [kData, kRest] = random.split(random.key(0))
  const train = data.functionRegression(kData, N, f, { domain: [-2, 2] })
  const gridX = Array.from({ length: 401 }, (_, i) => -2 + i / 100)
  const grid = ops.tensor(gridX.map((x) => [x]))
  const gridY = ops.tensor(gridX.map((x) => [f(x)]))

  const runKeys = random.split(kRest, WIDTHS.length)
  const runs = WIDTHS.map((h, r) => {
    const model = nn.serial(nn.dense(h), nn.tanh, nn.dense(1))
    const [kInit, kFit] = random.split(runKeys[r])
    const { params } = model.init(kInit, [-1, 1])
    type P = typeof params
    const predict = (p: P, x: Tensor): Tensor => model.apply(p, x)
    console.log(`\n1-${h}-1 tanh network (${nn.paramCount(params)} parameters), ${STEPS} full-batch Adam steps:`)
    const t = performance.now()
    const result = optim.fit({
      params,
      optimizer: optim.adam(optim.cosineDecay(LR, STEPS, { alpha: 0.05 })),
      loss: (p, x, y) => nn.mse(predict(p, x), y),
      data: train,
      epochs: STEPS,
      batchSize: N,
      key: kFit,
      callbacks: {
        onEpochEnd: (e) => {
          if ((e.epoch + 1) % Math.max(1, Math.round(STEPS / 4)) === 0) console.log(`  step ${String(e.epoch + 1).padStart(4)}: train MSE ${e.loss.toExponential(3)}`)
        },
      },
    })
    const p = result.params
    const trainMse = ops.item(nn.mse(predict(p, train.x), train.y))
    const gridPred = predict(p, grid)
    const gridMse = ops.item(nn.mse(gridPred, gridY))
    console.log(`  final MSE: ${trainMse.toExponential(3)} on the training points, ${gridMse.toExponential(3)} on the grid (${((performance.now() - t) / 1000).toFixed(1)} s)`)
    return { h, trainMse, gridMse, gridPred: Array.from(ops.toFlat(gridPred)), trainPred: Array.from(ops.toFlat(predict(p, train.x))) }
  })

  console.log('\nhidden units | train MSE  | grid MSE')
  runs.forEach((r) => console.log(`${String(r.h).padStart(12)} | ${r.trainMse.toExponential(3)} | ${r.gridMse.toExponential(3)}`))
  const better = runs.every((r, i) => i === 0 || r.gridMse < runs[i - 1].gridMse)
  const chain = WIDTHS.join(' → ')
  console.log(better ? `more hidden units fit better: the grid MSE falls at every step ${chain}` : `note: the grid MSE did not fall at every step ${chain} this time`)

  const last = runs[runs.length - 1]
  const svg = await lineChart(
    [
      { name: 'truth', x: gridX, y: Array.from(ops.toFlat(gridY)) },
      ...[...runs].reverse().map((r) => ({ name: `network (${r.h} units)`, x: gridX, y: r.gridPred })),
    ],
    { title: 'sin(3x) + 0.3x² fitted by one tanh hidden layer', xLabel: 'x', yLabel: 'y' },
  )
  await writeFile('out/universal-approximation.svg', svg)
  const xs = Array.from(ops.toFlat(train.x))
  const ys = Array.from(ops.toFlat(train.y))
  const points = await scatter(
    [
      ...xs.map((x, i) => ({ x, y: ys[i], group: 'training points' })),
      ...xs.map((x, i) => ({ x, y: last.trainPred[i], group: `network (${last.h} units)` })),
    ],
    { title: `the ${N} training points and the ${last.h}-unit network at them`, xLabel: 'x', yLabel: 'y' },
  )
  await writeFile('out/universal-approximation-points.svg', points)
  console.log(`wrote out/universal-approximation.svg and out/universal-approximation-points.svg (${((performance.now() - t0) / 1000).toFixed(1)} s in all)`)
}

void main()
