import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseDhParams } from '../../../core/dh';

const FIX = path.resolve(__dirname, '..', '..', 'fixtures', 'dh');
const read = (name: string) => readFileSync(path.join(FIX, name));

describe('parseDhParams', () => {
  test('reads the prime size of openssl dhparam output', () => {
    for (const [file, bits] of [['dh512.pem', 512], ['dh1024.pem', 1024], ['dh2048.pem', 2048]] as const) {
      const r = parseDhParams(read(file));
      assert.equal(r.kind, 'ok', file);
      if (r.kind === 'ok') {
        assert.equal(r.primeBits, bits, file);
        assert.equal(r.format, 'pkcs3');
        assert.equal(r.generator, 2);
        assert.equal(r.namedGroup, undefined);
      }
    }
  });

  test('recognises the RFC 7919 ffdhe2048 group', () => {
    const r = parseDhParams(read('ffdhe2048.pem'));
    assert.deepEqual(r, { kind: 'ok', format: 'pkcs3', primeBits: 2048, generator: 2, namedGroup: 'ffdhe2048' });
  });

  test('reads X9.42 DH parameters', () => {
    const r = parseDhParams(read('x942-2048.pem'));
    assert.equal(r.kind, 'ok');
    if (r.kind === 'ok') {
      assert.equal(r.format, 'x9.42');
      assert.equal(r.primeBits, 2048);
    }
  });

  test('skips other PEM blocks before the DH block', () => {
    const text = read('cert.pem').toString() + 'some text\n' + read('dh2048.pem').toString();
    const r = parseDhParams(text);
    assert.equal(r.kind, 'ok');
    if (r.kind === 'ok') assert.equal(r.primeBits, 2048);
  });

  test('a certificate or a key is not DH parameters', () => {
    assert.deepEqual(parseDhParams(read('cert.pem')), { kind: 'not-dh', labels: ['CERTIFICATE'], binary: false });
    assert.deepEqual(parseDhParams(read('key.pem')), { kind: 'not-dh', labels: ['PRIVATE KEY'], binary: false });
  });

  test('plain text, binary and empty input are not DH parameters', () => {
    assert.deepEqual(parseDhParams('hello\n'), { kind: 'not-dh', labels: [], binary: false });
    assert.deepEqual(parseDhParams(Buffer.from([0x30, 0x82, 0x01, 0x08, 0x00, 0xff])), { kind: 'not-dh', labels: [], binary: true });
    assert.deepEqual(parseDhParams(Buffer.alloc(0)), { kind: 'not-dh', labels: [], binary: false });
  });

  test('broken DH blocks are malformed, never a crash', () => {
    const bad = [
      '-----BEGIN DH PARAMETERS-----\n!!!notbase64\n-----END DH PARAMETERS-----\n',
      '-----BEGIN DH PARAMETERS-----\nMAA=\n-----END DH PARAMETERS-----\n', // empty SEQUENCE
      '-----BEGIN DH PARAMETERS-----\nMIIBCAKCAQEA\n-----END DH PARAMETERS-----\n', // truncated
      '-----BEGIN DH PARAMETERS-----\nBAIBAgEC\n-----END DH PARAMETERS-----\n', // not a SEQUENCE
    ];
    for (const b of bad) assert.equal(parseDhParams(b).kind, 'malformed', b);
    // Truncate a real file in the middle of the base64.
    const real = read('dh2048.pem').toString().split('\n');
    const cut = [real[0], real[1], real[2], real[real.length - 2]].join('\n');
    assert.equal(parseDhParams(cut).kind, 'malformed');
  });
});
