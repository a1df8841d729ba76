import { describe, expect, it } from 'vitest';
import { scaleRange, shownXRange } from '../../../../src-renderer/src/components/brush-zoom';

describe('brush zoom ranges', () => {
  it('the shown x range is the axis’ fixed min and max, else the extent of the series’ x values', () => {
    expect(shownXRange({ xAxis: [{ min: 10, max: 20 }], series: [{ data: [[0, 1], [50, 2]] }] })).toEqual([10, 20]);
    expect(shownXRange({ xAxis: [{ min: 'dataMin', max: 'dataMax' }], series: [{ data: [[3, 1], [7, 2], [null, 3]] }, { data: [[-1, 0]] }] })).toEqual([-1, 7]);
    expect(shownXRange({ xAxis: { min: 2 }, series: [{ data: [[3, 1], [7, 2]] }] })).toEqual([2, 7]);
    expect(shownXRange({ xAxis: {}, series: [{ data: [] }] })).toBeNull();
  });

  it('scales about the cursor, which stays where it was; a cursor outside is taken at the nearer end', () => {
    expect(scaleRange([0, 100], 50, 0.5)).toEqual([25, 75]);
    expect(scaleRange([0, 100], 20, 0.5)).toEqual([10, 60]);
    expect(scaleRange([0, 100], 20, 2)).toEqual([-20, 180]);
    expect(scaleRange([0, 100], 150, 0.5)).toEqual([50, 100]);
  });
});
