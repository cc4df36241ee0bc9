import { useState } from 'react'
import type { Issue } from '../../shared/issues'
import type { ConnectionStatus as Status } from '../sync/useRoom'
import { useI18n, type MessageKey } from '../i18n'

const statusText: Record<Status, MessageKey> = {
	connecting: 'statusConnecting',
	connected: 'statusConnected',
	reconnecting: 'statusReconnecting',
	offline: 'statusOffline',
	error: 'statusError',
}

/** The close reasons (shared/protocol keys) that the user can act on, explained; others are shown as their key. */
const closeText: Partial<Record<string, MessageKey>> = {
	'room too large': 'closeRoomTooLarge',
	'too many updates': 'closeTooManyUpdates',
	'presence too large': 'closePresenceTooLarge',
}

/** Always-visible connection state, plus a discreet count of records that could not be read. */
export function ConnectionStatus({ status, error, invalidRecords }: { status: Status; error?: { code: number; reason: string }; invalidRecords: Issue[] }) {
	const { t, issueText } = useI18n()
	const [open, setOpen] = useState(false)
	return (
		<div className="status">
			<span className={`status__pill status__pill--${status}`} data-testid="connection-status" data-status={status} title={error ? `${error.code} ${error.reason}` : undefined}>
				<span className="status__dot" />
				{t(statusText[status])}
				{status === 'error' && error && <span className="status__reason">: {closeText[error.reason] ? t(closeText[error.reason] as MessageKey) : error.reason || error.code}</span>}
			</span>
			{invalidRecords.length > 0 && (
				<div className="popover-anchor">
					<button type="button" className="status__issues" onClick={() => setOpen(!open)} aria-expanded={open} data-testid="invalid-records">
						{t('invalidRecords', { count: invalidRecords.length })}
					</button>
					{open && (
						<div className="popover popover--issues" role="dialog" aria-label={t('invalidRecordsTitle')}>
							<h3>{t('invalidRecordsTitle')}</h3>
							<p className="muted">{t('invalidRecordsHelp')}</p>
							<ul className="issue-list">
								{invalidRecords.map((i, n) => (
									<li key={n}>{issueText(i)}</li>
								))}
							</ul>
						</div>
					)}
				</div>
			)}
		</div>
	)
}
