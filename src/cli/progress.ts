/**
 * A progress bar on stderr for long imports: only when stderr is a terminal (never in a pipe,
 * a log file or a test) and only for files large enough to take a moment.
 */
export interface Progress {
  update(label: string, done: number, total: number): void;
  done(): void;
}

const WIDTH = 30;

export function progressBar(stream: NodeJS.WriteStream, rows: number, minRows = 1000): Progress {
  if (!stream.isTTY || rows < minRows) return { update: () => {}, done: () => {} };
  const nf = new Intl.NumberFormat('en');
  let last = '';
  return {
    update(label, done, total) {
      const share = total === 0 ? 1 : Math.min(1, done / total);
      const filled = Math.round(share * WIDTH);
      const line = `${label.padEnd(9)} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${String(Math.round(share * 100)).padStart(3)}%  ${nf.format(done)}/${nf.format(total)}`;
      if (line === last) return;
      last = line;
      stream.write(`\r${line}`);
    },
    done() {
      if (last) stream.write('\r\x1b[K');
    },
  };
}
