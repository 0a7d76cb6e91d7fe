/**
 * `npm run bench:train`: training throughput of a 784-128-10 MLP (ReLU, softmax
 * cross-entropy, batch 64, plain SGD, float32), samples per second, dendrite (through
 * nn.serial, nn.crossEntropy, optim.sgd and optim.trainStep) beside
 * @tensorflow/tfjs on its `cpu` backend, in the same process. Medians of several timed
 * blocks after a warm-up.
 */
import * as tf from '@tensorflow/tfjs'
import { kernels, nn, ops, optim, random, type Tensor } from 'dendrite'
import { median } from './util.js'

const B = 64
const STEPS = Number(process.env.STEPS ?? 30)
const BLOCKS = 5
const lr = 0.05

// the same data for both: a fixed batch of random inputs and labels
const [kx, ky, k1, k2] = random.split(random.key(0), 4)
const xData = random.uniform(kx, [B, 784])
const labels = ops.toFlat(random.categorical(ky, ops.zeros([B, 10])))
const yData = ops.oneHot(labels, 10)

// ---- dendrite: the toolkit as a user writes it (nn.serial, nn.crossEntropy, optim.sgd, trainStep) ----
const model = nn.serial(nn.dense(128), nn.relu, nn.dense(10))
const init = model.init(k1, [-1, 784]).params
type P = typeof init
// the same initial weights as tfjs gets below
let params: P = [
  { w: random.normal(k1, [784, 128], { std: Math.sqrt(2 / 784) }), b: ops.zeros([128]) },
  null,
  { w: random.normal(k2, [128, 10], { std: Math.sqrt(2 / 128) }), b: ops.zeros([10]) },
] as unknown as P
const sgd = optim.sgd(lr)
let optState = sgd.init(params)
const trainStep = optim.trainStep((p: P, x: Tensor, y: Tensor) => nn.crossEntropy(model.apply(p, x), y), sgd)
const stepKey = random.key(3)
const step = (p: P): P => {
  const [next, s] = trainStep(p, optState, xData, yData, stepKey)
  optState = s
  return next
}
const w1Init = (params as unknown as Array<{ w: Tensor }>)[0].w
const w2Init = (params as unknown as Array<{ w: Tensor }>)[2].w

// ---- tfjs (cpu backend) ----
const runTf = async (): Promise<number[]> => {
  await tf.setBackend('cpu')
  const w1 = tf.variable(tf.tensor2d(Array.from(w1Init.data as Float32Array), [784, 128]))
  const b1 = tf.variable(tf.zeros([128]))
  const w2 = tf.variable(tf.tensor2d(Array.from(w2Init.data as Float32Array), [128, 10]))
  const b2 = tf.variable(tf.zeros([10]))
  const x = tf.tensor2d(Array.from(xData.data as Float32Array), [B, 784])
  const y = tf.tensor2d(Array.from(yData.data as Float32Array), [B, 10])
  const opt = tf.train.sgd(lr)
  const tfStep = (): void => {
    opt.minimize(() => tf.losses.softmaxCrossEntropy(y, tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2)) as tf.Scalar)
  }
  for (let i = 0; i < 5; i++) tfStep()
  const rates: number[] = []
  for (let b = 0; b < BLOCKS; b++) {
    const t0 = performance.now()
    for (let i = 0; i < STEPS; i++) tfStep()
    rates.push((STEPS * B) / ((performance.now() - t0) / 1000))
  }
  return rates
}

const runDendrite = (): number[] => {
  for (let i = 0; i < 5; i++) params = step(params)
  const rates: number[] = []
  for (let b = 0; b < BLOCKS; b++) {
    const t0 = performance.now()
    for (let i = 0; i < STEPS; i++) params = step(params)
    rates.push((STEPS * B) / ((performance.now() - t0) / 1000))
  }
  return rates
}

const main = async (): Promise<void> => {
  const d1 = runDendrite()
  const t = await runTf()
  const d2 = runDendrite() // again after tfjs, to see drift on a shared machine
  const d = median([...d1, ...d2])
  const tm = median(t)
  console.log('MLP 784-128-10 training step, batch 64, SGD, float32 (samples/s, median of blocks)')
  console.log(`  dendrite (${kernels.active().name} kernels): ${d.toFixed(0)}`)
  console.log(`  tfjs cpu backend:                ${tm.toFixed(0)}`)
  console.log(`  ratio dendrite / tfjs-cpu:       ${(d / tm).toFixed(2)}×`)
}
void main()
