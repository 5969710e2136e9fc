// Reference UnixFS imports and exports with JS Helia (@helia/unixfs 8.0.5), offline, for Helia.NET's interop tests.
//
//   node unixfs-cids.mjs add      --profile P [--blocks-out DIR] [--trickle] [--chunk N] [--max-children N]
//                                 [--chunker size-N|rabin|rabin-AVG|rabin-MIN-AVG-MAX] FILE...
//                                                                           one CID per line, per file (no wrapping dir)
//   node unixfs-cids.mjs add-dir  --profile P [--blocks-out DIR] DIR       the CID of DIR imported as a tree
//   node unixfs-cids.mjs cat      --blocks DIR CID OUTFILE                  writes the file's bytes
//   node unixfs-cids.mjs ls       --blocks DIR CID                          "name<TAB>cid" per entry
//
// Profiles: helia (@helia/unixfs defaults), unixfs-v1-2025 (the same plus block-bytes HAMT estimation),
// unixfs-v0-2015 (ipfs-unixfs-importer with Kubo's classic settings: @helia/unixfs always passes its own chunker).
// Blocks live only in memory (blockstore-core's MemoryBlockstore); --blocks-out writes each one to DIR/<cid>, and
// --blocks reads such a folder back. Nothing touches the network. --trickle, --chunk and --max-children import files
// with ipfs-unixfs-importer directly (trickle layout, fixed chunk size, children per node) on top of the profile.
// A file the importer yields no entry for is printed as '-'. --chunker takes Kubo's syntax and maps it the way js-ipfs's chunker parser did: rabin = rabin-262144 (average only,
// so ipfs-unixfs-importer derives min = avg / 3 and max = avg * 1.5), rabin-MIN-AVG-MAX passes all three.
import { createReadStream, promises as fs } from 'node:fs'
import path from 'node:path'
import { unixfs } from '@helia/unixfs'
import { MemoryBlockstore } from 'blockstore-core/memory'
import { importer } from 'ipfs-unixfs-importer'
import { fixedSize, rabin } from 'ipfs-unixfs-importer/chunker'
import { balanced, trickle } from 'ipfs-unixfs-importer/layout'
import { CID } from 'multiformats/cid'

function parse (argv) {
  const options = { positional: [] }
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--profile') options.profile = argv[++i]
    else if (argv[i] === '--blocks-out') options.blocksOut = argv[++i]
    else if (argv[i] === '--blocks') options.blocks = argv[++i]
    else if (argv[i] === '--trickle') options.trickle = true
    else if (argv[i] === '--chunk') options.chunk = Number(argv[++i])
    else if (argv[i] === '--max-children') options.maxChildren = Number(argv[++i])
    else if (argv[i] === '--chunker') options.chunker = argv[++i]
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

// The profile's settings with the layout options applied, for ipfs-unixfs-importer itself (null when none is given).
function layoutOverrides (options) {
  if (!options.trickle && options.chunk == null && options.maxChildren == null && options.chunker == null) return null
  const v0 = options.profile === 'unixfs-v0-2015'
  const maxChildrenPerNode = options.maxChildren ?? (v0 ? 174 : 1024)
  return {
    cidVersion: v0 ? 0 : 1,
    rawLeaves: !v0,
    chunker: options.chunker != null
      ? parseChunker(options.chunker)
      : fixedSize({ chunkSize: options.chunk ?? (v0 ? 262144 : 1048576) }),
    layout: options.trickle ? trickle({ maxChildrenPerNode }) : balanced({ maxChildrenPerNode })
  }
}

// Kubo's --chunker syntax: size-N, rabin, rabin-AVG, rabin-MIN-AVG-MAX.
function parseChunker (text) {
  const parts = text.split('-')
  if (parts[0] === 'size' && parts.length === 2) return fixedSize({ chunkSize: Number(parts[1]) })
  if (parts[0] !== 'rabin') throw new Error(`unknown chunker ${text}`)
  switch (parts.length) {
    case 1: return rabin({ avgChunkSize: 262144 })
    case 2: return rabin({ avgChunkSize: Number(parts[1]) })
    case 4: return rabin({ minChunkSize: Number(parts[1]), avgChunkSize: Number(parts[2]), maxChunkSize: Number(parts[3]) })
    default: throw new Error(`unknown chunker ${text}`)
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
    const overrides = layoutOverrides(options)
    for (const file of options.positional) {
      if (options.profile === 'unixfs-v0-2015' || overrides != null) {
        let last
        for await (const entry of importer([{ content: createReadStream(file) }], blockstore, overrides ?? settings)) last = entry
        // ipfs-unixfs-importer yields no entry at all for an empty file whose chunker yields no chunk (rabin does not)
        cids.push(last?.cid ?? '-')
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
