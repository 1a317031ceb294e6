import { CliCommand, UsageError } from './io';

/** Placeholder until the `lint` command lands. */
export const lintCommand: CliCommand = async () => {
  throw new UsageError('not implemented yet');
};
