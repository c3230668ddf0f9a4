/** SET-8: class options separated by ';' or '；'; empty means free text. */
export function parseClassOptions(text: string): string[] {
  const seen = new Set<string>();
  for (const part of text.split(/[;；]/)) {
    const v = part.trim();
    if (v) seen.add(v);
  }
  return [...seen];
}

export function formatClassOptions(options: readonly string[]): string {
  return options.join("；");
}

/** SET-8: a candidate's class against the site's options and its "class required" setting. */
export function checkClass(
  value: string,
  options: readonly string[],
  required: boolean,
): "class.required" | "class.not_an_option" | null {
  const v = value.trim();
  if (!v) return required ? "class.required" : null;
  if (options.length > 0 && !options.includes(v)) return "class.not_an_option";
  return null;
}
