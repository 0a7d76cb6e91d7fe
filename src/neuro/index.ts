/**
 * Spiking neurons, synapses and population coding: neuron models (Hodgkin–Huxley, LIF),
 * post-synaptic filters and spike trains, spiking networks, and the Neural Engineering
 * Framework (encoders, decoders, transformations, dynamics). Built on `ops`, so the rate
 * models are differentiable.
 *
 * @module
 */
export * from './ode.js'
export * from './hh.js'
