// Drives a running `helia daemon` through kubo-rpc-client (the JS client for Kubo's RPC API), for Helia.NET's RPC
// interop test (tests/Helia.Interop.Tests/KuboRpcClientInteropTests.cs).
//
//   node kubo-rpc-check.mjs <api url, e.g. http://127.0.0.1:5001> <peer multiaddr to swarm-connect to> <path of a file to add>
//
// It calls id, version, add, cat, get (tar, and gzip with compress), ls, block put/get/stat, pin add/ls/rm, swarm connect/peers and repo gc, and prints
// one JSON line with what each returned (CIDs as strings, bytes as base64), or {"error":…,"step":…} and exit code 1.
// The C# test checks the values against what it computes itself.
import { readFile } from 'node:fs/promises'
import { create } from 'kubo-rpc-client'

const [apiUrl, peerAddr, filePath] = process.argv.slice(2)
const client = create({ url: apiUrl, timeout: 30000 })
const result = {}
let step = 'start'

async function collect (iterable) {
  const items = []
  for await (const item of iterable) items.push(item)
  return items
}

function concat (chunks) {
  return Buffer.concat(chunks.map(c => Buffer.from(c)))
}

try {
  step = 'id'
  const id = await client.id()
  result.id = { id: id.id.toString(), addresses: id.addresses.map(a => a.toString()), agentVersion: id.agentVersion, protocols: id.protocols }

  step = 'version'
  result.version = (await client.version()).version

  step = 'add'
  const file = await readFile(filePath)
  const added = await client.add(file, { cidVersion: 1 })
  result.add = { cid: added.cid.toString(), size: added.size }

  step = 'cat'
  result.cat = concat(await collect(client.cat(added.cid))).toString('base64')

  step = 'get'
  result.get = concat(await collect(client.get(added.cid))).toString('base64')

  step = 'get compressed'
  result.getCompressed = concat(await collect(client.get(added.cid, { compress: true }))).toString('base64')

  step = 'ls'
  result.ls = (await collect(client.ls(added.cid))).map(e => ({ cid: e.cid.toString(), size: e.size, type: e.type, name: e.name }))

  step = 'block put'
  const blockBytes = Buffer.from('a block from kubo-rpc-client')
  const blockCid = await client.block.put(blockBytes)
  result.blockPut = blockCid.toString()

  step = 'block get'
  result.blockGet = Buffer.from(await client.block.get(blockCid)).toString('base64')

  step = 'block stat'
  const stat = await client.block.stat(blockCid)
  result.blockStat = { cid: stat.cid.toString(), size: stat.size }

  step = 'pin add'
  result.pinAdd = (await client.pin.add(blockCid)).toString()

  step = 'pin ls'
  result.pinLs = (await collect(client.pin.ls())).map(p => ({ cid: p.cid.toString(), type: p.type }))

  step = 'pin rm'
  result.pinRm = (await client.pin.rm(blockCid)).toString()

  step = 'pin ls after rm'
  result.pinLsAfterRm = (await collect(client.pin.ls({ type: 'recursive' }))).map(p => p.cid.toString())

  step = 'swarm connect'
  await client.swarm.connect(peerAddr)

  step = 'swarm peers'
  result.swarmPeers = (await client.swarm.peers()).map(p => ({ peer: p.peer.toString(), addr: p.addr.toString() }))

  step = 'config get'
  result.configApi = await client.config.get('Addresses.API')

  step = 'config set'
  await client.config.set('Discovery.MDNS.Enabled', false)
  await client.config.set('Gateway.HTTPHeaders', { 'X-Test': ['yes'] })
  result.configMdns = await client.config.get('Discovery.MDNS.Enabled')
  result.configHeaders = await client.config.get('Gateway.HTTPHeaders')

  step = 'config show'
  const all = await client.config.getAll()
  result.configShow = { peerId: all.Identity.PeerID, hasPrivKey: 'PrivKey' in all.Identity }

  step = 'repo gc'
  result.gc = (await collect(client.repo.gc())).map(r => r.err != null ? `error: ${r.err.message}` : r.cid.toString())

  process.stdout.write(JSON.stringify(result) + '\n')
} catch (err) {
  process.stdout.write(JSON.stringify({ error: `${err.name}: ${err.message}`, step, result }) + '\n')
  process.exitCode = 1
}
