import fs from 'node:fs';
import path from 'node:path';

/**
 * After the whole run: scan every log line the app wrote for personal data of the seeded
 * people (staff, donors, children). Any hit fails the run.
 */
export default async function setup() {
  const dir = path.resolve('.tmp/logs');
  fs.rmSync(dir, { recursive: true, force: true });
  return async () => {
    const { personalDataOfSeededPeople } = await import('./personal-data');
    const needles = (await personalDataOfSeededPeople()).filter((n) => n.length >= 6);
    const files = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
    const hits: string[] = [];
    let lines = 0;
    for (const f of files) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      lines += text.split('\n').length - 1;
      const lower = text.toLowerCase();
      for (const n of needles) if (lower.includes(n.toLowerCase())) hits.push(`${f}: "${n}"`);
    }
    fs.mkdirSync(path.resolve('.tmp'), { recursive: true });
    fs.writeFileSync(path.resolve('.tmp/log-scan.json'), JSON.stringify({ files: files.length, lines, needles: needles.length, hits }, null, 2));
    console.log(`Log scan: ${lines} log lines from ${files.length} test files checked against ${needles.length} personal data values of seeded people: ${hits.length} found.`);
    if (hits.length) throw new Error(`Personal data found in logs:\n${hits.slice(0, 20).join('\n')}`);
  };
}
