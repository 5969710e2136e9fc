// A Bitswap peer that is not ours and still speaks /ipfs/bitswap/1.0.0 and 1.1.0: the old js-ipfs Bitswap
// (ipfs-bitswap 20.0.2) on js-libp2p 1.x, TCP on 127.0.0.1 only, Noise, Yamux and identify, with an in-memory
// blockstore. Helia.NET's tests (tests/Helia.Interop.Tests/LegacyBitswapInteropTests.cs) run it with Node 24 from
// interop/js; its packages are pinned in this folder's package-lock.json (`npm ci` here).
//
// Option: --protocols 1.1.0[,1.0.0…] restricts the Bitswap versions it handles and proposes (default: 1.2.0, 1.1.0
// and 1.0.0, as ipfs-bitswap registers them), so a test can make it an old peer that speaks one version only. The
// restriction is only on which protocol ids it offers; how it encodes and decodes is ipfs-bitswap's own code, chosen
// by ipfs-bitswap from the protocol the stream negotiated (1.0.0: bare blocks; 1.1.0 and 1.2.0: payload with prefixes).
//
// Hashers: ipfs-bitswap verifies sha2-256 itself; this peer also loads sha2-512 and blake2b-256 for it.
//
// It reads commands on stdin, one per line, each starting with an id the answer repeats:
//   <id> dial <multiaddr>                                  -> {"id","event":"dialed","addr"}
//   <id> put <hash> <codec: raw|dag-pb> <version: 0|1> <base64 bytes>  -> {"id","event":"put","cid","size"}
//   <id> get <cid> <timeout ms>                            -> {"id","event":"got","cid","size","data":base64}
//   <id> get-many <timeout ms> <cid>…                      -> {"id","event":"got-many","cids":[…],"sha256":[hex of each block's sha2-256]}
//                                                             (all wanted at once, so answers may batch several blocks)
//   <id> has <cid>                                         -> {"id","event":"has","cid","has":bool}
// A failed command answers {"id","event":"error","command","message","name"}.
// It also prints, unasked:
//   {"event":"ready","peerId":…,"addrs":[…],"protocols":[…]}   once, first
//   {"event":"stream","direction":"inbound"|"outbound","peer":…,"protocol":…}   for every Bitswap stream
//   {"event":"message","size":n,"full":bool,"blocks":n,"payload":[{"prefix":hex,"size":n}…],
//    "wants":[{"cid","wantType","sendDontHave","cancel"}…],"presences":n}
//                                                           for every Bitswap message it receives, as found on the wire
// It exits when stdin closes.
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { tcp } from '@libp2p/tcp'
import { multiaddr } from '@multiformats/multiaddr'
import { blake2b } from '@noble/hashes/blake2b'
import { MemoryBlockstore } from 'blockstore-core/memory'
import { createBitswap } from 'ipfs-bitswap'
import { createLibp2p } from 'libp2p'
import { CID } from 'multiformats/cid'
import { from } from 'multiformats/hashes/hasher'
import { sha256, sha512 } from 'multiformats/hashes/sha2'
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'

// ipfs-bitswap's message class and protobuf codec: not exported by the package, so loaded by path (the same module
// instances ipfs-bitswap uses, since ES modules are cached by URL).
const { BitswapMessage } = await import(new URL('./node_modules/ipfs-bitswap/dist/src/message/index.js', import.meta.url))
const { Message } = await import(new URL('./node_modules/ipfs-bitswap/dist/src/message/message.js', import.meta.url))

const { values: options } = parseArgs({ options: { protocols: { type: 'string' } } })
const allProtocols = ['/ipfs/bitswap/1.2.0', '/ipfs/bitswap/1.1.0', '/ipfs/bitswap/1.0.0']
const protocols = options.protocols == null ? allProtocols : options.protocols.split(',').map(v => `/ipfs/bitswap/${v}`)
for (const protocol of protocols) {
  if (!allProtocols.includes(protocol)) throw new Error(`ipfs-bitswap does not speak ${protocol}`)
}

const hashers = {
  'sha2-256': sha256,
  'sha2-512': sha512,
  'blake2b-256': from({ name: 'blake2b-256', code: 0xb220, encode: bytes => blake2b(bytes, { dkLen: 32 }) })
}
const hashLoader = {
  async getHasher (code) {
    const hasher = Object.values(hashers).find(h => h.code === code)
    if (hasher == null) throw new Error(`no hasher for 0x${code.toString(16)}`)
    return hasher
  }
}
const codecs = { raw: 0x55, 'dag-pb': 0x70 }

