/**
 * `npm run example:overfitting`: overfitting and three cures. A deliberately
 * overparameterised 784-H-10 ReLU network (H = 128 by default: about 100,000 parameters for
 * 500 training digits) is trained with Adam (learning rate 1e-3, batch 50) on the first 500
 * MNIST training digits and evaluated after every epoch on the 2,000 test digits, four ways:
 *
 * - plain: it learns the 500 digits perfectly (train accuracy 100%, train loss → 0) while
 *   test accuracy stalls in the mid-80s: it memorises;
 * - weight decay: `optim.chain(optim.weightDecay(λ), optim.adam(η))`, i.e. the loss
 *   `L + (λ/2)‖w‖²`, which keeps the weights small;
 * - dropout: `nn.dropout(0.5)` after the hidden layer; `fit` gives the loss a context
 *   `{ key, training }` that the loss passes on to `model.apply`, so each step drops a fresh
 *   random half of the hidden units and evaluation uses them all;
 * - early stopping: 100 of the 500 digits are held out as validation data, `fit` stops
 *   when the validation loss has not improved for 5 epochs and restores the best epoch's
 *   parameters (`earlyStopping: { patience: 5, restoreBest: true }`); it trains on 400.
 *
 * On 500 digits the cures move test accuracy by a point or so and the test loss a little more
 * (a tuned λ matters: λ = 0.05 already underfits with Adam); early stopping pays for its
 * validation split with 100 fewer training digits.
 *
 * Prints a table of final train and test accuracy per method, and writes the test-accuracy
 * curves per epoch to out/overfitting.svg. The test accuracy per epoch comes from a `fit`
 * metric that closes over the test set (a `Metric` is any function of the parameters).
 * Deterministic: random.key(0). EPOCHS, HIDDEN, LAMBDA and DROPOUT change the run.
 */
import { data, nn, ops, optim, random, type Tensor } from 'dendrite'
import { lineChart, writeFile } from 'dendrite/viz'

const EPOCHS = Number(process.env.EPOCHS ?? 30)
const HIDDEN = Number(process.env.HIDDEN ?? 128)
const LR = 1e-3
const LAMBDA = Number(process.env.LAMBDA ?? 1e-2)
const DROPOUT = Number(process.env.DROPOUT ?? 0.5)
const BATCH = 50
const N_TRAIN = 500
const N_VAL = 100

type Method = 'plain' | 'weight decay' | 'dropout' | 'early stopping'

