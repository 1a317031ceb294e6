#!/usr/bin/env node
'use strict';
require('../dist/cli.js').main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(`postfix-tls: internal error: ${err && err.stack ? err.stack : err}`); process.exitCode = 2; },
);
