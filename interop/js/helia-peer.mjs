// A JS Helia peer for Helia.NET's Bitswap interop tests (tests/Helia.Interop.Tests) and benchmarks: Helia's light
// node with libp2p on TCP 127.0.0.1 only, Noise, Yamux, identify, ping and @helia/bitswap; no bootstrap, delegated
// routing or gateways (see ../../shared/INTEROP-NOTES.md).
//
// It prints one JSON object per line on stdout:
//   {"event":"ready","peerId":…,"addrs":[…],"protocols":[…]}
//   {"event":"dialed","addr":…}
//   {"event":"put","cid":…,"size":n}
//   {"event":"got","cid":…,"size":n,"data":base64}           (the fetched block, verified by Helia)
//   {"event":"has","cid":…,"has":bool}
//   {"event":"error","command":…,"message":…,"name":…}
// and reads commands on stdin, one per line:
//   dial <multiaddr>
//   put <hash: sha2-256|sha2-512|sha1|identity> <codec: raw|dag-pb> <base64 bytes>
//   get <cid> <timeout ms>
//   has <cid>
// It exits when stdin closes.
import { createHeliaLight } from 'helia'
import { withLibp2pLight } from '@helia/libp2p'
import { withBitswap } from '@helia/bitswap'
import { tcp } from '@libp2p/tcp'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { multiaddr } from '@multiformats/multiaddr'
import { CID } from 'multiformats/cid'
import { sha256, sha512 } from 'multiformats/hashes/sha2'
import { sha1 } from 'multiformats/hashes/sha1'
import { identity } from 'multiformats/hashes/identity'
import { createInterface } from 'node:readline'

const hashers = { 'sha2-256': sha256, 'sha2-512': sha512, sha1, identity }
const codecs = { raw: 0x55, 'dag-pb': 0x70 }

function print (result) {
  process.stdout.write(JSON.stringify(result) + '\n')
}

const helia = withBitswap(withLibp2pLight(createHeliaLight({ hashers: Object.values(hashers) }), {
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: { identify: identify(), ping: ping() }
}))
await helia.start()
print({
  event: 'ready',
  peerId: helia.libp2p.peerId.toString(),
  addrs: helia.libp2p.getMultiaddrs().map(String),
  protocols: helia.libp2p.getProtocols()
})

const lines = createInterface({ input: process.stdin })
lines.on('line', async (line) => {
  const [command, ...args] = line.trim().split(/\s+/)
  try {
    if (command === 'dial') {
      await helia.libp2p.dial(multiaddr(args[0]))
      print({ event: 'dialed', addr: args[0] })
    } else if (command === 'put') {
      const hasher = hashers[args[0]]
      if (hasher == null) throw new Error(`unknown hash ${args[0]}`)
      const bytes = Buffer.from(args[2] ?? '', 'base64')
      const cid = CID.createV1(codecs[args[1]] ?? 0x55, await hasher.digest(bytes))
      await helia.blockstore.put(cid, bytes)
      print({ event: 'put', cid: cid.toString(), size: bytes.length })
    } else if (command === 'get') {
      const cid = CID.parse(args[0])
      const bytes = await helia.blockstore.get(cid, { signal: AbortSignal.timeout(Number(args[1] ?? 10000)) })
      print({ event: 'got', cid: cid.toString(), size: bytes.length, data: Buffer.from(bytes).toString('base64') })
    } else if (command === 'has') {
      const cid = CID.parse(args[0])
      print({ event: 'has', cid: cid.toString(), has: await helia.blockstore.has(cid) })
    } else if (command !== '') {
      throw new Error(`unknown command ${command}`)
    }
  } catch (err) {
    print({ event: 'error', command, message: err.message, name: err.name })
  }
})
lines.on('close', async () => {
  await helia.stop()
  process.exit(0)
})
