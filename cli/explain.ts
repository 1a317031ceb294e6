import { CliCommand, UsageError } from './io';

/** Placeholder until the `explain` command lands. */
export const explainCommand: CliCommand = async () => {
  throw new UsageError('not implemented yet');
};
