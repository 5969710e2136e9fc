// A JS Helia peer for Helia.NET's Bitswap interop tests (tests/Helia.Interop.Tests) and benchmarks: Helia's light
// node with libp2p on TCP 127.0.0.1 only, Noise, Yamux, identify, ping and @helia/bitswap; no bootstrap, delegated
// routing or gateways (see ../../shared/INTEROP-NOTES.md).
//
// Hashers: createHelia() configures sha2-256, sha2-512 and identity; this peer also configures sha1, the sha3 family,
// keccak-256/512, blake2b-256/512, blake2s-256 and blake3 (from @noble/hashes, pinned by package-lock.json), so every
// hash function both Helia.NET and JS Helia can use is exercised.
//
// Option: --receive-timeout <ms> sets @helia/bitswap's messageReceiveTimeout (default 10000): how long an inbound
// Bitswap stream may stay silent before JS Helia resets it.
//
// It reads commands on stdin, one per line, each starting with an id the answer repeats:
//   <id> dial <multiaddr>                                    -> {"id","event":"dialed","addr"}
//   <id> put <hash> <codec: raw|dag-pb> <base64 bytes>       -> {"id","event":"put","cid","size"}
//   <id> get <cid> <timeout ms>                              -> {"id","event":"got","cid","size","data":base64}
//   <id> has <cid>                                           -> {"id","event":"has","cid","has":bool}
//   <id> wantlist                                            -> {"id","event":"wantlist","cids":[…]}   (our wants)
//   <id> peer-wantlist <peerId>                              -> {"id","event":"peer-wantlist","cids":[…]|null}
// A failed command answers {"id","event":"error","command","message","name"} (a get that times out: name AbortError).
// It also prints, unasked:
//   {"event":"ready","peerId":…,"addrs":[…],"protocols":[…]}  once, first
//   {"event":"presence","cid":…,"has":bool,"sender":…}       for every HAVE / DONT_HAVE Bitswap receives
//   {"event":"wants","from":…,"wants":[cid…],"cancels":[cid…]} for every received message with wantlist entries,
//                                                             printed after Bitswap's ledger has taken them in
//   {"event":"inbound-closed","from":…,"error":name|null}      when an inbound Bitswap stream closes (or is reset)
// It exits when stdin closes.
import { createHeliaLight } from 'helia'
import { withLibp2pLight } from '@helia/libp2p'
import { withBitswap } from '@helia/bitswap'
import { tcp } from '@libp2p/tcp'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { CID } from 'multiformats/cid'
import { from } from 'multiformats/hashes/hasher'
import { sha256, sha512 } from 'multiformats/hashes/sha2'
import { sha1 } from 'multiformats/hashes/sha1'
import { identity } from 'multiformats/hashes/identity'
import { sha3_224, sha3_256, sha3_384, sha3_512, keccak_256, keccak_512 } from '@noble/hashes/sha3.js'
import { blake2b, blake2s } from '@noble/hashes/blake2.js'
import { blake3 } from '@noble/hashes/blake3.js'
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'

const { values: options } = parseArgs({ options: { 'receive-timeout': { type: 'string' } } })

const hashers = {
  'sha2-256': sha256,
  'sha2-512': sha512,
  sha1,
  identity,
  'sha3-224': from({ name: 'sha3-224', code: 0x17, encode: sha3_224 }),
  'sha3-256': from({ name: 'sha3-256', code: 0x16, encode: sha3_256 }),
  'sha3-384': from({ name: 'sha3-384', code: 0x15, encode: sha3_384 }),
  'sha3-512': from({ name: 'sha3-512', code: 0x14, encode: sha3_512 }),
  'blake2b-256': from({ name: 'blake2b-256', code: 0xb220, encode: bytes => blake2b(bytes, { dkLen: 32 }) }),
  'blake2b-512': from({ name: 'blake2b-512', code: 0xb240, encode: bytes => blake2b(bytes, { dkLen: 64 }) }),
  'blake2s-256': from({ name: 'blake2s-256', code: 0xb260, encode: bytes => blake2s(bytes, { dkLen: 32 }) }),
  blake3: from({ name: 'blake3', code: 0x1e, encode: bytes => blake3(bytes) }),
  'keccak-256': from({ name: 'keccak-256', code: 0x1b, encode: keccak_256 }),
  'keccak-512': from({ name: 'keccak-512', code: 0x1d, encode: keccak_512 })
}
const codecs = { raw: 0x55, 'dag-pb': 0x70 }

function print (result) {
  process.stdout.write(JSON.stringify(result) + '\n')
}

async function concat (chunks) {
  const parts = []
  for await (const chunk of chunks) parts.push(chunk)
  return Buffer.concat(parts)
}

