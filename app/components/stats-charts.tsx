import { useEffect, useState, type ReactNode } from "react";
import { Bar, BarChart, CartesianGrid, Cell, Legend, Pie, PieChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

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
        {mounted ? <ResponsiveContainer width="100%" height="100%">{children as React.ReactElement}</ResponsiveContainer> : null}
      </div>
    </figure>
  );
}

export interface EntriesChartProps {
  title: string;
  paidLabel: string;
  unpaidLabel: string;
  subjects: Array<{ code: string; name: string; paid: number; unpaid: number }>;
}

/** Entries by subject, paid and unpaid stacked. */
export function EntriesChart({ title, paidLabel, unpaidLabel, subjects }: EntriesChartProps) {
  if (subjects.length === 0) return null;
  const data = subjects.map((s) => ({ code: s.code, name: `(${s.code}) ${s.name}`, paid: s.paid, unpaid: s.unpaid }));
  return (
    <ChartFrame title={title}>
      <BarChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="code" />
        <YAxis allowDecimals={false} width={64} />
        <Tooltip labelFormatter={(_, p) => (p?.[0]?.payload as { name?: string } | undefined)?.name ?? ""} />
        <Legend />
        <Bar dataKey="paid" name={paidLabel} stackId="e" fill={COLOURS.paid} isAnimationActive={false} />
        <Bar dataKey="unpaid" name={unpaidLabel} stackId="e" fill={COLOURS.unpaid} isAnimationActive={false} />
      </BarChart>
    </ChartFrame>
  );
}

export interface Slice {
  label: string;
  value: number;
}

/** A pie of a few parts (channel, gender, money by way of payment); empty parts are left out. */
export function PieSlices({ title, slices, format }: { title: string; slices: Slice[]; format?: (n: number) => string }) {
  const data = slices.filter((s) => s.value > 0);
  if (data.length === 0) return null;
  return (
    <ChartFrame title={title} height={240}>
      <PieChart>
        <Pie data={data} dataKey="value" nameKey="label" outerRadius={80} isAnimationActive={false}
          label={(p: { value: number }) => (format ? format(p.value) : String(p.value))}>
          {data.map((s, i) => <Cell key={s.label} fill={PALETTE[i % PALETTE.length]} />)}
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
          {bars.map((b, i) => <Cell key={b.label} fill={PALETTE[i % PALETTE.length]} />)}
        </Bar>
      </BarChart>
    </ChartFrame>
  );
}

export interface CapacityChartProps {
  title: string;
  takenLabel: string;
  remainingLabel: string;
  /** Subjects with a finite capacity (unlimited or unset ones have nothing to draw). */
  subjects: Array<{ code: string; name: string; taken: number; remaining: number }>;
}

/** Capacity per subject: seats taken and seats left, stacked. */
export function CapacityChart({ title, takenLabel, remainingLabel, subjects }: CapacityChartProps) {
  if (subjects.length === 0) return null;
  const data = subjects.map((s) => ({ code: s.code, name: `(${s.code}) ${s.name}`, taken: s.taken, remaining: s.remaining }));
  return (
    <ChartFrame title={title}>
      <BarChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="code" />
        <YAxis allowDecimals={false} width={64} />
        <Tooltip labelFormatter={(_, p) => (p?.[0]?.payload as { name?: string } | undefined)?.name ?? ""} />
        <Legend />
        <Bar dataKey="taken" name={takenLabel} stackId="c" fill={COLOURS.taken} isAnimationActive={false} />
        <Bar dataKey="remaining" name={remainingLabel} stackId="c" fill={COLOURS.remaining} isAnimationActive={false} />
      </BarChart>
    </ChartFrame>
  );
}
