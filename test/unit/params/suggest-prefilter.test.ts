import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allParamNames, isBuiltinName } from '../../../core/params';
import { boundedDistance, suggestNames } from '../../../core/params/suggest';

// The length buckets and histogram bound only skip work: results must equal a brute-force search.
test('did-you-mean with pre-filters equals brute force', () => {
  const names = allParamNames().filter(isBuiltinName);
  const brute = (name: string, max: number) => {
    const limit = Math.max(1, Math.min(4, Math.floor(name.length / 4)));
    return names
      .filter((c) => c !== name)
      .map((c) => [c.toLowerCase() === name.toLowerCase() ? 0 : boundedDistance(name, c, limit), c] as [number, string])
      .filter(([d]) => d <= limit)
      .sort((x, y) => x[0] - y[0] || (x[1] < y[1] ? -1 : 1))
      .slice(0, max)
      .map(([, c]) => c);
  };
  const probes = ['smtpd_tls_securty_level', 'SMTPD_USE_TLS', 'smtp_tls_cipher', 'tls_preempt_cipherlists', 'myhostnam',
    'smtpd_tls_dh1024_param_fil', 'relay_host', 'inet_interface', 'x', 'zzzzzzzzzzzzzzzzzzzzzz', 'smtpd_tls_eecdh_grades'];
  // Mutations of real names: one deletion, one swap, one case change each.
  for (const n of names.slice(0, 120)) probes.push(n.slice(1), n.replace('_', '-'), n.toUpperCase());
  for (const p of probes) assert.deepEqual(suggestNames(p, 3), brute(p, 3), p);
  assert.deepEqual(suggestNames('smtpd_tls_securty_level', 1), ['smtpd_tls_security_level']);
});
