/**
 * Worker threads for the WebAssembly kernels. Tensor operations are synchronous, so the
 * threads share one WebAssembly memory (runtime.ts) and synchronise with `Atomics` on a
 * small control block in it, never with messages: the main thread writes a job's
 * arguments, bumps the job counter and `Atomics.notify`s; each worker, parked in
 * `Atomics.wait`, runs the job on its own instance of the same module, then bumps its
 * done counter; the main thread computes its own share meanwhile and `Atomics.wait`s for
 * the workers' shares.
 *
 * Workers are started lazily (at the first call that asks for them), from an inline code
 * string (so they work from src and from the bundled dist alike), and receive the compiled
 * module and the shared memory once. In Node they come from `node:worker_threads` and are
 * `unref`'d (they never keep a process alive); in a browser window that is cross-origin
 * isolated (the only pages with shared memory) they are Web Workers started from a Blob
 * URL, and the page's thread, which may not `Atomics.wait`, spins on `Atomics.load` for the
 * workers' shares after computing its own. Until a worker reports ready, and wherever
 * threads are missing (no workers, no shared memory), callers run single-threaded.
 *
 * Laws: a job run on a worker computes exactly what it computes on the main thread (same
 * module, same memory, same arguments); `threads()` is in `[1, 16]`.
 *
 * @module
 */
import { CTRL_BASE, type Loaded, type Runtime } from './runtime.js'

// Control block of worker w: 32 int32 words (128 bytes, so workers never share a cache line)
// at CTRL_BASE + 128·w. Words: 0 job counter, 1 done counter, 2 ready, 3 status of the last
// job (0 ok), 4 function index, 5 mode, 6..17 the GEMM arguments
// (m, n, k, a, rsA, csA, b, rsB, csB, c, ldc, ws), 18 chunk width, 19 element size.
// Mode 0 runs the function once on the arguments. Mode 1 ("column chunks") takes chunks
// q = 0, 1, … from the shared counter at CHUNK_COUNTER (Atomics.add) until q·width ≥ n and
// runs the GEMM on columns [q·width, q·width + width) of C: a dynamic schedule, so a
// thread that gets less CPU (a busy machine) simply takes fewer chunks.
const WORDS = 32
const SEQ = 0, DONE = 1, READY = 2, STATUS = 3, FN = 4, MODE = 5, ARGS = 6, CHUNK = 18, ES = 19
/** @internal Byte address of the chunk counter shared by all threads of a mode-1 job. */
export const CHUNK_COUNTER = CTRL_BASE - 64
/** @internal The functions of the GEMM module that workers run, by index. */
export const NAMES: ReadonlyArray<string> = ['sgemm', 'dgemm']
/** @internal The most threads (main + workers) a job is split over. */
export const MAX_THREADS = 16

// The worker's loop, the same in Node and in browsers; `module, memory, ctrl, names` come
// from the host's prelude (workerData in Node, the first message in a browser).
const workerLoop = `
const inst = new WebAssembly.Instance(module, { env: { memory } })
const fns = names.map((n) => inst.exports[n])
const c = new Int32Array(memory.buffer, ctrl, ${WORDS})
const counter = new Int32Array(memory.buffer, ${CHUNK_COUNTER}, 1)
Atomics.store(c, ${READY}, 1)
let last = Atomics.load(c, ${SEQ})
for (;;) {
  Atomics.wait(c, ${SEQ}, last)
  const s = Atomics.load(c, ${SEQ})
  if (s === last) continue
  last = s
  let status = 0
  try {
    const f = fns[c[${FN}]]
    const [m, n, k, a, rsA, csA, b, rsB, csB, cc, ldc, ws] = c.subarray(${ARGS}, ${ARGS + 12})
    if (c[${MODE}] === 0) f(m, n, k, a, rsA, csA, b, rsB, csB, cc, ldc, ws)
    else {
      const w = c[${CHUNK}], es = c[${ES}]
      for (;;) {
        const j0 = Atomics.add(counter, 0, 1) * w
        if (j0 >= n) break
        f(m, Math.min(w, n - j0), k, a, rsA, csA, b + j0 * csB * es, rsB, csB, cc + j0 * es, ldc, ws)
      }
    }
  } catch (e) {
    status = 1
  }
  Atomics.store(c, ${STATUS}, status)
  Atomics.store(c, ${DONE}, s)
  Atomics.notify(c, ${DONE})
}
`
const nodeWorkerCode = `const { workerData: { module, memory, ctrl, names } } = require('node:worker_threads')\n${workerLoop}`
const browserWorkerCode = `self.onmessage = (e) => {\nself.onmessage = null\nconst { module, memory, ctrl, names } = e.data\n${workerLoop}}`

interface WorkerSlot {
  readonly ctrl: Int32Array
  seq: number
}

interface Pool {
  readonly loaded: Loaded
  readonly names: ReadonlyArray<string>
  readonly slots: WorkerSlot[]
}

type NodeWorkerCtor = new (code: string, opts: object) => { unref(): void; on(ev: string, f: (...a: unknown[]) => void): void }
type BrowserWorker = { postMessage(m: unknown): void; addEventListener(ev: string, f: () => void): void }
type BrowserWorkerCtor = new (url: string) => BrowserWorker

const nodeBuiltin = (name: string): unknown => {
  const p = (globalThis as { process?: { getBuiltinModule?: (n: string) => unknown } }).process
  try {
    return typeof p?.getBuiltinModule === 'function' ? p.getBuiltinModule(name) : undefined
  } catch {
    return undefined
  }
}

// the Worker constructor of node:worker_threads, when we are on Node's main thread
const nodeWorkerCtor = (): NodeWorkerCtor | undefined => {
  const wt = nodeBuiltin('node:worker_threads') as { Worker?: NodeWorkerCtor; isMainThread?: boolean } | undefined
  return wt?.Worker !== undefined && wt.isMainThread === true ? wt.Worker : undefined
}

