// zod/mini with English messages, as classic zod gives them (zod/mini ships no locale): every module takes zod
// from here. The CommonJS bundles load this module on the first call of one of its functions, since most
// commands build no schema (scripts/build.mjs, lazyZod).
// Named imports, not a namespace: a tenth of classic zod once tree-shaken (a namespace import keeps every
// locale in the code-split build).
import {config} from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export {
	_default,
	array,
	boolean,
	enum,
	extend,
	gte,
	int,
	iso,
	literal,
	lte,
	maxLength,
	minLength,
	nonnegative,
	nullable,
	number,
	object,
	optional,
	partialRecord,
	positive,
	record,
	refine,
	regex,
	string,
} from 'zod/mini';
