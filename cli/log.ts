import { CliCommand, UsageError } from './io';

/** Placeholder until the `log` command lands. */
export const logCommand: CliCommand = async () => {
  throw new UsageError('not implemented yet');
};
