/**
 * Checks Prometheus text exposition format 0.0.4 line by line (the grammar of
 * https://prometheus.io/docs/instrumenting/exposition_formats/): HELP and TYPE lines, sample
 * lines with valid metric and label names, escaped label values and float values; every
 * family declared once, before its samples, its samples contiguous; no series twice.
 * Returns the problems found ([] when valid) and the samples.
 */
const METRIC = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*';
const LABEL_VALUE = '"(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
const VALUE = '(?:[+-]?(?:\\d+\\.?\\d*(?:[eE][+-]?\\d+)?|\\.\\d+(?:[eE][+-]?\\d+)?)|[+-]Inf|NaN)';
const SAMPLE = new RegExp(`^(${METRIC})(\\{(?:${LABEL}=${LABEL_VALUE}(?:,${LABEL}=${LABEL_VALUE})*,?)?\\})? (${VALUE})(?: -?\\d+)?$`);
const HELP = new RegExp(`^# HELP (${METRIC}) (?:[^\\\\\\n]|\\\\[\\\\n])*$`);
const TYPE = new RegExp(`^# TYPE (${METRIC}) (counter|gauge|histogram|summary|untyped)$`);

export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export function checkExposition(text: string): { problems: string[]; samples: PromSample[]; types: Record<string, string> } {
  const problems: string[] = [];
  const samples: PromSample[] = [];
  const types: Record<string, string> = {};
  const finished = new Set<string>();
  const series = new Set<string>();
  let current: string | undefined;
  if (!text.endsWith('\n')) problems.push('does not end with a newline');
  const lines = text.split('\n').slice(0, -1);
  lines.forEach((line, index) => {
    const where = `line ${index + 1}`;
    if (line.startsWith('#')) {
      const help = HELP.exec(line);
      const type = TYPE.exec(line);
      const name = help?.[1] ?? type?.[1];
      if (!name) {
        if (/^# (HELP|TYPE) /.test(line)) problems.push(`${where}: bad ${line}`);
        return;
      }
      if (name !== current) {
        if (finished.has(name)) problems.push(`${where}: family ${name} appears twice`);
        if (current) finished.add(current);
        current = name;
      }
      if (type) {
        if (types[name]) problems.push(`${where}: second TYPE for ${name}`);
        types[name] = type[2]!;
      }
      return;
    }
    const match = SAMPLE.exec(line);
    if (!match) {
      problems.push(`${where}: not a sample line: ${line}`);
      return;
    }
    const name = match[1]!;
    const family = current !== undefined && (name === current || (types[current] === 'summary' && [`${current}_count`, `${current}_sum`].includes(name))) ? current : undefined;
    if (!family) problems.push(`${where}: sample ${name} outside its family (current ${current})`);
    const labels: Record<string, string> = {};
    for (const [, key, raw] of (match[2] ?? '').matchAll(new RegExp(`(${LABEL})=(${LABEL_VALUE})`, 'g'))) {
      if (key! in labels) problems.push(`${where}: label ${key} twice`);
      labels[key!] = JSON.parse(raw!.replace(/\\n/g, '\\n')) as string;
    }
    const id = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (series.has(id)) problems.push(`${where}: series ${id} twice`);
    series.add(id);
    samples.push({ name, labels, value: Number(match[3]!.replace('Inf', 'Infinity')) });
  });
  return { problems, samples, types };
}
