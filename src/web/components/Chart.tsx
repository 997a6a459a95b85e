/**
 * One ECharts chart, tree-shaken to what the app draws (bars, lines, pies; SVG, no canvas) so
 * the library stays small and only loads with the pages that use it.
 *
 * The chart fills its container's width and follows it (ResizeObserver), so it never pushes a
 * phone screen sideways. For screen readers it is one image with a summary as its name: give
 * the same figures as a table next to it.
 */
import {
  BarChart,
  type BarSeriesOption,
  LineChart,
  type LineSeriesOption,
  PieChart,
  type PieSeriesOption,
} from "echarts/charts";
import {
  GridComponent,
  type GridComponentOption,
  LegendComponent,
  type LegendComponentOption,
  MarkLineComponent,
  type MarkLineComponentOption,
  TitleComponent,
  type TitleComponentOption,
  TooltipComponent,
  type TooltipComponentOption,
} from "echarts/components";
import { type ComposeOption, type EChartsType, init, use } from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import { useEffect, useRef } from "react";

use([
  BarChart,
  LineChart,
  PieChart,
  GridComponent,
  TooltipComponent,
  MarkLineComponent,
  LegendComponent,
  TitleComponent,
  SVGRenderer,
]);

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | PieSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | MarkLineComponentOption
  | LegendComponentOption
  | TitleComponentOption
>;

/** The colours of the app (styles.css), so charts and text agree. */
export const CHART_COLORS = {
  blue: "#0b5394",
  green: "#1e6b35",
  amber: "#b87800",
  red: "#b3261e",
  muted: "#5a6470",
  line: "#d5dbe1",
  palette: ["#0b5394", "#1e6b35", "#b87800", "#7b3f98", "#00838f", "#b3261e"],
} as const;

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif';

function prefersReducedMotion(): boolean {
  return globalThis.matchMedia?.("(prefers-reduced-motion: reduce)").matches ?? false;
}

export function Chart({
  option,
  label,
  height,
  className,
  testId,
}: {
  option: ChartOption;
  /** What the chart shows, in words: read out instead of the drawing. */
  label: string;
  /** CSS height (the width always follows the container). */
  height: number | string;
  className?: string;
  testId?: string;
}) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const instance = init(element, null, { renderer: "svg" });
    chart.current = instance;
    const observer =
      typeof ResizeObserver === "undefined" ? null : new ResizeObserver(() => instance.resize());
    observer?.observe(element);
    return () => {
      observer?.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(
      {
        color: [...CHART_COLORS.palette],
        textStyle: { fontFamily: FONT },
        animation: !prefersReducedMotion(),
        ...option,
      },
      { notMerge: true },
    );
  }, [option]);

  return (
    <div
      ref={container}
      className={className ? `chart ${className}` : "chart"}
      role="img"
      aria-label={label}
      data-testid={testId}
      style={{ height }}
    />
  );
}
