import { describe, expect, it } from 'vitest';
import { RunStore } from '../../../../src-main/store/run-store';
import { importService as service, refusal, tempFiles } from '../../../fixtures/import-fixture';

const { file } = tempFiles('der-import-bulk-');

const bucketRows = (store: RunStore, runId: string): unknown[] =>
  store.db
    .prepare(
      `SELECT level, bucket, count, min_value, min_step, max_value, max_step FROM metric_buckets
       WHERE series_id = (SELECT id FROM series WHERE run_id = ?) ORDER BY level, bucket`,
    )
    .all(runId);

describe('bulk import paths', () => {
  it('a long CSV over many parser chunks: blank rows skipped, quoted cells read, the bad line named exactly', async () => {
    const rows = 120_000;
    const lines = ['run,key,step,value'];
    for (let i = 0; i < rows; i++) lines.push(i === 5 ? '   ' : i === 6 ? ' , , , ' : `"big, one",loss,${i},${i % 97 === 0 ? 'nan' : (i % 13) / 7}`);
    const { svc, store } = service();
    const ok = await svc.importPaths([{ path: file('big.csv', lines.join('\n') + '\n'), origin: 'big.csv' }]);
    const run = store.runs.get(ok.imported[0])!;
    expect(run.name).toBe('big, one');
    const info = store.metrics.listSeries(run.id)[0];
    expect(info.count).toBe(rows - 2);
    expect(store.metrics.query(run.id, 'loss', { fromStep: 95, toStep: 98 }).points).toEqual([
      { step: 95, value: (95 % 13) / 7 },
      { step: 96, value: (96 % 13) / 7 },
      { step: 97, value: null },
      { step: 98, value: (98 % 13) / 7 },
    ]);

    // A bad value far past the first chunk: the message names its line in the file (header = line 1).
    const bad = [...lines];
    bad[100_001] = `"big, one",loss,100000,oops`;
    const { svc: svc2, store: store2 } = service();
    const e = await refusal(svc2.importPaths([{ path: file('bad.csv', bad.join('\n') + '\n'), origin: 'bad.csv' }]));
    expect(e.message).toMatch(/bad\.csv: line 100002: "oops" is not a number/);
    expect(store2.db.prepare('SELECT count(*) AS n FROM metrics').get()).toEqual({ n: 0 });
  });

  it('JSONL with CRLF line ends and a bad record far into the file names its line', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 50_000; i++) lines.push(JSON.stringify({ run: 'r', key: 'acc', step: i, value: i / 50_000 }));
    const { svc, store } = service();
    const ok = await svc.importPaths([{ path: file('a.jsonl', lines.join('\r\n') + '\r\n'), origin: 'a.jsonl' }]);
    expect(store.metrics.listSeries(ok.imported[0])[0]).toMatchObject({ key: 'acc', count: 50_000, minStep: 0, maxStep: 49_999 });
    lines[40_000] = '{"run": "r", "key": "acc", "step": 1.5, "value": 1}';
    const e = await refusal(service().svc.importPaths([{ path: file('b.jsonl', lines.join('\n')), origin: 'b.jsonl' }]));
    expect(e.message).toMatch(/b\.jsonl: line 40001: step 1\.5 is not an integer/);
  });

  it('JSONL read a chunk at a time still refuses a record split over lines or two records on one line', async () => {
    const good = (i: number): string => JSON.stringify({ run: 'r', key: 'k', step: i, value: i });
    const split = [good(0), '{"run": "r", "key": "k", "step": 1,', '"value": 1}', good(2)].join('\n');
    const e1 = await refusal(service().svc.importPaths([{ path: file('split.jsonl', split), origin: 'split.jsonl' }]));
    expect(e1.message).toMatch(/split\.jsonl: line 2: not JSON/);
    // Joined, these two lines would read as one object and a second record; line by line they are refused.
    const two = [good(0), '{"run": "r", "key": "k", "step": 1', '"value": 1}', `${good(3)},${good(4)}`].join('\n');
    const e2 = await refusal(service().svc.importPaths([{ path: file('two.jsonl', two), origin: 'two.jsonl' }]));
    expect(e2.message).toMatch(/two\.jsonl: line 2: not JSON/);
    const arr = [good(0), '[1', '2]', good(3)].join('\n');
    const e3 = await refusal(service().svc.importPaths([{ path: file('arr.jsonl', arr), origin: 'arr.jsonl' }]));
    expect(e3.message).toMatch(/arr\.jsonl: line 2: not JSON/);
  });

  it('a series appended in bulk keeps the same rows and pyramid as one appended row by row', () => {
    const store = RunStore.open(':memory:');
    store.runs.create({ id: 'bulk', kind: 'selftest', name: 'b', config: {}, seed: 1 });
    store.runs.create({ id: 'rows', kind: 'selftest', name: 'r', config: {}, seed: 1 });
    const count = 5_000;
    // Out of order, with a repeated step (the last value wins) and missing values.
    const steps = Array.from({ length: count }, (_, i) => (i * 7919) % 4_000);
    const values = steps.map((s, i) => (i % 101 === 0 ? null : Math.cos(s / 30) + (i % 3)));
    const walls = steps.map((s) => 1_800_000_000_000 + s);
    store.transaction(() => store.metrics.appendSeries('bulk', 'x', steps, values, walls));
    const last = new Map<number, number | null>();
    steps.forEach((s, i) => last.set(s, values[i]));
    const ordered = [...last.keys()].sort((a, b) => a - b);
    store.transaction(() =>
      store.metrics.appendSeries('rows', 'x', [ordered[0]], [last.get(ordered[0])!], [1_800_000_000_000 + ordered[0]]),
    );
    // The rest goes through the path for a series that already has rows.
    const rest = ordered.slice(1);
    store.transaction(() => store.metrics.appendSeries('rows', 'x', rest, rest.map((s) => last.get(s)!), rest.map((s) => 1_800_000_000_000 + s)));
    const rowsOf = (id: string): unknown[] =>
      store.db.prepare('SELECT step, value, wall_time FROM metrics WHERE series_id = (SELECT id FROM series WHERE run_id = ?) ORDER BY step').all(id);
    expect(rowsOf('bulk')).toHaveLength(4_000);
    expect(rowsOf('bulk')).toEqual(rowsOf('rows'));
    expect(bucketRows(store, 'bulk')).toEqual(bucketRows(store, 'rows'));
    const info = (id: string): unknown => store.metrics.listSeries(id)[0];
    expect(info('bulk')).toEqual(info('rows'));
    store.close();
  });
});
