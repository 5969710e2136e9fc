// Reference UnixFS imports and exports with JS Helia (@helia/unixfs 8.0.5), offline, for Helia.NET's interop tests.
//
//   node unixfs-cids.mjs add      --profile P [--blocks-out DIR] FILE...   one CID per line, per file (no wrapping dir)
//   node unixfs-cids.mjs add-dir  --profile P [--blocks-out DIR] DIR       the CID of DIR imported as a tree
//   node unixfs-cids.mjs cat      --blocks DIR CID OUTFILE                  writes the file's bytes
//   node unixfs-cids.mjs ls       --blocks DIR CID                          "name<TAB>cid" per entry
//
// Profiles: helia (@helia/unixfs defaults), unixfs-v1-2025 (the same plus block-bytes HAMT estimation),
// unixfs-v0-2015 (ipfs-unixfs-importer with Kubo's classic settings: @helia/unixfs always passes its own chunker).
// Blocks live only in memory (blockstore-core's MemoryBlockstore); --blocks-out writes each one to DIR/<cid>, and
// --blocks reads such a folder back. Nothing touches the network.
import { createReadStream, promises as fs } from 'node:fs'
import path from 'node:path'
import { unixfs } from '@helia/unixfs'
import { MemoryBlockstore } from 'blockstore-core/memory'
import { importer } from 'ipfs-unixfs-importer'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { balanced } from 'ipfs-unixfs-importer/layout'
import { CID } from 'multiformats/cid'

function parse (argv) {
  const options = { positional: [] }
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--profile') options.profile = argv[++i]
    else if (argv[i] === '--blocks-out') options.blocksOut = argv[++i]
    else if (argv[i] === '--blocks') options.blocks = argv[++i]
    else options.positional.push(argv[i])
  }
  return options
}

function importerOptions (profile) {
  switch (profile ?? 'helia') {
    case 'helia':
      return {}
    case 'unixfs-v1-2025':
      return { shardSplitStrategy: 'block-bytes' }
    case 'unixfs-v0-2015':
      return {
        cidVersion: 0,
        rawLeaves: false,
        chunker: fixedSize({ chunkSize: 262144 }),
        layout: balanced({ maxChildrenPerNode: 174 }),
        shardSplitStrategy: 'links-bytes'
      }
    default:
      throw new Error(`unknown profile ${profile}`)
  }
}

async function * walk (root, relative) {
  const full = path.join(root, relative)
  const entries = await fs.readdir(full, { withFileTypes: true })
  yield { path: relative }
  for (const entry of entries.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) {
    const child = path.posix.join(relative, entry.name)
    if (entry.isDirectory()) yield * walk(root, child)
    else if (entry.isFile()) yield { path: child, content: createReadStream(path.join(root, child)) }
  }
}

async function add (options, dir) {
  const blockstore = new MemoryBlockstore()
  const settings = importerOptions(options.profile)
  const cids = []
  if (dir) {
    const target = path.resolve(options.positional[0])
    const source = walk(path.dirname(target), path.basename(target))
    let last
    if (options.profile === 'unixfs-v0-2015') {
      for await (const entry of importer(source, blockstore, settings)) last = entry
    } else {
      for await (const entry of unixfs({ blockstore }).addAll(source, settings)) last = entry
    }
    cids.push(last.cid)
  } else {
    for (const file of options.positional) {
      if (options.profile === 'unixfs-v0-2015') {
        let last
        for await (const entry of importer([{ content: createReadStream(file) }], blockstore, settings)) last = entry
        cids.push(last.cid)
      } else {
        cids.push(await unixfs({ blockstore }).addByteStream(createReadStream(file), settings))
      }
    }
  }
  if (options.blocksOut) {
    await fs.mkdir(options.blocksOut, { recursive: true })
    for await (const { cid, bytes } of blockstore.getAll()) {
      await fs.writeFile(path.join(options.blocksOut, cid.toString()), bytes)
    }
  }
  for (const cid of cids) console.log(cid.toString())
}

async function load (dir) {
  const blockstore = new MemoryBlockstore()
  for (const name of await fs.readdir(dir)) {
    await blockstore.put(CID.parse(name), await fs.readFile(path.join(dir, name)))
  }
  return blockstore
}

async function main () {
  const [command, ...rest] = process.argv.slice(2)
  const options = parse(rest)
  switch (command) {
    case 'add':
      return add(options, false)
    case 'add-dir':
      return add(options, true)
    case 'cat': {
      const fsys = unixfs({ blockstore: await load(options.blocks) })
      const handle = await fs.open(options.positional[1], 'w')
      for await (const chunk of fsys.cat(CID.parse(options.positional[0]), { offline: true })) await handle.write(chunk)
      await handle.close()
      return
    }
    case 'ls': {
      const fsys = unixfs({ blockstore: await load(options.blocks) })
      for await (const entry of fsys.ls(CID.parse(options.positional[0]), { offline: true })) console.log(`${entry.name}\t${entry.cid}`)
      return
    }
    default:
      throw new Error(`unknown command ${command}`)
  }
}

main().catch(err => {
  console.error(err)
  process.exit(1)
})
