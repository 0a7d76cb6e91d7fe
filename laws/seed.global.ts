/**
 * Chooses the one fast-check seed of a test run: `FC_SEED` from the environment when set
 * (to replay a failure), otherwise a fresh one. It is printed, and handed to the test
 * workers through the environment.
 */
export default function setup(): void {
  const given = process.env.FC_SEED
  const seed = given !== undefined && given !== '' ? Number(given) : (Date.now() ^ (Math.random() * 0x7fffffff)) | 0
  if (!Number.isInteger(seed)) throw new Error(`FC_SEED must be an integer, got ${given}`)
  process.env.FC_SEED = String(seed)
  console.log(`fast-check seed: ${seed} (replay with FC_SEED=${seed} npm test)`)
}
