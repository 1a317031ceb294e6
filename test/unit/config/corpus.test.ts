import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { corpusFiles } from '../../helpers/reference';
import { parseMainCf } from '../../../core/config/parse-main';
import { parseMasterCf } from '../../../core/config/parse-master';

describe('corpus/maincf parses without throwing', () => {
  const files = corpusFiles('maincf');
  test('corpus is present', () => assert.ok(files.length > 20));
  for (const f of files) {
    const base = path.basename(f);
    test(base, () => {
      const text = readFileSync(f, 'utf8');
      const d = { uri: f, getText: () => text };
      if (base.includes('master')) {
        const m = parseMasterCf(d);
        assert.ok(m.lineCount > 0);
      } else {
        const m = parseMainCf(d);
        assert.ok(m.lineCount > 0);
        for (const e of m.entries) assert.ok(e.name.length > 0);
      }
    });
  }
  test('a known untemplated main.cf has entries and no syntax problems', () => {
    const f = files.find((x) => path.basename(x) === 'docker-mailserver__docker-mailserver__target__postfix__main.cf.cf');
    assert.ok(f);
    const text = readFileSync(f, 'utf8');
    const m = parseMainCf({ uri: f, getText: () => text });
    assert.ok(m.entries.length > 20);
    assert.deepEqual(m.problems.map((p) => p.code), []);
  });
  test('filegarden master.cf long-form overrides', () => {
    const f = files.find((x) => path.basename(x) === 'filegarden__mail__etc__postfix__master.cf.cf');
    assert.ok(f);
    const text = readFileSync(f, 'utf8');
    const m = parseMasterCf({ uri: f, getText: () => text });
    const long = m.services.flatMap((s) => s.overrides).filter((o) => o.form === 'long');
    assert.ok(long.length >= 14, `long overrides: ${long.length}`);
  });
});
