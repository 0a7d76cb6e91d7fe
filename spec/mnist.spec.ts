/**
 * End to end: the MNIST MLP of `npm run demo` (784-128-10, ReLU, Adam 3e-3, batch 64,
 * 10 epochs, random.key(0)) reaches at least 94.5% test accuracy on the fixed split. The
 * run is deterministic, so this is a check of behaviour, not of luck; it takes ~20 s.
 */
import { expect, test } from 'vitest'
import { data, nn, optim, random, type Tensor } from 'dendrite'

test('the MNIST MLP reaches ≥ 94.5% test accuracy in 10 epochs', () => {
  const { train, test: held } = data.mnist()
  const model = nn.serial(nn.dense(128, { kernelInit: nn.heNormal }), nn.relu, nn.dense(10))
  const [kInit, kFit] = random.split(random.key(0))
  const { params } = model.init(kInit, [-1, 784])
  const r = optim.fit({
    params,
    optimizer: optim.adam(3e-3),
    loss: (p, x: Tensor, y: Tensor) => nn.crossEntropy(model.apply(p, x), y),
    data: train,
    epochs: 10,
    batchSize: 64,
    key: kFit,
  })
  const acc = optim.accuracy(model.apply(r.params, held.x), held.y)
  expect(acc).toBeGreaterThanOrEqual(0.945)
  expect(r.history.loss[9]).toBeLessThan(r.history.loss[0] / 10)
}, 300_000)
