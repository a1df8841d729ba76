/**
 * ECharts, modular: only the charts, components and renderers the figures use, so the bundle carries no
 * maps or 3D. A figure that needs another chart type registers it here. Where a component comes in variants,
 * only the one the figures use is registered: the inside data zoom (no slider), the plain legend (no scroll),
 * the continuous visual map (no pieces).
 */
import { BarChart, BoxplotChart, CustomChart, HeatmapChart, LineChart, ParallelChart, ScatterChart } from 'echarts/charts';
import {
  DataZoomInsideComponent,
  GridComponent,
  LegendPlainComponent,
  MarkLineComponent,
  ParallelComponent,
  TitleComponent,
  ToolboxComponent,
  TooltipComponent,
  VisualMapContinuousComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';

echarts.use([
  LineChart,
  ScatterChart,
  BarChart,
  BoxplotChart,
  CustomChart,
  HeatmapChart,
  ParallelChart,
  ParallelComponent,
  GridComponent,
  TitleComponent,
  ToolboxComponent,
  TooltipComponent,
  LegendPlainComponent,
  DataZoomInsideComponent,
  MarkLineComponent,
  VisualMapContinuousComponent,
  CanvasRenderer,
  SVGRenderer,
]);

export { echarts };
