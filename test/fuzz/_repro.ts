import fc from 'fast-check';
import { TARGETS } from './targets';
import { loadCorpus } from './corpus';
const t = TARGETS.find((x) => x.name === 'parse-master')!;
const r = fc.check(fc.property(t.arbitrary(loadCorpus()), (i) => { try { t.run(i.value); } catch (e) { if (/empty name/.test(String(e))) throw e; } }), { seed: 1034145354, numRuns: 140000 });
const v = (r.counterexample![0] as any).value as string;
console.log(JSON.stringify(v.split('\n').filter(l => /-o/.test(l) && !l.startsWith('#')).slice(-6)));
require('fs').writeFileSync('/tmp/cx.txt', v);
