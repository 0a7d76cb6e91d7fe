// Runs dendrite in a real headless Chromium (`npm run check:browser`): bundles src/index.ts
// for the browser with esbuild, serves it on loopback twice (a plain page, and a page with
// cross-origin isolation headers, which gives it SharedArrayBuffer and so Web Worker threads),
// and checks on each that the WebAssembly SIMD kernels are active, that a matmul, an exp and a
// gradient are right, and that two threads start on the isolated page only, where a 512²
// product split over them equals the one-thread product bit for bit.
// It needs a Chromium binary (Debian: `apt-get install chromium`; or set CHROMIUM) and is not
// part of `npm test`, which checks the same bundle in a bare `vm` realm instead
// (spec/browser.spec.ts).
import { build } from 'esbuild'
import { execFile, execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import http from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium'
if (!existsSync(chromium)) {
  console.error(`check:browser: no Chromium at ${chromium} (install Debian's chromium, or set CHROMIUM)`)
  process.exit(2)
}

const bundle = (await build({ entryPoints: ['src/index.ts'], bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'warning' })).outputFiles[0].text

const page = `<!doctype html><html><body><pre id="out">pending</pre><script type="module">
const out = document.getElementById('out')
try {
  const d = await import('./dendrite.js')
  const a = d.ops.ones([300, 300], 'float32')
  const c = d.ops.matmul(a, a)
  const e = d.ops.exp(d.ops.zeros([5000], 'float32'))
  const g = d.grad((x) => d.ops.sum(d.ops.mul(x, x)))(d.ops.tensor([1, 2, 3]))
  // threads: a 512² product split over the workers equals the one-thread product bit for bit
  const r = d.random.uniform(d.random.key(1), [512, 512])
  const prev = d.kernels.setThreads(1)
  const one = d.ops.matmul(r, r)
  d.kernels.setThreads(2)
  const started = await d.kernels.startThreads()
  const two = d.ops.matmul(r, r)
  d.kernels.setThreads(prev)
  const same = one.data.every((v, i) => v === two.data[i])
  out.textContent = 'RESULT ' + JSON.stringify({ kernels: d.kernels.active().name, sharedArrayBuffer: typeof SharedArrayBuffer === 'function', threads: d.kernels.threadsSupported(), started, same, c: c.data[300 * 300 - 1], e: e.data[4999], g: Array.from(g.data) })
} catch (err) { out.textContent = 'ERROR ' + err + ' ' + err.stack }
</script></body></html>`

const serve = (isolated) => new Promise((resolve) => {
  const server = http.createServer((req, res) => {
    if (isolated) {
      res.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
      res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp')
    }
    if (req.url === '/') { res.setHeader('Content-Type', 'text/html'); res.end(page) }
    else if (req.url === '/dendrite.js') { res.setHeader('Content-Type', 'text/javascript'); res.end(bundle) }
    else { res.statusCode = 404; res.end() }
  })
  server.listen(0, '127.0.0.1', () => resolve(server))
})

const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--virtual-time-budget=20000']
let failed = 0
for (const isolated of [false, true]) {
  const server = await serve(isolated)
  const profile = mkdtempSync(join(tmpdir(), 'dendrite-chromium-'))
  try {
    const url = `http://127.0.0.1:${server.address().port}/`
    // asynchronous, so that this process's server can answer Chromium meanwhile
    const dom = await new Promise((resolve, reject) =>
      execFile(chromium, [...flags, `--user-data-dir=${profile}`, '--dump-dom', url], { timeout: 60_000, maxBuffer: 1 << 24 }, (err, stdout) => (err ? reject(err) : resolve(stdout))))
    const m = /RESULT (\{.*\})/.exec(dom)
    const got = m ? JSON.parse(m[1]) : undefined
    const ok = got !== undefined && got.kernels === 'wasm-simd' && got.sharedArrayBuffer === isolated && got.threads === isolated && got.started === (isolated ? 2 : 1) && got.same && got.c === 300 && got.e === 1 && got.g.join() === '2,4,6'
    if (!ok) failed++
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${isolated ? 'cross-origin isolated' : 'plain page'}: ${m ? m[1] : /<pre[^>]*>([\s\S]*?)<\/pre>/.exec(dom)?.[1] ?? dom.slice(0, 300)}`)
  } finally {
    server.close()
    rmSync(profile, { recursive: true, force: true })
  }
}
console.log(`chromium ${execFileSync(chromium, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim()}: ${failed === 0 ? 'all checks passed' : `${failed} failed`}`)
process.exit(failed === 0 ? 0 : 1)
