// The process environment as every layer reads it: given, never read from process.env below the entry.
export type Env = Readonly<Record<string, string | undefined>>;