const bitswapOptions = options['receive-timeout'] == null ? {} : { messageReceiveTimeout: Number(options['receive-timeout']) }
const helia = withBitswap(withLibp2pLight(createHeliaLight({ hashers: Object.values(hashers) }), {
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: { identify: identify(), ping: ping() }
}), bitswapOptions)
await helia.start()
const bitswap = helia.blockBrokers.find(broker => broker.name === 'bitswap').bitswap
bitswap.wantList.addEventListener('presence', (evt) => {
  if (evt.detail.block == null) {
    print({ event: 'presence', cid: evt.detail.cid.toString(), has: evt.detail.has, sender: evt.detail.sender.toString() })
  }
})
// Bitswap's own handler, wrapped to report when an inbound stream ends (same protocol, same limits).
const bitswapHandler = bitswap.network._onStream
await helia.libp2p.handle('/ipfs/bitswap/1.2.0', (stream, connection) => {
  stream.addEventListener('close', (evt) => {
    print({ event: 'inbound-closed', from: connection.remotePeer.toString(), error: evt.error?.name ?? null })
  })
  return bitswapHandler(stream, connection)
}, {
  force: true,
  maxInboundStreams: bitswap.network.maxInboundStreams,
  maxOutboundStreams: bitswap.network.maxOutboundStreams,
  runOnLimitedConnection: bitswap.network.runOnLimitedConnections
})
// The peers JS Bitswap counts as connected. Its WantList listened first, so a peer is here only once the WantList has
// taken it in; until then a new want is sent to that peer only as part of the full wantlist, without sendDontHave.
const bitswapPeers = new Set()
const bitswapPeerAdded = new EventTarget()
bitswap.network.addEventListener('peer:connected', (evt) => {
  bitswapPeers.add(evt.detail.toString())
  bitswapPeerAdded.dispatchEvent(new Event('added'))
})
bitswap.network.addEventListener('peer:disconnected', (evt) => {
  bitswapPeers.delete(evt.detail.toString())
})
async function bitswapPeer (id) {
  while (!bitswapPeers.has(id)) {
    await new Promise(resolve => bitswapPeerAdded.addEventListener('added', resolve, { once: true }))
  }
}
bitswap.network.addEventListener('bitswap:message', (evt) => {
  const entries = evt.detail.message.wantlist?.entries ?? []
  if (entries.length > 0) {
    print({
      event: 'wants',
      from: evt.detail.connection.remotePeer.toString(),
      wants: entries.filter(e => e.cancel !== true).map(e => CID.decode(e.cid).toString()),
      cancels: entries.filter(e => e.cancel === true).map(e => CID.decode(e.cid).toString())
    })
  }
})
print({
  event: 'ready',
  peerId: helia.libp2p.peerId.toString(),
  addrs: helia.libp2p.getMultiaddrs().map(String),
  protocols: helia.libp2p.getProtocols()
})

const lines = createInterface({ input: process.stdin })
lines.on('line', async (line) => {
  const [id, command, ...args] = line.trim().split(/\s+/)
  try {
    if (command === 'dial') {
      await helia.libp2p.dial(multiaddr(args[0]))
      print({ id, event: 'dialed', addr: args[0] })
    } else if (command === 'bitswap-peer') {
      await bitswapPeer(args[0])
      print({ id, event: 'bitswap-peer', peer: args[0] })
    } else if (command === 'put') {
      const hasher = hashers[args[0]]
      if (hasher == null) throw new Error(`unknown hash ${args[0]}`)
      const codec = codecs[args[1]]
      if (codec == null) throw new Error(`unknown codec ${args[1]}`)
      const bytes = Buffer.from(args[2] ?? '', 'base64')
      const cid = CID.createV1(codec, await hasher.digest(bytes))
      await helia.blockstore.put(cid, bytes)
      print({ id, event: 'put', cid: cid.toString(), size: bytes.length })
    } else if (command === 'get') {
      const cid = CID.parse(args[0])
      const bytes = await concat(helia.blockstore.get(cid, { signal: AbortSignal.timeout(Number(args[1] ?? 10000)) }))
      print({ id, event: 'got', cid: cid.toString(), size: bytes.length, data: bytes.toString('base64') })
    } else if (command === 'has') {
      const cid = CID.parse(args[0])
      print({ id, event: 'has', cid: cid.toString(), has: await helia.blockstore.has(cid) })
    } else if (command === 'wantlist') {
      print({ id, event: 'wantlist', cids: bitswap.getWantlist().map(entry => entry.cid.toString()) })
    } else if (command === 'peer-wantlist') {
      const wants = bitswap.getPeerWantlist(peerIdFromString(args[0]))
      print({ id, event: 'peer-wantlist', cids: wants?.map(entry => entry.cid.toString()) ?? null })
    } else if (command !== undefined) {
      throw new Error(`unknown command ${command}`)
    }
  } catch (err) {
    print({ id, event: 'error', command, message: err.message, name: err.name })
  }
})
lines.on('close', async () => {
  await helia.stop()
  process.exit(0)
})
