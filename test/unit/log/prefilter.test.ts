/**
 * mayHoldRecord is an exact early reject: the report reader, the CLI and the decorations skip
 * classifyLine for every line it turns down. A phrase a parser recognises that mayHoldRecord does
 * not cover would silently never be reported, so these tests check the implication
 * "classifyLine gives a record (or a summary cut short) => mayHoldRecord is true" on every real
 * log line of the corpus, on lines built from every phrase the classifier's source looks for, and
 * on generated lines.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { classifyLine, mayHoldRecord, mightBeTls } from '../../../core/log/classify';
import { corpusFiles, REPO_ROOT } from '../../helpers/reference';

/** What the LogFolder must see: a record worth reporting, or a summary that may go on below. */
function needsClassifier(line: string): boolean {
  const r = classifyLine(line);
  return r.kind !== 'other' || r.tlsFeature !== undefined;
}

function assertCovered(line: string): void {
  if (needsClassifier(line) && !mayHoldRecord(line)) {
    assert.fail(`mayHoldRecord turns down a line classifyLine reports as ${classifyLine(line).kind}: ${JSON.stringify(line.slice(0, 300))}`);
  }
}

/**
 * The string literals classify.ts searches for in a message (indexOf, startsWith, lastIndexOf):
 * the phrases its parsers recognise. Read from the source so a phrase added later is tested
 * without anyone remembering to list it here.
 */
function classifierPhrases(): string[] {
  const src = readFileSync(path.join(REPO_ROOT, 'core', 'log', 'classify.ts'), 'utf8');
  const out = new Set<string>();
  for (const m of src.matchAll(/\.(?:indexOf|startsWith|lastIndexOf|endsWith)\('((?:[^'\\]|\\.){4,})'/g)) out.add(m[1].replace(/\\(.)/g, '$1'));
  // `for (const reason of ['lost connection', ...])` style lists, and RE_PLAIN_ANCHOR's words.
  for (const m of src.matchAll(/'([A-Za-z][A-Za-z _=:.-]{5,})'/g)) out.add(m[1]);
  return [...out];
}

const ENVELOPES = [
  'Nov 28 12:00:00 mail postfix/smtpd[1234]: ',
  'Nov 28 12:00:00 mail postfix/smtp[1234]: 4ABCD123456: ',
  'Nov 28 12:00:00 mail postfix/tlsproxy[99]: ',
  'Nov 28 12:00:00 mail postfix/postscreen[7]: ',
  '2024-01-02T03:04:05.123456+01:00 mx1 postfix/submission/smtpd[42]: ',
  'Nov  8 01:02:03 host postfix-out/smtp[5]: NOQUEUE: ',
  '',
];
const TAILS = [
  '',
  ' from unknown[192.0.2.1]:25',
  ' to mx.example.net[192.0.2.2]:25: TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)',
  ': error:0A000126:SSL routines::unexpected eof while reading',
  ' for example.org: num=20:unable to get local issuer certificate',
  ' host mx.example.net[192.0.2.2] refused to talk to me',
];

describe('mayHoldRecord never turns down a line the classifier reports', () => {
  test('every line of every corpus log', () => {
    let lines = 0;
    let records = 0;
    for (const file of corpusFiles('logs')) {
      for (const line of readFileSync(file, 'latin1').split(/\r?\n/)) {
        lines++;
        if (needsClassifier(line)) records++;
        assertCovered(line);
      }
    }
    // Not vacuous: the corpus holds hundreds of TLS records.
    assert.ok(records > 400, `only ${records} records in ${lines} lines`);
  });

  test('every phrase the classifier looks for, in Postfix envelopes and contexts', () => {
    const phrases = classifierPhrases();
    assert.ok(phrases.length >= 40, `only ${phrases.length} phrases read from classify.ts`);
    let reported = 0;
    const reportedPhrases = new Set<string>();
    for (const phrase of phrases) {
      for (const env of ENVELOPES) {
        for (const tail of TAILS) {
          for (const line of [env + phrase + tail, `${env}warning: TLS library problem: ${phrase}${tail}`, `${env}${phrase}`]) {
            if (needsClassifier(line)) {
              reported++;
              reportedPhrases.add(phrase);
            }
            assertCovered(line);
          }
        }
      }
    }
    // Not vacuous: most phrases give records in some context (the failure phrases all do).
    for (const p of ['SSL_accept error from ', 'TLS library problem', 'certificate verification failed for ', 'Cannot start TLS', 'tlsproxy handshake failed', 'no shared cipher', 'TLSRPT: status=failure', 'TLSA lookup error', 'No server certs available', 'New TLS session rate limit exceeded']) {
      assert.ok(reportedPhrases.has(p), `no context made a record of ${JSON.stringify(p)}`);
    }
    assert.ok(reported > 500, `only ${reported} records`);
  });

  test('generated lines: envelopes, phrases, TLS words and noise in any order', () => {
    const phrases = classifierPhrases();
    const piece = fc.oneof(
      fc.constantFrom(...phrases),
      fc.constantFrom(...ENVELOPES),
      fc.constantFrom(...TAILS),
      fc.constantFrom('TLS', 'TLS,', 'tls', 'starttls=1', 'SSL', 'certificate', '(using ', ', tls=may', 'dovecot: imap-login: Login: ', ' ', '\t', 'é', 'Received: from x (x [192.0.2.9])'),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        assertCovered(parts.join(''));
      }),
      { numRuns: 20000 },
    );
  });

  test('it does turn down the common lines that are no record (what makes it worth having)', () => {
    const noRecord = [
      'Nov 28 12:00:00 mail postfix/smtpd[1]: disconnect from unknown[192.0.2.1] ehlo=1 starttls=1 quit=1 commands=3',
      'Nov 28 12:00:00 mail dovecot: imap-login: Login: user=<a@b.c>, method=PLAIN, rip=192.0.2.1, lip=192.0.2.2, mpid=1, TLS, session=<x>',
      'Nov 28 12:00:00 mail postfix/smtp[1]: discarding EHLO keywords: 8BITMIME STARTTLS',
    ];
    for (const line of noRecord) {
      assert.equal(mightBeTls(line), true, line); // a TLS word: the byte search alone keeps it
      assert.equal(needsClassifier(line), false, line);
      assert.equal(mayHoldRecord(line), false, line);
    }
  });
});
