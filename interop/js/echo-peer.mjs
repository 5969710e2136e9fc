// A js-libp2p peer for Helia.NET's interop tests (tests/Helia.Interop.Tests): TCP + Noise + Yamux + identify + ping
// on 127.0.0.1 only, with an /echo/1.0.0 handler (echoes every byte, then closes its write side).
//
//   node echo-peer.mjs                                   listen; print {"peerId","multiaddr"}; serve until stdin closes
//   node echo-peer.mjs --dial ADDR [--streams N] [--size BYTES]
//        dial ADDR, run N concurrent echo streams of BYTES random bytes each, check the echoes,
//        print {"peerId","remotePeer","ok","streams","bytes","ms"} (or {"error"}) and exit
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { multiaddr } from '@multiformats/multiaddr'
import { randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'

const ECHO = '/echo/1.0.0'
const { values } = parseArgs({
  options: {
    dial: { type: 'string' },
    streams: { type: 'string', default: '1' },
    size: { type: 'string', default: '1024' }
  }
})

function print (result) {
  process.stdout.write(JSON.stringify(result) + '\n')
}

const node = await createLibp2p({
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: { identify: identify(), ping: ping() }
})

await node.handle(ECHO, async (stream) => {
  for await (const chunk of stream) {
    if (!stream.send(chunk)) {
      await stream.onDrain()
    }
  }
  await stream.close()
}, { maxInboundStreams: 256, maxOutboundStreams: 256 })

await node.start()

async function echoOnce (connection, size) {
  const data = randomBytes(size)
  const stream = await connection.newStream(ECHO, { maxOutboundStreams: 256 })
  const reading = (async () => {
    const chunks = []
    for await (const chunk of stream) {
      chunks.push(chunk.subarray())
    }
    return Buffer.concat(chunks)
  })()
  for (let offset = 0; offset < size; offset += 65536) {
    if (!stream.send(data.subarray(offset, Math.min(size, offset + 65536)))) {
      await stream.onDrain()
    }
  }
  await stream.close()
  const echoed = await reading
  if (!echoed.equals(data)) {
    throw new Error(`echo mismatch: sent ${size} bytes, got ${echoed.length}`)
  }
}

if (values.dial) {
  try {
    const started = performance.now()
    const connection = await node.dial(multiaddr(values.dial))
    const streams = Number(values.streams)
    const size = Number(values.size)
    await Promise.all(Array.from({ length: streams }, () => echoOnce(connection, size)))
    print({ peerId: node.peerId.toString(), remotePeer: connection.remotePeer.toString(), ok: true, streams, bytes: size, ms: performance.now() - started })
  } catch (err) {
    print({ error: String(err?.stack ?? err) })
  }
  await node.stop()
  process.exit(0)
} else {
  print({ peerId: node.peerId.toString(), multiaddr: node.getMultiaddrs()[0].toString() })
  process.stdin.resume()
  await new Promise(resolve => process.stdin.on('end', resolve))
  await node.stop()
  process.exit(0)
}
