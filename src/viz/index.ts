/**
 * `dendrite/viz`: pictures for examples, without a browser or a canvas. Line charts and
 * scatter plots are Vega-Lite specifications compiled with `vega-lite` and rendered to SVG
 * text by `vega` (a headless `View` with renderer `'none'`); image grids are grayscale PNGs
 * written with `pngjs`. A separate entry point: the core (`dendrite`) never imports it.
 *
 * Laws:
 * - `lineChart(series, o)` is an SVG document (`<svg …>…</svg>`) with one line path per
 *   series (points whose `x` or `y` is not finite, or with `logY` not positive, are dropped);
 * - `imageGrid` of `n` images `h × w` with `cols`, `scale`, `gap` is a PNG of width
 *   `cols·(w·scale + gap) − gap` and height `rows·(h·scale + gap + L) − gap`
 *   (`rows = ⌈n/cols⌉`, `L` the label strip, 0 without labels), where the pixel
 *   `(r·(h·scale + gap + L) + i, c·(w·scale + gap) + j)` is `round(255 · clamp(v, 0, 1))`
 *   of pixel `(⌊i/scale⌋, ⌊j/scale⌋)` of image `r·cols + c`.
 *
 * @module
 */
import { mkdir, writeFile as fsWriteFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { PNG } from 'pngjs'
import { DomainError, ShapeError } from '../errors.js'
import type { Tensor } from '../tensor/Tensor.js'

/**
 * One line of a line chart: its name (shown in the legend) and its points.
 *
 * @category charts
 * @since 0.1.0
 */
export interface Series {
  /** The name of the line, shown in the legend. */
  readonly name: string
  /** The x coordinates. */
  readonly x: ReadonlyArray<number>
  /** The y coordinates, as many as `x`. */
  readonly y: ReadonlyArray<number>
}

/**
 * Options of `lineChart` and `scatter`.
 *
 * @category charts
 * @since 0.1.0
 */
export interface ChartOptions {
  /** Title above the chart (default none). */
  readonly title?: string
  /** Title of the x axis (default `'x'`). */
  readonly xLabel?: string
  /** Title of the y axis (default `'y'`). */
  readonly yLabel?: string
  /** Width of the plotting area in pixels (default 480). */
  readonly width?: number
  /** Height of the plotting area in pixels (default 300). */
  readonly height?: number
  /** A logarithmic y axis (default false); points with `y ≤ 0` are then dropped. */
  readonly logY?: boolean
}

/**
 * One point of a scatter plot.
 *
 * @category charts
 * @since 0.1.0
 */
export interface Point {
  /** The x coordinate. */
  readonly x: number
  /** The y coordinate. */
  readonly y: number
  /** The group (class) of the point, which picks its colour (default: one group). */
  readonly group?: string | number
}

/**
 * Options of `imageGrid`.
 *
 * @category images
 * @since 0.1.0
 */
export interface ImageGridOptions {
  /** Images per row (default `min(n, 10)`). */
  readonly cols?: number
  /** Each image pixel becomes a `scale × scale` block (default 2). */
  readonly scale?: number
  /** Pixels between images (default 1). */
  readonly gap?: number
  /** Gray level of the background and gaps, in [0, 1] (default 1, white). */
  readonly background?: number
  /** Image height, needed when images are given as rows `[n, h·w]`. */
  readonly height?: number
  /** Image width, needed when images are given as rows `[n, h·w]`. */
  readonly width?: number
  /**
   * A short label under each image (e.g. its class), drawn in a 3×5 pixel font at
   * `scale`: digits, `-`, `.`, `+` and space; other characters are drawn as a box.
   */
  readonly labels?: ReadonlyArray<string | number>
}

const checkSize = (op: string, name: string, v: unknown, min: number): number => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > 16384) {
    throw new DomainError(op, `${name} must be an integer in [${min}, 16384], got ${String(v)}`)
  }
  return v
}

/** Compiles a Vega-Lite spec and renders it to SVG text, headless. */
const render = async (spec: object): Promise<string> => {
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')])
  const view = new vega.View(vega.parse(vl.compile(spec as never).spec), { renderer: 'none' })
  try {
    return await view.toSVG()
  } finally {
    view.finalize()
  }
}

const frame = (op: string, o: ChartOptions) => ({
  ...(o.title !== undefined ? { title: o.title } : {}),
  width: checkSize(op, 'width', o.width ?? 480, 1),
  height: checkSize(op, 'height', o.height ?? 300, 1),
  background: 'white',
  // Vega cuts legend labels at 160 px by default ("exponential (sum o…"); names are short
  // enough to show whole
  config: { legend: { labelLimit: 400 } },
})

const keep = (o: ChartOptions) => (x: number, y: number): boolean => Number.isFinite(x) && Number.isFinite(y) && (!o.logY || y > 0)

