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
export * from './lif.js'
export * from './synapse.js'
export * from './spikes.js'
export * from './network.js'
export * from './ensemble.js'
export * from './connection.js'
export * from './dynamics.js'
