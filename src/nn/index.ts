/**
 * `nn`: the building blocks of neural networks, as pure functions built only from `ops`:
 * activations (plain `Tensor → Tensor` functions), losses, initialisers (functions of a
 * PRNG key), layers and combinators (pairs `init`/`apply`, see `Layer`), and diagnostics
 * (parameter counts, summaries, per-layer gradient norms).
 *
 * Laws (details in each module): `σ' = σ(1 − σ) ≤ 1/4`; `Σ softmax = 1`;
 * `∇_z crossEntropy(z, y) = (softmax(z) − y)/N`; `Var[heNormal] = 2/fanIn`;
 * `apply(init(k, s).params, x).shape = init(k, s).outShape` (batch axis filled in);
 * `serial(f, g) = g ∘ f`; `residual(f)(x) = x + f(x)`; dropout preserves the mean.
 *
 * @module
 */
export type { ApplyContext, InitResult, Layer } from './Layer.js'
export type { Activation } from './activations.js'
export {
  sigmoid, logistic, arctan, tanh, threshold, thresholdST, relu, softplus, softmax, logSoftmax, argmax, leakyRelu, elu,
  gelu, silu, sigmoidPrime, tanhPrime, reluPrime,
} from './activations.js'
export type { BCEOptions, LossOptions, Reduction } from './losses.js'
export {
  mse, mae, binaryCrossEntropyWithLogits, binaryCrossEntropy, crossEntropy, klDivergence, klDivergenceFromLogits,
} from './losses.js'
export type { Distribution, FanMode, Fans, Initializer } from './initializers.js'
export {
  fans, varianceScaling, glorotUniform, glorotNormal, heUniform, heNormal, lecunUniform, lecunNormal, zeros, ones, orthogonal,
} from './initializers.js'
export type { Combinator, DenseOptions, DenseParams, LayerLike } from './layers.js'
export { activation, toLayer, dense, dropout, flatten, reshape, serial, fanOut, parallel, residual } from './layers.js'
export type { GradNorm } from './summary.js'
export { paramCount, summary, layerGradNorms } from './summary.js'
