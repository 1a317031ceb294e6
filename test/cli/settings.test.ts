import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runCli, spawnCli } from '../helpers/cli';
import { readTsv, referenceFile } from '../helpers/reference';

const run = (args: string[]) => runCli(['settings', ...args]);

function tempConfig(mainCf: string, masterCf?: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pftls-settings-'));
  writeFileSync(path.join(dir, 'main.cf'), mainCf);
  if (masterCf !== undefined) writeFileSync(path.join(dir, 'master.cf'), masterCf);
  return dir;
}

/** `name = value` lines as a map (postconf prints one parameter per line). */
function parseLines(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (!line) continue;
    const i = line.indexOf(' =');
    assert.ok(i > 0, `not a name = value line: ${line}`);
    m.set(line.slice(0, i), line.slice(i + 2).replace(/^ /, ''));
  }
  return m;
}

/** Debian's postconf; the test fails (not skips) without it: CI installs the postfix package. */
function findPostconf(): string {
  const candidates = [...(process.env.PATH ?? '').split(path.delimiter).map((d) => path.join(d, 'postconf')), '/usr/sbin/postconf', '/usr/local/sbin/postconf'];
  const hit = candidates.find((c) => c && existsSync(c));
  if (!hit) throw new Error('postconf was not found (looked in PATH, /usr/sbin, /usr/local/sbin). Install the Debian "postfix" package; CI installs it from .ci/run.');
  return hit;
}

