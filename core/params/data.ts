/**
 * The generated parameter tables, in one module. The language server and the client's
 * commands bundle both need them (~200 KB); the VSIX ships them once as dist/params-data.js,
 * which those two bundles require at run time (scripts/build.mjs `sharedParamsData`) instead of
 * each holding a copy. Other bundles and the tests include the tables as usual.
 */
export * from './generated/params';
export * from './generated/tls';
export * from './generated/deprecations';
