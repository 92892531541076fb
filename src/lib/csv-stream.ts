import { csvLine } from '../donors/csv';

/**
 * A CSV download (UTF-8 BOM, CRLF) read from the database one keyset page at a time: the stream
 * asks for the next page only when the client has taken the previous one, so memory stays flat at
 * any size. `page(after)` returns the rows after the given last row (null: from the start), at most
 * `pageRows`; fewer ends the file. `done` settles when the stream ends or the client goes away:
 * the request must keep its database until then.
 */
export function keysetCsvStream<R>(opts: { header: readonly string[]; pageRows: number; page: (after: R | null) => Promise<R[]>; cells: (row: R) => unknown[] }) {
  const encoder = new TextEncoder();
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  let after: R | null = null;
  let started = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          if (!started) {
            started = true;
            controller.enqueue(encoder.encode('\ufeff' + csvLine(opts.header) + '\r\n'));
          }
          const rows = await opts.page(after);
          if (rows.length > 0) {
            controller.enqueue(encoder.encode(rows.map((r) => csvLine(opts.cells(r))).join('\r\n') + '\r\n'));
            after = rows[rows.length - 1]!;
          }
          if (rows.length < opts.pageRows) {
            controller.close();
            finish();
          }
        } catch (err) {
          controller.error(err);
          finish();
        }
      },
      cancel() {
        finish();
      },
    },
    { highWaterMark: 1 },
  );
  return { stream, done };
}
