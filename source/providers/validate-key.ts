// API key validation: a free "list models" call through the provider's SDK, its error classes mapped to one-line reasons.
// The SDKs load here through import(), so only a command that validates pays for them.
// No message ever holds the key, nor any text the provider sent back (it may echo part of the key).
import {TuiError, UsageError} from '../core/errors.js';
import {PROVIDER_NAMES, type ProviderId} from '../core/schemas.js';
import {withArticle} from '../core/text.js';
import type {Env} from './config-env.js';
import {claudeConfig} from './claude.js';
import {openaiConfig} from './openai.js';

export type KeyValidation =
	| {readonly ok: true}
	| {
			readonly ok: false;
			readonly reason: 'invalid' | 'rate-limited' | 'provider-error' | 'offline';
			readonly message: string;
	  };

export type ValidateOptions = {
	readonly env: Env;
	readonly fetch?: typeof fetch;
	readonly signal?: AbortSignal;
	/** Milliseconds; default 15 s. */
	readonly timeoutMs?: number;
};

export const VALIDATE_TIMEOUT_MS = 15_000;
/** Real keys are 40-200 characters; anything past this is a paste gone wrong. */
export const MAX_KEY_LENGTH = 1024;
const MIN_KEY_LENGTH = 8;

/** Local checks before any request. Throws a one-line UsageError that never quotes the key. */
export function assertApiKeyShape(key: string): void {
	if (key.length === 0) throw new UsageError('the API key is empty');
	if (key.length > MAX_KEY_LENGTH)
		throw new UsageError(
			`the API key is ${key.length} characters long, more than any real key (max ${MAX_KEY_LENGTH})`,
		);
	if (/\s/.test(key)) throw new UsageError('the API key contains whitespace; give the key alone, on one line');
	if (/[\u0000-\u001F\u007F-\u009F]/.test(key)) throw new UsageError('the API key contains control characters');
	if (!/^[\u0021-\u007E]+$/.test(key)) throw new UsageError('the API key contains characters outside printable ASCII');
	if (key.length < MIN_KEY_LENGTH)
		throw new UsageError(`the API key is only ${key.length} characters long; that is not a whole key`);
}

/**
 * The one rule for a key however it came (typed in a screen, typed at a prompt, piped): surrounding whitespace,
 * CR and LF go; whitespace inside is refused (assertApiKeyShape). Returns the key to validate and store.
 */
export function normalizeApiKey(raw: string): string {
	const key = raw.replace(/^\s+|\s+$/g, '');
	assertApiKeyShape(key);
	return key;
}

/** Which provider a key's prefix suggests, for a hint when it is rejected. */
function looksLike(key: string): ProviderId | undefined {
	if (key.startsWith('sk-ant-')) return 'claude';
	if (key.startsWith('sk-')) return 'openai';
	return undefined;
}

type SdkErrors = {
	APIUserAbortError: new (...a: never[]) => Error;
	APIConnectionTimeoutError: new (...a: never[]) => Error;
	APIConnectionError: new (...a: never[]) => Error;
	AuthenticationError: new (...a: never[]) => Error;
	PermissionDeniedError: new (...a: never[]) => Error;
	RateLimitError: new (...a: never[]) => Error;
	InternalServerError: new (...a: never[]) => Error;
	APIError: new (...a: never[]) => Error;
};

function hostOf(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return 'the provider';
	}
}

/** A short, safe token from the provider's error body (e.g. insufficient_quota); never its free text. */
function errorCode(error: unknown): string | undefined {
	const code =
		(error as {code?: unknown; error?: {error?: {type?: unknown}}}).code ??
		(error as {error?: {error?: {type?: unknown}}}).error?.error?.type;
	return typeof code === 'string' && /^[a-z][a-z0-9_]{0,40}$/.test(code) ? code : undefined;
}

