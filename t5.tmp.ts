import fs from 'node:fs';
import { RULEBOOK_FILES } from './domain/rulebooks';
import { checkRulebook } from './services/rulebooks/checks';
for (const f of RULEBOOK_FILES) {
  const text = fs.readFileSync(f.path, 'utf8');
  const src = (f.data as any).source;
  const r = checkRulebook({ fileText: text, regulationText: fs.readFileSync(`../shared/regulations/${src}`, 'utf8'), regulationFile: src });
  console.log(f.path, r.problems.length, JSON.stringify(r.problems.slice(0, 4)));
}
const bad = fs.readFileSync('rulebooks/binhai/2021-10.json', 'utf8').replace('七个工作日内向问责部门提交', '十个工作日内向问责部门提交').replace('"kind": "filing"', '"kind": "filling"');
console.log(JSON.stringify(checkRulebook({ fileText: bad, regulationText: fs.readFileSync('../shared/regulations/binhai-2021.txt', 'utf8'), regulationFile: 'binhai-2021.txt' }).problems, null, 1));
const bad2 = fs.readFileSync('rulebooks/binhai/2021-10.json', 'utf8').replace('七个工作日内向问责部门提交', '十个工作日内向问责部门提交').replace('"countsFrom": "caseEvent",', '"countsFrom": "caseEvent", "deadlnie": 3,');
console.log(JSON.stringify(checkRulebook({ fileText: bad2, regulationText: fs.readFileSync('../shared/regulations/binhai-2021.txt', 'utf8'), regulationFile: 'binhai-2021.txt' }).problems, null, 1));
