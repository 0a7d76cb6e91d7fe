/**
 * `npm run bench`: every benchmark side by side in one process, with dendrite (its
 * active kernel set), @tensorflow/tfjs on the `cpu` and `wasm` backends, and @jax-js/jax on
 * its `wasm` device (eager, and under `jit` where that changes anything). Prints medians
 * of several runs after a warm-up, throughput, and the ratios dendrite/peer, and writes
 * `bench/results.json`. The libraries' timed calls are interleaved round-robin (see
 * `runAll`), so that load from other processes on a shared machine falls on all alike.
 * `dendrite` runs on one thread like every peer (tfjs-wasm has no threads in Node, and
 * jax-js's wasm backend needs a global `Worker`, which Node lacks); `dendrite-2t` is the
 * same code with the WebAssembly matmul split over two worker threads.
 *
 * Honest timing: tfjs `cpu` and `wasm` run each kernel synchronously inside the op call
 * (the kernel writes the output before the op returns), so the timed region is the op
 * itself; reading the result back (`dataSync`, a copy out of the wasm heap that dendrite,
 * whose result already is a JS typed array, does not make) is left out. jax-js is lazy,
 * so every timed call awaits `blockUntilReady` on its outputs. Result checksums are taken
 * after timing and compared with dendrite's. jax-js arrays follow its ownership rules
 * (`.ref` for every reuse, disposal of every result; `dataSync` consumes a reference);
 * each teardown checks that the inputs still have reference count 1, i.e. the timed loop
 * neither leaked nor over-freed them.
 *
 * Environment: BENCH_ONLY=<regexp on benchmark ids>, BENCH_BUDGET_MS (timed-run budget
 * per case, default 1500).
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as tf from '@tensorflow/tfjs'
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'
import * as jax from '@jax-js/jax'
import { grad, kernels, nn, ops, optim, random, type Tensor } from 'dendrite'
import { header, machine, runAll, type Bench, type Case, type Lib, type Runner } from './harness.js'

const np = jax.numpy
type JArr = jax.Array
const here = path.dirname(fileURLToPath(import.meta.url))

// ---------------------------------------------------------------------------------------
// inputs shared by every library (generated once by dendrite, copied into the peers)

const f32 = (t: Tensor): Float32Array => Float32Array.from(t.data as ArrayLike<number>)
const sumOf = (xs: ArrayLike<number>): number => {
  let s = 0
  for (let i = 0; i < xs.length; i++) s += xs[i]
  return s
}
const tfOn = async (backend: 'cpu' | 'wasm'): Promise<void> => {
  if (tf.getBackend() !== backend) await tf.setBackend(backend)
}
// float64 goes through float32 then astype: jax-js's array() tests `instanceof Float16Array`
// before Float64Array, and Node 20 has no Float16Array (the inputs are float32 draws anyway)
const jaxArr = (t: Tensor, dtype: 'float32' | 'float64' = 'float32'): JArr => {
  const a = np.array(f32(t), { shape: [...t.shape], dtype: np.float32 })
  return dtype === 'float32' ? a : a.astype(np.float64)
}
/** Asserts that the timed loop left a jax-js input with exactly the caller's reference. */
const owned = (name: string, ...xs: JArr[]): void => {
  for (const x of xs) if (x.refCount !== 1) throw new Error(`jax-js ${name}: input refCount ${x.refCount} after the run (leak or double free)`)
  for (const x of xs) x.dispose()
}
const keys = random.split(random.key(0), 8)

// ---------------------------------------------------------------------------------------
// matmul n×n, float32 and float64

const benches: Bench[] = []
const cases: Case[] = []

