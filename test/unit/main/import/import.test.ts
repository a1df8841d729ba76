import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crc32c } from '../../../../src-main/import/crc32c';
import { RunStore } from '../../../../src-main/store/run-store';
import { importService as service, refusal, tempFiles } from '../../../fixtures/import-fixture';
import { encodeEvent, encodeFileVersion, frameRecords, writeEventFile } from '../../../fixtures/tfevents-writer';

const { dir, file } = tempFiles('der-import-');
let dbs = 0;

const dump = (store: RunStore): string =>
  JSON.stringify([store.db.prepare('SELECT * FROM runs ORDER BY id').all(), store.db.prepare('SELECT count(*) AS n FROM metrics').get(), store.db.prepare('SELECT * FROM series ORDER BY id').all()]);

describe('CRC-32C', () => {
  it('matches the standard check value', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });
});

describe('CSV and JSONL logs', () => {
  it('imports a long CSV as one run per run name, with the metrics in the store', async () => {
    const { svc, store } = service();
    const p = file('long.csv', 'run,key,step,value\na,loss,0,1.5\na,loss,1,0.75\nb,loss,0,2\na,acc,1,0.5\nb,loss,1,nan\n');
    const r = await svc.importPaths([{ path: p, origin: 'long.csv' }]);
    expect(r.imported).toHaveLength(2);
    const runs = r.imported.map((id) => store.runs.get(id)!);
    expect(runs.map((x) => x.name)).toEqual(['a', 'b']);
    expect(runs.every((x) => x.source === 'imported' && x.kind === 'imported' && x.status === 'done')).toBe(true);
    expect(store.metrics.query(runs[0].id, 'loss').points).toEqual([{ step: 0, value: 1.5 }, { step: 1, value: 0.75 }]);
    expect(store.metrics.query(runs[1].id, 'loss').points).toEqual([{ step: 0, value: 2 }, { step: 1, value: null }]);
    expect(runs[0].summary).toEqual({ loss: 0.75, acc: 0.5 });
    expect(store.runs.page({ filter: 'kind = imported and summary.loss < 1' }).runs.map((x) => x.name)).toEqual(['a']);
  });

  it('imports a wide CSV (one column per metric) and a TensorBoard CSV download', async () => {
    const { svc, store } = service();
    const wide = file('train.csv', 'step,loss,acc\n0,1,0.1\n10,0.5,\n20,0.25,0.3\n');
    const tb = file('run_loss.csv', 'Wall time,Step,Value\n1700000000.5,0,3\n1700000001.5,5,2\n');
    const r = await svc.importPaths([
      { path: wide, origin: 'train.csv' },
      { path: tb, origin: 'run_loss.csv' },
    ]);
    const [a, b] = r.imported;
    expect(store.metrics.listSeries(a).map((s) => [s.key, s.count])).toEqual([['acc', 2], ['loss', 3]]);
    expect(store.metrics.query(b, 'run_loss').points).toEqual([{ step: 0, value: 3 }, { step: 5, value: 2 }]);
    expect(store.metrics.allRows(b, 'run_loss')[0][2]).toBe(1_700_000_000_500);
  });

  it('imports JSONL, long and wide', async () => {
    const { svc, store } = service();
    const long = file('m.jsonl', '{"run":"x","key":"loss","step":0,"value":1}\n\n{"run":"x","key":"loss","step":1,"value":0.5}\n');
    const wide = file('w.jsonl', '{"step":0,"loss":1,"phase":"warmup"}\n{"step":1,"loss":0.5,"lr":0.1}\n');
    const r = await svc.importPaths([
      { path: long, origin: 'm.jsonl' },
      { path: wide, origin: 'w.jsonl' },
    ]);
    expect(store.runs.get(r.imported[0])!.name).toBe('x');
    expect(store.metrics.query(r.imported[0], 'loss').points).toHaveLength(2);
    expect(store.metrics.listSeries(r.imported[1]).map((s) => s.key)).toEqual(['loss', 'lr']);
  });

  it('refuses a bad line naming the file and line, and writes nothing', async () => {
    const { svc, store } = service();
    const good = file('good.csv', 'step,loss\n0,1\n');
    const bad = file('bad.csv', 'run,key,step,value\na,loss,0,1\na,loss,1,abc\n');
    const before = dump(store);
    const e = await refusal(svc.importPaths([{ path: good, origin: 'good.csv' }, { path: bad, origin: 'bad.csv' }]));
    expect(e.code).toBe('invalid_input');
    expect(e.message).toMatch(/bad\.csv: line 3: "abc" is not a number/);
    expect(dump(store)).toBe(before);
    const jl = file('bad.jsonl', '{"step":0,"loss":1}\n{"step":1,"loss":\n');
    expect((await refusal(svc.importPaths([{ path: jl, origin: 'bad.jsonl' }]))).message).toMatch(/bad\.jsonl: line 2: not JSON/);
    const ragged = file('r.csv', 'step,loss\n0,1\n1,2,3\n');
    expect((await refusal(svc.importPaths([{ path: ragged, origin: 'r.csv' }]))).message).toMatch(/r\.csv: line 3: 3 fields, the header has 2/);
    const step = file('s.csv', 'step,loss\n0.5,1\n');
    expect((await refusal(svc.importPaths([{ path: step, origin: 's.csv' }]))).message).toMatch(/s\.csv: line 2: step "0\.5" is not an integer/);
  });

  it('a folder that is neither TensorBoard nor MLflow is refused with a message', async () => {
    const { svc } = service();
    const d = join(dir, 'empty-folder');
    mkdirSync(d, { recursive: true });
    const e = await refusal(svc.importPaths([{ path: d, origin: d }]));
    expect(e.code).toBe('invalid_input');
    expect(e.message).toMatch(/neither TensorBoard event files .* nor MLflow runs/);
    expect((await refusal(svc.importPaths([{ path: join(dir, 'nope.csv'), origin: 'nope.csv' }]))).message).toMatch(/no such file/);
  });
});

