/**
 * The WebAssembly runtime behind the fast kernels: feature detection, one linear memory
 * that every module imports (shared when the host has `SharedArrayBuffer`, so that worker
 * threads can work on it too), modules instantiated synchronously from the bytes embedded
 * in `generated/<module>.ts` (no network, no files: Node and browsers alike), and a
 * scratch area that kernels copy their operands into and their results out of (tensors
 * stay ordinary GC-managed typed arrays; nothing here needs disposing).
 *
 * Memory layout: bytes `[0, SCRATCH_BASE)` are reserved (worker control blocks live at
 * `CTRL_BASE`); the scratch area starts at `SCRATCH_BASE` and grows on demand. Kernels
 * are synchronous and not re-entrant, so each call may use the whole scratch area.
 *
 * Laws:
 * - `simdSupported()` ⇔ the host validates a module that uses a `v128` instruction;
 * - `load(src)` is memoised: loading the same module twice gives the same instance;
 * - `scratch(n) = SCRATCH_BASE` and afterwards `SCRATCH_BASE + n ≤ memory.buffer.byteLength`.
 *
 * @module
 */

/** @internal Bytes `[0, SCRATCH_BASE)` of the memory are reserved. */
export const SCRATCH_BASE = 65536
/** @internal Where the worker control blocks start (see threads.ts). */
export const CTRL_BASE = 1024
const PAGE = 65536
// must match scripts/build-wasm.ts (a module's declared limits must admit the memory)
const INITIAL_PAGES = 16
const MAXIMUM_PAGES = 32768

// The part of the WebAssembly JS API used here (the project's `lib` is ES2022, without DOM
// or the full WebAssembly typings).
/** @internal A WebAssembly.Memory. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer
  grow(pages: number): number
}
/** @internal A compiled WebAssembly.Module (opaque; it can be posted to a worker). */
export interface WasmModule {
  readonly __wasmModule?: never
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean
  Module: new (bytes: Uint8Array) => WasmModule
  Instance: new (module: WasmModule, imports: object) => { readonly exports: Record<string, unknown> }
  Memory: new (d: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory
}
const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly

/**
 * @internal An embedded module: its bytes (base64) compiled for a shared and for an
 * unshared imported memory, as written by scripts/build-wasm.ts.
 */
export interface WasmSource {
  readonly shared: string
  readonly plain: string
}

/** @internal A module's exports (callers cast each function to its signature). */
export type WasmExports = Readonly<Record<string, unknown>>

/** @internal A module instantiated against the runtime's memory. */
export interface Loaded {
  readonly module: WasmModule
  readonly exports: WasmExports
}

/** @internal The runtime: the memory and the modules loaded so far. */
export interface Runtime {
  readonly memory: WasmMemory
  /** Whether `memory` is shared (a `SharedArrayBuffer` underneath), so threads can use it. */
  readonly shared: boolean
  readonly loaded: Map<WasmSource, Loaded>
}

// A module of one function `() -> v128` whose body is `i32.const 0; i8x16.splat; i8x16.popcnt`
// (from wasm-feature-detect): valid only where 128-bit SIMD is.
const SIMD_PROBE = [0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]

const detect = (): boolean => {
  try {
    return api !== undefined && api.validate(new Uint8Array(SIMD_PROBE))
  } catch {
    return false
  }
}
const simd = detect()

/** @internal Whether WebAssembly with 128-bit SIMD is available here. */
export const simdSupported = (): boolean => simd

const decode = (b64: string): Uint8Array => {
  const s = atob(b64)
  const out = new Uint8Array(s.length)
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i)
  return out
}

const makeMemory = (wa: WasmApi): Runtime => {
  try {
    if (typeof SharedArrayBuffer === 'function') {
      const memory = new wa.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES, shared: true })
      if (memory.buffer instanceof SharedArrayBuffer) return { memory, shared: true, loaded: new Map() }
    }
  } catch {
    // no shared memory here (e.g. a browser page that is not cross-origin isolated)
  }
  return { memory: new wa.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES }), shared: false, loaded: new Map() }
}

// undefined: not yet tried; null: WebAssembly SIMD is not available here
let rt: Runtime | null | undefined

/** @internal The runtime, created on first use; `undefined` where WebAssembly SIMD is missing. */
export const runtime = (): Runtime | undefined => {
  if (rt === undefined) rt = simd && api !== undefined ? makeMemory(api) : null
  return rt ?? undefined
}

/**
 * @internal Instantiates an embedded module against the runtime's memory (synchronously,
 * once); `undefined` where WebAssembly SIMD is missing or instantiation fails.
 */
export const load = (src: WasmSource): Loaded | undefined => {
  const r = runtime()
  if (r === undefined || api === undefined) return undefined
  const hit = r.loaded.get(src)
  if (hit !== undefined) return hit
  try {
    const module = new api.Module(decode(r.shared ? src.shared : src.plain))
    const instance = new api.Instance(module, { env: { memory: r.memory } })
    const loaded: Loaded = { module, exports: instance.exports }
    r.loaded.set(src, loaded)
    return loaded
  } catch {
    return undefined
  }
}

/**
 * @internal Instantiates the unshared variant of an embedded module on a fresh memory of
 * its own (same page limits as the runtime's), for single-threaded kernels that gain from
 * an ordinary ArrayBuffer; `undefined` where WebAssembly SIMD is missing or it fails.
 */
export const loadPrivate = (src: WasmSource): { readonly memory: WasmMemory; readonly exports: WasmExports } | undefined => {
  if (!simd || api === undefined) return undefined
  try {
    const memory = new api.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES })
    const instance = new api.Instance(new api.Module(decode(src.plain)), { env: { memory } })
    return { memory, exports: instance.exports }
  } catch {
    return undefined
  }
}

/**
 * @internal Makes sure the scratch area holds `bytes` bytes and returns its address
 * (`SCRATCH_BASE`). Growing the memory detaches earlier views of an unshared memory, so
 * take views (`f32`/`f64`) after calling this.
 */
export const scratch = (r: Runtime, bytes: number): number => {
  const need = SCRATCH_BASE + bytes
  const have = r.memory.buffer.byteLength
  if (need > have) {
    const pages = Math.ceil((need - have) / PAGE)
    // grow by at least a quarter of the current size, so a slowly growing workload
    // does not grow on every call
    r.memory.grow(Math.min(MAXIMUM_PAGES - have / PAGE, Math.max(pages, Math.ceil(have / PAGE / 4))))
  }
  return SCRATCH_BASE
}

/** @internal Rounds a byte count up to a multiple of 64 (a cache line). */
export const align64 = (n: number): number => Math.ceil(n / 64) * 64
