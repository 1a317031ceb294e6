/** Command ids of the forward-secrecy commands, light enough to import at activation. */
export const GENERATE_DH_COMMAND = 'postfixTls.generateDhParams';
export const EFFECTIVE_COMMAND = 'postfixTls.showEffectiveSettings';
export const EXPLAIN_COMMAND = 'postfixTls.explainCipher';
export const RECOMMENDED_COMMAND = 'postfixTls.insertRecommendedSettings';
