/**
 * `der figure` over a real run in a real store (the attention Quick-run fixture): the list of its figures,
 * each figure exported in the paper theme at 3.25 in as SVG and PDF and checked with xmllint, rsvg-convert and
 * pdffonts, PNG at 3×, the old --metric form, and an unknown figure name answered with the names there are.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allFigures, listFigures, namedFigure } from '../../src-main/cli/figure';
import { runFigures } from '../../src-main/figure-export/run-figures';
import { projectRoot } from '../../src-main/paths';
import { checkFigureFiles, checkPdfFile, checkSvgFile } from '../unit/main/cli/file-checks';
import { runDer } from './cli-process';
import { tempWorkbench, type TempWorkbench } from './helpers';

let wb: TempWorkbench;
let runId: string;

beforeAll(async () => {
  wb = tempWorkbench();
  const text = readFileSync(join(projectRoot(), 'test', 'fixtures', 'e2e', 'attention-quick-run.json'), 'utf8');
  runId = (await wb.service.importRuns(text)).imported[0];
});
afterAll(async () => wb.dispose());

const der = (...args: string[]) => runDer(wb.dbPath, ...args, '--db', wb.dbPath);

describe('figures of a run', () => {
  it('lists the kind figures and the metric charts, one per key and one per key prefix', async () => {
    const names = (await runFigures(wb.service, [runId])).map((f) => f.name);
    expect(names).toContain('accuracy-sparsity');
    expect(names).toContain('pruning');
    expect(names.some((n) => n.startsWith('metric:'))).toBe(true);
    expect(names.some((n) => n.startsWith('metrics:'))).toBe(true);
  });

  it('exports every figure in the paper theme at 3.25 in as SVG and PDF that open', async () => {
    const dir = join(wb.dir, 'all');
    const written = await allFigures(wb, [runId], dir, { theme: 'paper', width: '3.25in' });
    const figures = await runFigures(wb.service, [runId]);
    expect(written).toHaveLength(2 * figures.length);
    checkFigureFiles(written, 234);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('der figure: --list, a named figure as PDF at 6.75 in and PNG at 3×, the old --metric form, and unknown names', async () => {
    const list = await der('figure', '--list', runId);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^accuracy-sparsity\s/m);
    const pdf = join(wb.dir, 'acc.pdf');
    expect((await der('figure', runId, 'accuracy-sparsity', '--width', '6.75in', '--font-size', '9pt', '--out', pdf)).code).toBe(0);
    expect(checkPdfFile(readFileSync(pdf), pdf).widthPt).toBeCloseTo(486, 0);
    const png = join(wb.dir, 'acc.png');
    expect((await der('figure', runId, 'pruning', '--format', 'png', '--scale', '3', '--out', png)).code).toBe(0);
    expect(readFileSync(png).readUInt32BE(16)).toBe(3 * 312);
    const key = (await wb.service.getRun(runId)).series[0].key;
    const svg = join(wb.dir, 'old.svg');
    expect((await der('figure', runId, '--metric', key, '--out', svg)).code).toBe(0);
    checkSvgFile(readFileSync(svg, 'utf8'), svg);
    const bad = await der('figure', runId, 'no-such-figure', '--out', join(wb.dir, 'x.svg'));
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/there are: .*accuracy-sparsity/);
    const badWidth = await der('figure', runId, 'pruning', '--width', '3.25', '--out', join(wb.dir, 'y.svg'));
    expect(badWidth.code).not.toBe(0);
    expect(badWidth.stderr).toMatch(/3\.25in/);
    // Six CLI processes, each loading TypeScript through tsx: slow on a shared machine.
  }, 600_000);
});

describe('the attention-collapse figure', () => {
  it('is listed for every model with collapse metrics and exports as SVG and PDF in the paper theme at 3.25 in', async () => {
    const text = readFileSync(join(projectRoot(), 'test', 'fixtures', 'e2e', 'attention-collapse-run.json'), 'utf8');
    const id = (await wb.service.importRuns(text)).imported[0];
    const prefixes = [...new Set((await wb.service.getRun(id)).series.map((s) => /^(.+)\/collapse\//.exec(s.key)?.[1]).filter((p): p is string => !!p))];
    expect(prefixes.length).toBeGreaterThanOrEqual(2);
    const list = (await listFigures(wb, [id])).map((line) => line.split(/\s+/)[0]);
    const collapse = list.filter((n) => n.startsWith('collapse:'));
    for (const p of prefixes) for (const q of ['mass_entropy', 'tail_mass', 'block_acc']) expect(collapse).toContain(`collapse:${p}:${q}`);
    const written: string[] = [];
    for (const name of collapse.filter((n) => n.startsWith(`collapse:${prefixes[0]}:`))) {
      for (const ext of ['svg', 'pdf']) written.push(await namedFigure(wb, [id], name, { theme: 'paper', width: '3.25in', out: join(wb.dir, `${name.replace(/[:]/g, '_')}.${ext}`) }));
    }
    checkFigureFiles(written, 234);
    // The plot has one line per head and the reference lines of the run's N, b and k.
    const svg = readFileSync(written[0], 'utf8');
    expect(svg).toMatch(/ln k = /);
  }, 120_000);
});