/**
 * A line chart of one or more series (e.g. training and test loss per epoch), as SVG text:
 * one coloured line per series, drawn in the order of its points, with a legend.
 *
 * @category charts
 * @since 0.1.0
 * @example
 * ```ts
 * import { lineChart } from 'dendrite/viz'
 * import * as assert from 'node:assert'
 * const svg = await lineChart(
 *   [{ name: 'train', x: [1, 2, 3], y: [1, 0.5, 0.25] }, { name: 'test', x: [1, 2, 3], y: [1.2, 0.7, 0.5] }],
 *   { title: 'Loss', xLabel: 'epoch', yLabel: 'loss', logY: true },
 * )
 * assert.ok(svg.startsWith('<svg') && svg.includes('Loss'))
 * assert.strictEqual(svg.match(/aria-roledescription="line mark"/g)?.length, 2)
 * ```
 */
export const lineChart = async (series: ReadonlyArray<Series>, options: ChartOptions = {}): Promise<string> => {
  const op = 'lineChart'
  if (!Array.isArray(series) || series.length === 0) throw new DomainError(op, 'expected a non-empty array of series')
  const ok = keep(options)
  const values = series.flatMap((s, k) => {
    if (typeof s?.name !== 'string' || !Array.isArray(s.x) || !Array.isArray(s.y)) {
      throw new DomainError(op, `series ${k} must be { name: string, x: number[], y: number[] }`)
    }
    if (s.x.length !== s.y.length) throw new ShapeError(op, `series ${k} (${s.name}): x has ${s.x.length} values, y has ${s.y.length}`)
    return s.x.flatMap((x: number, i: number) => (ok(x, s.y[i]) ? [{ series: s.name, x, y: s.y[i], i }] : []))
  })
  return render({
    ...frame(op, options),
    data: { values },
    mark: { type: 'line', clip: true },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: options.xLabel ?? 'x', scale: { zero: false } },
      y: { field: 'y', type: 'quantitative', title: options.yLabel ?? 'y', scale: options.logY ? { type: 'log' } : { zero: false } },
      color: { field: 'series', type: 'nominal', title: null, sort: series.map((s) => s.name) },
      order: { field: 'i', type: 'quantitative' },
    },
  })
}

/**
 * A scatter plot as SVG text, one colour per group (e.g. the classes of a toy data set).
 *
 * @category charts
 * @since 0.1.0
 * @example
 * ```ts
 * import { scatter } from 'dendrite/viz'
 * import * as assert from 'node:assert'
 * const svg = await scatter([{ x: 0, y: 0, group: 0 }, { x: 1, y: 1, group: 1 }, { x: 1, y: 0, group: 1 }], { title: 'XOR' })
 * assert.ok(svg.startsWith('<svg') && svg.includes('XOR'))
 * assert.strictEqual(svg.match(/aria-roledescription="point"/g)?.length, 3)
 * ```
 */
export const scatter = async (points: ReadonlyArray<Point>, options: ChartOptions = {}): Promise<string> => {
  const op = 'scatter'
  if (!Array.isArray(points)) throw new DomainError(op, 'expected an array of points { x, y, group? }')
  const ok = keep(options)
  const grouped = points.some((p) => p?.group !== undefined)
  const values = points.flatMap((p, i) => {
    if (typeof p !== 'object' || p === null || typeof p.x !== 'number' || typeof p.y !== 'number') {
      throw new DomainError(op, `point ${i} must be { x: number, y: number, group? }`)
    }
    return ok(p.x, p.y) ? [{ x: p.x, y: p.y, group: String(p.group ?? '') }] : []
  })
  return render({
    ...frame(op, options),
    data: { values },
    mark: { type: 'point', filled: true, clip: true },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: options.xLabel ?? 'x', scale: { zero: false } },
      y: { field: 'y', type: 'quantitative', title: options.yLabel ?? 'y', scale: options.logY ? { type: 'log' } : { zero: false } },
      ...(grouped ? { color: { field: 'group', type: 'nominal', title: null } } : {}),
    },
  })
}

// A 3×5 pixel font: each glyph is 5 rows of 3 bits (the high bit is the left pixel).
const FONT: Record<string, readonly number[]> = {
  '0': [7, 5, 5, 5, 7], '1': [2, 6, 2, 2, 7], '2': [7, 1, 7, 4, 7], '3': [7, 1, 7, 1, 7], '4': [5, 5, 7, 1, 1],
  '5': [7, 4, 7, 1, 7], '6': [7, 4, 7, 5, 7], '7': [7, 1, 1, 1, 1], '8': [7, 5, 7, 5, 7], '9': [7, 5, 7, 1, 7],
  '-': [0, 0, 7, 0, 0], '.': [0, 0, 0, 0, 2], '+': [0, 2, 7, 2, 0], ' ': [0, 0, 0, 0, 0],
}
const BOX = [7, 5, 5, 5, 7]

/**
 * A grid of grayscale images as a PNG file (bytes): images `[n, h, w]` (or `[n, 1, h, w]`,
 * or rows `[n, h·w]` with `height` and `width`), values in [0, 1] (clamped) mapped to
 * gray levels `round(255·v)`, `cols` per row, each pixel scaled to a `scale × scale` block,
 * images `gap` pixels apart, optional labels underneath. Layout in the module comment.
 *
 * @category images
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import { imageGrid } from 'dendrite/viz'
 * import { PNG } from 'pngjs'
 * import * as assert from 'node:assert'
 * const png = imageGrid(ops.tensor([[[0, 1]], [[1, 0]]]), { cols: 2, scale: 1, gap: 1 })
 * const img = PNG.sync.read(Buffer.from(png))
 * assert.deepStrictEqual([img.width, img.height], [5, 1])
 * assert.deepStrictEqual([0, 1, 2, 3, 4].map((j) => img.data[4 * j]), [0, 255, 255, 255, 0])
 * ```
 */
