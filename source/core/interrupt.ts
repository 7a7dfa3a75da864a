// Ctrl+C ends the process with 130, as shells expect, however it arrived: as SIGINT, or as the key read by a
// raw-mode screen or prompt (where the terminal sends no signal). The entry reads this once at the end.
let interrupted = false;

export function markInterrupted(): void {
	interrupted = true;
}

export function wasInterrupted(): boolean {
	return interrupted;
}
