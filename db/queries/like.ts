/** A LIKE pattern matching `text` anywhere, its own `%`, `_` and `\` taken literally (PostgreSQL's default escape). */
export const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
