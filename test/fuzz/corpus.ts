/**
 * Seed material for the fuzz targets: real main.cf / master.cf files and mail logs from the
 * shared reference corpus (found through test/helpers/reference.ts), loaded once.
 * When the corpus is missing the targets still run on generated input only (the caller is told).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { corpusFiles } from '../helpers/reference';

export interface Corpus {
  /** Whole main.cf files. */
  mainFiles: string[];
  /** Whole master.cf files. */
  masterFiles: string[];
  /** Whole log files (mail logs, Received: headers). */
  logFiles: string[];
  /** Non-empty physical lines of the log files. */
  logLines: string[];
  /** Non-empty physical lines of the configuration files. */
  configLines: string[];
  /** True when the reference corpus was found. */
  found: boolean;
}

let cached: Corpus | undefined;

function readAll(files: string[]): string[] {
  const out: string[] = [];
  for (const f of files) {
    try {
      out.push(readFileSync(f, 'utf8'));
    } catch {
      /* unreadable corpus file: skip it */
    }
  }
  return out;
}

export function loadCorpus(): Corpus {
  if (cached) return cached;
  let cfg: string[] = [];
  let logs: string[] = [];
  let found = true;
  try {
    cfg = corpusFiles('maincf');
    logs = corpusFiles('logs');
  } catch {
    found = false;
  }
  const isMaster = (f: string): boolean => /master\.cf/i.test(path.basename(f));
  const mainFiles = readAll(cfg.filter((f) => !isMaster(f)));
  const masterFiles = readAll(cfg.filter(isMaster));
  const logFiles = readAll(logs);
  const lines = (texts: string[]): string[] => {
    const out: string[] = [];
    for (const t of texts) for (const l of t.split(/\r?\n/)) if (l.trim().length > 0) out.push(l);
    return out;
  };
  cached = {
    mainFiles: mainFiles.length ? mainFiles : ['smtpd_tls_security_level = may\n'],
    masterFiles: masterFiles.length ? masterFiles : ['smtp inet n - y - - smtpd\n  -o smtpd_tls_security_level=encrypt\n'],
    logFiles: logFiles.length ? logFiles : ['Nov 28 12:00:00 mx postfix/smtpd[1]: Anonymous TLS connection established from a[192.0.2.1]: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)\n'],
    logLines: [],
    configLines: [],
    found,
  };
  cached.logLines = lines(cached.logFiles);
  cached.configLines = lines([...cached.mainFiles, ...cached.masterFiles]);
  return cached;
}
