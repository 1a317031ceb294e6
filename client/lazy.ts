/**
 * The command implementations (client/commands/impl.ts) are a bundle of their own,
 * dist/commands.js next to dist/client.js (see scripts/build.mjs), required on first use: they
 * pull in the parameter data, the config parser and the report engine, which activation does
 * not need.
 */
import type * as Impl from './commands/impl';

let implModule: typeof Impl | undefined;

/** The command implementations, loaded on the first call. */
export function commandsImpl(): typeof Impl {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (implModule ??= require('./commands.js') as typeof Impl);
}
