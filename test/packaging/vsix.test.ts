/**
 * The VSIX: `npm run package` builds it without a single vsce warning, it holds only the
 * run-time files (allow-list in .vscodeignore), stays under 400 KB, and installs into a real
 * VS Code (code-server --install-extension).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cleanEnv, makeStage, REPO_ROOT, runProgram, zipEntries, zipRead, type Stage } from './stage';

const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string; publisher: string };
const MAX_BYTES = 400 * 1024;

/** Links and images of a Markdown text: `[x](url)`, `![x](url)`, `[x]: url`, `<img src>`, `<a href>` (code spans and blocks skipped). */
function readmeLinks(md: string): { url: string; image: boolean }[] {
  const text = md.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
  const out: { url: string; image: boolean }[] = [];
  for (const m of text.matchAll(/(!?)\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) out.push({ url: m[2], image: m[1] === '!' });
  for (const m of text.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)) out.push({ url: m[1], image: /\.(png|jpe?g|gif|webp|svg)$/i.test(m[1]) });
  for (const m of text.matchAll(/<(img|a)\b[^>]*?\b(?:src|href)\s*=\s*["']([^"']+)["']/gi)) out.push({ url: m[2], image: m[1].toLowerCase() === 'img' });
  return out;
}

/** GitHub-style anchors of the headings (`## What it reads, what it runs` -> `what-it-reads-what-it-runs`). */
function headingSlugs(md: string): Set<string> {
  const text = md.replace(/^```[\s\S]*?^```/gm, '');
  const out = new Set<string>();
  for (const m of text.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = m[1].toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    let slug = base;
    for (let i = 1; out.has(slug); i++) slug = `${base}-${i}`;
    out.add(slug);
  }
  return out;
}

