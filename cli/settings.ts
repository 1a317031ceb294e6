import { CliCommand, UsageError } from './io';

/** Placeholder until the `settings` command lands. */
export const settingsCommand: CliCommand = async () => {
  throw new UsageError('not implemented yet');
};
