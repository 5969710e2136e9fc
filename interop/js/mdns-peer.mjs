// A js-libp2p peer for Helia.NET's mDNS interop test (tests/Helia.Interop.Tests): TCP on 127.0.0.1 only, Noise, Yamux,
// identify, ping and @libp2p/mdns. Run it only inside a loopback-only network namespace (see ../../shared/INTEROP-NOTES.md):
// js-libp2p's mDNS sends through the default route when there is one.
//
// It prints one JSON object per line on stdout:
//   {"event":"ready","peerId":…,"addrs":[…],"agentVersion":…,"protocols":[…]}
//   {"event":"discovery","peer":…,"addrs":[…]}        (then it dials the peer: js-libp2p does not auto-dial)
//   {"event":"connect","peer":…}
//   {"event":"identify","peer":…,"agentVersion":…,"protocols":[…],"listenAddrs":[…],"direction":…}   (then it pings that peer, once per peer)
//   {"event":"ping","peer":…,"rtt":ms} or {"event":"error","command":…,"message":…}
// and reads commands on stdin, one per line: "ping <peerId>". It exits when stdin closes.
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { mdns } from '@libp2p/mdns'
import { peerIdFromString } from '@libp2p/peer-id'
import { createInterface } from 'node:readline'

function print (result) {
  process.stdout.write(JSON.stringify(result) + '\n')
}

const node = await createLibp2p({
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  peerDiscovery: [mdns({ interval: 1000 })],
  services: { identify: identify(), ping: ping() }
})

node.addEventListener('peer:discovery', (event) => {
  const { id, multiaddrs } = event.detail
  print({ event: 'discovery', peer: id.toString(), addrs: multiaddrs.map(String) })
  node.dial(id).catch((err) => print({ event: 'error', command: 'dial', message: err.message }))
})
node.addEventListener('peer:connect', (event) => {
  print({ event: 'connect', peer: event.detail.toString() })
})
const pinged = new Set()
node.addEventListener('peer:identify', (event) => {
  const { peerId, agentVersion, protocols, listenAddrs, connection } = event.detail
  print({ event: 'identify', peer: peerId.toString(), agentVersion, protocols, listenAddrs: listenAddrs.map(String), direction: connection.direction })
  // Then ping the peer once, so a test that only reads stdout sees ping from this side too. Identify runs once per
  // connection, and both sides may dial at once after discovery, so this can fire twice for one peer; js-libp2p allows
  // one outbound ping stream per connection at a time, so a second concurrent ping would be refused.
  if (pinged.has(peerId.toString())) return
  pinged.add(peerId.toString())
  node.services.ping.ping(peerId)
    .then((rtt) => print({ event: 'ping', peer: peerId.toString(), rtt }))
    .catch((err) => print({ event: 'error', command: 'ping', message: err.message }))
})

await node.start()
print({
  event: 'ready',
  peerId: node.peerId.toString(),
  addrs: node.getMultiaddrs().map(String),
  agentVersion: node.services.identify.host.agentVersion,
  protocols: node.getProtocols()
})

const lines = createInterface({ input: process.stdin })
lines.on('line', async (line) => {
  const [command, argument] = line.trim().split(/\s+/)
  try {
    if (command === 'ping') {
      const rtt = await node.services.ping.ping(peerIdFromString(argument))
      print({ event: 'ping', peer: argument, rtt })
    }
  } catch (err) {
    print({ event: 'error', command, message: err.message })
  }
})
lines.on('close', async () => {
  await node.stop()
  process.exit(0)
})
