/**
 * Every real main.cf/master.cf of the reference corpus lints without an exception, and the
 * files that are not templates get no "unused parameter" finding: real configurations use
 * only real (or properly referenced user-defined) names.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { corpusFiles, readTsv, referenceFile } from '../../helpers/reference';
import { lint } from '../../../core/lint';
import { DEFAULT_SETTINGS, PROFILE_NAMES, type Settings } from '../../../core/types';

const files = corpusFiles('maincf');
const sources = readTsv(referenceFile('corpus', 'maincf', 'SOURCES.tsv'));
const templated = new Set(sources.filter((r) => /TEMPLATED/.test(r.note ?? '')).map((r) => r.filename));
const isMaster = (f: string) => /master/i.test(path.basename(f));
const repoPrefix = (f: string) => path.basename(f).split('__').slice(0, 2).join('__');

/** The master.cf that belongs to a main.cf: the same name with master for main, else the repository's only one. */
function masterFor(main: string): string | undefined {
  const masters = files.filter((f) => isMaster(f) && repoPrefix(f) === repoPrefix(main));
  const twin = path.join(path.dirname(main), path.basename(main).replace(/main/, 'master'));
  if (masters.includes(twin)) return twin;
  const sameDir = masters.filter((m) => path.basename(m).startsWith(path.basename(main).split(/main/)[0]));
  if (sameDir.length === 1) return sameDir[0];
  return masters.length === 1 ? masters[0] : undefined;
}

const doc = (f: string) => ({ uri: path.basename(f), getText: () => readFileSync(f, 'utf8') });

describe('corpus', () => {
  test('has files to check', () => {
    assert.ok(files.filter((f) => !isMaster(f)).length >= 40);
    assert.ok(files.filter(isMaster).length >= 20);
  });

  const mains = files.filter((f) => !isMaster(f));
  const paired = new Set<string>();
  for (const main of mains) {
    const master = masterFor(main);
    if (master) paired.add(master);
    test(`${path.basename(main)}${master ? ' + ' + path.basename(master) : ''}`, () => {
      for (const profile of PROFILE_NAMES) {
        for (const postfixVersion of ['2.11', '3.5', '3.10']) {
          const settings: Settings = { ...DEFAULT_SETTINGS, levels: {}, profile, postfixVersion };
          const findings = lint({ main: doc(main), master: master ? doc(master) : undefined }, settings);
          assert.equal(findings.filter((f) => f.code === 'internal.rule-failed').length, 0, JSON.stringify(findings.find((f) => f.code === 'internal.rule-failed')));
          if (postfixVersion === '3.10' && !templated.has(path.basename(main)) && !(master && templated.has(path.basename(master)))) {
            const unused = findings.filter((f) => f.code === 'postconf.unused-parameter');
            assert.deepEqual(unused.map((f) => `${f.file}:${f.range.start.line + 1}: ${f.message}`), []);
          }
        }
      }
    });
  }

  test('master.cf files without a main.cf lint alone', () => {
    for (const master of files.filter((f) => isMaster(f) && !paired.has(f))) {
      const findings = lint({ master: doc(master) }, { ...DEFAULT_SETTINGS, levels: {} });
      assert.equal(findings.filter((f) => f.code === 'internal.rule-failed').length, 0, master);
      if (!templated.has(path.basename(master))) assert.deepEqual(findings.filter((f) => f.code === 'postconf.unused-parameter').map((f) => f.message), [], master);
    }
  });
});
