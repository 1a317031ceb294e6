/**
 * Processes: no source under core/, client/, server/ or cli/ starts a shell (exec, execSync,
 * `shell: true`), and the files that may start processes at all are a reviewed list. DH
 * generation passes paths with spaces, quotes, `$(...)` and leading dashes to openssl as
 * single, unchanged arguments, and a hostile openssl path is a program name, never a command line.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import ts from 'typescript';
import { generateDhFile } from '../../../core/dhgen';
import { parseDhParams } from '../../../core/dh';
import { main as cliMain } from '../../../cli/main';
import { sourceFiles } from './regex-sites';
import { REPO_ROOT, removeDir, tempDir } from './helpers';

const SOURCE_DIRS = ['core', 'client', 'server', 'cli'];
const CHILD_PROCESS = new Set(['child_process', 'node:child_process']);
const SHELL_FUNCTIONS = new Set(['exec', 'execSync']);

/**
 * Files that may import child_process, reviewed: localVersion.ts runs `postconf -h mail_version`
 * with execFile (argument list, no shell, trusted workspaces only); dhgen.ts runs openssl with spawn and an
 * argument list (shell: false); languageClient.ts imports only the ChildProcess type.
 */
const REVIEWED_PROCESS_FILES = ['client/languageClient.ts', 'client/localVersion.ts', 'core/dhgen.ts'];

interface ProcessUse {
  file: string;
  line: number;
  what: string;
}

/** child_process imports and shell-running calls (exec, execSync, a `shell` option not literally false) in one file. */
function scanSource(text: string, rel: string): { imports: boolean; uses: ProcessUse[] } {
  const sf = ts.createSourceFile(rel, text, ts.ScriptTarget.Latest, true);
  const at = (n: ts.Node): number => sf.getLineAndCharacterOfPosition(n.getStart()).line + 1;
  /** Local names bound to child_process functions (local -> exported name), and namespace aliases. */
  const fnNames = new Map<string, string>();
  const namespaces = new Set<string>();
  const uses: ProcessUse[] = [];
  let imports = false;
  const use = (n: ts.Node, what = n.getText().slice(0, 80)): void => void uses.push({ file: rel, line: at(n), what });
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && CHILD_PROCESS.has(node.moduleSpecifier.text)) {
      imports = true;
      const b = node.importClause?.namedBindings;
      if (b && ts.isNamespaceImport(b)) namespaces.add(b.name.text);
      if (b && ts.isNamedImports(b)) for (const e of b.elements) fnNames.set(e.name.text, (e.propertyName ?? e.name).text);
      if (node.importClause?.name) namespaces.add(node.importClause.name.text);
    }
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require') {
      const arg = node.arguments[0];
      if (arg && ts.isStringLiteral(arg) && CHILD_PROCESS.has(arg.text)) {
        imports = true;
        const decl = node.parent;
        if (ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name)) namespaces.add(decl.name.text);
        if (ts.isVariableDeclaration(decl) && ts.isObjectBindingPattern(decl.name)) {
          for (const e of decl.name.elements) {
            if (ts.isIdentifier(e.name)) fnNames.set(e.name.text, e.propertyName && ts.isIdentifier(e.propertyName) ? e.propertyName.text : e.name.text);
          }
        }
      }
    }
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (ts.isIdentifier(callee) && SHELL_FUNCTIONS.has(fnNames.get(callee.text) ?? '')) use(node);
      if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && namespaces.has(callee.expression.text) && SHELL_FUNCTIONS.has(callee.name.text)) use(node);
    }
    if (ts.isPropertyAssignment(node) && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)) && node.name.text === 'shell' && node.initializer.kind !== ts.SyntaxKind.FalseKeyword) use(node);
    if (ts.isShorthandPropertyAssignment(node) && node.name.text === 'shell') use(node, 'shell (shorthand)');
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { imports, uses };
}

function scan(): { importers: string[]; shellUses: ProcessUse[] } {
  const importers: string[] = [];
  const shellUses: ProcessUse[] = [];
  for (const file of sourceFiles(SOURCE_DIRS)) {
    const rel = path.relative(REPO_ROOT, file).split(path.sep).join('/');
    const r = scanSource(readFileSync(file, 'utf8'), rel);
    if (r.imports) importers.push(rel);
    shellUses.push(...r.uses);
  }
  return { importers: importers.sort(), shellUses };
}

describe('no shell anywhere', () => {
  const { importers, shellUses } = scan();

  test('no exec(), execSync() or shell option in core/, client/, server/, cli/', () => {
    assert.deepEqual(shellUses.map((u) => `${u.file}:${u.line}: ${u.what}`), []);
  });

  test('only reviewed files touch child_process', () => {
    assert.deepEqual(
      importers.filter((f) => !REVIEWED_PROCESS_FILES.includes(f)),
      [],
      'a new file starts processes: check it uses spawn/execFile with an argument list and no shell, then add it to REVIEWED_PROCESS_FILES',
    );
  });

  test('the scanner itself catches the forbidden forms', () => {
    // Guard against a scanner that silently finds nothing.
    const sample = [
      "import { exec as run } from 'node:child_process';",
      "import * as cp from 'child_process';",
      "const { execSync } = require('child_process');",
      'run("ls"); cp.exec("ls"); execSync("ls"); cp.spawn("ls", [], { shell: true }); const shell = 1; cp.spawn("ls", [], { shell });',
      '/re/.exec("x"); cp.execFile("ls", ["-l"]); cp.spawn("ls", [], { shell: false });',
    ].join('\n');
    const r = scanSource(sample, 'sample.ts');
    assert.equal(r.imports, true);
    assert.deepEqual(r.uses.map((u) => u.what).sort(), ['cp.exec("ls")', 'execSync("ls")', 'run("ls")', 'shell (shorthand)', 'shell: true'].sort());
  });
});

