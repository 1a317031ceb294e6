import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { definitionConfig } from '../../../core/features/config-definition';
import { parseMainCf } from '../../../core/config/parse-main';
import { parseMasterCf } from '../../../core/config/parse-master';
import { DEFAULT_SETTINGS } from '../../../core/types';

const MAIN = 'file:///etc/postfix/main.cf';
const MASTER = 'file:///etc/postfix/master.cf';

function ctx(mainText: string, masterText: string, which: 'main' | 'master') {
  const mainDoc = { uri: MAIN, getText: () => mainText };
  const masterDoc = { uri: MASTER, getText: () => masterText };
  return { main: parseMainCf(mainDoc), master: parseMasterCf(masterDoc), doc: which === 'main' ? mainDoc : masterDoc, settings: DEFAULT_SETTINGS };
}

describe('definitionConfig', () => {
  test('$name in main.cf goes to the last assignment', () => {
    const c = ctx('mydomain = a\nmydomain = b\nmyorigin = $mydomain\n', '', 'main');
    assert.deepEqual(definitionConfig(c, { line: 2, character: 13 }), [
      { file: MAIN, range: { start: { line: 1, character: 0 }, end: { line: 1, character: 8 } } },
    ]);
  });
  test('nothing for undefined refs, names or plain values', () => {
    const c = ctx('myorigin = $mydomain\n', '', 'main');
    assert.deepEqual(definitionConfig(c, { line: 0, character: 13 }), []);
    assert.deepEqual(definitionConfig(c, { line: 0, character: 2 }), []);
  });
  test('master.cf ref: same service -o first, then main.cf', () => {
    const master = 'a inet n - n - - smtpd\n  -o lvl=encrypt\n  -o smtpd_tls_security_level=$lvl\nb inet n - n - - smtpd -o smtpd_tls_security_level=$lvl\n';
    const c = ctx('lvl = may\n', master, 'master');
    assert.deepEqual(definitionConfig(c, { line: 2, character: 32 }), [
      { file: MASTER, range: { start: { line: 1, character: 5 }, end: { line: 1, character: 8 } } },
    ]);
    const line3 = master.split('\n')[3];
    assert.deepEqual(definitionConfig(c, { line: 3, character: line3.indexOf('$lvl') + 2 }), [
      { file: MAIN, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } } },
    ]);
  });
  test('-o name goes to the main.cf setting it overrides', () => {
    const c = ctx('smtpd_tls_security_level = may\n', 's inet n - n - - smtpd -o smtpd_tls_security_level=encrypt\n', 'master');
    assert.deepEqual(definitionConfig(c, { line: 0, character: 30 }), [
      { file: MAIN, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 24 } } },
    ]);
  });
});
