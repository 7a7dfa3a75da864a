// The one shape of a running sign-in, shared by the OAuth engine, the commands that print its progress and
// the login screen (which imports it as a type): the method, the progress events, and the handle to cancel.
import type {Account, OAuthAccount} from '../core/schemas.js';

export type LoginMethod = 'browser' | 'paste';

/** An account as progress may show it: no tokens, no key. */
export type PublicAccount = Omit<Account, 'tokens' | 'key'>;

export type LoginEvent =
	| {readonly type: 'listening'; readonly port: number; readonly redirectUri: string}
	| {readonly type: 'browser-opened'}
	| {readonly type: 'browser-failed'; readonly reason: string}
	| {readonly type: 'waiting'; readonly method: LoginMethod; readonly expiresAt: number}
	| {readonly type: 'callback'}
	| {readonly type: 'exchanging'}
	| {readonly type: 'stored'; readonly account: PublicAccount}
	| {readonly type: 'failed'; readonly message: string};

/** A running login; `done` resolves with the stored account (the engine's holds tokens: print `withoutSecrets(account)` only). */
export type LoginHandle<A = OAuthAccount> = {
	/** The URL the user must open (an id_token_hint is left out; the browser opener gets the full URL). */
	readonly authUrl?: string;
	/** Paste: where the provider will send the browser (nothing listens there). */
	readonly redirectUri?: string;
	/** Browser: how to finish from another machine (port forwarding, or export/import). */
	readonly remoteHint?: string;
	/** Epoch ms when the flow gives up. */
	readonly expiresAt: number;
	readonly done: Promise<A>;
	cancel(): void;
	/** Paste: a full callback URL (Claude also takes `code#state` or the query). Rejects (flow continues) on a wrong state. */
	submitPaste?(input: string): Promise<void>;
};