for (const dtype of ['float32', 'float64'] as const) {
  for (const n of [128, 256, 512, 1024]) {
    const id = `matmul-${n}-${dtype}`
    benches.push({ id, title: `matmul ${n}² ${dtype}`, unit: 'GFLOP/s', work: 2 * n ** 3 })
    const a = random.normal(keys[0], [n, n], { dtype })
    const b = random.normal(keys[1], [n, n], { dtype })
    cases.push({
      bench: id, lib: 'dendrite',
      setup: () => {
        let c: Tensor | undefined
        return { run: () => { c = ops.matmul(a, b) }, check: () => sumOf((c as Tensor).data) }
      },
    })
    for (const backend of ['cpu', 'wasm'] as const) {
      cases.push({
        bench: id, lib: `tfjs-${backend}`,
        setup: async () => {
          if (dtype === 'float64') return 'no float64 dtype in tfjs'
          await tfOn(backend)
          const ta = tf.tensor2d(f32(a), [n, n])
          const tb = tf.tensor2d(f32(b), [n, n])
          let last: tf.Tensor | undefined
          return {
            before: () => tfOn(backend),
            run: () => {
              last?.dispose()
              last = tf.matMul(ta, tb)
            },
            check: () => { const s = sumOf(last!.dataSync()); last!.dispose(); return s },
            teardown: () => { ta.dispose(); tb.dispose() },
          }
        },
      })
    }
    cases.push({
      bench: id, lib: 'jax-js-wasm',
      setup: () => {
        const ja = jaxArr(a, dtype)
        const jb = jaxArr(b, dtype)
        let last: JArr | undefined
        return {
          run: async () => {
            last?.dispose()
            last = np.matmul(ja.ref, jb.ref)
            await last.blockUntilReady()
          },
          check: () => { const s = sumOf(last!.dataSync()); last = undefined; return s }, // dataSync consumes the reference
          teardown: () => owned(id, ja, jb),
        }
      },
    })
  }
}

// ---------------------------------------------------------------------------------------
// MLP training steps, SGD, float32: 784-128-10 at batch 64 (bound by its products) and
// 2-16-2 at batch 4 (the size of the course's XOR examples: bound by per-call overhead)

