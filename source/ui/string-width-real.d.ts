// The real string-width, as scripts/build.mjs resolves it for the fast path in string-width-fast.ts.
declare module 'string-width-real' {
	export {default} from 'string-width';
}
