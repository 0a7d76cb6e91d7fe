/**
 * dendrite/viz: charts are SVG documents holding the title and one path per series (or one
 * symbol per point); image grids are PNGs whose size follows the documented layout and whose
 * pixels, decoded back with pngjs, are `round(255·clamp(v, 0, 1))` of the scaled images.
 */
import { describe, expect, test } from 'vitest'
import { PNG } from 'pngjs'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ops, random, DomainError, ShapeError } from 'dendrite'
import { imageGrid, lineChart, scatter, writeFile } from 'dendrite/viz'

const lineMarks = (svg: string): number => svg.match(/aria-roledescription="line mark"/g)?.length ?? 0

describe('viz.lineChart', () => {
  test('an SVG with the title, the axis titles and one path per series', async () => {
    const x = [0, 1, 2, 3, 4]
    const series = ['train', 'test', 'val'].map((name, k) => ({ name, x, y: x.map((t) => Math.exp(-t) + k) }))
    const svg = await lineChart(series, { title: 'Loss curves', xLabel: 'epoch', yLabel: 'loss', width: 300, height: 200 })
    expect(svg.startsWith('<svg')).toBe(true)
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true)
    for (const s of ['Loss curves', 'epoch', 'loss', 'train', 'test', 'val']) expect(svg).toContain(s)
    expect(lineMarks(svg)).toBe(3)
    expect(lineMarks(await lineChart(series.slice(0, 1)))).toBe(1)
  })

  test('logY drops non-positive points; non-finite points are dropped; the title is escaped', async () => {
    const svg = await lineChart([{ name: 'a', x: [1, 2, 3, 4], y: [1, 0, NaN, 10] }], { title: 'A<B', logY: true })
    expect(svg).toContain('A&lt;B')
    expect(lineMarks(svg)).toBe(1)
    // two points kept: the line is one segment (M…L…)
    const d = /aria-roledescription="line mark" d="([^"]*)"/.exec(svg)?.[1] ?? ''
    expect(d.match(/[ML]/g)).toEqual(['M', 'L'])
  })

  test('legend labels are shown whole, not cut at Vega\'s default 160 px', async () => {
    const name = 'exponential synapse (sum of shifted kernels)'
    const svg = await lineChart([{ name, x: [0, 1], y: [0, 1] }])
    expect(svg).toContain(`>${name}</text>`)
    expect(svg).not.toContain('…')
  })
  test('bad input throws typed errors', async () => {
    await expect(lineChart([])).rejects.toThrow(DomainError)
    await expect(lineChart([{ name: 'a', x: [1, 2], y: [1] }])).rejects.toThrow(ShapeError)
  })
})

describe('viz.scatter', () => {
  test('an SVG with one symbol per point and a legend per group', async () => {
    const pts = Array.from({ length: 12 }, (_, i) => ({ x: i, y: (i * 7) % 5, group: i % 3 }))
    const svg = await scatter(pts, { title: 'Blobs' })
    expect(svg.startsWith('<svg')).toBe(true)
    expect(svg).toContain('Blobs')
    expect(svg.match(/aria-roledescription="point"/g)?.length).toBe(12)
  })
})

describe('viz.imageGrid', () => {
  const decode = (bytes: Uint8Array) => PNG.sync.read(Buffer.from(bytes))

  test('PNG signature, IHDR dimensions from the layout, grayscale colour type', () => {
    const imgs = random.uniform(random.key(0), [7, 4, 3])
    const png = imageGrid(imgs, { cols: 3, scale: 2, gap: 1 })
    expect(Array.from(png.subarray(0, 8))).toEqual([137, 80, 78, 71, 13, 10, 26, 10])
    const view = new DataView(png.buffer, png.byteOffset)
    expect(new TextDecoder().decode(png.subarray(12, 16))).toBe('IHDR')
    // width = cols·(w·scale + gap) − gap, height = rows·(h·scale + gap) − gap
    expect([view.getUint32(16), view.getUint32(20)]).toEqual([3 * (3 * 2 + 1) - 1, 3 * (4 * 2 + 1) - 1])
    expect(png[25]).toBe(0) // colour type 0: grayscale
  })

  test('pixels decode back to round(255·clamp(v)) of the scaled images; gaps are the background', () => {
    const n = 5, h = 3, w = 4, cols = 2, scale = 3, gap = 2
    const vals = ops.toFlat(random.uniform(random.key(1), [n, h * w], { min: -0.2, max: 1.2 }))
    const img = decode(imageGrid(ops.reshape(ops.tensor(vals), [n, h * w]), { cols, scale, gap, height: h, width: w, background: 0.5 }))
    expect([img.width, img.height]).toEqual([cols * (w * scale + gap) - gap, 3 * (h * scale + gap) - gap])
    const px = (r: number, c: number): number => img.data[4 * (r * img.width + c)]
    for (let k = 0; k < n; k++) {
      const top = Math.floor(k / cols) * (h * scale + gap)
      const left = (k % cols) * (w * scale + gap)
      for (let i = 0; i < h * scale; i++) {
        for (let j = 0; j < w * scale; j++) {
          const v = Math.fround(vals[k * h * w + Math.floor(i / scale) * w + Math.floor(j / scale)])
          expect(px(top + i, left + j)).toBe(Math.round(255 * Math.min(1, Math.max(0, v))))
        }
      }
    }
    expect(px(0, w * scale)).toBe(128) // a gap column
    expect(px(img.height - 1, img.width - 1)).toBe(128) // the empty sixth cell
  })

  test('[n, 1, h, w] images and labels (a strip of 7·scale rows under each image)', () => {
    const imgs = ops.zeros([2, 1, 5, 6])
    const img = decode(imageGrid(imgs, { cols: 2, scale: 1, gap: 0, labels: [1, 7] }))
    expect([img.width, img.height]).toEqual([12, 5 + 7])
    const px = (r: number, c: number): number => img.data[4 * (r * img.width + c)]
    // the glyph "1" of the 3×5 font (rows 010 110 010 010 111), drawn black on white from row 6
    const glyph = [[0, 1, 0], [1, 1, 0], [0, 1, 0], [0, 1, 0], [1, 1, 1]]
    glyph.forEach((bits, r) => bits.forEach((b, c) => expect(px(6 + r, c)).toBe(b ? 0 : 255)))
    expect(() => imageGrid(imgs, { labels: [1] })).toThrow(DomainError)
    expect(() => imageGrid(ops.zeros([2, 6]), { height: 2, width: 2 })).toThrow(ShapeError)
  })

  test('writeFile creates parent directories and writes bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dendrite-viz-'))
    const png = imageGrid(ops.ones([1, 2, 2]))
    await writeFile(join(dir, 'x', 'y', 'grid.png'), png)
    expect(new Uint8Array(readFileSync(join(dir, 'x', 'y', 'grid.png')))).toEqual(new Uint8Array(png))
    rmSync(dir, { recursive: true })
  })
})
