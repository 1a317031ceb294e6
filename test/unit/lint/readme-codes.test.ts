import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { ALL_CODES } from '../../../core/rules/registry';
import { withCodes } from '../../../scripts/readme-codes';

const README = path.resolve(__dirname, '..', '..', '..', 'README.md');

test('README lists every diagnostic code (regenerate with npm run gen:readme)', () => {
  const readme = readFileSync(README, 'utf8');
  assert.equal(readme, withCodes(readme), 'README.md codes table is out of date: run npm run gen:readme');
  for (const code of Object.keys(ALL_CODES)) assert.ok(readme.includes(`| \`${code}\` |`), code);
});
