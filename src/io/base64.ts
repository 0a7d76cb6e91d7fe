/**
 * Internal: strict base64 (RFC 4648, standard alphabet, padded) and the little-endian
 * bytes of tensor data. Uses Node's `Buffer` when there is one, else `atob`/`btoa`
 * (browsers, Deno, workers). Not public API.
 *
 * Laws: `fromBase64(toBase64(bytes)) = bytes`; `checkBase64(s) = undefined` iff `s` is
 * canonical padded base64 (so `toBase64(fromBase64(s)) = s` for every accepted `s`);
 * `base64Length(s) = fromBase64(s).length`, computed without decoding.
 *
 * @module
 */

/** @internal One base64 implementation. */
export interface Base64Impl {
  /** Bytes to base64 text. */
  readonly encode: (bytes: Uint8Array) => string
  /** Base64 text (already checked by `checkBase64`) to bytes. */
  readonly decode: (s: string) => Uint8Array
}

type NodeBuffer = {
  from(s: string, enc: 'base64'): Uint8Array
  from(b: ArrayBufferLike, off: number, len: number): { toString(enc: 'base64'): string }
}

/** @internal The Node implementation (`Buffer`), or undefined outside Node. */
export const nodeBase64: Base64Impl | undefined = (() => {
  const B = (globalThis as { Buffer?: NodeBuffer }).Buffer
  if (B === undefined) return undefined
  return {
    encode: (bytes) => B.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
    decode: (s) => B.from(s, 'base64'),
  }
})()

const CHUNK = 0x8000

/** @internal The web implementation (`atob`/`btoa`). */
export const webBase64: Base64Impl = {
  encode: (bytes) => {
    let bin = ''
    for (let i = 0; i < bytes.length; i += CHUNK) {
      bin += String.fromCharCode.apply(null, Array.from(bytes.subarray(i, i + CHUNK)))
    }
    return btoa(bin)
  },
  decode: (s) => {
    const bin = atob(s)
    const out = new Uint8Array(bin.length)
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
    return out
  },
}

const impl: Base64Impl = nodeBase64 ?? webBase64

/** @internal Bytes to padded base64. */
export const toBase64 = (bytes: Uint8Array): string => impl.encode(bytes)

/** @internal Base64 to bytes; call `checkBase64` first (Node's decoder skips bad characters). */
export const fromBase64 = (s: string): Uint8Array => impl.decode(s)

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const BODY = /^[A-Za-z0-9+/]*$/

/** @internal Number of bytes a (checked) base64 string decodes to, without decoding it. */
export const base64Length = (s: string): number => {
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0
  return (s.length / 4) * 3 - pad
}

/**
 * @internal Checks that a string is canonical padded base64: length a multiple of 4, only
 * the standard alphabet, at most two `=` at the end, and zero unused bits before the
 * padding. Returns a reason when it is not.
 */
export const checkBase64 = (s: string): string | undefined => {
  if (s.length % 4 !== 0) return `length ${s.length} is not a multiple of 4`
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0
  const body = s.slice(0, s.length - pad)
  if (!BODY.test(body)) {
    const i = body.search(/[^A-Za-z0-9+/]/)
    return `invalid character ${JSON.stringify(body[i])} at offset ${i}`
  }
  if (pad > 0) {
    // The last character before the padding carries 2 (pad 2) or 4 (pad 1) unused low bits.
    const v = ALPHABET.indexOf(body[body.length - 1])
    if ((v & (pad === 2 ? 0b1111 : 0b11)) !== 0) return 'non-zero bits before the padding'
  }
  return undefined
}

/** @internal Is this host little-endian? (Every mainstream one is.) */
export const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

/** @internal Reverses each `width`-byte group (a copy): little- ↔ big-endian. */
export const swapBytes = (bytes: Uint8Array, width: number): Uint8Array => {
  const out = new Uint8Array(bytes.length)
  for (let i = 0; i < bytes.length; i += width) {
    for (let j = 0; j < width; j++) out[i + j] = bytes[i + width - 1 - j]
  }
  return out
}

/** @internal The little-endian bytes of a typed array (a view when the host is little-endian). */
export const leBytes = (data: Float32Array | Float64Array): Uint8Array => {
  const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
  return littleEndian ? view : swapBytes(view, data.BYTES_PER_ELEMENT)
}

/** @internal Copies little-endian bytes into a fresh typed array's storage (lengths already checked). */
export const fillFromLE = (out: Float32Array | Float64Array, bytes: Uint8Array): void => {
  const src = littleEndian ? bytes : swapBytes(bytes, out.BYTES_PER_ELEMENT)
  new Uint8Array(out.buffer, out.byteOffset, out.byteLength).set(src)
}
