import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { LogRecord } from '../../../core/log/record';
import { createAggregator, dayKey, NO_DAY, OTHER_KEY } from '../../../core/report/aggregate';

/** A hand-made record (the aggregator only reads LogRecord fields; no classifier involved). */
function rec(p: Partial<LogRecord>): LogRecord {
  return { kind: 'tls-summary', forwardSecrecy: 'unknown', postQuantum: false, messageOffset: 0, lineSpan: 1, ...p };
}
const at = (line: number) => ({ file: 'mail.log', line });

describe('createAggregator', () => {
  test('counts inbound and outbound apart, FS share over known verdicts', () => {
    const a = createAggregator();
    a.add(rec({ role: 'server', forwardSecrecy: 'yes', protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', status: 'Anonymous', keyExchange: { name: 'X25519', logged: true }, timestamp: 'Nov 27 10:00:00' }), at(1));
    a.add(rec({ role: 'server', forwardSecrecy: 'no', protocol: 'TLSv1.2', cipher: 'AES256-SHA', status: 'Anonymous', keyExchange: { name: 'RSA', logged: false }, peer: { name: 'old.example', address: '192.0.2.1' }, timestamp: 'Nov 27 11:00:00' }), at(2));
    a.add(rec({ role: 'server', forwardSecrecy: 'unknown', protocol: 'TLSv1', timestamp: 'Nov 28 01:00:00' }), at(3));
    a.add(rec({ role: 'client', forwardSecrecy: 'yes', postQuantum: true, protocol: 'TLSv1.3', status: 'Verified', keyExchange: { name: 'X25519MLKEM768', logged: true }, timestamp: 'Nov 28 02:00:00' }), at(4));
    a.add(rec({ role: 'client', event: 'reused', forwardSecrecy: 'yes', protocol: 'TLSv1.3', status: 'Verified', keyExchange: { name: 'ECDHE', curve: 'P-256', logged: true } }), at(5));
    a.add(rec({ kind: 'other' }), at(6));
    const r = a.result();
    assert.equal(r.recordsSeen, 6);
    assert.equal(r.inbound.connections, 3);
    assert.deepEqual(r.inbound.fs, { yes: 1, no: 1, unknown: 1 });
    assert.equal(r.inbound.fsShare, 0.5);
    assert.equal(r.outbound.connections, 2);
    assert.equal(r.outbound.reused, 1);
    assert.equal(r.outbound.established, 1);
    assert.equal(r.outbound.fsShare, 1);
    assert.equal(r.outbound.postQuantum, 1);
    assert.equal(r.outbound.pqShare, 0.5);
    assert.equal(r.total.connections, 5);
    assert.equal(r.total.fsShare, 3 / 4);
    assert.deepEqual(r.total.byProtocol, { 'TLSv1.3': 3, 'TLSv1': 1, 'TLSv1.2': 1 });
    assert.deepEqual(r.total.byStatus, { Verified: 2, Anonymous: 2, none: 1 });
    assert.deepEqual(r.total.byKeyExchange, { '(not logged)': 1, 'ECDHE (P-256)': 1, 'RSA (from cipher)': 1, X25519: 1, X25519MLKEM768: 1 });
    assert.equal(r.peersWithoutFs.entries.length, 1);
    assert.deepEqual(r.peersWithoutFs.entries[0], {
      peer: 'old.example[192.0.2.1]',
      count: 1,
      inbound: 1,
      outbound: 0,
      last: { file: 'mail.log', line: 2, timestamp: 'Nov 27 11:00:00' },
      detail: 'TLSv1.2 AES256-SHA',
    });
    assert.deepEqual(
      r.days.map((d) => [d.day, d.connections, d.fsShare]),
      [
        ['Nov 27', 2, 0.5],
        ['Nov 28', 2, 1],
        [NO_DAY, 1, 1],
      ],
    );
    assert.ok(r.notes.some((n) => /no year/.test(n)));
  });

  test('failures by kind and per peer, with last seen', () => {
    const a = createAggregator();
    const peer = { name: 'bad.example', address: '192.0.2.66' };
    a.add(rec({ kind: 'failure', role: 'server', peer, failure: { kind: 'handshake', text: 'SSL_accept error from bad.example[192.0.2.66]: -1' }, timestamp: '2024-11-27T10:00:00+01:00' }), at(10));
    a.add(rec({ kind: 'failure', failure: { kind: 'tls-library', text: 'TLS library problem' } }), at(11));
    a.add(rec({ kind: 'failure', role: 'server', peer: { ...peer, port: 1234 }, failure: { kind: 'lost-after-starttls', text: 'lost connection after STARTTLS' }, timestamp: '2024-11-28T10:00:00+01:00' }), at(12));
    const r = a.result();
    assert.equal(r.failures.total, 3);
    assert.equal(r.failures.byKind.handshake, 1);
    assert.equal(r.failures.byKind['tls-library'], 1);
    assert.equal(r.failures.byKind['lost-after-starttls'], 1);
    assert.equal(r.failures.byKind['no-shared-cipher'], 0);
    const [e] = r.peersWithFailures.entries;
    assert.equal(e.peer, 'bad.example[192.0.2.66]');
    assert.equal(e.count, 2);
    assert.deepEqual(e.kinds, { handshake: 1, 'lost-after-starttls': 1 });
    assert.deepEqual(e.last, { file: 'mail.log', line: 12, timestamp: '2024-11-28T10:00:00+01:00' });
    assert.deepEqual(r.days.map((d) => [d.day, d.failures]), [['2024-11-27', 1], ['2024-11-28', 1], [NO_DAY, 1]]);
    assert.ok(!r.notes.some((n) => /no year/.test(n)));
  });

  test('Received: headers are counted apart from log connections', () => {
    const a = createAggregator();
    a.add(rec({ kind: 'received-header', role: 'server', forwardSecrecy: 'yes', protocol: 'TLSv1.3' }), at(1));
    const r = a.result();
    assert.equal(r.receivedHeaders.connections, 1);
    assert.equal(r.total.connections, 0);
  });

  test('peer lists stay bounded and say so', () => {
    const a = createAggregator({ maxPeers: 100, topN: 5 });
    // One heavy peer, then many distinct one-off peers.
    for (let i = 0; i < 50; i++) a.add(rec({ role: 'client', forwardSecrecy: 'no', peer: { name: 'heavy.example', address: '192.0.2.1' } }), at(i + 1));
    for (let i = 0; i < 10_000; i++) a.add(rec({ role: 'client', forwardSecrecy: 'no', peer: { name: `p${i}.example`, address: '192.0.2.2' } }), at(100 + i));
    const r = a.result();
    const l = r.peersWithoutFs;
    assert.equal(l.entries.length, 5);
    assert.equal(l.entries[0].peer, 'heavy.example[192.0.2.1]');
    assert.equal(l.entries[0].count, 50);
    assert.equal(l.records, 10_050);
    assert.equal(l.truncated, true);
    assert.ok(l.distinct >= 10_000);
    assert.ok(r.notes.some((n) => /distinct peers/.test(n)));
  });

  test('count tables stay bounded', () => {
    const a = createAggregator({ maxKeys: 3 });
    for (let i = 0; i < 10; i++) a.add(rec({ role: 'server', cipher: `C${i}` }), at(i + 1));
    const r = a.result();
    assert.equal(Object.keys(r.inbound.byCipher).length, 4);
    assert.equal(r.inbound.byCipher[OTHER_KEY], 7);
  });

  test('syslog days run across a year end (Dec before Jan)', () => {
    const a = createAggregator();
    for (const ts of ['Jan  2 00:00:01', 'Dec 31 23:59:59', 'Jan 1 00:00:00', 'Dec 30 10:00:00']) a.add(rec({ role: 'server', forwardSecrecy: 'yes', timestamp: ts }), at(1));
    assert.deepEqual(a.result().days.map((d) => d.day), ['Dec 30', 'Dec 31', 'Jan 1', 'Jan 2']);
  });

  test('result() of an empty aggregator', () => {
    const r = createAggregator().result();
    assert.equal(r.total.connections, 0);
    assert.equal(r.total.fsShare, null);
    assert.equal(r.total.pqShare, null);
    assert.deepEqual(r.days, []);
  });
});

describe('dayKey', () => {
  test('syslog, RFC 3339 and junk', () => {
    assert.equal(dayKey('Nov 28 22:58:01'), 'Nov 28');
    assert.equal(dayKey('Nov  3 22:58:01'), 'Nov 3');
    assert.equal(dayKey('2024-11-28T22:58:01.123456+01:00'), '2024-11-28');
    assert.equal(dayKey(undefined), NO_DAY);
    assert.equal(dayKey('Foo 3 1'), NO_DAY);
    assert.equal(dayKey('12345'), NO_DAY);
  });
});
