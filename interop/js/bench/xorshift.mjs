// The deterministic input generator of ../shared/vectors/README.md: xorshift32, each step's new state as 4 bytes LE.
export function * xorshiftChunks (seed, length, chunkSize = 1 << 20) {
  let x = seed >>> 0
  let remaining = length
  while (remaining > 0) {
    const size = Math.min(chunkSize, remaining)
    const words = Math.ceil(size / 4)
    const buffer = new Uint8Array(words * 4)
    const view = new DataView(buffer.buffer)
    for (let i = 0; i < words; i++) {
      x ^= x << 13; x >>>= 0
      x ^= x >>> 17
      x ^= x << 5; x >>>= 0
      view.setUint32(i * 4, x, true)
    }
    yield buffer.subarray(0, size)
    remaining -= size
  }
}
