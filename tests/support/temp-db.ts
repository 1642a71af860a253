import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A fresh sqlite file URL in a temporary folder of its own. */
export function tempDatabaseUrl(label = 'imi'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${label}-`));
  return `sqlite:${path.join(dir, 'imi.db')}`;
}
