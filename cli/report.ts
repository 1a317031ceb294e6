import { CliCommand, UsageError } from './io';

/** Placeholder until the `report` command lands. */
export const reportCommand: CliCommand = async () => {
  throw new UsageError('not implemented yet');
};