export const imageGrid = (images: Tensor, options: ImageGridOptions = {}): Uint8Array => {
  const op = 'imageGrid'
  const s = images?.shape
  if (!Array.isArray(s)) throw new DomainError(op, 'expected a tensor of images')
  let n: number, h: number, w: number
  if (s.length === 3) [n, h, w] = s
  else if (s.length === 4 && s[1] === 1) [n, , h, w] = s
  else if (s.length === 2) {
    n = s[0]
    h = checkSize(op, 'height', options.height, 1)
    w = checkSize(op, 'width', options.width, 1)
    if (h * w !== s[1]) throw new ShapeError(op, `rows of ${s[1]} pixels are not images of ${h}×${w}`, [s])
  } else {
    throw new ShapeError(op, `expected images [n, h, w], [n, 1, h, w] or rows [n, h·w], got [${s.join(',')}]`, [s])
  }
  if (n === 0 || h === 0 || w === 0) throw new ShapeError(op, `no pixels to draw in [${s.join(',')}]`, [s])
  const cols = checkSize(op, 'cols', options.cols ?? Math.min(n, 10), 1)
  const scale = checkSize(op, 'scale', options.scale ?? 2, 1)
  const gap = checkSize(op, 'gap', options.gap ?? 1, 0)
  const bg = options.background ?? 1
  if (!(bg >= 0 && bg <= 1)) throw new DomainError(op, `background must be in [0, 1], got ${bg}`)
  const labels = options.labels
  if (labels !== undefined && labels.length !== n) throw new DomainError(op, `${labels.length} labels for ${n} images`)
  const rows = Math.ceil(n / cols)
  const labelH = labels === undefined ? 0 : 7 * scale
  const tileW = w * scale + gap
  const tileH = h * scale + gap + labelH
  const width = cols * tileW - gap
  const height = rows * tileH - gap
  if (width * height > 2 ** 28) throw new DomainError(op, `the image would have ${width}×${height} pixels, too many`)
  const png = new PNG({ width, height })
  const out = new Uint8Array(width * height * 4)
  const gray = (v: number): number => Math.round(255 * Math.min(1, Math.max(0, Number.isNaN(v) ? 0 : v)))
  const set = (row: number, col: number, g: number): void => {
    const p = 4 * (row * width + col)
    out[p] = out[p + 1] = out[p + 2] = g
    out[p + 3] = 255
  }
  const back = gray(bg)
  for (let p = 0; p < width * height; p++) set(Math.floor(p / width), p % width, back)
  const fg = back > 127 ? 0 : 255
  const d = images.data
  for (let k = 0; k < n; k++) {
    const top = Math.floor(k / cols) * tileH
    const left = (k % cols) * tileW
    for (let i = 0; i < h * scale; i++) {
      for (let j = 0; j < w * scale; j++) set(top + i, left + j, gray(d[k * h * w + Math.floor(i / scale) * w + Math.floor(j / scale)]))
    }
    if (labels !== undefined) {
      const text = String(labels[k])
      for (let c = 0; c < text.length; c++) {
        const glyph = FONT[text[c]] ?? BOX
        for (let gi = 0; gi < 5; gi++) {
          for (let gj = 0; gj < 3; gj++) {
            if (((glyph[gi] >> (2 - gj)) & 1) === 0) continue
            for (let a = 0; a < scale; a++) {
              for (let b = 0; b < scale; b++) {
                const col = left + (4 * c + gj) * scale + b
                if (col < left + w * scale) set(top + h * scale + scale + gi * scale + a, col, fg)
              }
            }
          }
        }
      }
    }
  }
  png.data = Buffer.from(out.buffer)
  return PNG.sync.write(png, { colorType: 0 })
}

/**
 * Writes text or bytes to a file, creating its parent directories first.
 *
 * @category files
 * @since 0.1.0
 * @example
 * ```ts
 * import { writeFile } from 'dendrite/viz'
 * import { readFileSync, rmSync } from 'node:fs'
 * import { join } from 'node:path'
 * import { tmpdir } from 'node:os'
 * import * as assert from 'node:assert'
 * const dir = join(tmpdir(), `dendrite-viz-${process.pid}`)
 * await writeFile(join(dir, 'a', 'b.svg'), '<svg/>')
 * assert.strictEqual(readFileSync(join(dir, 'a', 'b.svg'), 'utf8'), '<svg/>')
 * rmSync(dir, { recursive: true })
 * ```
 */
export const writeFile = async (path: string, content: string | Uint8Array): Promise<void> => {
  await mkdir(dirname(path), { recursive: true })
  await fsWriteFile(path, content)
}
