import { useState } from 'react'
import type { Role } from '../../shared/protocol'
import type { RoomStatus } from '../../shared/roomStatus'
import { useI18n } from '../i18n'
import { setRoomLock } from '../lib/api'
import type { RoomUser } from '../sync/useRoom'
import { LockIcon } from './icons'

const time = (ms: number, lang: string) => new Date(ms).toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' })

/** The facilitator's switch; everyone else learns the new state from the server's awareness. */
export function LockButton({ room, token, user, status }: { room: string; token: string; user: RoomUser; status: RoomStatus }) {
	const { t } = useI18n()
	const [busy, setBusy] = useState(false)
	const [failure, setFailure] = useState<string>()
	const toggle = () => {
		setBusy(true)
		setFailure(undefined)
		setRoomLock(room, token, !status.locked, user.name)
			.catch((e: unknown) => setFailure(t('lockFailed', { message: e instanceof Error ? e.message : String(e) })))
			.finally(() => setBusy(false))
	}
	return (
		<button
			type="button"
			className={status.locked ? 'toolbar-button toolbar-button--locked' : 'toolbar-button'}
			onClick={toggle}
			disabled={busy}
			aria-pressed={status.locked}
			title={failure ?? (status.locked ? t('unlockHelp') : t('lockHelp'))}
			data-testid="lock-toggle"
		>
			<LockIcon open={!status.locked} />
			{status.locked ? t('unlock') : t('lock')}
		</button>
	)
}

/** Says to everyone that the map is locked, and to participants why they cannot draw. */
export function LockBanner({ status, role }: { status: RoomStatus; role: Role }) {
	const { t, lang } = useI18n()
	const since = status.lockedAt ? ` ${t('lockedSince', { time: time(status.lockedAt, lang) })}` : ''
	return (
		<div className={role === 'participant' ? 'lock-banner lock-banner--blocking' : 'lock-banner'} role="status" data-testid="lock-banner">
			<LockIcon size={18} />
			<span>
				{role === 'participant' ? t('lockedParticipant') : t('lockedOthers')}
				{since}
			</span>
		</div>
	)
}

/** The last agreed version, in the top bar. */
export function AgreedChip({ status }: { status: RoomStatus }) {
	const { t, lang } = useI18n()
	const agreed = status.agreedVersion
	if (!agreed) return null
	const date = new Date(agreed.at).toLocaleDateString(lang, { day: 'numeric', month: 'short' })
	return (
		<span className="agreed-chip" data-testid="agreed-chip" title={t('agreedBanner', { number: agreed.number, label: agreed.label, date })}>
			✓ v{agreed.number} · {agreed.label}
		</span>
	)
}
