/** Command ids (forward-secrecy commands, report), light enough to import at activation. */
export const GENERATE_DH_COMMAND = 'postfixTls.generateDhParams';
export const EFFECTIVE_COMMAND = 'postfixTls.showEffectiveSettings';
export const EXPLAIN_COMMAND = 'postfixTls.explainCipher';
export const RECOMMENDED_COMMAND = 'postfixTls.insertRecommendedSettings';
export const REPORT_COMMAND = 'postfixTls.reportOnLogs';
/** Internal: saves the report of a panel (used by the panel's Save link and the notification). */
export const SAVE_REPORT_COMMAND = 'postfixTls.saveReport';