function mapError(error: unknown, errors: SdkErrors, company: string, host: string, timeoutMs: number): KeyValidation {
	if (error instanceof errors.APIUserAbortError) throw new TuiError('key validation was cancelled');
	if (error instanceof errors.APIConnectionTimeoutError)
		return {
			ok: false,
			reason: 'offline',
			message: `offline? no answer from ${host} within ${Math.round(timeoutMs / 1000)} s`,
		};
	if (error instanceof errors.APIConnectionError)
		return {ok: false, reason: 'offline', message: `offline? could not reach ${host}`};
	if (error instanceof errors.AuthenticationError)
		return {ok: false, reason: 'invalid', message: `invalid key: ${company} rejected it (401)`};
	if (error instanceof errors.PermissionDeniedError)
		return {
			ok: false,
			reason: 'invalid',
			message: `${company} refused this key (403): it lacks permission to list models`,
		};
	if (error instanceof errors.RateLimitError) {
		const code = errorCode(error);
		if (code === 'insufficient_quota')
			return {
				ok: false,
				reason: 'rate-limited',
				message: `${company} says this key's account is out of quota or credit (429 insufficient_quota)`,
			};
		return {ok: false, reason: 'rate-limited', message: `rate limited by ${company}, try later (429)`};
	}
	const status = (error as {status?: unknown}).status;
	if (status === 402)
		return {
			ok: false,
			reason: 'provider-error',
			message: `${company} says this key's account needs billing set up (402)`,
		};
	if (error instanceof errors.InternalServerError || (typeof status === 'number' && status >= 500))
		return {
			ok: false,
			reason: 'provider-error',
			message: `${company} is having issues, try later (${typeof status === 'number' ? status : 'server error'})`,
		};
	if (error instanceof errors.APIError && typeof status === 'number') {
		const code = errorCode(error);
		return {
			ok: false,
			reason: 'provider-error',
			message: `${company} answered ${status}${code ? ` ${code}` : ''} at ${host}; check the API base URL`,
		};
	}
	// Anything else (unparseable body, a proxy's HTML): say where, not what it said.
	return {ok: false, reason: 'provider-error', message: `unexpected answer from ${host}; is the API base URL right?`};
}

async function validateOpenAI(key: string, options: ValidateOptions, timeoutMs: number): Promise<KeyValidation> {
	const config = openaiConfig(options.env);
	const sdk = await import('openai');
	const client = new sdk.OpenAI({
		apiKey: key,
		baseURL: config.apiBaseUrl,
		organization: null,
		project: null,
		// OPENAI_LOG=debug would print requests; nothing of a validation may reach a log.
		logLevel: 'off',
		maxRetries: 0,
		timeout: timeoutMs,
		...(options.fetch ? {fetch: options.fetch} : {}),
	});
	try {
		await client.models.list({signal: options.signal});
		return {ok: true};
	} catch (error) {
		return mapError(error, sdk as unknown as SdkErrors, PROVIDER_NAMES.openai, hostOf(config.apiBaseUrl), timeoutMs);
	}
}

async function validateClaude(key: string, options: ValidateOptions, timeoutMs: number): Promise<KeyValidation> {
	const config = claudeConfig(options.env);
	const sdk = await import('@anthropic-ai/sdk');
	const client = new sdk.Anthropic({
		apiKey: key,
		// Never let ANTHROPIC_AUTH_TOKEN from the environment ride along.
		authToken: null,
		baseURL: config.apiBaseUrl,
		// ANTHROPIC_LOG=debug would print requests; nothing of a validation may reach a log.
		logLevel: 'off',
		maxRetries: 0,
		timeout: timeoutMs,
		...(options.fetch ? {fetch: options.fetch} : {}),
	});
	try {
		await client.models.list({}, {signal: options.signal});
		return {ok: true};
	} catch (error) {
		return mapError(error, sdk as unknown as SdkErrors, PROVIDER_NAMES.claude, hostOf(config.apiBaseUrl), timeoutMs);
	}
}

/**
 * Checks a key against the provider (GET /models). Malformed keys throw UsageError before any request;
 * a cancelled signal throws TuiError; every provider or network outcome is a result.
 */
export async function validateApiKey(
	provider: ProviderId,
	raw: string,
	options: ValidateOptions,
): Promise<KeyValidation> {
	const key = normalizeApiKey(raw);
	const timeoutMs = options.timeoutMs ?? VALIDATE_TIMEOUT_MS;
	const result =
		provider === 'openai'
			? await validateOpenAI(key, options, timeoutMs)
			: await validateClaude(key, options, timeoutMs);
	if (!result.ok && result.reason === 'invalid') {
		const other = looksLike(key);
		if (other && other !== provider)
			return {
				...result,
				message: `${result.message}; it looks like ${withArticle(PROVIDER_NAMES[other])} key (try --provider ${other})`,
			};
	}
	return result;
}
