// Building a zod schema runs its constructors and checks at once; building every schema of a module at load
// costs milliseconds on each start, while a run uses few of them (`tui auth status` in an empty home: none).
// lazySchema builds one on first use and is the schema from then on: every read goes to the built one.

/** The schema `build` returns, built the first time anything reads it. */
export function lazySchema<T extends object>(build: () => T): T {
	let built: T | undefined;
	const real = (): T => (built ??= build());
	return new Proxy({} as T, {
		get: (_target, key) => Reflect.get(real(), key),
		set: (_target, key, value) => Reflect.set(real(), key, value),
		has: (_target, key) => Reflect.has(real(), key),
		ownKeys: () => Reflect.ownKeys(real()),
		getOwnPropertyDescriptor: (_target, key) => {
			const descriptor = Reflect.getOwnPropertyDescriptor(real(), key);
			// The stand-in target has none of these keys, so a proxy may only report them as configurable.
			return descriptor && {...descriptor, configurable: true};
		},
		getPrototypeOf: () => Reflect.getPrototypeOf(real()),
	});
}
