// Prints vitest's counts from .vitest-report.json as the closing line `N passed, N failed`.
// Exits 1 when the report is missing (vitest did not run) or counts a failure.
import { existsSync, readFileSync } from 'node:fs'

const file = new URL('../.vitest-report.json', import.meta.url)
if (!existsSync(file)) {
  console.log('vitest did not run (see the errors above)')
  console.log('0 passed, 0 failed')
  process.exit(1)
}
const r = JSON.parse(readFileSync(file, 'utf8'))
// a test file that fails to load has no failed test of its own: count it as one
const failed = r.numFailedTests > 0 || r.success ? r.numFailedTests : Math.max(1, r.numFailedTestSuites)
console.log(`${r.numPassedTests} passed, ${failed} failed`)
process.exit(failed > 0 || !r.success ? 1 : 0)
