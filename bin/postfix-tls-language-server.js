#!/usr/bin/env node
'use strict';
// The same server the extension runs; pass --stdio (or --node-ipc / --socket=N).
require('../dist/server.js');
