/**
 * Names postconf accepts outside its built-in table (reference: dynamic-params.md):
 * service-defined `<service><suffix>` names, user-defined names that are referenced, and
 * DBMS-prefixed names (`mydb_server_host` for `ldap:mydb`).
 */
import type { MainCf, MasterCf } from '../config/model';
import { isBuiltinName } from './index';

/** Suffixes postconf appends to master.cf service names (pipe_params[] in mail_params.h). */
export const SERVICE_SUFFIXES: readonly string[] = [
  '_time_limit',
  '_recipient_limit',
  '_extra_recipient_limit',
  '_recipient_refill_limit',
  '_recipient_refill_delay',
  '_delivery_slot_cost',
  '_delivery_slot_loan',
  '_delivery_slot_discount',
  '_minimum_delivery_slots',
  '_initial_destination_concurrency',
  '_destination_concurrency_limit',
  '_destination_recipient_limit',
  '_destination_concurrency_positive_feedback',
  '_destination_concurrency_negative_feedback',
  '_destination_concurrency_failed_cohort_limit',
  '_destination_rate_delay',
  '_transport_rate_delay',
];

/** Splits `relay_destination_concurrency_limit` into service `relay` and its suffix. Longest suffix wins. */
export function splitServiceName(name: string): { service: string; suffix: string } | undefined {
  let best: string | undefined;
  for (const s of SERVICE_SUFFIXES) {
    if (name.length > s.length && name.endsWith(s) && (!best || s.length > best.length)) best = s;
  }
  return best ? { service: name.slice(0, name.length - best.length), suffix: best } : undefined;
}

export type NameClass = 'builtin' | 'per-service' | 'per-transport' | 'user-defined' | 'unknown';

export interface ClassifyContext {
  /** master.cf service names (column 1), or undefined when no master.cf is known. */
  masterServices: string[] | undefined;
  /** User-defined names that count as used (see collectUsedNames). */
  userDefinedUsed: Set<string>;
}

/**
 * How postconf would see `name` when it is set in main.cf or a master.cf `-o`:
 * - `builtin`: in postconf's tables (incl. legacy and read-only names);
 * - `per-service`: `<service><suffix>` for a service in master.cf (e.g. `relay_destination_concurrency_limit`);
 * - `per-transport`: has that shape but master.cf is unknown, so it is accepted leniently;
 * - `user-defined`: in `ctx.userDefinedUsed` (referenced as `$name`, a restriction class, a DBMS prefix name);
 * - `unknown`: postconf would say "unused parameter" (or "has been removed" for removed names).
 */
export function classifyName(name: string, ctx: ClassifyContext): NameClass {
  if (isBuiltinName(name)) return 'builtin';
  const split = splitServiceName(name);
  if (split) {
    if (ctx.masterServices === undefined) return 'per-transport';
    if (ctx.masterServices.includes(split.service)) return 'per-service';
  }
  if (ctx.userDefinedUsed.has(name)) return 'user-defined';
  return 'unknown';
}

/** Client configuration suffixes per table type (postconf/extract_cfg.sh output, 3.12). */
const DBMS_SUFFIXES: Record<string, readonly string[]> = {
  ldap: 'bind bind_dn bind_pw cache cache_expiry cache_size chase_referrals debuglevel dereference domain expansion_limit leaf_result_attribute query_filter recursion_limit result_attribute result_filter result_format sasl_authz_id sasl_mechs sasl_minssf sasl_realm scope search_base server_host server_port size_limit special_result_attribute start_tls terminal_result_attribute timeout tls_ca_cert_dir tls_ca_cert_file tls_cert tls_cipher_suite tls_key tls_random_file tls_require_cert version'.split(' '),
  mysql: 'additional_conditions charset dbname domain expansion_limit hosts idle_interval option_file option_group password query require_result_set result_format retry_interval select_field table tls_CAfile tls_CApath tls_cert_file tls_ciphers tls_key_file tls_verify_cert user where_field'.split(' '),
  pgsql: 'additional_conditions dbname domain encoding expansion_limit hosts idle_interval password query result_format retry_interval select_field select_function table user where_field'.split(' '),
  sqlite: 'additional_conditions dbpath domain expansion_limit query result_format select_field table where_field'.split(' '),
  memcache: 'backup data_size_limit domain flags key_digest key_format line_size_limit max_try memcache retry_pause timeout ttl'.split(' '),
  mongodb: 'collection dbname domain expansion_limit projection query_filter result_attribute result_format uri'.split(' '),
};

const READ_ONLY = new Set(['process_name', 'process_id', 'service_name']);

/**
 * The user-defined names that postconf counts as used, given main.cf and master.cf
 * (dynamic-params.md §2-4): names referenced as `$name` in any scanned value (raw parameters
 * are already skipped by the parser), words of `smtpd_restriction_classes`, and
 * `<table>_<suffix>` names for `ldap:table`-style references. Scopes are merged (a name used
 * anywhere counts), which is slightly more lenient than postconf for master.cf-local names.
 */
export function collectUsedNames(main: MainCf | undefined, master: MasterCf | undefined): Set<string> {
  const used = new Set<string>();
  const dbms: { prefix: string; suffixes: readonly string[] }[] = [];
  const scan = (name: string, value: string, refs: { name: string }[]): void => {
    if (READ_ONLY.has(name)) return;
    for (const r of refs) used.add(r.name);
    if (name === 'smtpd_restriction_classes') {
      for (const w of value.split(/[\s,]+/)) if (w) used.add(w);
    }
    if (value.indexOf(':') >= 0) {
      const re = /(?:^|[\s,{])(?:(?:proxy|debug):)*(ldap|mysql|pgsql|sqlite|memcache|mongodb):([^\s,{}/.][^\s,{}]*)/g;
      let m: RegExpExecArray | null;
      while ((m = re.exec(value))) dbms.push({ prefix: m[2] + '_', suffixes: DBMS_SUFFIXES[m[1]] });
    }
  };
  for (const a of main?.entries ?? []) scan(a.name, a.value, a.refs);
  for (const s of master?.services ?? []) for (const o of s.overrides) scan(o.name, o.value, o.refs);
  if (dbms.length > 0) {
    const names = [
      ...(main?.entries ?? []).map((a) => a.name),
      ...(master?.services ?? []).flatMap((s) => s.overrides.map((o) => o.name)),
    ];
    for (const n of names) {
      for (const d of dbms) {
        if (n.startsWith(d.prefix) && d.suffixes.includes(n.slice(d.prefix.length))) used.add(n);
      }
    }
  }
  return used;
}