function print (result) {
  process.stdout.write(JSON.stringify(result) + '\n')
}

const libp2p = await createLibp2p({
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncryption: [noise()],
  streamMuxers: [yamux()],
  services: { identify: identify() }
})

// Report what arrives, field by field, before ipfs-bitswap decodes it.
const deserialize = BitswapMessage.deserialize
BitswapMessage.deserialize = async (raw, loader) => {
  const decoded = Message.decode(raw)
  print({
    event: 'message',
    size: raw.length,
    full: decoded.wantlist?.full === true,
    blocks: decoded.blocks.length,
    payload: decoded.payload.map(p => ({ prefix: Buffer.from(p.prefix ?? []).toString('hex'), size: p.data?.length ?? 0 })),
    wants: (decoded.wantlist?.entries ?? []).map(e => ({
      cid: CID.decode(e.block).toString(),
      wantType: e.wantType ?? 'Block',
      sendDontHave: e.sendDontHave === true,
      cancel: e.cancel === true
    })),
    presences: decoded.blockPresences.length
  })
  return deserialize(raw, loader)
}

// Bitswap dials through libp2p.dialProtocol with all three versions: offer only the allowed ones, and report the one chosen.
const dialProtocol = libp2p.dialProtocol.bind(libp2p)
libp2p.dialProtocol = async (peer, offered, opts) => {
  const stream = await dialProtocol(peer, [offered].flat().filter(p => protocols.includes(p)), opts)
  print({ event: 'stream', direction: 'outbound', peer: peer.toString(), protocol: stream.protocol })
  return stream
}

const blockstore = new MemoryBlockstore()
const bitswap = createBitswap(libp2p, blockstore, { hashLoader })
const network = bitswap.network
network._protocols = protocols
const onConnection = network._onConnection
network._onConnection = (info) => {
  print({ event: 'stream', direction: 'inbound', peer: info.connection.remotePeer.toString(), protocol: info.stream.protocol })
  return onConnection(info)
}
await bitswap.start()
print({
  event: 'ready',
  peerId: libp2p.peerId.toString(),
  addrs: libp2p.getMultiaddrs().map(String),
  protocols: libp2p.getProtocols()
})

const lines = createInterface({ input: process.stdin })
lines.on('line', async (line) => {
  const [id, command, ...args] = line.trim().split(/\s+/)
  try {
    if (command === 'dial') {
      await libp2p.dial(multiaddr(args[0]))
      print({ id, event: 'dialed', addr: args[0] })
    } else if (command === 'put') {
      const hasher = hashers[args[0]]
      if (hasher == null) throw new Error(`unknown hash ${args[0]}`)
      const codec = codecs[args[1]]
      if (codec == null) throw new Error(`unknown codec ${args[1]}`)
      const bytes = Buffer.from(args[3] ?? '', 'base64')
      const digest = await hasher.digest(bytes)
      const cid = args[2] === '0' ? CID.createV0(digest) : CID.createV1(codec, digest)
      await bitswap.put(cid, bytes)
      print({ id, event: 'put', cid: cid.toString(), size: bytes.length })
    } else if (command === 'get') {
      const cid = CID.parse(args[0])
      const bytes = await bitswap.want(cid, { signal: AbortSignal.timeout(Number(args[1] ?? 10000)) })
      print({ id, event: 'got', cid: cid.toString(), size: bytes.length, data: Buffer.from(bytes).toString('base64') })
    } else if (command === 'get-many') {
      const signal = AbortSignal.timeout(Number(args[0]))
      const cids = args.slice(1).map(c => CID.parse(c))
      const blocks = await Promise.all(cids.map(cid => bitswap.want(cid, { signal })))
      const digests = await Promise.all(blocks.map(async b => Buffer.from((await sha256.digest(b)).digest).toString('hex')))
      print({ id, event: 'got-many', cids: cids.map(String), sha256: digests })
    } else if (command === 'has') {
      const cid = CID.parse(args[0])
      print({ id, event: 'has', cid: cid.toString(), has: await blockstore.has(cid) })
    } else if (command !== undefined) {
      throw new Error(`unknown command ${command}`)
    }
  } catch (err) {
    print({ id, event: 'error', command, message: err.message, name: err.name })
  }
})
lines.on('close', async () => {
  await bitswap.stop()
  await libp2p.stop()
  process.exit(0)
})
