import { useEffect, useState } from 'react'
import { useI18n } from '../i18n'
import { ApiError, fetchRoom, type RoomInfo } from '../lib/api'
import { identity, rememberedName } from '../lib/identity'
import { recallRoomInfo, rememberRoomInfo } from '../lib/roomInfoCache'
import { roomTokenKey, takeToken } from '../lib/tokens'
import type { RoomUser } from '../sync/useRoom'
import { Board } from './Board'
import { CenteredCard } from './CenteredCard'

type State = { kind: 'loading' } | { kind: 'failed'; status?: number; message: string } | { kind: 'ready'; info: RoomInfo }

export function RoomPage({ room }: { room: string }) {
	const { t } = useI18n()
	const [token] = useState(() => takeToken(roomTokenKey(room)))
	const [state, setState] = useState<State>({ kind: 'loading' })
	const [user, setUser] = useState<RoomUser>()
	const [name, setName] = useState(rememberedName)

	useEffect(() => {
		if (!token) return setState({ kind: 'failed', message: t('noToken') })
		let live = true
		const failed = (e: unknown): State => ({ kind: 'failed', status: e instanceof ApiError ? e.status : undefined, message: e instanceof Error ? e.message : String(e) })
		fetchRoom(room, token).then(
			(info) => {
				if (live) setState({ kind: 'ready', info })
				void rememberRoomInfo(info, token)
			},
			async (e: unknown) => {
				// fetch rejects (TypeError) only when the server cannot be reached: offline, the room
				// opens as last seen and the map comes from IndexedDB. Any HTTP answer (401/403/404...) stands.
				const remembered = e instanceof TypeError ? await recallRoomInfo(room, token) : undefined
				if (live) setState(remembered ? { kind: 'ready', info: remembered } : failed(e))
			},
		)
		return () => {
			live = false
		}
	}, [room, token, t])

	useEffect(() => {
		if (state.kind === 'ready') document.title = `${state.info.title || t('untitledMap')} · Maillage`
	}, [state, t])

	if (state.kind === 'loading') return <CenteredCard title={t('loadingRoom')} />
	if (state.kind === 'failed') {
		const text = state.status === 401 || state.status === 403 ? t('badLink') : state.status === 404 ? t('noSuchRoom') : t('roomUnavailable')
		return (
			<CenteredCard title={t('cannotOpenRoom')}>
				<p>{text}</p>
				{state.status === undefined || state.status >= 500 ? <p className="muted">{state.message}</p> : null}
			</CenteredCard>
		)
	}
	if (!user || !token) {
		return (
			<CenteredCard title={state.info.title || t('untitledMap')} subtitle={t('joinAs', { role: t(`role_${state.info.role}`) })}>
				<form
					className="join-form"
					onSubmit={(e) => {
						e.preventDefault()
						if (name.trim()) setUser({ ...identity(name.trim()), role: state.info.role })
					}}
				>
					<label className="field__label" htmlFor="display-name">
						{t('displayName')}
					</label>
					<input id="display-name" name="displayName" autoFocus value={name} maxLength={60} onChange={(e) => setName(e.target.value)} placeholder={t('displayNamePlaceholder')} />
					<p className="muted">{t('displayNameHelp')}</p>
					<button type="submit" className="button button--primary" disabled={!name.trim()}>
						{t('enterRoom')}
					</button>
				</form>
			</CenteredCard>
		)
	}
	return <Board info={state.info} token={token} user={user} />
}
