import fs from 'node:fs';
import { checkRulebook } from './services/rulebooks/checks';
import { diffRulebooks } from './services/rulebooks/diff';
const d = 'test/rulebooks/fixtures/qingshan/';
const r = ['2025', '2026'].map((v) => checkRulebook({ fileText: fs.readFileSync(d + v + '.yaml', 'utf8'), regulationText: fs.readFileSync(d + `qingshan-${v}.txt`, 'utf8'), regulationFile: `qingshan-${v}.txt` }));
for (const x of r) console.log(JSON.stringify(x.problems));
console.log(JSON.stringify(diffRulebooks(r[0]!.rulebook!, r[1]!.rulebook!), null, 1).slice(0, 3000));
