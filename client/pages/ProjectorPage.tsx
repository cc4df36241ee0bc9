import { useCallback, useEffect, useMemo, useState } from 'react'
import QRCode from 'qrcode'
import { createUserId, Tldraw, useValue, type Editor } from 'tldraw'
import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import { useI18n } from '../i18n'
import { fitMap } from '../canvas/fit'
import { OrganisationShapeUtil } from '../canvas/OrganisationShapeUtil'
import { ApiError, fetchRoom, type RoomInfo } from '../lib/api'
import { newId } from '../lib/ids'
import { joinLinkOf } from '../lib/joinLink'
import { roomTokenKey, takeToken } from '../lib/tokens'
import { LockIcon } from '../panels/icons'
import { Legend } from '../panels/Legend'
import { useRoom, type Peer, type RoomUser } from '../sync/useRoom'
import { CenteredCard } from './CenteredCard'

const shapeUtils = [OrganisationShapeUtil]
const assetUrls = getAssetUrlsByImport()
const licenseKey = import.meta.env.TLDRAW_LICENSE_KEY || undefined
const PROJECTOR_ROLE = 'projector'

function JoinCard({ link, withToken }: { link: string; withToken: boolean }) {
	const { t } = useI18n()
	const [qr, setQr] = useState<string>()
	useEffect(() => {
		// Drawn locally: a link with a token must not go to any QR service.
		QRCode.toDataURL(link, { margin: 1, width: 240, errorCorrectionLevel: 'M' }).then(setQr, () => setQr(undefined))
	}, [link])
	const [address, fragment] = link.replace(/^https?:\/\//, '').split('#')
	return (
		<div className="projector__join" data-testid="projector-join">
			<h2>{t('projectorJoin')}</h2>
			{qr && <img src={qr} width={240} height={240} alt="" data-testid="projector-qr" />}
			<p className="projector__hint">{withToken ? t('projectorJoinParticipant') : t('projectorJoinAddress')}</p>
			<p className="projector__link" data-testid="projector-link">
				{address}
				{fragment && <span className="projector__token">#{fragment}</span>}
			</p>
		</div>
	)
}

/** The first facilitator present, whose view the projector shows. */
function leaderOf(peers: Peer[]): Peer | undefined {
	return peers.find((p) => p.role === 'facilitator')
}

function ProjectorBoard({ info, token }: { info: RoomInfo; token: string }) {
	const { t, lang } = useI18n()
	const [user] = useState<RoomUser>(() => ({ id: newId('projector'), name: t('projectorName'), colour: '#495057', role: PROJECTOR_ROLE }))
	const room = useRoom({ roomId: info.room, token, user, shapeUtils, readOnly: true })
	const [editor, setEditor] = useState<Editor>()
	const onMount = useCallback((mounted: Editor) => {
		mounted.updateInstanceState({ isReadonly: true })
		setEditor(mounted)
		return () => setEditor(undefined)
	}, [])

	const leader = leaderOf(room.peers)
	const leaderPresence = useValue(
		'leader presence',
		() => (editor && leader ? editor.getCollaborators().find((c) => c.userId === createUserId(leader.id) || c.userId === (leader.id as string)) : undefined),
		[editor, leader?.id],
	)
	const followed = useValue('followed user', () => editor?.getInstanceState().followingUserId ?? null, [editor])
	useEffect(() => {
		if (!editor) return
		if (leaderPresence) {
			if (editor.getInstanceState().followingUserId !== leaderPresence.userId) editor.startFollowingUser(leaderPresence.userId)
		} else {
			editor.stopFollowingUser()
			fitMap(editor, { animate: false })
		}
	}, [editor, leaderPresence])
	// Until someone leads, keep the whole map in view as it grows.
	const shapeCount = useValue('shape count', () => editor?.getCurrentPageShapeIds().size ?? 0, [editor])
	useEffect(() => {
		if (editor && !leaderPresence && shapeCount > 0) fitMap(editor)
	}, [editor, leaderPresence, shapeCount])

	const people = new Set(room.peers.filter((p) => p.role !== PROJECTOR_ROLE).map((p) => p.id)).size
	const status = room.status === 'connected' ? room.roomStatus : info
	const agreed = status.agreedVersion
	const link = useMemo(() => joinLinkOf(info.room, info.role, token, location.origin), [info, token])

	return (
		<div className="projector" data-testid="projector">
			<header className="projector__header">
				<span className="brand__logo" aria-hidden />
				<h1>{info.title || t('untitledMap')}</h1>
				{status.locked && (
					<span className="projector__locked" data-testid="projector-locked">
						<LockIcon size={20} /> {t('lockedBadge')}
					</span>
				)}
				<span className="topbar__spacer" />
				<span className="projector__people" data-testid="projector-people">
					{t('projectorPeople', { count: people })}
				</span>
			</header>
			{agreed && (
				<div className="projector__agreed" data-testid="projector-agreed">
					✓ {t('agreedBanner', { number: agreed.number, label: agreed.label, date: new Date(agreed.at).toLocaleDateString(lang, { dateStyle: 'long' }) })}
				</div>
			)}
			<div className="projector__body">
				<main className="projector__canvas" data-testid="projector-canvas" data-following={followed ?? ''}>
					<Tldraw store={room.store} shapeUtils={shapeUtils} assetUrls={assetUrls} licenseKey={licenseKey} onMount={onMount} hideUi />
					{editor && <Legend fixed />}
				</main>
				<aside className="projector__side">
					<JoinCard link={link} withToken={info.role === 'participant'} />
					<p className="projector__follow" data-testid="projector-follow">
						{leader && leaderPresence ? t('projectorFollowing', { name: leader.name }) : t('projectorWaiting')}
					</p>
				</aside>
			</div>
		</div>
	)
}

/** `/room/<room>/projector#token=…`: the big-screen view, read-only whatever the token. */
export function ProjectorPage({ room }: { room: string }) {
	const { t } = useI18n()
	const [token] = useState(() => takeToken(roomTokenKey(room)))
	const [state, setState] = useState<{ info?: RoomInfo; failed?: string }>({})
	useEffect(() => {
		if (!token) return setState({ failed: t('noToken') })
		let live = true
		fetchRoom(room, token).then(
			(info) => live && setState({ info }),
			(e: unknown) => live && setState({ failed: e instanceof ApiError && e.status < 500 ? t('badLink') : t('roomUnavailable') }),
		)
		return () => {
			live = false
		}
	}, [room, token, t])
	useEffect(() => {
		if (state.info) document.title = `${state.info.title || t('untitledMap')} · ${t('projectorName')}`
	}, [state.info, t])
	if (state.failed) return <CenteredCard title={t('cannotOpenRoom')}>{<p>{state.failed}</p>}</CenteredCard>
	if (!state.info || !token) return <CenteredCard title={t('loadingRoom')} />
	return <ProjectorBoard info={state.info} token={token} />
}