describe('postfix-tls settings', () => {
  test('prints set parameters sorted, last definition wins, blanks collapsed like postconf -n', async () => {
    const dir = tempConfig('myhostname = a.example\nsmtpd_tls_security_level = may\nmydestination = $myhostname,\n   localhost\n\tfoo\nmyhostname = b.example\nrelayhost =\n');
    try {
      const r = await run([dir]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'mydestination = $myhostname, localhost foo\nmyhostname = b.example\nrelayhost =\nsmtpd_tls_security_level = may\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--postfix-version newer than the data: a notice, as in lint; the output is unchanged', async () => {
    const dir = tempConfig('smtpd_tls_security_level = may\n');
    try {
      const r = await run([dir, '--postfix-version', '9.9']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'smtpd_tls_security_level = may\n');
      assert.match(r.stderr, /^postfix-tls settings: notice: --postfix-version 9\.9 is newer than the Postfix versions this tool has data for/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('unused and read-only names are left out and named on stderr', async () => {
    const dir = tempConfig('my_custom = 1\nused_custom = x\nsmtpd_banner = $used_custom\nprocess_name = y\n');
    try {
      const r = await run([path.join(dir, 'main.cf')]);
      assert.equal(r.code, 0);
      assert.equal(r.stdout, 'smtpd_banner = $used_custom\nused_custom = x\n');
      assert.match(r.stderr, /unused parameter: my_custom=1/);
      assert.match(r.stderr, /read-only parameter assignment: process_name=y/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--tls, --expand and --all', async () => {
    const dir = tempConfig('smtpd_tls_protocols = !SSLv2, !SSLv3\nsmtpd_tls_mandatory_protocols = $smtpd_tls_protocols\nmyhostname = mx.example\n');
    try {
      let r = await run([dir, '--tls']);
      assert.equal(r.stdout, 'smtpd_tls_mandatory_protocols = $smtpd_tls_protocols\nsmtpd_tls_protocols = !SSLv2, !SSLv3\n');
      r = await run([dir, '--tls', '--expand']);
      assert.equal(r.stdout, 'smtpd_tls_mandatory_protocols = !SSLv2, !SSLv3\nsmtpd_tls_protocols = !SSLv2, !SSLv3\n');
      r = await run([dir, '--all', '--tls', '--postfix-version', '3.10']);
      const all = parseLines(r.stdout);
      assert.equal(all.get('smtpd_tls_protocols'), '!SSLv2, !SSLv3');
      assert.equal(all.get('smtp_tls_protocols'), '>=TLSv1');
      assert.equal(all.get('smtpd_tls_ciphers'), 'medium');
      assert.ok(!all.has('myhostname'));
      // Version-aware defaults.
      r = await run([dir, '--all', '--tls', '--postfix-version', '3.0']);
      assert.equal(parseLines(r.stdout).get('smtp_tls_protocols'), '!SSLv2');
      // A parameter that does not exist yet in the target version is not listed.
      r = await run([dir, '--all', '--postfix-version', '3.7']);
      assert.ok(!parseLines(r.stdout).has('smtpd_client_ipv6_prefix_length'));
      r = await run([dir, '--all', '--postfix-version', '3.10']);
      assert.equal(parseLines(r.stdout).get('smtpd_client_ipv6_prefix_length'), '84');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--all: lmtp_tls_security_level stays empty at 3.11 (no table placeholder as a value)', async () => {
    const dir = tempConfig('');
    try {
      const r = await run([dir, '--all', '--tls', '--postfix-version', '3.11']);
      assert.equal(r.code, 0, r.stderr);
      const m = parseLines(r.stdout);
      assert.equal(m.get('lmtp_tls_security_level'), '');
      for (const [name, value] of m) assert.doesNotMatch(value, /^\(.*\)$/, name);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--expand names a reference loop on stderr (postconf -x stops there), exit 0', async () => {
    const dir = tempConfig('a = $b\nb = $a\nsmtp_helo_name = ${a}.example\nc = $c\nmyorigin = $mydomain\n');
    try {
      const r = await spawnCli(['settings', dir, '--expand']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^a =\nb =\nc =\nmyorigin = \$\{mydomain\}\nsmtp_helo_name = \.example\n$/);
      const warnings = r.stderr.split('\n').filter((l) => l !== '');
      assert.equal(warnings.length, 2, r.stderr);
      // One warning per loop, however many names lead into it, spelled from its smallest name.
      assert.match(warnings[0], /warning: .*main\.cf: reference loop \$a -> \$b -> \$a: .*postconf -x.*; affects a, b, smtp_helo_name$/);
      assert.match(warnings[1], /reference loop \$c -> \$c: .*; affects c$/);
      // Without --expand nothing is expanded, so there is nothing to warn about (postconf -n is quiet too).
      const plain = await spawnCli(['settings', dir]);
      assert.equal(plain.code, 0);
      assert.equal(plain.stderr, '');
      // JSON says it too.
      const j = JSON.parse((await spawnCli(['settings', dir, '--expand', '--format', 'json'])).stdout);
      assert.deepEqual(j.loops, [
        { path: ['a', 'b', 'a'], affects: ['a', 'b', 'smtp_helo_name'] },
        { path: ['c', 'c'], affects: ['c'] },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--expand: a loop through a built-in default is found too', async () => {
    const dir = tempConfig('smtpd_tls_cert_file = $smtpd_tls_key_file\n');
    try {
      const r = await run([dir, '--expand']);
      assert.equal(r.code, 0);
      assert.match(r.stderr, /reference loop \$smtpd_tls_cert_file -> \$smtpd_tls_key_file -> \$smtpd_tls_cert_file: .*affects smtpd_tls_cert_file$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--service applies the master.cf overrides', async () => {
    const dir = tempConfig(
      'smtpd_tls_security_level = may\nmua_client_restrictions = permit_sasl_authenticated, reject\n',
      'smtp      inet  n       -       y       -       -       smtpd\n' +
        'submission inet n       -       y       -       -       smtpd\n  -o syslog_name=postfix/submission\n  -o smtpd_tls_security_level=encrypt\n  -o { smtpd_client_restrictions = $mua_client_restrictions }\n',
    );
    try {
      let r = await run([dir, '--service', 'submission/inet']);
      assert.equal(r.code, 0, r.stderr);
      const m = parseLines(r.stdout);
      assert.equal(m.get('smtpd_tls_security_level'), 'encrypt');
      assert.equal(m.get('syslog_name'), 'postfix/submission');
      assert.equal(m.get('smtpd_client_restrictions'), '$mua_client_restrictions');
      r = await run([dir, '--service', 'submission/inet', '--expand', '--format', 'json']);
      const j = JSON.parse(r.stdout);
      const p = j.parameters.find((x: { name: string }) => x.name === 'smtpd_client_restrictions');
      assert.equal(p.source, 'master.cf');
      assert.equal(p.expanded, 'permit_sasl_authenticated, reject');
      assert.equal(j.parameters.find((x: { name: string }) => x.name === 'smtpd_tls_security_level').value, 'encrypt');
      r = await run([dir, '--service', 'nosuch/inet']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /no such service.*submission\/inet/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('json output says where each value comes from', async () => {
    const dir = tempConfig('smtpd_tls_loglevel = 1\n');
    try {
      const r = await run([dir, '--format', 'json', '--tls', '--all']);
      assert.equal(r.code, 0);
      const j = JSON.parse(r.stdout);
      const set = j.parameters.find((x: { name: string }) => x.name === 'smtpd_tls_loglevel');
      assert.deepEqual(set, { name: 'smtpd_tls_loglevel', value: '1', source: 'main.cf', line: 1 });
      assert.equal(j.parameters.find((x: { name: string }) => x.name === 'smtp_tls_loglevel').source, 'default');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('usage and read errors exit 2', async () => {
    assert.equal((await run([])).code, 2);
    assert.equal((await run(['/nonexistent/postfix'])).code, 2);
    assert.equal((await run(['.', '--format', 'xml'])).code, 2);
    assert.equal((await run(['.', '--service', 'nosuffix'])).code, 2);
    assert.equal((await run(['.', '--postfix-version', 'three'])).code, 2);
    assert.equal((await run(['.', '--bogus'])).code, 2);
    const dir = mkdtempSync(path.join(tmpdir(), 'pftls-settings-'));
    try {
      writeFileSync(path.join(dir, 'main.cf'), Buffer.from([0x61, 0x00, 0x62]));
      const r = await run([dir]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /binary/);
      assert.equal((await run([path.join(dir, 'nothing-here')])).code, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('postfix-tls settings agrees with postconf -n on the corpus', () => {
  const rows = readTsv(referenceFile('corpus', 'maincf', 'SOURCES.tsv'));
  const files = rows.filter((r) => !/TEMPLATED/.test(r.note) && !/^master\.cf/.test(r.note) && !/master\.cf/.test(r.filename));

  test('corpus has non-templated main.cf files', () => {
    assert.ok(files.length >= 30, `only ${files.length} files`);
  });

  // One postconf for all files; its own version is the target version of the comparison.
  let postconf = '';
  let version = '';
  /** Defaults where this postconf build and our table differ (build paths, map types, 3.12-only defaults). */
  let differing = new Set<string>();
  let ourDefaults = new Map<string, string>();
  const setup = async () => {
    if (postconf) return;
    postconf = findPostconf();
    version = execFileSync(postconf, ['-d', '-h', 'mail_version'], { encoding: 'utf8' }).trim();
    assert.match(version, /^\d+\.\d+(\.\d+)?$/);
    const empty = tempConfig('', '');
    try {
      const pc = parseLines(execFileSync(postconf, ['-c', empty, '-d'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
      ourDefaults = parseLines((await run([empty, '--all', '--postfix-version', version])).stdout);
      differing = new Set([...pc.keys(), ...ourDefaults.keys()].filter((n) => pc.get(n) !== ourDefaults.get(n)));
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  };

  /** Does the expansion of `name` reach a default that differs between the two (so -x cannot agree)? */
  const machineDependent = (name: string, set: Map<string, string>, seen = new Set<string>()): boolean => {
    if (seen.has(name)) return false;
    seen.add(name);
    if (!set.has(name) && differing.has(name)) return true;
    const raw = set.get(name) ?? ourDefaults.get(name) ?? '';
    for (const m of raw.matchAll(/\$[{(]?([A-Za-z0-9_]+)/g)) if (machineDependent(m[1], set, seen)) return true;
    return false;
  };

  const postconfN = (dir: string, extra: string[]): Map<string, string> => {
    let out: string;
    try {
      out = execFileSync(postconf, ['-c', dir, '-n', ...extra], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } catch (err) {
      throw new Error(`postconf -c ${dir} -n failed: ${(err as Error).message}`);
    }
    const m = parseLines(out);
    // -c sets config_directory explicitly, so postconf prints it; main.cf did not set it.
    m.delete('config_directory');
    return m;
  };

  for (const row of files) {
    test(row.filename, async () => {
      await setup();
      const dir = mkdtempSync(path.join(tmpdir(), 'pftls-postconf-'));
      try {
        copyFileSync(referenceFile('corpus', 'maincf', row.filename), path.join(dir, 'main.cf'));
        // postconf reads master.cf beside main.cf; an empty one keeps it quiet and service-free.
        writeFileSync(path.join(dir, 'master.cf'), '');
        const want = postconfN(dir, []);
        const r = await run([dir, '--postfix-version', version]);
        assert.equal(r.code, 0, r.stderr);
        const got = parseLines(r.stdout);
        got.delete('config_directory');
        assert.deepEqual([...got.keys()], [...want.keys()], 'parameter names');
        for (const [name, value] of want) assert.equal(got.get(name), value, name);

        // postconf -x: same expansion, except for values only the mail server knows.
        const wantX = postconfN(dir, ['-x']);
        const rx = await run([dir, '--postfix-version', version, '--expand']);
        const gotX = parseLines(rx.stdout);
        assert.deepEqual([...gotX.keys()].filter((n) => n !== 'config_directory'), [...wantX.keys()], 'parameter names (expanded)');
        let compared = 0;
        for (const [name, value] of gotX) {
          if (name === 'config_directory' || machineDependent(name, got)) continue;
          assert.equal(value, wantX.get(name), `${name} (expanded)`);
          compared++;
        }
        assert.ok(compared > 0 || gotX.size === 0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
