/**
 * The kernel interface: the few raw numeric loops that every tensor operation is built
 * from. Kernels read and write flat typed arrays and know nothing of tensors, shapes'
 * meaning or derivatives. The plain-JS `reference` kernels define the results; a faster
 * set (WebAssembly SIMD, worker threads) may be swapped in with `useKernels`, and must
 * agree with the reference (a law checks each registered set).
 *
 * Laws, for every kernel set `K` and the reference `R`:
 * - `K.matmul ≈ R.matmul` (also with the transpose flags: `matmul(…, transA, transB)` =
 *   `matmul` of the explicitly transposed operands), `K.unary(op) ≈ R.unary(op)`, `K.binary(op) = R.binary(op)`,
 *   `K.reduce(op) ≈ R.reduce(op)` within the dtype's tolerance;
 * - kernels write only `out`; their inputs are unchanged.
 *
 * @module
 */

/**
 * A flat buffer a kernel reads or writes.
 *
 * @category kernels
 * @since 0.1.0
 */
export type Buffer = Float32Array | Float64Array

/**
 * Names of the elementwise functions of one argument that kernels provide.
 *
 * @category kernels
 * @since 0.1.0
 */
export type UnaryOp =
  | 'neg' | 'exp' | 'log' | 'log1p' | 'expm1' | 'sqrt' | 'abs' | 'sign'
  | 'sin' | 'cos' | 'tan' | 'tanh' | 'atan' | 'sigmoid' | 'softplus' | 'relu'
  | 'square' | 'reciprocal'

/**
 * Names of the elementwise functions of two arguments that kernels provide; comparisons
 * give 1 for true and 0 for false.
 *
 * @category kernels
 * @since 0.1.0
 */
export type BinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum'
  | 'equal' | 'notEqual' | 'less' | 'lessEqual' | 'greater' | 'greaterEqual'

/**
 * Names of the reductions kernels provide. `argmax`/`argmin` write the index of the first
 * extreme element.
 *
 * @category kernels
 * @since 0.1.0
 */
export type ReduceOp = 'sum' | 'prod' | 'max' | 'min' | 'argmax' | 'argmin'

/**
 * A set of numeric kernels.
 *
 * @category kernels
 * @since 0.1.0
 */
export interface Kernels {
  /** A name for messages and benchmarks. */
  readonly name: string
  /**
   * `out[cOff + i·n + j] = Σₚ op(A)ᵢₚ · op(B)ₚⱼ` for an `m×k` by `k×n` product; `out`'s
   * block is overwritten. All three buffers have the same dtype. `op(A)ᵢₚ = a[aOff + i·k + p]`
   * (A stored `m×k`), or, with `transA`, `op(A) = Aᵀ` for A stored `k×m`:
   * `op(A)ᵢₚ = a[aOff + p·m + i]`. Likewise `op(B)ₚⱼ = b[bOff + p·n + j]`, or, with `transB`,
   * `b[bOff + j·k + p]` (B stored `n×k`). The flags let backward passes form `Xᵀ·G` and
   * `G·Wᵀ` without a transposed copy (since 0.2.0).
   */
  readonly matmul: (
    a: Buffer, aOff: number, b: Buffer, bOff: number, out: Buffer, cOff: number,
    m: number, k: number, n: number, transA?: boolean, transB?: boolean,
  ) => void
  /** `out[i] = f(x[i])` for the named function. */
  readonly unary: (op: UnaryOp, x: Buffer, out: Buffer) => void
  /**
   * `out[idx] = f(a[idx·aStrides], b[idx·bStrides])` over every index of `shape`
   * (strides of 0 broadcast).
   */
  readonly binary: (
    op: BinaryOp, a: Buffer, aStrides: ReadonlyArray<number>, b: Buffer, bStrides: ReadonlyArray<number>,
    shape: ReadonlyArray<number>, out: Buffer,
  ) => void
  /** Views `x` as `outer × n × inner` and reduces the middle axis: `out[o·inner + i]`. */
  readonly reduce: (op: ReduceOp, x: Buffer, outer: number, n: number, inner: number, out: Buffer) => void
}
