/**
 * `npm run demo` (= `npm run example:mnist-mlp`): a 784-128-10 multilayer perceptron
 * (ReLU, softmax cross-entropy, Adam with learning rate 3e-3, batch 64) trained on the 8,000 MNIST training digits of the
 * `mnist` package for 10 epochs, with a progress bar; reports test accuracy on the 2,000
 * held-out digits, and writes the loss curves (out/mnist-loss.svg), a grid of
 * misclassified test digits (out/mnist-misclassified.png) and the trained parameters
 * (out/mnist-mlp.dndr, reloaded and checked). Deterministic: random.key(0).
 */
import { SingleBar, Presets } from 'cli-progress'
import { data, io, nn, ops, optim, random, tree, type Tensor } from 'dendrite'
import { imageGrid, lineChart, writeFile } from 'dendrite/viz'

const EPOCHS = Number(process.env.EPOCHS ?? 10)
const BATCH = Number(process.env.BATCH ?? 64)
const LR = Number(process.env.LR ?? 3e-3)

const main = async (): Promise<void> => {
  const t0 = performance.now()
  const { train, test } = data.mnist()
  console.log(`MNIST: ${train.x.shape[0]} training and ${test.x.shape[0]} test digits loaded in ${((performance.now() - t0) / 1000).toFixed(2)} s`)

  const model = nn.serial(nn.dense(128, { kernelInit: nn.heNormal }), nn.relu, nn.dense(10))
  const [kInit, kFit] = random.split(random.key(0))
  const { params } = model.init(kInit, [-1, 784])
  console.log(nn.summary(model, [-1, 784]))

  type P = typeof params
  const loss = (p: P, x: Tensor, y: Tensor): Tensor => nn.crossEntropy(model.apply(p, x), y)
  const accuracy = (p: P, x: Tensor, y: Tensor): number => optim.evaluate((xb) => model.apply(p, xb), x, y, 500).metrics.accuracy

  const batchesPerEpoch = Math.ceil(train.x.shape[0] / BATCH)
  const bar = new SingleBar(
    { format: 'epoch {epoch}/{epochs} [{bar}] {percentage}% | loss {loss} | {speed} samples/s', hideCursor: true, noTTYOutput: true, notTTYSchedule: 2000 },
    Presets.shades_classic,
  )
  bar.start(EPOCHS * batchesPerEpoch, 0, { epoch: 1, epochs: EPOCHS, loss: '-', speed: '-' })
  const tTrain = performance.now()
  const result = optim.fit({
    params,
    optimizer: optim.adam(LR),
    loss: (p, x, y) => loss(p, x, y),
    data: train,
    validation: test,
    epochs: EPOCHS,
    batchSize: BATCH,
    key: kFit,
    metrics: { accuracy },
    callbacks: {
      onBatchEnd: (b) => {
        const seconds = (performance.now() - tTrain) / 1000
        bar.update(b.step, { epoch: b.epoch + 1, loss: b.loss.toFixed(3), speed: ((b.step * BATCH) / seconds).toFixed(0) })
      },
    },
  })
  bar.stop()
  const h = result.history
  h.loss.forEach((l, e) => {
    console.log(`epoch ${String(e + 1).padStart(2)}: train loss ${l.toFixed(4)}, test loss ${h.valLoss?.[e].toFixed(4)}, test accuracy ${(100 * h.valMetrics.accuracy[e]).toFixed(2)}%`)
  })
  const trained = result.params
  const logits = model.apply(trained, test.x)
  const acc = optim.accuracy(logits, test.y)
  console.log(`test accuracy after ${EPOCHS} epochs: ${(100 * acc).toFixed(2)}% (${((performance.now() - tTrain) / 1000).toFixed(1)} s of training)`)

  // plots
  const epochs = h.loss.map((_, e) => e + 1)
  const svg = await lineChart(
    [
      { name: 'train loss', x: epochs, y: [...h.loss] },
      { name: 'test loss', x: epochs, y: [...(h.valLoss ?? [])] },
    ],
    { title: 'MNIST MLP 784-128-10: cross-entropy per epoch', xLabel: 'epoch', yLabel: 'loss' },
  )
  await writeFile('out/mnist-loss.svg', svg)
  const predicted = ops.toFlat(ops.argmax(logits, 1))
  const truth = ops.toFlat(test.y)
  const wrong = predicted.map((p, i) => (p !== truth[i] ? i : -1)).filter((i) => i >= 0).slice(0, 60)
  const png = imageGrid(ops.take(test.x, wrong, 0), { height: 28, width: 28, cols: 10, scale: 2, labels: wrong.map((i) => `${truth[i]}-${predicted[i]}`) })
  await writeFile('out/mnist-misclassified.png', png)
  console.log(`wrote out/mnist-loss.svg and out/mnist-misclassified.png (${wrong.length} misclassified digits, labelled true-predicted)`)

  // save, reload, check
  await writeFile('out/mnist-mlp.dndr', io.toBinary(trained))
  const back = io.fromBinaryOrThrow(io.toBinary(trained), trained)
  const same = tree.leaves(back).every((l, i) => ops.toFlat(l).every((v, j) => v === tree.leaves(trained)[i].data[j]))
  console.log(`wrote out/mnist-mlp.dndr (${nn.paramCount(trained)} parameters); reloaded bit for bit: ${same}`)
}

void main()