describe('TensorBoard event files', () => {
  it('reads simple_value and tensor scalars, skips other plugins, one run per folder', async () => {
    const { svc, store } = service();
    const root = join(dir, 'tb');
    mkdirSync(join(root, 'train'), { recursive: true });
    mkdirSync(join(root, 'eval'), { recursive: true });
    writeEventFile(join(root, 'train', 'events.out.tfevents.1700000000.host.1.v2'), [
      encodeFileVersion(1_700_000_000),
      encodeEvent(1_700_000_001, 0, [{ tag: 'loss', tensor: 2, plugin: 'scalars' }, { tag: 'img', image: true }]),
      encodeEvent(1_700_000_002, 1, [{ tag: 'loss', tensor: 1 }]),
      encodeEvent(1_700_000_003, 2, [{ tag: 'loss', tensor: 0.5, content: false }, { tag: 'lr', tensor: 0.125, dtype: 'double', plugin: 'scalars' }]),
    ]);
    writeEventFile(join(root, 'eval', 'events.out.tfevents.1700000000.host.2'), [encodeEvent(1_700_000_005, 10, [{ tag: 'acc', simple: 0.75 }])]);
    const r = await svc.importPaths([{ path: root, origin: 'tb' }]);
    const runs = r.imported.map((id) => store.runs.get(id)!);
    expect(runs.map((x) => x.name)).toEqual(['eval', 'train']);
    const train = runs[1];
    expect(store.metrics.listSeries(train.id).map((s) => s.key)).toEqual(['loss', 'lr']);
    expect(store.metrics.query(train.id, 'loss').points).toEqual([{ step: 0, value: 2 }, { step: 1, value: 1 }, { step: 2, value: 0.5 }]);
    expect(store.metrics.query(train.id, 'lr').points).toEqual([{ step: 2, value: 0.125 }]);
    expect(store.metrics.allRows(train.id, 'loss')[0][2]).toBe(1_700_000_001_000);
    expect(train.startedAt).toBe(1_700_000_001_000);
    expect(store.metrics.query(runs[0].id, 'acc').points).toEqual([{ step: 10, value: 0.75 }]);
  });

  it('refuses a corrupt record by its index, and writes nothing', async () => {
    const { svc, store } = service();
    const bytes = frameRecords([encodeEvent(1, 0, [{ tag: 'a', simple: 1 }]), encodeEvent(2, 1, [{ tag: 'a', simple: 2 }])]);
    bytes[bytes.length - 6] ^= 0xff;
    const p = file('events.out.tfevents.1.x', bytes);
    const e = await refusal(svc.importPaths([{ path: p, origin: 'events.out.tfevents.1.x' }]));
    expect(e.message).toMatch(/events\.out\.tfevents\.1\.x: record 1 \(byte \d+\): bad data checksum/);
    expect(store.runs.page({}).total).toBe(0);
    const truncated = file('events.out.tfevents.2.x', frameRecords([encodeEvent(1, 0, [{ tag: 'a', simple: 1 }])]).subarray(0, 20));
    expect((await refusal(svc.importPaths([{ path: truncated, origin: 't' }]))).message).toMatch(/record 0 .*truncated/);
  });
});

