/** An ECharts chart that loads ECharts on first use (kept out of the first load). */
import { useEffect, useRef } from 'react';
import type { EChartsCoreOption } from 'echarts/core';

export function Chart({ option, height = 300, label }: { option: EChartsCoreOption; height?: number; label: string }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<{ setOption: (o: EChartsCoreOption, notMerge?: boolean) => void; resize: () => void; dispose: () => void } | null>(null);

  useEffect(() => {
    let disposed = false;
    let onResize: (() => void) | null = null;
    void import('../../shared/charts/echarts').then(({ echarts }) => {
      if (disposed || !el.current) return;
      const c = echarts.init(el.current);
      chart.current = c;
      c.setOption({ aria: { enabled: true }, ...option }, true);
      onResize = () => c.resize();
      window.addEventListener('resize', onResize);
    });
    return () => {
      disposed = true;
      if (onResize) window.removeEventListener('resize', onResize);
      chart.current?.dispose();
      chart.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    chart.current?.setOption({ aria: { enabled: true }, ...option }, true);
  }, [option]);

  // The label sits on a wrapper: ECharts' aria option writes its own generated description onto
  // the element it draws in, which would replace the name people (and tests) find the chart by.
  return (
    <div role="img" aria-label={label} style={{ width: '100%', height }}>
      <div ref={el} style={{ width: '100%', height }} />
    </div>
  );
}
