/**
 * Typed errors. Every error dendrite throws is a `DendriteError` whose message starts
 * with the operation's name and, for shape faults, names the shapes and the axis:
 *
 *   `matmul: cannot contract [2,3] with [4,5] (3 ≠ 4)`
 *
 * Laws: `err instanceof DendriteError`, `err.message.startsWith(err.op + ':')`.
 *
 * Departure from the house style: these are classes, because `instanceof` and stack
 * traces are what JavaScript users expect from errors; nothing else in dendrite is.
 *
 * @module
 */

/** Formats a shape as `[2,3]` for error messages. */
const fmt = (shape: ReadonlyArray<number>): string => `[${shape.join(',')}]`

/**
 * Base class of every error dendrite throws.
 *
 * @category errors
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, DendriteError } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.throws(() => ops.reshape(ops.zeros([2, 3]), [4]), DendriteError)
 * ```
 */
export class DendriteError extends Error {
  /** The operation that failed, e.g. `matmul`. */
  readonly op: string
  /** The shapes involved, when the fault concerns shapes. */
  readonly shapes: ReadonlyArray<ReadonlyArray<number>>
  /** The axis involved, when there is one. */
  readonly axis: number | undefined
  constructor(op: string, detail: string, shapes: ReadonlyArray<ReadonlyArray<number>> = [], axis?: number) {
    super(`${op}: ${detail}`)
    this.name = new.target.name
    this.op = op
    this.shapes = shapes.map((s) => [...s])
    this.axis = axis
  }
}

/**
 * A shape fault: incompatible shapes, a bad axis, an index out of range.
 *
 * @category errors
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, ShapeError } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.throws(() => ops.matmul(ops.zeros([2, 3]), ops.zeros([4, 5])), ShapeError)
 * ```
 */
export class ShapeError extends DendriteError {}

/**
 * A dtype fault: mixing dtypes where that is not allowed, or an unknown dtype.
 *
 * @category errors
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, DTypeError } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.throws(() => ops.zeros([2], 'int8' as never), DTypeError)
 * ```
 */
export class DTypeError extends DendriteError {}

/**
 * A domain fault: an argument outside the set where the operation is defined
 * (a matrix that is not positive definite, a negative count, a singular system).
 *
 * @category errors
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, DomainError } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.throws(() => ops.cholesky(ops.tensor([[1, 2], [2, 1]])), DomainError)
 * ```
 */
export class DomainError extends DendriteError {}

/**
 * A decoding fault: input from outside (JSON, a file) that does not describe a valid value.
 * The codecs in `io` return these inside `Either` rather than throwing; `io.decodeOrThrow`
 * throws them.
 *
 * @category errors
 * @since 0.1.0
 * @example
 * ```ts
 * import { io, DecodeError } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.throws(() => io.decodeOrThrow(io.TensorCodec, { dtype: 'float32', shape: [2], data: [1] }), DecodeError)
 * ```
 */
export class DecodeError extends DendriteError {}

/** @internal Shape text for messages, `[2,3]`. */
export const showShape = fmt
