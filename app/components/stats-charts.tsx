import { useEffect, useState, type ReactNode } from "react";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Legend,
  Pie,
  PieChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";

/**
 * MGT-6 charts (recharts, docs/decisions/0017-recharts.md). They repeat what the tables beside
 * them say, so they are hidden from assistive technology; the tables are the accessible truth.
 * Recharts measures the page and numbers its SVG ids at render time, so the charts render only
 * after hydration (a placeholder of the same height is rendered on the server and at first paint).
 * Every label comes translated from the page.
 */

const COLOURS = {
  paid: "#1a7f37",
  unpaid: "#d4a72c",
  primary: "#1a5fb4",
  secondary: "#8250df",
  taken: "#1a5fb4",
  remaining: "#8ddb8c",
  muted: "#afb8c1",
  red: "#cf222e",
  // SCO-3's grades, then VIO-2's kinds.
  excellent: "#1a7f37",
  good: "#1a5fb4",
  pass: "#8ddb8c",
  fail: "#e16f24",
  absent: "#afb8c1",
  misconduct: "#d4a72c",
  cheating: "#cf222e",
  other: "#8250df",
};
const PALETTE = [COLOURS.primary, COLOURS.secondary, COLOURS.paid, COLOURS.unpaid, COLOURS.red, COLOURS.muted];
const HEIGHT = 280;

export function useMounted(): boolean {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return mounted;
}

function ChartFrame({ title, height = HEIGHT, children }: { title: string; height?: number; children: ReactNode }) {
  const mounted = useMounted();
  return (
    <figure className="stats-chart" aria-hidden="true" data-chart={title}>
      <figcaption>{title}</figcaption>
      <div style={{ width: "100%", height }}>
        {mounted ? (
          <ResponsiveContainer width="100%" height="100%">
            {children as React.ReactElement}
          </ResponsiveContainer>
        ) : null}
      </div>
    </figure>
  );
}

/**
 * Two or more counts by subject, stacked (entries paid and unpaid, seats taken and left), each
 * series in its own colour (COLOURS, by the same name); the axis shows the codes, the tooltip the names.
 */
export function SubjectStack<K extends keyof typeof COLOURS>({
  title,
  series,
  subjects,
}: {
  title: string;
  series: Array<{ key: K; label: string }>;
  subjects: Array<{ code: string; name: string } & Record<K, number>>;
}) {
  if (subjects.length === 0) return null;
  const data = subjects.map((s) => ({
    code: s.code,
    name: `(${s.code}) ${s.name}`,
    ...Object.fromEntries(series.map((x) => [x.key, s[x.key]])),
  }));
  return (
    <ChartFrame title={title}>
      <BarChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="code" />
        <YAxis allowDecimals={false} width={64} />
        <Tooltip labelFormatter={(_, p) => (p?.[0]?.payload as { name?: string } | undefined)?.name ?? ""} />
        <Legend />
        {series.map((x) => (
          <Bar key={x.key} dataKey={x.key} name={x.label} stackId="s" fill={COLOURS[x.key]} isAnimationActive={false} />
        ))}
      </BarChart>
    </ChartFrame>
  );
}

export interface Slice {
  label: string;
  value: number;
}

/** A pie of a few parts (channel, gender, money by way of payment); empty parts are left out. */
export function PieSlices({
  title,
  slices,
  format,
}: {
  title: string;
  slices: Slice[];
  format?: (n: number) => string;
}) {
  const data = slices.filter((s) => s.value > 0);
  if (data.length === 0) return null;
  return (
    <ChartFrame title={title} height={240}>
      <PieChart>
        <Pie
          data={data}
          dataKey="value"
          nameKey="label"
          outerRadius={80}
          isAnimationActive={false}
          label={(p: { value: number }) => (format ? format(p.value) : String(p.value))}
        >
          {data.map((s, i) => (
            <Cell key={s.label} fill={PALETTE[i % PALETTE.length]} />
          ))}
        </Pie>
        <Tooltip formatter={(v: number) => (format ? format(v) : v)} />
        <Legend />
      </PieChart>
    </ChartFrame>
  );
}

/** One series of counts by label (candidates by payment state, by preferred date …). */
export function CountBars({ title, label, bars }: { title: string; label: string; bars: Slice[] }) {
  if (bars.length === 0 || bars.every((b) => b.value === 0)) return null;
  return (
    <ChartFrame title={title} height={240}>
      <BarChart data={bars} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" />
        <YAxis allowDecimals={false} width={64} />
        <Tooltip />
        <Bar dataKey="value" name={label} fill={COLOURS.primary} isAnimationActive={false}>
          {bars.map((b, i) => (
            <Cell key={b.label} fill={PALETTE[i % PALETTE.length]} />
          ))}
        </Bar>
      </BarChart>
    </ChartFrame>
  );
}
