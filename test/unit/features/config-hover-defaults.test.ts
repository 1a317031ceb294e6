/** Hover texts: run-time defaults and forward-secrecy notes say what Postfix really does. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { hoverConfig } from '../../../core/features/config-hover';
import { fsNoteFor } from '../../../core/features/fs-notes';
import { parseMainCf } from '../../../core/config/parse-main';
import { parseMasterCf } from '../../../core/config/parse-master';
import { RUNTIME_DEFAULT_MARKERS, RUNTIME_DEFAULTS } from '../../../core/params/generated/params';
import { DEFAULT_SETTINGS } from '../../../core/types';

function hoverOn(text: string): string {
  const doc = { uri: 'file:///etc/postfix/main.cf', getText: () => text };
  const main = parseMainCf(doc);
  const master = parseMasterCf({ uri: 'file:///etc/postfix/master.cf', getText: () => '' });
  return hoverConfig({ main, master, doc, settings: DEFAULT_SETTINGS }, { line: 0, character: 1 })!.markdown;
}

describe('hover: run-time defaults', () => {
  test('myhostname, mydomain, mynetworks: computed at run time, not a literal "(computed)"', () => {
    for (const name of ['myhostname', 'mydomain', 'mynetworks']) {
      const md = hoverOn(`${name} = x\n`);
      assert.match(md, /Default in Postfix [^\n]*: computed by Postfix at run time/, name);
      assert.doesNotMatch(md, /\(computed\)/, name);
    }
  });

  test('process_id and process_name: set at run time', () => {
    assert.match(hoverOn('process_id = 1\n'), /Default in Postfix [^\n]*: the process ID, set by Postfix at run time/);
    assert.match(hoverOn('process_name = x\n'), /Default in Postfix [^\n]*: the name of the running program, set by Postfix at run time/);
    // Every marker the table uses reads as words, for every parameter that has one.
    for (const name of RUNTIME_DEFAULTS) {
      const md = hoverOn(`${name} = x\n`);
      for (const marker of RUNTIME_DEFAULT_MARKERS) assert.ok(!md.includes(marker), `${name}: ${marker}`);
    }
  });

  test('an ordinary default is still shown as code', () => {
    assert.match(hoverOn('smtpd_tls_loglevel = 1\n'), /Default in Postfix [^\n]*: `0`/);
  });
});

describe('hover: forward-secrecy notes', () => {
  test('group lists: unknown names are skipped silently, Postfix warns only when none is usable', () => {
    const text = fsNoteFor('tls_eecdh_auto_curves', '3.10') ?? '';
    assert.match(text, /without a warning/);
    assert.match(text, /built-in default groups/);
  });

  test('exclusions: one family removed is not "no forward secrecy"', () => {
    const text = fsNoteFor('smtpd_tls_exclude_ciphers', '3.10') ?? '';
    assert.doesNotMatch(text, /or `EECDH`\/`EDH` removes forward secrecy/);
    assert.match(text, /with both gone/);
  });
});
