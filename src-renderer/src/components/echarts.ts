/**
 * ECharts, modular: only the charts, components and renderers the figures use, so the bundle carries no
 * maps or 3D. A figure that needs another chart type registers it here. Where a component comes in variants,
 * only the one the figures use is registered: the plain legend (no scroll). Zoom needs no toolbox or data zoom
 * (components/brush-zoom.ts).
 * Colour scales need no visual map: the figures colour their items and draw the key (figures/color-bar.ts).
 * Mark lines need no MarkLine component: EChart draws them as custom series (components/mark-lines.ts).
 */
import { BarChart, BoxplotChart, CustomChart, LineChart, ParallelChart, ScatterChart } from 'echarts/charts';
import {
  GridComponent,
  LegendPlainComponent,
  ParallelComponent,
  TitleComponent,
  TooltipComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';

echarts.use([
  LineChart,
  ScatterChart,
  BarChart,
  BoxplotChart,
  CustomChart,
  ParallelChart,
  ParallelComponent,
  GridComponent,
  TitleComponent,
  TooltipComponent,
  LegendPlainComponent,
  CanvasRenderer,
  SVGRenderer,
]);

export { echarts };