const main = async (): Promise<void> => {
  const t0 = performance.now()
  const mnist = data.mnist()
  const first = (n: number, from = 0): ReadonlyArray<number> => Array.from({ length: n }, (_, i) => from + i)
  const small = { x: ops.take(mnist.train.x, first(N_TRAIN)), y: ops.take(mnist.train.y, first(N_TRAIN)) }
  const { test } = mnist
  console.log(`${N_TRAIN} training digits, ${test.x.shape[0]} test digits (MNIST loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s)`)

  // one architecture for all: dropout(0) is the identity, so the parameter trees agree
  const net = (rate: number) => nn.serial(nn.dense(HIDDEN, { kernelInit: nn.heNormal }), nn.relu, nn.dropout(rate), nn.dense(10))
  const plainModel = net(0)
  const dropoutModel = net(DROPOUT)
  const [kInit, kFit] = random.split(random.key(0))
  // every method starts from the same weights and the same key
  const { params } = plainModel.init(kInit, [-1, 784])
  type P = typeof params
  console.log(`784-${HIDDEN}-10 ReLU network: ${nn.paramCount(params)} parameters for ${N_TRAIN} digits\n`)

  const accuracy = (p: P, x: Tensor, y: Tensor): number => optim.accuracy(plainModel.apply(p, x), y)
  const testAccuracy = (p: P): number => accuracy(p, test.x, test.y)

  const run = (method: Method) => {
    const model = method === 'dropout' ? dropoutModel : plainModel
    const early = method === 'early stopping'
    const trainSet = early ? { x: ops.take(small.x, first(N_TRAIN - N_VAL)), y: ops.take(small.y, first(N_TRAIN - N_VAL)) } : small
    const validation = early ? { x: ops.take(small.x, first(N_VAL, N_TRAIN - N_VAL)), y: ops.take(small.y, first(N_VAL, N_TRAIN - N_VAL)) } : undefined
    const t = performance.now()
    const result = optim.fit({
      params,
      // weightDecay(0) adds nothing, so the other methods get plain Adam (and every run the same optimiser type)
      optimizer: optim.chain(optim.weightDecay(method === 'weight decay' ? LAMBDA : 0), optim.adam(LR)),
      // the context carries a fresh key per step and `training`, which switches dropout on
      loss: (p, x, y, ctx) => nn.crossEntropy(model.apply(p, x, ctx), y),
      data: trainSet,
      ...(validation !== undefined ? { validation, earlyStopping: { patience: 5, restoreBest: true } } : {}),
      epochs: EPOCHS,
      batchSize: BATCH,
      evalBatchSize: 500,
      key: kFit,
      // without validation data the metrics are computed on the training data (trainMetrics)
      metrics: { accuracy, test: (p) => testAccuracy(p) },
      callbacks: {
        onEpochEnd: (e) => {
          if (e.epoch === 0 || (e.epoch + 1) % 5 === 0 || e.epoch + 1 === e.epochs) {
            const m = validation !== undefined ? e.valMetrics : e.metrics
            const own = validation !== undefined ? `validation loss ${e.valLoss?.toFixed(3)}, validation accuracy` : 'train accuracy'
            console.log(`  ${method}, epoch ${String(e.epoch + 1).padStart(2)}: loss ${e.loss.toFixed(4)}, ${own} ${(100 * m.accuracy).toFixed(1)}%, test accuracy ${(100 * m.test).toFixed(1)}%`)
          }
        },
      },
    })
    const h = result.history
    const testCurve = validation !== undefined ? h.valMetrics.test : h.metrics.test
    const p = result.params
    const row = {
      method,
      epochs: h.loss.length,
      best: h.bestEpoch + 1,
      trainAcc: accuracy(p, trainSet.x, trainSet.y),
      testAcc: testAccuracy(p),
      testLoss: ops.item(nn.crossEntropy(plainModel.apply(p, test.x), test.y)),
      testCurve,
      seconds: (performance.now() - t) / 1000,
    }
    if (early) console.log(`  early stopping: stopped after ${row.epochs} epochs${h.stoppedEarly ? '' : ' (ran them all)'}, restored epoch ${row.best}`)
    console.log(`  ${method}: ${(row.seconds).toFixed(1)} s\n`)
    return row
  }

  const rows = (['plain', 'weight decay', 'dropout', 'early stopping'] as const).map(run)

  console.log('method          | epochs | train acc | test acc | test loss')
  rows.forEach((r) => {
    console.log(`${r.method.padEnd(15)} | ${String(r.epochs).padStart(6)} | ${(100 * r.trainAcc).toFixed(1).padStart(8)}% | ${(100 * r.testAcc).toFixed(1).padStart(7)}% | ${r.testLoss.toFixed(4).padStart(9)}`)
  })
  console.log(`(train accuracy on the digits each method trained on: ${N_TRAIN}, or ${N_TRAIN - N_VAL} for early stopping; weight decay λ = ${LAMBDA}, dropout rate ${DROPOUT})`)

  const svg = await lineChart(
    rows.map((r) => ({ name: r.method, x: r.testCurve.map((_, e) => e + 1), y: [...r.testCurve] })),
    { title: `784-${HIDDEN}-10 on ${N_TRAIN} MNIST digits: test accuracy per epoch`, xLabel: 'epoch', yLabel: 'test accuracy' },
  )
  await writeFile('out/overfitting.svg', svg)
  console.log(`wrote out/overfitting.svg (${((performance.now() - t0) / 1000).toFixed(1)} s in all)`)
}

void main()