const LR = 0.05
const mlpCases = (id: string, B: number, D: number, H: number, C: number, STEPS: number, seed: random.Key): void => {
  benches.push({ id, title: `MLP ${D}-${H}-${C} SGD step, batch ${B}`, unit: 'samples/s', work: B, note: `ReLU, softmax cross-entropy, plain SGD lr 0.05, float32, ${STEPS} steps per timed call; check = loss of the first step` })
  const [kx, ky, k1, k2] = random.split(seed, 4)
  const x = random.uniform(kx, [B, D])
  const yIdx = ops.toFlat(random.categorical(ky, ops.zeros([B, C])))
  const y = ops.oneHot(yIdx, C)
  const w1 = random.normal(k1, [D, H], { std: Math.sqrt(2 / D) })
  const w2 = random.normal(k2, [H, C], { std: Math.sqrt(2 / H) })

  cases.push({
    bench: id, lib: 'dendrite',
    setup: () => {
      // the toolkit as a user writes it: nn.serial, nn.crossEntropy, optim.sgd, optim.trainStep
      const model = nn.serial(nn.dense(H), nn.relu, nn.dense(C))
      type P = ReturnType<typeof model.init>['params']
      let params = [{ w: w1, b: ops.zeros([H]) }, null, { w: w2, b: ops.zeros([C]) }] as unknown as P
      const sgd = optim.sgd(LR)
      let state = sgd.init(params)
      const step = optim.trainStep((p: P, xb: Tensor, yb: Tensor) => nn.crossEntropy(model.apply(p, xb), yb), sgd)
      const key = random.key(3)
      const first = step(params, state, x, y, key)[2]
      return {
        calls: STEPS,
        run: () => {
          for (let i = 0; i < STEPS; i++) {
            const [p, s] = step(params, state, x, y, key)
            params = p
            state = s
          }
        },
        check: () => first,
      }
    },
  })
  for (const backend of ['cpu', 'wasm'] as const) {
    cases.push({
      bench: id, lib: `tfjs-${backend}`,
      setup: async () => {
        await tfOn(backend)
        const tw1 = tf.variable(tf.tensor2d(f32(w1), [D, H]))
        const tb1 = tf.variable(tf.zeros([H]))
        const tw2 = tf.variable(tf.tensor2d(f32(w2), [H, C]))
        const tb2 = tf.variable(tf.zeros([C]))
        const tx = tf.tensor2d(f32(x), [B, D])
        const ty = tf.tensor2d(f32(y), [B, C])
        const opt = tf.train.sgd(LR)
        const loss = (): tf.Scalar => tf.losses.softmaxCrossEntropy(ty, tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(tx, tw1), tb1)), tw2), tb2)) as tf.Scalar
        const l0 = opt.minimize(loss, true) as tf.Scalar
        const first = l0.dataSync()[0]
        l0.dispose()
        return {
          before: () => tfOn(backend),
          calls: STEPS,
          run: () => {
            for (let i = 0; i < STEPS; i++) opt.minimize(loss)
          },
          check: () => first,
          teardown: () => { for (const t of [tw1, tb1, tw2, tb2, tx, ty]) t.dispose(); opt.dispose() },
        }
      },
    })
  }
  for (const useJit of [false, true]) {
    cases.push({
      bench: id, lib: useJit ? 'jax-js-wasm-jit' : 'jax-js-wasm',
      setup: async () => {
        type P = { w1: JArr; b1: JArr; w2: JArr; b2: JArr }
        const lossFn = (p: P, xb: JArr, yb: JArr): JArr => {
          const h = jax.nn.relu(np.matmul(xb, p.w1).add(p.b1))
          const logits = np.matmul(h, p.w2).add(p.b2)
          return np.mean(np.sum(yb.mul(jax.nn.logSoftmax(logits, -1)), -1)).neg()
        }
        const stepFn = (p: P, xb: JArr, yb: JArr): [P, JArr] => {
          const [l, g] = jax.valueAndGrad(lossFn)(jax.tree.ref(p), xb, yb)
          return [jax.tree.map((w: JArr, gw: JArr) => w.sub(gw.mul(LR)), p, g) as P, l]
        }
        const step = useJit ? jax.jit(stepFn) : stepFn
        const jx = jaxArr(x)
        const jy = jaxArr(y)
        let p: P = { w1: jaxArr(w1), b1: np.zeros([H]), w2: jaxArr(w2), b2: np.zeros([C]) }
        const [p1, l0] = step(p, jx.ref, jy.ref)
        p = p1
        const first = l0.dataSync()[0]
        return {
          calls: STEPS,
          run: async () => {
            for (let i = 0; i < STEPS; i++) {
              const [next, l] = step(p, jx.ref, jy.ref)
              l.dispose()
              p = next
            }
            await jax.blockUntilReady(p)
          },
          check: () => first,
          teardown: () => {
            owned(id, jx, jy)
            jax.tree.dispose(p)
            if (useJit) (step as jax.OwnedFunction<typeof stepFn>).dispose()
          },
        }
      },
    })
  }
}
mlpCases('mlp-train-step', 64, 784, 128, 10, 10, keys[2])
mlpCases('mlp-small-step', 4, 2, 16, 2, 20, random.key(7))

// ---------------------------------------------------------------------------------------
// conv2d [32,1,28,28] ⊛ 16×1×3×3 'same': forward and both gradients

