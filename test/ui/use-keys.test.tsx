// Keys typed between a screen's frame and its subscription, the way a real terminal delivers them. Ink's useInput
// subscribes in a passive effect, which React runs after the frame is drawn; act() would run it at once and hide
// the gap, so these tests render without act and write the key in the gap itself: as a microtask of the write
// that drew the new screen, before React's scheduled passive effects.
import {useEffect, useState} from 'react';
import {Text} from 'ink';
import {render} from 'ink-testing-library';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {useKeys} from '../../source/ui/hooks/use-keys.js';
import {isConfirm, isDown} from '../../source/ui/keymap.js';
import {KEYS} from '../helpers/keys.js';
import {until} from '../helpers/wait.js';

const flag = globalThis as {IS_REACT_ACT_ENVIRONMENT?: boolean};
let actEnvironment: boolean | undefined;
beforeAll(() => {
	actEnvironment = flag.IS_REACT_ACT_ENVIRONMENT;
	flag.IS_REACT_ACT_ENVIRONMENT = false;
});
afterAll(() => {
	flag.IS_REACT_ACT_ENVIRONMENT = actEnvironment;
});

function First({onDone}: {readonly onDone: () => void}) {
	useKeys((input, key) => {
		// As a sign-in does: the screen moves on when work started by the key settles.
		if (isConfirm(input, key)) void Promise.resolve().then(onDone);
	});
	return <Text>first</Text>;
}

/** A screen with no keys that hands on once drawn, as the sign-in's "✓ Signed in" does. */
function Passing({onDone}: {readonly onDone: () => void}) {
	useEffect(onDone, [onDone]);
	return <Text>passing</Text>;
}

function Counter() {
	const [downs, setDowns] = useState(0);
	useKeys((input, key) => {
		if (isDown(input, key)) setDowns((n) => n + 1);
	});
	return <Text>{`counter ${downs}`}</Text>;
}

function Flow({passing}: {readonly passing: boolean}) {
	const [screen, setScreen] = useState<'first' | 'passing' | 'counter'>('first');
	// A global key handler, like the wizard's quit key, stays subscribed throughout.
	useKeys(() => {});
	if (screen === 'first') return <First onDone={() => setScreen(passing ? 'passing' : 'counter')} />;
	if (screen === 'passing') return <Passing onDone={() => setScreen('counter')} />;
	return <Counter />;
}

function renderWithKeyAt(passing: boolean, trigger: string, key: string) {
	const r = render(<Flow passing={passing} />);
	const write = r.stdout.write.bind(r.stdout);
	let sent = false;
	r.stdout.write = (frame: string) => {
		write(frame);
		if (!sent && frame.includes(trigger)) {
			sent = true;
			queueMicrotask(() => r.stdin.write(key));
		}
	};
	return r;
}

for (const passing of [false, true]) {
	it(`a key typed as the next screen is drawn reaches it${passing ? ', through a screen with no keys' : ''}`, async () => {
		const r = renderWithKeyAt(passing, 'counter 0', KEYS.down);
		try {
			await until(() => r.lastFrame()?.includes('first'), 'the first screen');
			// Its useInput subscribes after the frame: wait for Ink to read stdin.
			await until(() => r.stdin.listenerCount('readable') > 0, 'stdin read');
			r.stdin.write(KEYS.enter);
			await until(() => r.lastFrame()?.includes('counter 1'), 'the key on the counter', 2000);
		} finally {
			r.unmount();
		}
	});
}