// a browser's Worker constructor, with Blob URLs to start one from inline code; only in a
// window (a worker's own threads would compete with the page's), and only where the page is
// cross-origin isolated, which is what gives it shared WebAssembly memory
const browserWorkerCtor = (): BrowserWorkerCtor | undefined => {
  const g = globalThis as { process?: unknown; Worker?: BrowserWorkerCtor; Blob?: unknown; URL?: { createObjectURL?: unknown }; document?: unknown; crossOriginIsolated?: boolean }
  if (g.process !== undefined || g.document === undefined || g.crossOriginIsolated !== true) return undefined
  return typeof g.Worker === 'function' && typeof g.Blob === 'function' && typeof g.URL?.createObjectURL === 'function' ? g.Worker : undefined
}

/** Where workers come from here: Node's worker_threads, a browser's Worker, or nowhere. */
const host = (): 'node' | 'browser' | undefined => (nodeWorkerCtor() !== undefined ? 'node' : browserWorkerCtor() !== undefined ? 'browser' : undefined)

const defaultThreads = (): number => {
  const os = nodeBuiltin('node:os') as { availableParallelism?: () => number; cpus?: () => unknown[] } | undefined
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator
  const n = os?.availableParallelism?.() ?? os?.cpus?.().length ?? nav?.hardwareConcurrency ?? 1
  return Math.max(1, Math.min(4, n))
}

const state: { threads: number | undefined; pool: Pool | undefined; failed: boolean } = {
  threads: undefined,
  pool: undefined,
  failed: false,
}

/** @internal The number of threads (main included) large kernels are split over. */
export const threads = (): number => (state.threads ??= defaultThreads())

/** @internal Sets the number of threads; returns the previous setting. */
export const setThreads = (n: number): number => {
  const prev = threads()
  state.threads = Math.max(1, Math.min(MAX_THREADS, Math.floor(n)))
  return prev
}

/**
 * @internal Whether worker threads can run here at all: shared memory, and Node's main
 * thread or a cross-origin-isolated browser window.
 */
export const threadsSupported = (r: Runtime): boolean => r.shared && host() !== undefined

const startWorker = (pool: Pool, r: Runtime, w: number): void => {
  const off = CTRL_BASE + w * WORDS * 4
  const ctrl = new Int32Array(r.memory.buffer, off, WORDS)
  ctrl.fill(0)
  const data = { module: pool.loaded.module, memory: r.memory, ctrl: off, names: pool.names }
  // a worker that dies is never ready, so its share is computed on the calling thread
  const died = (): void => void Atomics.store(ctrl, READY, 0)
  try {
    const NodeWorker = nodeWorkerCtor()
    const BrowserWorker = browserWorkerCtor()
    if (NodeWorker !== undefined) {
      const worker = new NodeWorker(nodeWorkerCode, { eval: true, workerData: data })
      worker.unref()
      worker.on('error', died)
      worker.on('exit', died)
    } else if (BrowserWorker !== undefined) {
      const url = URL.createObjectURL(new Blob([browserWorkerCode], { type: 'text/javascript' }))
      const worker = new BrowserWorker(url)
      worker.addEventListener('error', died)
      worker.postMessage(data)
    } else return
    pool.slots.push({ ctrl, seq: 0 })
  } catch {
    state.failed = true
  }
}

/**
 * @internal The ready workers (at most `want`) for jobs on functions `names` of `loaded`,
 * starting missing ones (which become ready later). One pool, for one module.
 */
export const workers = (r: Runtime, loaded: Loaded, names: ReadonlyArray<string>, want: number): WorkerSlot[] => {
  if (want <= 0 || state.failed || !threadsSupported(r)) return []
  if (state.pool === undefined) state.pool = { loaded, names, slots: [] }
  const pool = state.pool
  if (pool.loaded !== loaded) return []
  while (pool.slots.length < Math.min(want, MAX_THREADS - 1) && !state.failed) startWorker(pool, r, pool.slots.length)
  const ready: WorkerSlot[] = []
  for (const s of pool.slots) {
    if (ready.length < want && Atomics.load(s.ctrl, READY) === 1) ready.push(s)
  }
  return ready
}

/**
 * @internal Starts GEMM function `fn` (an index into the pool's names) on a worker with
 * the 12 GEMM arguments; with `chunk > 0`, as a mode-1 job over column chunks of that
 * width (element size `es`), sharing the counter at CHUNK_COUNTER (reset it first).
 */
export const post = (slot: WorkerSlot, fn: number, args: ReadonlyArray<number>, chunk = 0, es = 0): void => {
  const c = slot.ctrl
  c[FN] = fn
  c[MODE] = chunk > 0 ? 1 : 0
  c[CHUNK] = chunk
  c[ES] = es
  for (let i = 0; i < args.length; i++) c[ARGS + i] = args[i]
  slot.seq = (slot.seq + 1) | 0
  Atomics.store(c, SEQ, slot.seq)
  Atomics.notify(c, SEQ)
}

// a browser's main thread may not Atomics.wait (it throws); there the caller spins on
// Atomics.load, which is brief: it computed its own share first
let canWait = true

/** @internal Waits for a worker's job; `true` if it ran to completion. */
export const join = (slot: WorkerSlot): boolean => {
  const c = slot.ctrl
  for (;;) {
    const d = Atomics.load(c, DONE)
    if (d === slot.seq) return Atomics.load(c, STATUS) === 0
    if (Atomics.load(c, READY) !== 1) return false // the worker died
    if (canWait) {
      try {
        Atomics.wait(c, DONE, d, 1000)
      } catch {
        canWait = false
      }
    }
  }
}
