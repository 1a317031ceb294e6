/**
 * DH parameter files: the file must exist, hold DH parameters and a prime of at least 2048
 * bits; the 512-bit export file is obsolete (ignored from 3.6) and the "1024" setting is
 * deprecated from 3.9. The file's mode is never checked: the parameters are public (0644 is right).
 */
import { expandValue } from '../config/expand';
import { parseDhParams } from '../dh';
import type { Fix } from '../types';
import { defaultLevels } from './messages';
import type { Rule, RuleContext, RuleReport } from './rule';
import { effectiveSites, opensslAtLeast, postfixAtLeast, removeFix, scopedRaw, type Site, targetHasParam } from './util';

/** The non-export DH file settings (despite the name, any prime size). */
export const DH1024_PARAMS = ['smtpd_tls_dh1024_param_file', 'postscreen_tls_dh1024_param_file', 'tlsproxy_tls_dh1024_param_file'];
/** The export-grade DH file settings. */
export const DH512_PARAMS = ['smtpd_tls_dh512_param_file', 'postscreen_tls_dh512_param_file', 'tlsproxy_tls_dh512_param_file'];

/** The quick fix every DH-file problem carries: the client generates a fresh file. */
export const GENERATE_DH_FIX: Fix = { title: 'Generate DH parameters…', edits: [], command: { id: 'postfixTls.generateDhParams' } };

/** Largest file we read as a DH parameter file (a 8192-bit PEM is about 1.5 KB). */
const MAX_DH_FILE = 1 << 20;

/**
 * The file name Postfix would open: `$config_directory` is the folder being analysed (else its
 * setting or default), other references take their value from the configuration or the
 * built-in defaults. Undefined when it cannot be known.
 */
export function resolveDhPath(ctx: RuleContext, site: Site): string | undefined {
  const raw = site.a.value;
  if (!raw.includes('$')) return raw;
  const r = expandValue(raw, (name) => {
    if (name === 'config_directory' && ctx.configDirectory !== undefined) return ctx.configDirectory.replace(/\$/g, '$$$$');
    return scopedRaw(ctx, name, site.service);
  });
  if (r.loop || r.error || r.undefined.length > 0) return undefined;
  return r.value;
}

function describeFound(labels: string[], binary: boolean): string {
  if (labels.length > 0) {
    const l = labels[0];
    const what: Record<string, string> = {
      CERTIFICATE: 'a certificate',
      'TRUSTED CERTIFICATE': 'a certificate',
      'PRIVATE KEY': 'a private key',
      'RSA PRIVATE KEY': 'an RSA private key',
      'EC PRIVATE KEY': 'an EC private key',
      'ENCRYPTED PRIVATE KEY': 'an encrypted private key',
      'PUBLIC KEY': 'a public key',
      'CERTIFICATE REQUEST': 'a certificate request',
      'X509 CRL': 'a certificate revocation list',
      'EC PARAMETERS': 'EC parameters',
      'DSA PARAMETERS': 'DSA parameters',
      PARAMETERS: 'generic key parameters',
    };
    return `${what[l] ?? 'a PEM block'} (${l})`;
  }
  return binary ? 'binary data' : 'no PEM data';
}

export const dhParamFileRule: Rule = {
  id: 'dh-param-file',
  codes: defaultLevels(
    'fs.dh-file-missing',
    'fs.dh-file-unreadable',
    'fs.dh-file-not-dh',
    'fs.dh-file-malformed',
    'fs.dh-prime-too-small',
    'fs.dh512-obsolete',
    'fs.dh1024-deprecated',
  ),
  check(ctx) {
    const out: RuleReport[] = [];
    const v = ctx.settings.postfixVersion;
    const autoOk = postfixAtLeast(ctx, '3.7') && opensslAtLeast(ctx, '3.0');
    for (const site of effectiveSites(ctx, [...DH1024_PARAMS, ...DH512_PARAMS])) {
      if (ctx.token.isCancellationRequested) break;
      const { a } = site;
      if (!targetHasParam(ctx, a.name)) continue;
      const is512 = DH512_PARAMS.includes(a.name);
      if (is512) {
        out.push({
          file: site.file,
          range: a.range,
          code: 'fs.dh512-obsolete',
          args: { name: a.name, ignored: postfixAtLeast(ctx, '3.6') ? `, and Postfix ${v} ignores it` : ', which the default cipher grades no longer use' },
          fixes: [removeFix(ctx, site, `Remove '${a.name}'`)],
          tags: ['unnecessary'],
        });
        // An ignored file is not worth checking.
        if (postfixAtLeast(ctx, '3.6')) continue;
      } else if (postfixAtLeast(ctx, '3.9') && a.value !== '') {
        out.push({
          file: site.file,
          range: a.nameRange,
          code: 'fs.dh1024-deprecated',
          args: { name: a.name, auto: autoOk ? ' (or OpenSSL\'s own choice with "auto")' : '' },
          fixes: [removeFix(ctx, site, `Remove '${a.name}'`)],
          tags: ['deprecated'],
        });
      }
      if (a.value === '' || (a.value === 'auto' && autoOk)) continue;
      if (!ctx.readFile) continue; // reading files is not allowed here (untrusted workspace)
      const path = resolveDhPath(ctx, site);
      if (path === undefined || path === '') continue;
      const base = { file: site.file, range: a.valueRange };
      const fixes = [GENERATE_DH_FIX];
      let data: Buffer | undefined;
      try {
        data = ctx.readFile(path);
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        out.push({ ...base, code: 'fs.dh-file-unreadable', args: { path, name: a.name, reason }, fixes });
        continue;
      }
      if (data === undefined) {
        out.push({ ...base, code: 'fs.dh-file-missing', args: { path, name: a.name }, fixes });
        continue;
      }
      if (data.length > MAX_DH_FILE) {
        out.push({ ...base, code: 'fs.dh-file-not-dh', args: { path, name: a.name, found: `${data.length} bytes, far too large for DH parameters` }, fixes });
        continue;
      }
      const r = parseDhParams(data);
      if (r.kind === 'not-dh') {
        out.push({ ...base, code: 'fs.dh-file-not-dh', args: { path, name: a.name, found: describeFound(r.labels, r.binary) }, fixes });
      } else if (r.kind === 'malformed') {
        out.push({ ...base, code: 'fs.dh-file-malformed', args: { path, name: a.name, reason: r.reason }, fixes });
      } else if (!is512 && r.primeBits < 2048) {
        let dflt = '';
        if (autoOk) dflt = ", or remove the setting (or write 'auto') to use OpenSSL's choice";
        else if (postfixAtLeast(ctx, '3.1')) dflt = ', or remove the setting: the built-in prime has 2048 bits';
        out.push({ ...base, code: 'fs.dh-prime-too-small', args: { path, name: a.name, bits: r.primeBits, default: dflt }, fixes });
      }
    }
    return out;
  },
};
