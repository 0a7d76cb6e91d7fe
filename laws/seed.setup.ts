import fc from 'fast-check'

// Every property in this worker uses the run's seed (see seed.global.ts).
const seed = Number(process.env.FC_SEED ?? 0)
const numRuns = Number(process.env.FC_NUM_RUNS ?? 100)
fc.configureGlobal({ seed, numRuns })

// the public matcher of dendrite/testing, for every suite
import { expect } from 'vitest'
import { matchers } from 'dendrite/testing'
import type { NestedArray } from '../src/tensor/Tensor.js'
import type { Tolerance } from 'dendrite/testing'
expect.extend(matchers)
declare module 'vitest' {
  interface Assertion<T> {
    /** Passes when `compare(actual, expected, tol)` of dendrite/testing passes. */
    toBeAllClose(expected: NestedArray | object, tol?: Tolerance): T
  }
}