describe('MLflow file store', () => {
  it('reads metrics, params as config, tags and meta', async () => {
    const { svc, store } = service();
    const root = join(dir, 'mlruns');
    const run = join(root, '1', 'abc123');
    mkdirSync(join(run, 'metrics', 'train'), { recursive: true });
    mkdirSync(join(run, 'params'), { recursive: true });
    mkdirSync(join(run, 'tags'), { recursive: true });
    writeFileSync(join(root, '1', 'meta.yaml'), 'experiment_id: "1"\nname: demo\n');
    writeFileSync(join(run, 'meta.yaml'), 'run_id: abc123\nexperiment_id: "1"\nstatus: 3\nstart_time: 1700000000000\nend_time: 1700000100000\n');
    writeFileSync(join(run, 'metrics', 'train', 'loss'), '1700000000000 1.0 0\n1700000001000 0.5 1\n1700000002000 0.25 2\n');
    writeFileSync(join(run, 'params', 'lr'), '0.01');
    writeFileSync(join(run, 'params', 'optimizer'), 'adam');
    writeFileSync(join(run, 'tags', 'mlflow.runName'), 'bright-owl');
    writeFileSync(join(run, 'tags', 'team'), 'geo');
    const r = await svc.importPaths([{ path: root, origin: 'mlruns' }]);
    expect(r.imported).toEqual(['mlflow-abc123']);
    const got = store.runs.get('mlflow-abc123')!;
    expect(got).toMatchObject({ name: 'bright-owl', status: 'failed', startedAt: 1_700_000_000_000, endedAt: 1_700_000_100_000, tags: ['team=geo'], source: 'imported' });
    expect(got.config).toMatchObject({ lr: 0.01, optimizer: 'adam' });
    expect(store.metrics.query(got.id, 'train/loss').points.map((p) => p.value)).toEqual([1, 0.5, 0.25]);
    expect(store.runs.page({ filter: 'config.lr <= 0.01 and config.optimizer = adam' }).total).toBe(1);

    const again = await refusal(svc.importPaths([{ path: root, origin: 'mlruns' }]));
    expect(again.code).toBe('conflict');
    expect(again.message).toMatch(/mlflow-abc123 already exists/);

    writeFileSync(join(run, 'metrics', 'train', 'loss'), '1700000000000 1.0 0\n1700000001000 oops 1\n');
    const { svc: svc2 } = service();
    expect((await refusal(svc2.importPaths([{ path: root, origin: 'mlruns' }]))).message).toMatch(/mlruns\/1\/abc123\/metrics\/train\/loss: line 2: value "oops" is not a number/);
  });
});

