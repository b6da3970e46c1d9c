import type { Timings } from "../api/types";
import { formatMs } from "../components/format";

/** Retrieval, first-token and total time, small and quiet under an answer. */
export function TimingLine({ timings, engine }: { timings: Timings | null; engine: string }) {
  if (!timings) return null;
  const parts = [
    formatMs(timings.retrieval_ms) && `检索 ${formatMs(timings.retrieval_ms)}`,
    formatMs(timings.ttft_ms) && `首字 ${formatMs(timings.ttft_ms)}`,
    formatMs(timings.total_ms) && `总计 ${formatMs(timings.total_ms)}`,
    timings.tokens_per_s ? `${timings.tokens_per_s.toFixed(1)} 词元/秒` : null,
    engine || null,
  ].filter(Boolean);
  if (parts.length === 0) return null;
  return (
    <p className="timings" aria-label="用时">
      {parts.join(" · ")}
    </p>
  );
}
