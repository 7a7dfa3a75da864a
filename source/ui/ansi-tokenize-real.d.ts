// The real @alcalzone/ansi-tokenize (Ink's), as scripts/build.mjs resolves it for ansi-tokenize-fast.ts.
declare module 'ansi-tokenize-real' {
	export * from '@alcalzone/ansi-tokenize';
}
