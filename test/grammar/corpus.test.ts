import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { corpusFiles } from '../helpers/reference';
import { tokenize } from './tokenize';

// The grammars over every real file of the corpus: structural lines get the right scope.
describe('grammars over the reference corpus', () => {
  test('main.cf files: comment lines are comments, assignments start with a parameter name', async () => {
    let checked = 0;
    for (const file of corpusFiles('maincf').filter((f) => !/master/i.test(path.basename(f)))) {
      const text = readFileSync(file, 'utf8');
      const tokens = await tokenize('source.postfix-main', text);
      const lines = text.split(/\r?\n/);
      lines.forEach((l, i) => {
        const first = tokens.find((t) => t.line === i && t.text.trim() !== '');
        if (!first) return;
        if (/^\s*#/.test(l)) {
          assert.ok(first.scopes.some((s) => s.startsWith('comment.')), `${path.basename(file)}:${i + 1} comment`);
          checked++;
        } else if (/^[A-Za-z0-9_]+\s*=/.test(l)) {
          assert.ok(first.scopes.some((s) => s.startsWith('variable.other.parameter')), `${path.basename(file)}:${i + 1} name`);
          checked++;
        }
      });
    }
    assert.ok(checked > 1000, `checked ${checked} lines`);
  });

  test('master.cf files: service lines start with a service name', async () => {
    let checked = 0;
    for (const file of corpusFiles('maincf').filter((f) => /master/i.test(path.basename(f)))) {
      const text = readFileSync(file, 'utf8');
      const tokens = await tokenize('source.postfix-master', text);
      text.split(/\r?\n/).forEach((l, i) => {
        if (!/^[A-Za-z0-9]\S*\s+(inet|unix|unix-dgram|fifo|pass)\s/.test(l)) return;
        const first = tokens.find((t) => t.line === i);
        assert.ok(first?.scopes.some((s) => s.startsWith('entity.name.tag.service')), `${path.basename(file)}:${i + 1}`);
        checked++;
      });
    }
    assert.ok(checked > 100, `checked ${checked} lines`);
  });

  test('logs: every TLS summary line has its status word scoped', async () => {
    let checked = 0;
    for (const file of corpusFiles('logs')) {
      const text = readFileSync(file, 'utf8');
      if (!text.includes('TLS connection')) continue;
      const tokens = await tokenize('text.postfix-log', text);
      text.split(/\r?\n/).forEach((l, i) => {
        const m = /\b(Anonymous|Untrusted|Trusted|Verified) TLS connection (established|reused)/.exec(l);
        if (!m) return;
        const t = tokens.find((x) => x.line === i && x.start === m.index);
        assert.ok(t?.scopes.some((s) => s.startsWith('keyword.other.status')), `${path.basename(file)}:${i + 1}`);
        checked++;
      });
    }
    assert.ok(checked > 100, `checked ${checked} lines`);
  });
});