describe('workbench exports: all or nothing', () => {
  async function exported(): Promise<{ text: string; id: string }> {
    const { svc } = service();
    const r = await svc.importPaths([{ path: file('x.csv', 'step,loss\n0,1\n1,0.5\n'), origin: 'x.csv' }]);
    const e = await svc.exportRun(r.imported[0], 'json');
    return { text: JSON.stringify(e), id: r.imported[0] };
  }

  it('refuses a file holding one run id twice, and writes nothing', async () => {
    const { text } = await exported();
    const { svc, store } = service();
    const before = dump(store);
    const e = await refusal(svc.importRuns(`[${text},${text}]`));
    expect(e.code).toBe('conflict');
    expect(e.message).toMatch(/more than once; nothing was imported/);
    expect(dump(store)).toBe(before);
  });

  it('checks foreign keys once before commit: rows that would name a missing series roll the whole import back', async () => {
    const { text, id } = await exported();
    const { svc, store } = service();
    // A series id the store still holds for a run deleted behind its back (no forgetRun): rows appended to it
    // would name a series that no longer exists.
    store.runs.create({ id, kind: 'selftest', name: 'gone', config: {}, seed: 1 });
    store.transaction(() => store.metrics.appendSeries(id, 'loss', [0], [1], [0]));
    store.db.prepare('DELETE FROM runs WHERE id = ?').run(id);
    const before = dump(store);
    const e = await refusal(svc.importRuns(text));
    expect(e.message).toMatch(/without their run or series/);
    expect(dump(store)).toBe(before);
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('refuses the whole file when one run id is taken, leaving the store byte-identical', async () => {
    const { text, id } = await exported();
    const other = JSON.parse(text);
    other.run.id = 'another-id';
    const { svc, store } = service();
    await svc.importRuns(text);
    const before = dump(store);
    const e = await refusal(svc.importRuns(JSON.stringify([other, JSON.parse(text)])));
    expect(e.code).toBe('conflict');
    expect(e.message).toContain(id);
    expect(dump(store)).toBe(before);
    expect(store.runs.get('another-id')).toBeNull();
  });

  it('a refused import leaves the database file byte-identical', async () => {
    const { text } = await exported();
    const path = join(dir, `bytes-${dbs++}.db`);
    const { svc, store } = service(RunStore.open(path));
    await svc.importRuns(text);
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    const files = (): string => ['', '-wal'].map((ext) => (existsSync(path + ext) ? readFileSync(path + ext).toString('base64') : '-')).join('|');
    const before = files();
    const bad = file('rows.csv', 'run,key,step,value\nx,loss,0,1\nx,loss,1,oops\n');
    expect((await refusal(svc.importRuns(`[${text},${text}]`))).code).toBe('conflict');
    expect((await refusal(svc.importRuns(text))).code).toBe('conflict');
    expect((await refusal(svc.importPaths([{ path: bad, origin: 'rows.csv' }]))).code).toBe('invalid_input');
    expect(files()).toBe(before);
    store.close();
  });

  it('a repeated step is stored once and counted once', async () => {
    const { text } = await exported();
    const bundle = JSON.parse(text);
    bundle.metrics[0].points.push([1, 0.25, 5]);
    const { svc, store } = service();
    const r = await svc.importRuns(JSON.stringify(bundle));
    const s = store.metrics.listSeries(r.imported[0])[0];
    expect(s.count).toBe(2);
    expect(store.metrics.query(r.imported[0], s.key).points).toEqual([{ step: 0, value: 1 }, { step: 1, value: 0.25 }]);
    store.metrics.append(r.imported[0], [{ key: s.key, step: 1, value: 0.1 }]);
    expect(store.metrics.listSeries(r.imported[0])[0].count).toBe(2);
  });

  it('imports uploaded files with folder paths (the app), refusing paths that climb out', async () => {
    const { svc, store } = service();
    const events = frameRecords([encodeEvent(1_700_000_000, 3, [{ tag: 'loss', simple: 0.5 }])]);
    const r = await svc.invoke('importFiles', [[{ name: 'logs/run1/events.out.tfevents.1.a', base64: events.toString('base64') }, { name: 'm.csv', base64: Buffer.from('step,acc\n0,0.5\n').toString('base64') }]]);
    expect((r as { imported: string[] }).imported).toHaveLength(2);
    expect(store.runs.page({ filter: 'name = run1' }).total).toBe(1);
    expect((await refusal(svc.invoke('importFiles', [[{ name: '../evil.csv', base64: '' }]]))).message).toMatch(/not a file name/);
  });
});
