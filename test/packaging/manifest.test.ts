/**
 * package.json contributions that are promises about safety: the settings naming a program the
 * extension runs, what their descriptions claim, and that README says the same.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { REPO_ROOT } from './stage';

interface SettingContribution {
  scope?: string;
  description?: string;
  markdownDescription?: string;
}

const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  capabilities: { untrustedWorkspaces: { restrictedConfigurations?: string[] } };
  contributes: { configuration: { properties: Record<string, SettingContribution> } | { properties: Record<string, SettingContribution> }[] };
};
const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');

function setting(name: string): SettingContribution {
  const conf = pkg.contributes.configuration;
  for (const c of Array.isArray(conf) ? conf : [conf]) if (c.properties[name]) return c.properties[name];
  throw new Error(`package.json contributes no setting ${name}`);
}

/** TypeScript sources below `dir` (relative to the repository). */
function sources(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.ts')) out.push(p);
    }
  };
  walk(path.join(REPO_ROOT, dir));
  return out;
}

/** The README settings-table row of `name`. */
function readmeRow(name: string): string {
  const row = readme.split('\n').find((l) => l.startsWith(`| \`${name}\` |`));
  assert.ok(row, `README has no settings row for ${name}`);
  return row;
}

describe('settings that choose a program to run', () => {
  for (const name of ['postfixTls.opensslPath', 'postfixTls.postconfPath']) {
    test(`${name}: machine scope (no workspace can set it), listed for Restricted Mode, and the README says so`, () => {
      assert.equal(setting(name).scope, 'machine');
      assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations?.includes(name));
      assert.match(readmeRow(name), /a workspace cannot set it/);
    });
  }
});

describe('postfixTls.opensslPath', () => {
  test('only user or remote settings choose the program (machine scope), and Restricted Mode lists it', () => {
    // A workspace value (.vscode/settings.json of a cloned repository) must never pick the
    // program the extension runs, trusted or not: `machine`, not `machine-overridable`.
    assert.equal(setting('postfixTls.opensslPath').scope, 'machine');
    assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations?.includes('postfixTls.opensslPath'));
  });

  test('the description claims only what the code does: Generate DH Parameters runs it, nothing reads DH files with it', () => {
    const s = setting('postfixTls.opensslPath');
    const text = `${s.description ?? ''} ${s.markdownDescription ?? ''}`;
    assert.match(text, /Generate DH Parameters/);
    assert.doesNotMatch(text, /\bread(s|ing)? DH files\b/i, 'DH files are parsed in core/dh.ts, not by openssl');
    // Where the setting is read: the DH command of the client, nowhere else.
    const readers = [...sources('client'), ...sources('server'), ...sources('core'), ...sources('cli')]
      .filter((f) => /['"]opensslPath['"]/.test(readFileSync(f, 'utf8')))
      .map((f) => path.relative(REPO_ROOT, f).split(path.sep).join('/'));
    assert.deepEqual(readers, ['client/commands/dhparams.ts']);
    // And the DH file reader runs no program.
    assert.doesNotMatch(readFileSync(path.join(REPO_ROOT, 'core', 'dh.ts'), 'utf8'), /child_process/);
  });

  test('README says the same: the command that runs it, and that a workspace cannot set it', () => {
    const row = readmeRow('postfixTls.opensslPath');
    assert.match(row, /Generate DH Parameters/);
    assert.match(row, /workspace cannot set it/);
    assert.doesNotMatch(row, /machine-overridable/);
  });
});
