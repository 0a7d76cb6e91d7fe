import fc from 'fast-check'

// Every property in this worker uses the run's seed (see seed.global.ts).
const seed = Number(process.env.FC_SEED ?? 0)
const numRuns = Number(process.env.FC_NUM_RUNS ?? 100)
fc.configureGlobal({ seed, numRuns })
