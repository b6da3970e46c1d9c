// An engine's measured speed and accuracy (GET /api/engines → measurements), or "未测量".

import { Fragment } from "react";

import type { EngineMeasurements } from "../api/types";

type Value = number | null | undefined;

function percent(value: Value): string {
  return value === null || value === undefined ? "—" : `${(value * 100).toFixed(0)}%`;
}

function seconds(value: Value): string {
  return value === null || value === undefined ? "—" : `${value < 10 ? value.toFixed(1) : Math.round(value)} s`;
}

function amount(value: Value, unit: string): string {
  return value === null || value === undefined ? "—" : `${value < 10 ? value.toFixed(1) : Math.round(value)} ${unit}`;
}

const ROWS: [string, (m: EngineMeasurements) => string][] = [
  ["准确率", (m) => percent(m.accuracy)],
  ["有据率", (m) => percent(m.grounded_rate)],
  ["拒答召回", (m) => percent(m.refusal_recall)],
  ["误拒率", (m) => percent(m.false_refusal_rate)],
  ["首字 p50", (m) => seconds(m.ttft_p50_seconds)],
  ["回答 p50", (m) => seconds(m.answer_p50_seconds)],
  ["生成速度", (m) => amount(m.tokens_per_second, "token/s")],
  ["加载", (m) => seconds(m.load_seconds)],
  ["内存", (m) => (m.memory_mb === null || m.memory_mb === undefined ? "—" : `${(m.memory_mb / 1024).toFixed(1)} GB`)],
];

export function EngineFigures({ measurements }: { measurements: EngineMeasurements | null }) {
  if (!measurements) {
    return (
      <p className="muted small-text engine-figures-none" aria-label="实测数据">
        实测：未测量
      </p>
    );
  }
  return (
    <section className="engine-figures" aria-label="实测数据">
      <dl className="engine-meta">
        {ROWS.map(([label, format]) => (
          <Fragment key={label}>
            <dt>{label}</dt>
            <dd>{format(measurements)}</dd>
          </Fragment>
        ))}
      </dl>
      <p className="muted small-text" title={measurements.source || undefined}>
        测于 {measurements.measured_on}，{measurements.machine}
      </p>
    </section>
  );
}
