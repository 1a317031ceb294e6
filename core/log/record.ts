/**
 * What the one log classifier (core/log/classify.ts) returns for a line.
 * Decorations, hovers, the CLI `log` command and reports all read this shape.
 */

/** TLS summary, Received: header TLS comment, a handshake/certificate failure, or anything else. */
export type LogKind = 'tls-summary' | 'received-header' | 'failure' | 'other';

/** Peer verification status word as Postfix logs it. */
export type StatusWord = 'Anonymous' | 'Untrusted' | 'Trusted' | 'Verified';

/** `yes`: ephemeral key exchange; `no`: static key exchange; `unknown`: not enough logged to tell. */
export type ForwardSecrecy = 'yes' | 'no' | 'unknown';

/** Failure categories, stable strings used by the CLI and reports. */
export type FailureKind =
  | 'handshake'              // SSL_accept / SSL_connect error, handshake failure
  | 'tls-library'            // "TLS library problem"
  | 'cert-verification'      // certificate verification failed
  | 'server-cert-untrusted'  // server certificate not trusted / not verified
  | 'lost-after-starttls'    // lost connection after STARTTLS
  | 'tls-not-offered'        // TLS is required, but was not offered by host
  | 'no-shared-cipher'       // no shared cipher
  | 'protocol'               // unsupported protocol / wrong version number / inappropriate fallback
  | 'other';

/**
 * A finer cause inside a failure kind (optional, for texts): e.g. `config` (local certificate or
 * CA file missing, TLS engine unavailable), `dane` (TLSA problems), `peer-alert` (the peer sent
 * a TLS alert), `eof` (the peer hung up mid-handshake), `timeout`, `rate-limit`, `tlsrpt`.
 */
export type FailureCause =
  | 'config'
  | 'dane'
  | 'peer-alert'
  | 'eof'
  | 'timeout'
  | 'rate-limit'
  | 'tlsrpt'
  | 'refused'
  | 'client-cert';

/** A peer as logged: `name[address]:port`. */
export interface Peer {
  name: string;
  address?: string;
  port?: number;
}

/** Key exchange as logged (`key-exchange X25519`, `ECDHE (P-256)`, `DHE (2048 bits)`), or inferred from the cipher. */
export interface KeyExchange {
  /** As written (`X25519`, `ECDHE`, `DHE`, `X25519MLKEM768`), or inferred (`ECDHE`, `DHE`, `RSA`). */
  name: string;
  /** Curve in parentheses (e.g. `P-256`, `prime256v1`). */
  curve?: string;
  /** Bits in parentheses for finite-field DHE. */
  bits?: number;
  /** True when the name was taken from the log; false when inferred from the cipher name. */
  logged: boolean;
}

/** A signature attribute (`server-signature RSA-PSS (2048 bits) server-digest SHA256`). */
export interface Signature {
  name: string;
  detail?: string;
  digest?: string;
}

/** What a Received: header says about the client certificate (server side). */
export interface ClientCertificate {
  /**
   * `not-requested`: "(No client certificate requested)"; `not-presented`: "(Client did not
   * present a certificate)"; `verified` / `not-verified`: "(Client CN ..., Issuer ... (verified OK
   * | not verified))"; `rpk`: "(Client RPK ...)".
   */
  state: 'not-requested' | 'not-presented' | 'verified' | 'not-verified' | 'rpk';
  cn?: string;
  issuer?: string;
}

/** The `tls=` field of a delivery status line (Postfix 3.11+), e.g. `tls=dane/!requiretls:nocertmatch`. */
export interface TlsFeature {
  /** The field as written. */
  raw: string;
  /** The security level it started with (`may`, `dane`, `encrypt`, ...). */
  level: string;
  /** The level it was downgraded to (`may:none` -> `none`), when logged. */
  final?: string;
  /** A `?` marked a feature as undecided. */
  undecided: boolean;
  /** A `!` marked a policy as violated (the connection was not used). */
  violated: boolean;
}

/** One classified log record. Offsets are UTF-16 offsets into the (first) line. */
export interface LogRecord {
  kind: LogKind;
  /** For `tls-summary`: `established` or `reused`. */
  event?: 'established' | 'reused';
  /** `client` for outbound (`to`; smtp, lmtp, posttls-finger), `server` for inbound (`from`; smtpd, tlsproxy). */
  role?: 'client' | 'server';
  status?: StatusWord;
  peer?: Peer;
  /** Server-side SNI name (` to <sni>`). */
  sni?: string;
  /** Program tag, e.g. `postfix/smtpd`, `postfix-out/smtp`, `postfix/submission/smtpd`. */
  daemon?: string;
  pid?: number;
  /** Timestamp exactly as written in the prefix. */
  timestamp?: string;
  /** Hostname in the syslog prefix (for a Received: header: the receiving host after `by`). */
  host?: string;
  /** Queue id, when the message starts with one (for a Received: header: the `id` it names). */
  queueId?: string;
  protocol?: string;
  cipher?: string;
  /** `(used/alg bits)`. */
  bits?: { used: number; alg: number };
  keyExchange?: KeyExchange;
  serverSignature?: Signature;
  clientSignature?: Signature;
  forwardSecrecy: ForwardSecrecy;
  /** Short machine-friendly reason, e.g. `tls13`, `cipher-prefix:ECDHE`, `key-exchange:X25519`, `static-rsa`. */
  fsReason?: string;
  /** True when a post-quantum (ML-KEM) or hybrid group was used. */
  postQuantum: boolean;
  failure?: { kind: FailureKind; text: string; cause?: FailureCause };
  /** Offset where the Postfix message (after the prefix) starts. */
  messageOffset: number;
  /** Number of physical lines the record spans (folded Received: headers). */
  lineSpan: number;
  /** Severity from the prefix column or the message (`warning: ...`), lower-cased. */
  severity?: string;
  /** Received: header: the HELO name after `from`. */
  helo?: string;
  /** Received: header: the client-certificate comment. */
  clientCertificate?: ClientCertificate;
  /** Delivery status line: the `tls=` feature field (kind stays `other`; forward secrecy `unknown`). */
  tlsFeature?: TlsFeature;
}