{
  const id = 'conv2d-fwd-grads'
  benches.push({ id, title: "conv2d 32×1×28² ⊛ 16×1×3² 'same' fwd+∂x+∂w", unit: 'ms', work: 1, note: 'loss = Σ conv(x, w) ⊙ c, gradients with respect to x and w; check = Σ∂x + Σ∂w; tfjs in its native NHWC layout' })
  const x = random.normal(keys[3], [32, 1, 28, 28])
  const w = random.normal(keys[4], [16, 1, 3, 3])
  const c = random.normal(keys[5], [32, 16, 28, 28])
  const nhwc = (t: Tensor, perm: number[]): Float32Array => f32(ops.transpose(t, perm))
  cases.push({
    bench: id, lib: 'dendrite',
    setup: () => {
      const loss = (xx: Tensor, ww: Tensor): Tensor => ops.sum(ops.mul(ops.conv2d(xx, ww, { padding: 'same' }), c))
      const g = grad(loss, { argnums: [0, 1] })
      let out: [Tensor, Tensor] | undefined
      return { run: () => { out = g(x, w) }, check: () => sumOf(out![0].data) + sumOf(out![1].data) }
    },
  })
  for (const backend of ['cpu', 'wasm'] as const) {
    cases.push({
      bench: id, lib: `tfjs-${backend}`,
      setup: async () => {
        await tfOn(backend)
        if (backend === 'wasm' && tf.getKernel('Conv2DBackpropFilter', 'wasm') === undefined) {
          return 'tfjs-wasm has no Conv2DBackpropFilter kernel (no filter gradient)'
        }
        const tx = tf.tensor4d(nhwc(x, [0, 2, 3, 1]), [32, 28, 28, 1])
        const tw = tf.tensor4d(nhwc(w, [2, 3, 1, 0]), [3, 3, 1, 16]) // HWIO
        const tc = tf.tensor4d(nhwc(c, [0, 2, 3, 1]), [32, 28, 28, 16])
        const g = tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, 1, 'same'), tc)))
        let last: tf.Tensor[] | undefined
        return {
          before: () => tfOn(backend),
          run: () => {
            if (last) tf.dispose(last)
            last = g([tx, tw])
          },
          check: () => { const s = sumOf(last![0].dataSync()) + sumOf(last![1].dataSync()); tf.dispose(last!); return s },
          teardown: () => { tx.dispose(); tw.dispose(); tc.dispose() },
        }
      },
    })
  }
  for (const useJit of [false, true]) {
    cases.push({
      bench: id, lib: useJit ? 'jax-js-wasm-jit' : 'jax-js-wasm',
      setup: () => {
        const loss = (xx: JArr, ww: JArr, cc: JArr): JArr => np.sum(jax.lax.conv(xx, ww, [1, 1], 'SAME').mul(cc))
        const gf = (xx: JArr, ww: JArr, cc: JArr): [JArr, JArr] => jax.grad(loss, { argnums: [0, 1] })(xx, ww, cc) as [JArr, JArr]
        const g = useJit ? jax.jit(gf) : gf
        const jx = jaxArr(x)
        const jw = jaxArr(w)
        const jc = jaxArr(c)
        let out: [JArr, JArr] | undefined
        return {
          run: async () => {
            if (out) jax.tree.dispose(out)
            out = g(jx.ref, jw.ref, jc.ref)
            await jax.blockUntilReady(out)
          },
          check: () => { const s = sumOf(out![0].dataSync()) + sumOf(out![1].dataSync()); out = undefined; return s }, // dataSync consumes
          teardown: () => { owned(id, jx, jw, jc); if (useJit) (g as jax.OwnedFunction<typeof gf>).dispose() },
        }
      },
    })
  }
}

// ---------------------------------------------------------------------------------------
// elementwise add and exp on 1e6 float32 (GB/s = bytes of input / time)

{
  const N = 1_000_000
  const a = random.normal(keys[6], [N])
  const b = random.normal(keys[7], [N])
  for (const op of ['add', 'exp'] as const) {
    const id = `${op}-1e6-float32`
    const arity = op === 'add' ? 2 : 1
    benches.push({ id, title: `${op} 1e6 float32`, unit: 'GB/s', work: arity * 4 * N, note: 'GB/s = bytes of input / time (output bytes not counted)' })
    cases.push({
      bench: id, lib: 'dendrite',
      setup: () => {
        let r: Tensor | undefined
        return { run: () => { r = op === 'add' ? ops.add(a, b) : ops.exp(a) }, check: () => sumOf(r!.data) }
      },
    })
    for (const backend of ['cpu', 'wasm'] as const) {
      cases.push({
        bench: id, lib: `tfjs-${backend}`,
        setup: async () => {
          await tfOn(backend)
          const ta = tf.tensor1d(f32(a))
          const tb = tf.tensor1d(f32(b))
          let last: tf.Tensor | undefined
          return {
            before: () => tfOn(backend),
            run: () => {
              last?.dispose()
              last = op === 'add' ? tf.add(ta, tb) : tf.exp(ta)
            },
            check: () => { const s = sumOf(last!.dataSync()); last!.dispose(); return s },
            teardown: () => { ta.dispose(); tb.dispose() },
          }
        },
      })
    }
    cases.push({
      bench: id, lib: 'jax-js-wasm',
      setup: () => {
        const ja = jaxArr(a)
        const jb = jaxArr(b)
        let last: JArr | undefined
        return {
          run: async () => {
            last?.dispose()
            last = op === 'add' ? np.add(ja.ref, jb.ref) : np.exp(ja.ref)
            await last.blockUntilReady()
          },
          check: () => { const s = sumOf(last!.dataSync()); last = undefined; return s }, // dataSync consumes the reference
          teardown: () => owned(id, ja, jb),
        }
      },
    })
  }
}

