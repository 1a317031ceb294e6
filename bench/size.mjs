#!/usr/bin/env node
// Package size: runs `npm run package` (production build + `vsce package --no-dependencies`),
// or with --no-package reads the newest existing *.vsix, and reports the VSIX size, its
// largest entries, and the production (minified) bundle sizes in dist/ with their gzip sizes.
//
//   node bench/size.mjs [--no-package] [--keep-production] [--write]
//
// The VSIX is a zip: its central directory is read here (no unzip needed). dist/ is rebuilt
// in development mode afterwards (as `npm run build` leaves it) unless --keep-production.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync, inflateRawSync } from 'node:zlib';
import {
  REPO_ROOT,
  build,
  check,
  checksTable,
  fmtBytes,
  isProductionText,
  productionSnapshot,
  measuredLine,
  now,
  saveResult,
  updateMachineSection,
  writeActivationSizeSection,
} from './lib/ux-stats.mjs';

const args = process.argv.slice(2);
const WRITE = args.includes('--write');
const LIMIT_KB = 400;

/** Entries of a zip file from its central directory: name, compressed and uncompressed size. */
export function zipEntries(file) {
  const buf = readFileSync(file);
  // End of central directory record: signature 0x06054b50 within the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file}: not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = [];
  for (let k = 0; k < count; k++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`${file}: bad central directory`);
    const compressed = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    out.push({ name, compressed, size, method: buf.readUInt16LE(p + 10), offset: buf.readUInt32LE(p + 42) });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** The content of one zip entry (stored or deflated). */
export function zipRead(file, entry) {
  const buf = readFileSync(file);
  const p = entry.offset;
  if (buf.readUInt32LE(p) !== 0x04034b50) throw new Error(`${file}: bad local header for ${entry.name}`);
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  const data = buf.subarray(start, start + entry.compressed);
  return entry.method === 0 ? Buffer.from(data) : inflateRawSync(data);
}

/** The dist/*.js entries of a VSIX that are not minified (a development build got packaged). */
function unminifiedInVsix(file) {
  return zipEntries(file)
    .filter((e) => /^extension\/dist\/[^/]+\.js$/.test(e.name))
    .filter((e) => !isProductionText(zipRead(file, e).toString('utf8')))
    .map((e) => e.name);
}

function newestVsix() {
  const files = readdirSync(REPO_ROOT)
    .filter((f) => f.endsWith('.vsix'))
    .map((f) => ({ f: path.join(REPO_ROOT, f), t: statSync(path.join(REPO_ROOT, f)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  return files[0]?.f;
}

/** `npm run package`; returns the VSIX it wrote (vsce prints the path) or undefined, and the output tail. */
function packageVsix() {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const started = Date.now();
  const r = spawnSync(npm, ['run', 'package'], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  const output = `${r.stdout ?? ''}\n${r.stderr ?? ''}`;
  const m = /Packaged: (.+\.vsix)/.exec(output);
  const file = m ? path.resolve(REPO_ROOT, m[1].trim()) : newestVsix();
  const fresh = file && existsSync(file) && statSync(file).mtimeMs >= started - 1000;
  return { file: r.status === 0 && fresh ? file : undefined, status: r.status, output: output.trim().split('\n').slice(-15).join('\n') };
}

async function main() {
  const tStart = now();
  let vsix;
  let packaged;
  try {
    let unminified = [];
    if (!args.includes('--no-package')) {
      // dist/ is shared: another engineer's development build could land between vsce's
      // production build and its packaging. Such a VSIX is made again (up to 3 times).
      for (let attempt = 1; attempt <= 3; attempt++) {
        packaged = packageVsix();
        if (!packaged.file) {
          process.stderr.write(`warning: npm run package failed (${packaged.status}):\n${packaged.output}\n`);
          break;
        }
        unminified = unminifiedInVsix(packaged.file);
        if (unminified.length === 0) break;
        process.stderr.write(`note: the VSIX holds development bundles (${unminified.join(', ')}): dist/ was rebuilt meanwhile; packaging again\n`);
      }
      vsix = packaged.file;
    }
    vsix ??= newestVsix();
    if (vsix && args.includes('--no-package')) unminified = unminifiedInVsix(vsix);

    // Bundle sizes: every top-level dist/*.js of a production build, copied out of dist/.
    const distDir = productionSnapshot(['client.js', 'server.js', 'cli.js']);
    const order = ['client.js', 'server.js', 'cli.js'];
    const bundles = readdirSync(distDir)
      .filter((f) => f.endsWith('.js'))
      .sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99) || a.localeCompare(b))
      .map((f) => {
        const text = readFileSync(path.join(distDir, f));
        return { file: `dist/${f}`, bytes: text.length, gzip: gzipSync(text, { level: 9 }).length, production: isProductionText(text.toString('utf8')) };
      });

    const entries = vsix ? zipEntries(vsix) : [];
    const vsixBytes = vsix ? statSync(vsix).size : NaN;
    const checks = [check('VSIX size', vsixBytes / 1024, LIMIT_KB, 'KB')];
    process.stderr.write(`  VSIX ${vsix ? `${path.basename(vsix)} ${fmtBytes(vsixBytes)}, ${entries.length} files` : 'not available'}\n`);
    for (const b of bundles) process.stderr.write(`  ${b.file}: ${fmtBytes(b.bytes)} (gzip ${fmtBytes(b.gzip)})${b.production ? '' : ' NOT minified'}\n`);

    const md = [];
    md.push(measuredLine());
    md.push('');
    md.push(
      vsix
        ? `\`${path.basename(vsix)}\` from \`npm run package\` (production build + \`vsce package --no-dependencies\`, files chosen by .vscodeignore): ` +
            `**${fmtBytes(vsixBytes)}**, ${entries.length} files, ${fmtBytes(entries.reduce((s, e) => s + e.size, 0))} unpacked.`
        : `No VSIX: \`npm run package\` failed${packaged ? ` (exit ${packaged.status})` : ''}.`,
    );
    if (unminified.length) md.push('', `**Warning:** the VSIX holds bundles that are not minified (${unminified.join(', ')}): dist/ was rebuilt in development mode while packaging.`);
    md.push('');
    md.push(checksTable(checks));
    md.push('');
    if (entries.length) {
      md.push('| largest files in the VSIX | size | compressed |');
      md.push('|---|---:|---:|');
      for (const e of [...entries].sort((a, b) => b.compressed - a.compressed).slice(0, 10)) md.push(`| ${e.name} | ${fmtBytes(e.size)} | ${fmtBytes(e.compressed)} |`);
      md.push('');
    }
    md.push('| bundle (production, minified) | size | gzip -9 | in the VSIX |');
    md.push('|---|---:|---:|:---:|');
    const inVsix = new Set(entries.map((e) => e.name.replace(/^extension\//, '')));
    for (const b of bundles) {
      md.push(`| ${b.file}${b.production ? '' : ' (**not minified**)'} | ${fmtBytes(b.bytes)} | ${fmtBytes(b.gzip)} | ${entries.length ? (inVsix.has(b.file) ? 'yes' : 'no') : '–'} |`);
    }
    const markdown = md.join('\n');
    saveResult('size', {
      name: 'size',
      title: 'Package size',
      checks,
      vsix: vsix ? path.basename(vsix) : undefined,
      vsixBytes,
      entries,
      bundles,
      packageOutput: packaged?.file ? undefined : packaged?.output,
      markdown,
      seconds: (now() - tStart) / 1000,
    });
    if (WRITE) {
      updateMachineSection();
      writeActivationSizeSection();
    }
    console.log(`### Package size\n\n${markdown}\n`);
  } finally {
    if (!args.includes('--keep-production')) build({ need: ['dist/client.js'] });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
