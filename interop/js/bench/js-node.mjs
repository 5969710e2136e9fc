// A JS Helia node for the side-by-side benchmarks (bench/Helia.Benchmarks runs it). Loopback only, no bootstrap,
// no delegated routing, no gateways: TCP + Noise + Yamux + identify + ping + Bitswap, as in ../../shared/INTEROP-NOTES.md.
//
//   node js-node.mjs serve --size BYTES [--seed N] [--small N] [--warmup-size BYTES]   import a file (and N small raw blocks;
//                                                                and a warm-up file of the next seed), print JSON, serve until
//                                                                stdin closes, then print its peak RSS as JSON
//   node js-node.mjs fetch --addr MULTIADDR --cid CID [--small CID,CID…] [--warmup-cid CID]   fetch the file (after the
//                                                                warm-up file, untimed) and small blocks, print timings as JSON
//   node js-node.mjs import --size BYTES [--seed N] [--file F]   import without storing (only hash), print timings as JSON
//   node js-node.mjs mdns --service TAG [--wait] [--warmup]      a libp2p host with mDNS (loopback-only network namespace only!):
//                                                                prints {"ready":…} once started, or with --wait the times to the
//                                                                first connected peer; then stays until stdin closes. --warmup first
//                                                                runs two such hosts in this process until they connect (on a tag
//                                                                of their own), so the measured host runs on warm code
import { createHeliaLight } from 'helia'
import { withBitswap } from '@helia/bitswap'
import { withLibp2pLight } from '@helia/libp2p'
import { unixfs } from '@helia/unixfs'
import { tcp } from '@libp2p/tcp'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { identify } from '@libp2p/identify'
import { mdns } from '@libp2p/mdns'
import { createLibp2p } from 'libp2p'
import { ping } from '@libp2p/ping'
import { multiaddr } from '@multiformats/multiaddr'
import { BlackHoleBlockstore } from 'blockstore-core/black-hole'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { parseArgs } from 'node:util'
import { xorshiftChunks } from './xorshift.mjs'

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    size: { type: 'string', default: '0' },
    seed: { type: 'string', default: '1' },
    small: { type: 'string', default: '' },
    addr: { type: 'string' },
    cid: { type: 'string' },
    file: { type: 'string' },
    service: { type: 'string' },
    wait: { type: 'boolean', default: false },
    warmup: { type: 'boolean', default: false },
    'warmup-size': { type: 'string', default: '0' },
    'warmup-cid': { type: 'string' }
  }
})

const mode = positionals[0]
const size = Number(values.size)
const seed = Number(values.seed)

async function createNode () {
  const helia = withBitswap(withLibp2pLight(createHeliaLight({}), {
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify(), ping: ping() }
  }))
  await helia.start()
  return helia
}

function print (result) {
  process.stdout.write(JSON.stringify(result) + '\n')
}

if (mode === 'import') {
  const fs = unixfs({ blockstore: new BlackHoleBlockstore() })
  // From a file when given one, as the C# side (1 MiB reads, the chunk size)
  const input = values.file != null ? createReadStream(values.file, { highWaterMark: 1024 * 1024 }) : xorshiftChunks(seed, size)
  const started = performance.now()
  const cid = await fs.addByteStream(input)
  const ms = performance.now() - started
  print({ cid: cid.toString(), bytes: size, ms, peakRssBytes: process.resourceUsage().maxRSS * 1024 })
} else if (mode === 'serve') {
  const helia = await createNode()
  const fs = unixfs(helia)
  const started = performance.now()
  const cid = await fs.addByteStream(xorshiftChunks(seed, size))
  const importMs = performance.now() - started
  // --warmup-size BYTES: a second file (the next seed) for the fetcher to read before the timed one
  const warmupSize = Number(values['warmup-size'])
  const warmupCid = warmupSize > 0 ? (await fs.addByteStream(xorshiftChunks(seed + 1, warmupSize))).toString() : undefined
  const small = []
  for (let i = 0; i < Number(values.small || 0); i++) {
    const bytes = randomBytes(1024)
    const smallCid = CID.createV1(raw.code, await sha256.digest(bytes))
    await helia.blockstore.put(smallCid, bytes)
    small.push(smallCid.toString())
  }
  print({ multiaddr: helia.libp2p.getMultiaddrs()[0].toString(), cid: cid.toString(), importMs, small, warmupCid })
  process.stdin.resume()
  await new Promise(resolve => process.stdin.on('end', resolve))
  print({ peakRssBytes: process.resourceUsage().maxRSS * 1024 })
  await helia.stop()
} else if (mode === 'fetch') {
  const helia = await createNode()
  const fs = unixfs(helia)
  await helia.libp2p.dial(multiaddr(values.addr))
  if (values['warmup-cid'] != null) {
    for await (const chunk of fs.cat(CID.parse(values['warmup-cid']))) { } // eslint-disable-line no-unused-vars
  }
  const started = performance.now()
  let firstByteMs = null
  let bytes = 0
  for await (const chunk of fs.cat(CID.parse(values.cid))) {
    firstByteMs ??= performance.now() - started
    bytes += chunk.byteLength
  }
  const ms = performance.now() - started
  const latencies = []
  for (const text of values.small.split(',').filter(s => s !== '')) {
    const t = performance.now()
    let length = 0
    for await (const chunk of helia.blockstore.get(CID.parse(text))) { // blockstores yield a block as chunks
      length += chunk.byteLength
    }
    if (length !== 1024) throw new Error(`small block ${text} has ${length} bytes`)
    latencies.push(performance.now() - t)
  }
  print({ bytes, ms, firstByteMs, latenciesMs: latencies, peakRssBytes: process.resourceUsage().maxRSS * 1024 })
  await helia.stop()
} else if (mode === 'mdns') {
  // js-libp2p does not auto-dial discovered peers: dial on discovery, as an application would.
  const createMdnsNode = async (serviceTag) => {
    const node = await createLibp2p({
      start: false,
      addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      peerDiscovery: [mdns({ interval: 1000, serviceTag })],
      services: { identify: identify(), ping: ping() }
    })
    node.addEventListener('peer:discovery', (event) => { node.dial(event.detail.id).catch(() => {}) })
    return node
  }
  if (values.warmup) {
    const tag = `_warmup-${randomBytes(4).toString('hex')}._udp.local`
    const pair = [await createMdnsNode(tag), await createMdnsNode(tag)]
    const identified = new Promise(resolve => pair[1].addEventListener('peer:identify', resolve, { once: true }))
    for (const peer of pair) await peer.start()
    await identified
    for (const peer of pair) await peer.stop()
  }
  const node = await createMdnsNode(values.service)
  const connected = new Promise(resolve => node.addEventListener('peer:connect', () => resolve(performance.now()), { once: true }))
  const hostStarted = performance.now()
  await node.start()
  if (values.wait) {
    const at = await connected
    // performance.now() counts from the process's time origin, i.e. from process start.
    print({ hostMs: at - hostStarted, processMs: at })
  } else {
    print({ ready: node.peerId.toString() })
  }
  process.stdin.resume()
  await new Promise(resolve => process.stdin.on('end', resolve))
  await node.stop()
} else {
  process.stderr.write('usage: js-node.mjs serve|fetch|import|mdns …\n')
  process.exit(2)
}
