import highsLoader from "highs";
import type { LpSolver } from "~/domain/allocation";

// HiGHS (MIT, WebAssembly; decision 0032): the allocation LP in 1–2 s for 20,000 entries. Loaded
// once per process, on first use; each solve gets a fresh native instance.
let loading: ReturnType<typeof highsLoader> | null = null;

/** The solver for allocate(): the variables' values, or null when HiGHS found no optimum. */
export async function lpSolver(): Promise<LpSolver> {
  loading ??= highsLoader();
  const highs = await loading;
  return (lp, opts) => {
    const text = opts.integer ? lp.replace(/\nEnd$/, `\nGeneral\n ${generalNames(lp)}\nEnd`) : lp;
    // Primal simplex: 35–45 % faster than HiGHS's default dual simplex on the allocation model
    // (measured in `npm run bench -- allocation`), and still a vertex, so integral on regular timetables.
    const r = highs.solve(text, { presolve: "on", solver: "simplex", simplex_strategy: 4 });
    if (r.Status !== "Optimal") return null;
    const out: Record<string, number> = {};
    for (const [name, col] of Object.entries(r.Columns)) out[name] = (col as { Primal: number }).Primal;
    return out;
  };
}

const generalNames = (lp: string) => [...new Set(lp.match(/\by_\d+_\d+_\d+\b/g) ?? [])].join(" ");
