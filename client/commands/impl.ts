/**
 * The command implementations as their own bundle (dist/commands.js), required on first use:
 * they pull in the parameter data, the config parser and the report engine, which activation
 * does not need.
 */
export { generateDhParams } from './dhparams';
export { insertRecommendedSettings } from './recommended';
export { showEffectiveSettings } from './effective';
export { explainCipherCommand } from './explainCipher';
export { createReportCommands } from '../report';