// ---------------------------------------------------------------------------------------
// dendrite on two threads (worker threads split large matmuls; the 'dendrite' column is one
// thread, like every peer here), for the benchmarks whose products reach the thread threshold
// (256³ multiply-adds): the MLP step, conv2d and 128² stay on one thread whatever the
// setting. They used to have a column too, and it read 0.76–0.96× "speed-up": the second
// dendrite case in a round is slower even when both run on one thread (cause not found).

const THREADED = /^matmul-(256|512|1024)-/
const withThreads = (c: Case, lib: Lib, n: number): Case => ({
  bench: c.bench, lib,
  setup: async () => {
    kernels.setThreads(n)
    if (n > 1 && (await kernels.startThreads()) < n) {
      kernels.setThreads(1)
      return 'worker threads not available here'
    }
    const r = (await c.setup()) as Runner
    kernels.setThreads(1)
    return { ...r, before: () => kernels.setThreads(n) }
  },
})
for (const [i, c] of cases.entries()) if (c.lib === 'dendrite') cases[i] = withThreads(c, 'dendrite', 1)
for (const c of cases.filter((c) => c.lib === 'dendrite' && THREADED.test(c.bench))) cases.push(withThreads(c, 'dendrite-2t', 2))

const main = async (): Promise<void> => {
  kernels.setThreads(1)
  setWasmPaths(`${path.resolve(here, '../node_modules/@tensorflow/tfjs-backend-wasm/dist')}/`)
  await tf.setBackend('wasm')
  const wasmFlags = { simd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'), threads: tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') }
  await tf.setBackend('cpu')
  const jaxDevices = await jax.init('wasm')
  jax.defaultDevice('wasm')
  const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : undefined
  const budgetMs = Number(process.env.BENCH_BUDGET_MS ?? 1500)
  const info = {
    ...machine(),
    date: new Date().toISOString(),
    dendriteKernels: `${kernels.active().name} (wasm SIMD ${kernels.wasmSupported()}, worker threads ${kernels.threadsSupported()})`,
    peers: {
      tfjs: `${tf.version.tfjs} (cpu; wasm simd=${wasmFlags.simd} threads=${wasmFlags.threads})`,
      jax: `@jax-js/jax wasm (devices: ${jaxDevices.join(', ')}; single-threaded in Node: no global Worker)`,
    },
  }
  console.log(`dendrite kernels: ${info.dendriteKernels}; tfjs ${info.peers.tfjs}; ${info.peers.jax}`)
  console.log('throughput per library (medians after warm-up); ratio = peer time / dendrite time (> 1: dendrite faster)')
  console.log("'dendrite' runs on one thread like every peer; 'dendrite-2t' on two, its ratio is the speed-up over one thread")
  console.log('GB/s = bytes of input / time; "ms" rows are times (lower is better)')
  console.log(header())
  const t0 = performance.now()
  const results = await runAll(benches, cases, { budgetMs, only })
  console.log('transformer block batch 64 fwd+bwd: waits until dendrite has a transformer (models/)')
  console.log(`total ${((performance.now() - t0) / 1000).toFixed(0)} s`)
  const file = path.join(here, 'results.json')
  fs.writeFileSync(file, `${JSON.stringify({ machine: info, ratioConvention: 'peer median ms / dendrite median ms (> 1: dendrite faster); for dendrite-2t: dendrite (1 thread) ms / dendrite-2t ms', throughputConvention: { 'GB/s': 'bytes of input / time', 'GFLOP/s': '2n³ / time', 'samples/s': 'batch / step time' }, pending: ['transformer-block (no transformer yet)'], benchmarks: results }, null, 2)}\n`)
  console.log(`wrote ${path.relative(process.cwd(), file)}`)
}
main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
