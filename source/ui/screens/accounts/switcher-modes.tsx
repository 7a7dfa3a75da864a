// The switcher's questions about one account: remove it (y/N), rename it, or, when it cannot be used,
// log in again or switch anyway.
import {Box, Text} from 'ink';
import {PROVIDER_NAMES, type ProviderId} from '../../../core/schemas.js';
import {isBack, isConfirm} from '../../keymap.js';
import {useServices} from '../../services.js';
import {useTheme} from '../../theme.js';
import {accountDetails, accountName} from './account-text.js';
import type {AccountRow} from './accounts-api.js';
import {SwitcherFrame, useModeKeys, type SwitcherShell} from './switcher-frame.js';
import {TextField, useTextField} from './text-field.js';

type ModeProps = {readonly isActive: boolean; readonly shell: SwitcherShell};

export function ConfirmRemove({
	isActive,
	shell,
	row,
	onRemove,
	onKeep,
}: ModeProps & {readonly row: AccountRow; readonly onRemove: () => void; readonly onKeep: () => void}) {
	const services = useServices();
	useModeKeys(shell, isActive, (input, key) => {
		if (input === 'y' || input === 'Y') return onRemove();
		// No is the default: Enter keeps it too.
		if (input === 'n' || input === 'N' || isBack(input, key) || isConfirm(input, key)) onKeep();
	});
	return (
		<SwitcherFrame
			shell={shell}
			title="Remove account"
			hints={[
				['y', 'remove'],
				['n', 'keep'],
				['esc', 'keep'],
			]}
		>
			<Box flexDirection="column">
				<Text wrap="wrap">{`Remove ${accountName(row)} (${accountDetails(row, services.now())})?`}</Text>
				<Text wrap="wrap">{`It is deleted from auth/${row.provider}.json. [y/N]`}</Text>
			</Box>
		</SwitcherFrame>
	);
}

export function RenameAccount({
	isActive,
	shell,
	row,
	onRename,
	onCancel,
}: ModeProps & {readonly row: AccountRow; readonly onRename: (label: string) => void; readonly onCancel: () => void}) {
	const nameField = useTextField(row.label);
	useModeKeys(shell, isActive, (input, key) => {
		if (isBack(input, key)) return onCancel();
		const result = nameField.handleKey(input, key);
		if (result.handled) shell.setNote(undefined);
		if (result.submitted === undefined) return;
		if (result.submitted === row.label) return onCancel();
		onRename(result.submitted);
	});
	return (
		<SwitcherFrame
			shell={shell}
			title="Rename account"
			hints={[
				['enter', 'save'],
				['esc', 'cancel'],
			]}
		>
			<Box flexDirection="column">
				<Text>{`New label for ${accountName(row)}:`}</Text>
				<TextField label="Label:" value={nameField.value} />
			</Box>
		</SwitcherFrame>
	);
}

export function UnusableAccount({
	isActive,
	shell,
	provider,
	row,
	reason,
	onRelogin,
	onSwitchAnyway,
	onCancel,
}: ModeProps & {
	readonly provider: ProviderId;
	readonly row?: AccountRow;
	readonly reason: string;
	readonly onRelogin: () => void;
	readonly onSwitchAnyway: () => void;
	readonly onCancel: () => void;
}) {
	const theme = useTheme();
	useModeKeys(shell, isActive, (input, key) => {
		if (isBack(input, key) || input === 'n' || input === 'N') return onCancel();
		if (input === 'l' || isConfirm(input, key)) return onRelogin();
		if (input === 's') onSwitchAnyway();
	});
	return (
		<SwitcherFrame
			shell={shell}
			title="Not usable"
			hints={[
				['enter/l', 'log in again'],
				['s', 'switch anyway'],
				['esc', 'cancel'],
			]}
		>
			<Box flexDirection="column">
				<Text
					color={theme.warning}
					wrap="wrap"
				>{`⚠ ${row ? accountName(row) : PROVIDER_NAMES[provider]}: ${reason}.`}</Text>
				<Text wrap="wrap">Switching there would fail. Log in again?</Text>
			</Box>
		</SwitcherFrame>
	);
}
