/**
 * OpenSSL key-exchange group names as tls_eecdh_auto_curves / tls_ffdhe_auto_groups accept them
 * (SSL_CTX_set1_groups_list), with aliases, the OpenSSL release that added each and which are
 * too weak. Names are matched without regard to case, as OpenSSL does.
 */

/** One group OpenSSL knows. */
export interface GroupInfo {
  /** The spelling OpenSSL documents. */
  name: string;
  kind: 'ec' | 'ffdhe' | 'hybrid' | 'kem';
  /** First OpenSSL release that accepts the name in a group list. */
  since: string;
  /** Why the group is too weak, when it is. */
  weak?: string;
}

const G = (name: string, kind: GroupInfo['kind'], since: string, weak?: string): GroupInfo => (weak ? { name, kind, since, weak } : { name, kind, since });

const WEAK_EC = (bits: number) => `about ${bits}-bit security, below the 128 bits expected today`;

const LIST: [string[], GroupInfo][] = [
  [['x25519'], G('X25519', 'ec', '1.1.0')],
  [['x448'], G('X448', 'ec', '1.1.1')],
  [['prime256v1', 'secp256r1', 'p-256'], G('prime256v1', 'ec', '1.0.2')],
  [['secp384r1', 'p-384'], G('secp384r1', 'ec', '1.0.2')],
  [['secp521r1', 'p-521'], G('secp521r1', 'ec', '1.0.2')],
  [['secp256k1'], G('secp256k1', 'ec', '1.0.2')],
  [['brainpoolp256r1'], G('brainpoolP256r1', 'ec', '1.0.2')],
  [['brainpoolp384r1'], G('brainpoolP384r1', 'ec', '1.0.2')],
  [['brainpoolp512r1'], G('brainpoolP512r1', 'ec', '1.0.2')],
  [['brainpoolp256r1tls13'], G('brainpoolP256r1tls13', 'ec', '3.2')],
  [['brainpoolp384r1tls13'], G('brainpoolP384r1tls13', 'ec', '3.2')],
  [['brainpoolp512r1tls13'], G('brainpoolP512r1tls13', 'ec', '3.2')],
  [['sect283k1'], G('sect283k1', 'ec', '1.0.2')],
  [['sect283r1'], G('sect283r1', 'ec', '1.0.2')],
  [['sect409k1'], G('sect409k1', 'ec', '1.0.2')],
  [['sect409r1'], G('sect409r1', 'ec', '1.0.2')],
  [['sect571k1'], G('sect571k1', 'ec', '1.0.2')],
  [['sect571r1'], G('sect571r1', 'ec', '1.0.2')],
  [['secp160k1'], G('secp160k1', 'ec', '1.0.2', WEAK_EC(80))],
  [['secp160r1'], G('secp160r1', 'ec', '1.0.2', WEAK_EC(80))],
  [['secp160r2'], G('secp160r2', 'ec', '1.0.2', WEAK_EC(80))],
  [['secp192k1'], G('secp192k1', 'ec', '1.0.2', WEAK_EC(96))],
  [['secp192r1', 'prime192v1', 'p-192'], G('secp192r1', 'ec', '1.0.2', WEAK_EC(96))],
  [['secp224k1'], G('secp224k1', 'ec', '1.0.2', WEAK_EC(112))],
  [['secp224r1', 'p-224'], G('secp224r1', 'ec', '1.0.2', WEAK_EC(112))],
  [['sect163k1'], G('sect163k1', 'ec', '1.0.2', WEAK_EC(80))],
  [['sect163r1'], G('sect163r1', 'ec', '1.0.2', WEAK_EC(80))],
  [['sect163r2'], G('sect163r2', 'ec', '1.0.2', WEAK_EC(80))],
  [['sect193r1'], G('sect193r1', 'ec', '1.0.2', WEAK_EC(96))],
  [['sect193r2'], G('sect193r2', 'ec', '1.0.2', WEAK_EC(96))],
  [['sect233k1'], G('sect233k1', 'ec', '1.0.2', WEAK_EC(112))],
  [['sect233r1'], G('sect233r1', 'ec', '1.0.2', WEAK_EC(112))],
  [['sect239k1'], G('sect239k1', 'ec', '1.0.2', WEAK_EC(112))],
  [['ffdhe2048'], G('ffdhe2048', 'ffdhe', '3.0')],
  [['ffdhe3072'], G('ffdhe3072', 'ffdhe', '3.0')],
  [['ffdhe4096'], G('ffdhe4096', 'ffdhe', '3.0')],
  [['ffdhe6144'], G('ffdhe6144', 'ffdhe', '3.0')],
  [['ffdhe8192'], G('ffdhe8192', 'ffdhe', '3.0')],
  [['x25519mlkem768'], G('X25519MLKEM768', 'hybrid', '3.5')],
  [['secp256r1mlkem768'], G('SecP256r1MLKEM768', 'hybrid', '3.5')],
  [['secp384r1mlkem1024'], G('SecP384r1MLKEM1024', 'hybrid', '3.5')],
  [['x448mlkem1024'], G('X448MLKEM1024', 'hybrid', '3.5')],
  [['mlkem512'], G('MLKEM512', 'kem', '3.5')],
  [['mlkem768'], G('MLKEM768', 'kem', '3.5')],
  [['mlkem1024'], G('MLKEM1024', 'kem', '3.5')],
];

const BY_NAME: ReadonlyMap<string, GroupInfo> = new Map(LIST.flatMap(([aliases, info]) => aliases.map((a) => [a, info] as [string, GroupInfo])));

/** The group a name (any case, any alias) stands for. */
export function lookupGroup(name: string): GroupInfo | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** A weakness for names OpenSSL does not have but that plainly say "small" (ffdhe1024, a 192-bit prime curve ...). */
export function impliedWeakness(name: string): string | undefined {
  const m = /^ffdhe(\d+)$/i.exec(name);
  if (m && Number(m[1]) < 2048) return `a ${m[1]}-bit prime, below the 2048 bits clients expect`;
  return undefined;
}

/** The `DEFAULT` keyword of OpenSSL 3.5 group lists (the library's own list). */
export const DEFAULT_KEYWORD_SINCE = '3.5';

/** A few valid names for messages. */
export const GROUP_EXAMPLES = 'e.g. X25519, X448, prime256v1, secp384r1, ffdhe2048, X25519MLKEM768';
