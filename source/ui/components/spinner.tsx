// One line: a spinner and what is being waited for. Static when services.animate is false.
import {useEffect, useState} from 'react';
import {Text} from 'ink';
import {useServices} from '../services.js';
import {useTheme} from '../theme.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Re-renders every intervalMs while active and animation is on; returns a tick count. */
export function useTicker(intervalMs: number, active = true): number {
	const {animate = true} = useServices();
	const [tick, setTick] = useState(0);
	useEffect(() => {
		if (!active || !animate) return;
		const timer = setInterval(() => setTick((n) => n + 1), intervalMs);
		return () => clearInterval(timer);
	}, [intervalMs, active, animate]);
	return tick;
}

export function Spinner({label}: {readonly label: string}) {
	const theme = useTheme();
	const tick = useTicker(80);
	return (
		<Text>
			<Text color={theme.accent}>{FRAMES[tick % FRAMES.length]}</Text> {label}
		</Text>
	);
}