describe('VSIX package', () => {
  let stage: Stage;
  let vsix: string;
  let output: string;
  let entries: { name: string; size: number }[];

  before(async () => {
    stage = makeStage('vsix');
    vsix = path.join(stage.scratch, `${pkg.name}-${pkg.version}.vsix`);
    // `npm run package -- --out X`: npm appends the flag to the script's last command (vsce).
    const r = await runProgram('npm', ['run', 'package', '--', '--out', vsix], { cwd: stage.dir });
    output = `${r.stdout}\n${r.stderr}`;
    assert.equal(r.code, 0, `npm run package failed:\n${output}`);
    entries = zipEntries(readFileSync(vsix));
  });
  after(() => stage?.dispose());

  test('vsce prints no warning', () => {
    const warnings = output.split('\n').filter((l) => /\bWARN(ING)?\b/i.test(l));
    assert.deepEqual(warnings, [], `vsce warnings:\n${warnings.join('\n')}`);
  });

  test(`is smaller than ${MAX_BYTES / 1024} KB`, () => {
    const size = statSync(vsix).size;
    assert.ok(size < MAX_BYTES, `${path.basename(vsix)} is ${(size / 1024).toFixed(1)} KB`);
  });

  test('holds exactly the run-time files', () => {
    const names = entries.map((e) => e.name).sort();
    const syntaxes = ['postfix-main', 'postfix-master', 'postfix-log'].flatMap((l) => [
      `extension/syntaxes/${l}.tmLanguage.json`,
      `extension/syntaxes/${l}.language-configuration.json`,
    ]);
    const expected = [
      '[Content_Types].xml',
      'extension.vsixmanifest',
      'extension/package.json',
      'extension/readme.md',
      'extension/changelog.md',
      'extension/LICENSE.txt',
      'extension/images/icon.png',
      'extension/images/screenshot-maincf.png',
      'extension/images/screenshot-maillog.png',
      'extension/dist/client.js',
      'extension/dist/lc.js',
      'extension/dist/commands.js',
      'extension/dist/report-worker.js',
      'extension/dist/server.js',
      'extension/dist/params-data.js',
      ...syntaxes,
    ].sort();
    assert.deepEqual(names, expected);
    assert.ok(!names.some((n) => n.endsWith('.map')), 'no source maps');
    assert.ok(!names.some((n) => n.includes('node_modules/')), 'no node_modules');
  });

  test('every image and relative link of the README works from the VSIX', () => {
    // `--no-rewrite-relative-links`: the Marketplace page and VS Code's Details page resolve
    // README links against the package itself, so a linked file missing from it shows broken.
    const buf = readFileSync(vsix);
    const readme = zipRead(buf, 'extension/readme.md')?.toString('utf8');
    assert.ok(readme, 'extension/readme.md missing');
    const names = new Set(entries.map((e) => e.name));
    const targets = readmeLinks(readme);
    const images = targets.filter((t) => t.image);
    assert.ok(images.length >= 2, `README links ${images.length} images`);
    const slugs = headingSlugs(readme);
    for (const t of targets) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(t.url)) continue; // absolute (https:, mailto:)
      if (t.url.startsWith('#')) {
        assert.ok(slugs.has(decodeURIComponent(t.url.slice(1))), `README links ${t.url}, no such heading`);
        continue;
      }
      const rel = path.posix.normalize(decodeURIComponent(t.url.replace(/[?#].*$/, '')));
      assert.ok(!rel.startsWith('../') && !rel.startsWith('/'), `README links ${t.url}, outside the package`);
      assert.ok(names.has(`extension/${rel}`), `README links ${t.url}, missing from the VSIX (.vscodeignore allow-list)`);
      if (t.image) {
        const data = zipRead(buf, `extension/${rel}`)!;
        assert.ok(data.subarray(0, 8).equals(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10])), `${rel} is not a PNG`);
      }
    }
  });

  test('every bundle the client requires lazily is in the package', () => {
    const names = new Set(entries.map((e) => e.name));
    const client = readFileSync(path.join(stage.dir, 'dist', 'client.js'), 'utf8');
    const lazy = [...client.matchAll(/require\(\s*["'](\.\/[\w.-]+\.js)["']\s*\)/g)].map((m) => m[1]);
    for (const rel of lazy) assert.ok(names.has(`extension/dist/${rel.slice(2)}`), `dist/client.js requires ${rel}, missing from the VSIX`);
  });

  test('bundles are minified production builds', () => {
    const client = entries.find((e) => e.name === 'extension/dist/client.js');
    assert.ok(client && client.size > 0);
    const built = readFileSync(path.join(stage.dir, 'dist', 'client.js'), 'utf8');
    assert.ok(!built.includes('sourceMappingURL'), 'no source map reference');
  });

  test('installs into code-server', async () => {
    // Same install the integration tests use (reused from .vscode-test/ when present).
    const cs = await runProgram(process.execPath, [path.join(REPO_ROOT, 'scripts', 'code-server.mjs')], { cwd: REPO_ROOT });
    assert.equal(cs.code, 0, `code-server setup failed:\n${cs.stderr}`);
    const entry = cs.stdout.trim().split('\n').pop()!;
    assert.ok(existsSync(entry), entry);
    const home = path.join(stage.scratch, 'home');
    mkdirSync(home, { recursive: true });
    const env = cleanEnv({ HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_DATA_HOME: path.join(home, '.local/share') });
    const dirs = ['--extensions-dir', path.join(home, 'extensions'), '--user-data-dir', path.join(home, 'user-data')];
    const inst = await runProgram(process.execPath, [entry, '--install-extension', vsix, ...dirs], { env });
    assert.equal(inst.code, 0, `install failed:\n${inst.stdout}\n${inst.stderr}`);
    assert.match(inst.stdout, /successfully installed/);
    const list = await runProgram(process.execPath, [entry, '--list-extensions', '--show-versions', ...dirs], { env });
    assert.equal(list.code, 0, list.stderr);
    assert.ok(list.stdout.split('\n').includes(`${pkg.publisher}.${pkg.name}@${pkg.version}`), `installed extensions:\n${list.stdout}`);
  });
});
