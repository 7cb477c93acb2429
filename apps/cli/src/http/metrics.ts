/**
 * The Prometheus text exposition format (version 0.0.4), written by hand: metric families with `# HELP` and
 * `# TYPE` lines, then `name{label="value",…} value` samples. The runtime's `statistics.samples()` already uses
 * Prometheus names and fixed label sets; this module groups and formats them, escaping label values and help text.
 */
import type { StatisticsSample } from '@dispersy/community';

/** The content type of the exposition format. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** One labelled value. */
export interface MetricSample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A metric family: one name, one type, its samples. */
export interface MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge';
  readonly samples: readonly MetricSample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Help text of the runtime's statistics families (spec §11.3). */
const STATISTICS_HELP: Readonly<Record<string, string>> = {
  dispersy_packets_total: 'Packets received (direction="in") and sent (direction="out") per message name.',
  dispersy_bytes_total: 'Bytes received and sent per message name.',
  dispersy_messages_created_total: 'Messages created (signed) by this node per message name.',
  dispersy_messages_processed_total: 'Received messages that passed the whole pipeline per message name.',
  dispersy_drops_total: 'Dropped packets and messages per pipeline stage and reason.',
  dispersy_delays_total: 'Delayed-message lifecycle events.',
  dispersy_walk_total: 'Candidate walker events (attempt, success, failure).',
  dispersy_sync_bloom_total: 'Bloom-filter sync events of the requester side (new, reuse, send, skip).',
  dispersy_invalid_response_identifiers_total: 'Responses whose identifier matched no outstanding request.',
  dispersy_candidates_discovered_total: 'Newly discovered candidates.',
  dispersy_folded_labels_total: 'Increments counted under label "other" because a family reached its label cap.',
};

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/**
 * Formats metric families in the text exposition format.
 * @param families the families (names unique)
 * @returns the text, ending with a newline
 * @throws TypeError for an invalid metric or label name (a bug, never data)
 * @example `formatPrometheus([{ name: 'up', help: 'Up.', type: 'gauge', samples: [{ labels: {}, value: 1 }] }])`
 */
export function formatPrometheus(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of families) {
    if (!NAME.test(family.name)) throw new TypeError(`invalid metric name ${JSON.stringify(family.name)}`);
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples) {
      const labels = Object.entries(sample.labels).map(([k, v]) => {
        if (!LABEL.test(k)) throw new TypeError(`invalid label name ${JSON.stringify(k)}`);
        return `${k}="${escapeLabel(v)}"`;
      });
      lines.push(`${family.name}${labels.length > 0 ? `{${labels.join(',')}}` : ''} ${formatValue(sample.value)}`);
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/**
 * Groups the runtime's statistics samples into counter families: every known family (with HELP and TYPE even
 * while it has no sample yet, so scrapers see a stable set), then any family the runtime adds later.
 * @param samples `statistics.samples()`
 * @returns the families
 * @example `formatPrometheus(statisticsFamilies(node.statistics.samples()))`
 */
export function statisticsFamilies(samples: readonly StatisticsSample[]): MetricFamily[] {
  const byName = new Map<string, MetricSample[]>(Object.keys(STATISTICS_HELP).map((name) => [name, []]));
  for (const s of samples) {
    let list = byName.get(s.name);
    if (list === undefined) byName.set(s.name, (list = []));
    list.push({ labels: s.labels, value: s.value });
  }
  return [...byName].map(([name, list]) => ({
    name,
    help: STATISTICS_HELP[name] ?? `Dispersy counter ${name}.`,
    type: 'counter',
    samples: list,
  }));
}
