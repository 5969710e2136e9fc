// CARv1 with @ipld/car 5.4.7, for Helia.NET's interop tests (offline: files only).
//
//   node car-check.mjs read FILE.car
//       {"roots":[cid...],"blocks":[{"cid":..,"bytes":base64,"valid":bool}...]}: every block as @ipld/car's CarReader
//       yields it, "valid" when its bytes hash (sha2-256 or identity) to its CID.
//   node car-check.mjs write-file IN OUT.car CHUNK
//       imports IN with ipfs-unixfs-importer (CIDv1, raw leaves, fixed CHUNK-byte chunks, balanced layout), then writes
//       its DAG with @ipld/car's CarWriter: the root in the header, blocks depth-first with links in order, each once.
//       {"root":cid,"blocks":n}
//   node car-check.mjs rpc API-URL EXPORT-CID IMPORT.car
//       through kubo-rpc-client against a running daemon: dag.export(EXPORT-CID) read as in `read`, and
//       dag.import(IMPORT.car) with the roots it reports: {"export":{roots,blocks},"import":[{"cid":..,"pinErrorMsg":..}]}
import { createReadStream, promises as fs } from 'node:fs'
import { CarReader, CarWriter } from '@ipld/car'
import * as dagPb from '@ipld/dag-pb'
import { MemoryBlockstore } from 'blockstore-core/memory'
import { importer } from 'ipfs-unixfs-importer'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { balanced } from 'ipfs-unixfs-importer/layout'
import { create } from 'kubo-rpc-client'
import { equals } from 'multiformats/bytes'
import { CID } from 'multiformats/cid'
import { identity } from 'multiformats/hashes/identity'
import { sha256 } from 'multiformats/hashes/sha2'

async function verify (cid, bytes) {
  const hasher = { [sha256.code]: sha256, [identity.code]: identity }[cid.multihash.code]
  if (hasher === undefined) return false
  const digest = await hasher.digest(bytes)
  return equals(digest.bytes, cid.multihash.bytes)
}

async function read (source) {
  const reader = await CarReader.fromIterable(source)
  const roots = (await reader.getRoots()).map(cid => cid.toString())
  const blocks = []
  for await (const { cid, bytes } of reader.blocks()) {
    blocks.push({ cid: cid.toString(), bytes: Buffer.from(bytes).toString('base64'), valid: await verify(cid, bytes) })
  }
  return { roots, blocks }
}

async function writeFile (input, output, chunkSize) {
  const store = new MemoryBlockstore()
  let root
  const options = { cidVersion: 1, rawLeaves: true, chunker: fixedSize({ chunkSize }), layout: balanced({ maxChildrenPerNode: 1024 }) }
  for await (const entry of importer([{ content: await fs.readFile(input) }], store, options)) {
    root = entry.cid
  }
  const stored = new Map()   // by multihash: the blockstore keeps blocks by multihash and lists them as raw CIDs
  const key = (cid) => Buffer.from(cid.multihash.bytes).toString('base64')
  for await (const { cid, bytes } of store.getAll()) {
    // blockstore-core 7 hands out a block as a (possibly async) iterable of chunks
    const parts = []
    for await (const part of bytes instanceof Uint8Array ? [bytes] : bytes) parts.push(part)
    stored.set(key(cid), new Uint8Array(Buffer.concat(parts)))
  }

  const { writer, out } = await CarWriter.create([root])
  const chunks = []
  const collected = (async () => { for await (const chunk of out) chunks.push(chunk) })()
  const seen = new Set()
  const walk = async (cid) => {
    if (seen.has(cid.toString())) return
    seen.add(cid.toString())
    const bytes = stored.get(key(cid))
    await writer.put({ cid, bytes })
    if (cid.code === dagPb.code) {
      for (const link of dagPb.decode(bytes).Links) await walk(link.Hash)
    }
  }
  await walk(root)
  await writer.close()
  await collected
  await fs.writeFile(output, Buffer.concat(chunks))
  return { root: root.toString(), blocks: seen.size }
}

async function rpc (api, exportCid, importCar) {
  const client = create({ url: api })
  const exported = await read(client.dag.export(CID.parse(exportCid)))
  const imported = []
  const car = await fs.readFile(importCar)
  for await (const { root } of client.dag.import((async function * () { yield car })())) {
    imported.push({ cid: root.cid.toString(), pinErrorMsg: root.pinErrorMsg })
  }
  return { export: exported, import: imported }
}

const [command, ...args] = process.argv.slice(2)
try {
  const result = command === 'read'
    ? await read(createReadStream(args[0]))
    : command === 'write-file'
      ? await writeFile(args[0], args[1], Number(args[2]))
      : command === 'rpc'
        ? await rpc(args[0], args[1], args[2])
        : { error: `unknown command ${command}` }
  console.log(JSON.stringify(result))
} catch (err) {
  console.log(JSON.stringify({ error: err.stack ?? String(err) }))
}
