/**
 * Extracts every JSDoc `@example` block of `src/` into `.doc-examples/`, one module per
 * example, so that `tsc` type-checks them and `spec/doc-examples.spec.ts` runs them.
 * Fails (exit 1) when a public value export (`export const|function|class` whose JSDoc is
 * not `@internal`) has no example.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const srcDir = join(root, 'src')
const outDir = join(root, '.doc-examples')

// src/kernels/wasm/as holds AssemblyScript sources (compiled to wasm, not part of the API)
const skip = join(srcDir, 'kernels', 'wasm', 'as')
const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    if (p === skip) return []
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : []
  })

rmSync(outDir, { recursive: true, force: true })
mkdirSync(outDir, { recursive: true })

const missing: string[] = []
let count = 0
for (const file of walk(srcDir)) {
  const text = readFileSync(file, 'utf8')
  const rel = relative(srcDir, file).replace(/\.ts$/, '').replace(/[\\/]/g, '.')
  // an export with no doc comment at all is a fault too (mark internal ones `/** @internal */`)
  const lines = text.split('\n')
  lines.forEach((line, i) => {
    const m = /^export (?:const|function|class) ([A-Za-z_$][\w$]*)/.exec(line)
    if (m && !(lines[i - 1] ?? '').trim().endsWith('*/')) missing.push(`${relative(root, file)}: ${m[1]} (no doc comment)`)
  })
  const re = /\/\*\*([\s\S]*?)\*\/\s*export\s+(?:declare\s+)?(const|function|class|type|interface|let)\s+([A-Za-z_$][\w$]*)/g
  for (const m of text.matchAll(re)) {
    const body = m[1].split('\n').map((l) => l.replace(/^\s*\* ?/, '')).join('\n')
    const [kind, name] = [m[2], m[3]]
    if (/@internal/.test(body)) continue
    const blocks = [...body.matchAll(/@example\s*\n```ts\n([\s\S]*?)```/g)].map((b) => b[1])
    if (blocks.length === 0 && (kind === 'const' || kind === 'function' || kind === 'class')) {
      missing.push(`${relative(root, file)}: ${name}`)
    }
    blocks.forEach((code, i) => {
      const header = `// extracted from ${relative(root, file)} (${name}), do not edit\n`
      writeFileSync(join(outDir, `${rel}--${name}-${i}.ts`), header + code)
      count++
    })
  }
}
if (missing.length > 0) {
  console.error(`exports without an @example:\n  ${missing.join('\n  ')}`)
  process.exit(1)
}
console.log(`extracted ${count} doc examples into .doc-examples/`)