describe('DH generation with hostile paths', () => {
  const STANDIN = path.join(REPO_ROOT, 'test', 'fixtures', 'hardening', 'argv-openssl.sh');
  const DH512 = path.join(REPO_ROOT, 'test', 'fixtures', 'dh', 'dh512.pem');
  const HOSTILE = `-rf x'y "z $(touch pwned) \`touch pwned2\`; touch pwned3 & |`;
  let root: string;
  const saved = { ARGV_LOG: process.env.ARGV_LOG, DH_PEM: process.env.DH_PEM };

  before(() => {
    chmodSync(STANDIN, 0o755);
    root = tempDir('pftls-dh-hostile-');
    process.env.DH_PEM = DH512;
  });
  after(() => {
    process.env.ARGV_LOG = saved.ARGV_LOG;
    process.env.DH_PEM = saved.DH_PEM;
    if (saved.ARGV_LOG === undefined) delete process.env.ARGV_LOG;
    if (saved.DH_PEM === undefined) delete process.env.DH_PEM;
    removeDir(root);
  });

  function argvOf(log: string): string[] {
    return readFileSync(log, 'utf8').split('\0').slice(0, -1);
  }

  function noPwned(dir: string): void {
    const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [e.name]));
    assert.deepEqual(walk(dir).filter((n) => n.startsWith('pwned')), [], 'a shell ran part of a path');
    for (const n of ['pwned', 'pwned2', 'pwned3']) assert.ok(!existsSync(path.join(process.cwd(), n)), `${n} in the working directory`);
  }

  test('an absolute output folder named like shell syntax and options', async () => {
    const dir = path.join(root, HOSTILE);
    mkdirSync(dir);
    const log = path.join(root, 'argv1');
    process.env.ARGV_LOG = log;
    const r = await generateDhFile({ dir, choice: { kind: 'generate', bits: 512 }, opensslPath: STANDIN });
    assert.equal(r.kind, 'written', JSON.stringify(r));
    assert.equal(r.kind === 'written' && r.path, path.join(dir, 'dh512.pem'));
    const argv = argvOf(log);
    assert.equal(argv.length, 4, JSON.stringify(argv));
    assert.deepEqual([argv[0], argv[1], argv[3]], ['dhparam', '-out', '512']);
    assert.equal(path.dirname(argv[2]), dir, 'the temp file is in the target folder, passed as one argument');
    assert.equal(parseDhParams(readFileSync(path.join(dir, 'dh512.pem'))).kind, 'ok');
    assert.deepEqual(readdirSync(dir), ['dh512.pem'], 'no temp file left');
    noPwned(root);
  });

  test('a relative output folder that starts with a dash', async () => {
    const cwd = process.cwd();
    const rel = `-out ${HOSTILE}`;
    mkdirSync(path.join(root, rel));
    const log = path.join(root, 'argv2');
    process.env.ARGV_LOG = log;
    process.chdir(root);
    try {
      const r = await generateDhFile({ dir: rel, choice: { kind: 'generate', bits: 512 }, opensslPath: STANDIN });
      assert.equal(r.kind, 'written', JSON.stringify(r));
      const argv = argvOf(log);
      assert.equal(argv.length, 4, JSON.stringify(argv));
      assert.equal(argv[1], '-out');
      // The file name follows -out as its value, so openssl cannot read it as an option.
      assert.ok(argv[2].startsWith(rel + path.sep) || argv[2].startsWith(`./${rel}`), argv[2]);
      assert.ok(existsSync(path.join(root, rel, 'dh512.pem')));
    } finally {
      process.chdir(cwd);
    }
    noPwned(root);
  });

  test('an openssl path with spaces and quotes runs that program; a command line is not run', async () => {
    const progDir = path.join(root, `bin "dir" 'x'`);
    mkdirSync(progDir);
    const prog = path.join(progDir, 'open ssl; touch pwned');
    copyFileSync(STANDIN, prog);
    chmodSync(prog, 0o755);
    const out = path.join(root, 'out3');
    mkdirSync(out);
    process.env.ARGV_LOG = path.join(root, 'argv3');
    const r = await generateDhFile({ dir: out, choice: { kind: 'generate', bits: 512 }, opensslPath: prog });
    assert.equal(r.kind, 'written', JSON.stringify(r));
    const out4 = path.join(root, 'out4');
    mkdirSync(out4);
    const bad = await generateDhFile({ dir: out4, choice: { kind: 'generate', bits: 512 }, opensslPath: `${STANDIN}; touch ${path.join(root, 'pwned')}` });
    assert.equal(bad.kind, 'error');
    assert.equal(bad.kind === 'error' && bad.reason, 'openssl-missing');
    assert.deepEqual(readdirSync(out4), []);
    noPwned(root);
  });
});

describe('CLI paths', () => {
  test('postfix-tls log resolves relative files against its working directory, like report and lint', async () => {
    const dir = tempDir();
    try {
      writeFileSync(path.join(dir, 'mail.log'), 'Nov 28 12:00:00 mx postfix/smtpd[1]: Anonymous TLS connection established from a[192.0.2.1]: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)\n');
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      let out = '';
      let err = '';
      stdout.on('data', (c: Buffer) => (out += c));
      stderr.on('data', (c: Buffer) => (err += c));
      const code = await cliMain(['log', 'mail.log'], { stdout, stderr, stdin: Readable.from([]), cwd: dir });
      assert.equal(code, 0, err);
      assert.match(out, /FS/);
    } finally {
      removeDir(dir);
    }
  });
});
