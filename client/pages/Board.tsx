import { useCallback, useEffect, useMemo, useState } from 'react'
import { Tldraw, useTldrawCurrentUser, type Editor, type TLUserPreferences } from 'tldraw'
import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import { mayEdit } from '../../shared/protocol'
import type { RoomStatus } from '../../shared/roomStatus'
import { useI18n } from '../i18n'
import { MarksProvider } from '../canvas/marks'
import { OrganisationShapeUtil, OrganisationTool } from '../canvas/OrganisationShapeUtil'
import { registerPartnershipEffects } from '../canvas/partnershipEffects'
import { uiComponents, uiOverrides } from '../canvas/ui'
import { useRoom, type RoomUser } from '../sync/useRoom'
import type { RoomInfo } from '../lib/api'
import { AnalysisPanel } from '../panels/AnalysisPanel'
import { ConnectionStatus } from '../panels/ConnectionStatus'
import { diffMarks, type Comparison } from '../panels/diffMarks'
import { ExportMenu } from '../panels/ExportMenu'
import { Inspector } from '../panels/Inspector'
import { LanguageSwitch } from '../panels/LanguageSwitch'
import { LayoutMenu } from '../panels/LayoutMenu'
import { Legend } from '../panels/Legend'
import { AgreedChip, LockBanner, LockButton } from '../panels/LockControls'
import { MapList } from '../panels/MapList'
import { MapMenu } from '../panels/MapMenu'
import { Participants } from '../panels/Participants'
import { VersionsPanel } from '../panels/VersionsPanel'

const shapeUtils = [OrganisationShapeUtil]
const tools = [OrganisationTool]
// Fonts, icons and tldraw's translations are bundled: the app needs no CDN (meetings may be offline).
const assetUrls = getAssetUrlsByImport()
const licenseKey = import.meta.env.TLDRAW_LICENSE_KEY || undefined

const tabs = ['inspector', 'list', 'analysis', 'versions'] as const
type Tab = (typeof tabs)[number]
const tabLabel = { inspector: 'tabInspector', list: 'tabList', analysis: 'tabAnalysis', versions: 'tabVersions' } as const

/** The room status from the page's first request, until the server's live one arrives. */
function statusOf(info: RoomInfo): RoomStatus {
	return { locked: info.locked, lockedBy: info.lockedBy ?? null, lockedAt: info.lockedAt ?? null, agreedVersion: info.agreedVersion ?? null }
}

export function Board({ info, token, user }: { info: RoomInfo; token: string; user: RoomUser }) {
	const { t, lang } = useI18n()
	const readOnly = info.role === 'viewer'
	const room = useRoom({ roomId: info.room, token, user, shapeUtils, readOnly })
	const [editor, setEditor] = useState<Editor>()
	const [tab, setTab] = useState<Tab>('inspector')
	const [comparison, setComparison] = useState<Comparison>()

	const roomStatus = room.status === 'connected' ? room.roomStatus : statusOf(info)
	// While the map is locked the server drops participants' edits: the editor must not make any.
	const canEdit = !readOnly && !room.schemaMismatch && mayEdit(info.role, roomStatus)

	const [extraPrefs, setExtraPrefs] = useState<Partial<TLUserPreferences>>({})
	const userPreferences = useMemo<TLUserPreferences>(
		() => ({ ...extraPrefs, id: user.id, name: user.name, color: user.colour, locale: lang }),
		[extraPrefs, user, lang],
	)
	const setUserPreferences = useCallback((prefs: TLUserPreferences) => {
		const { id: _id, name: _name, color: _color, locale: _locale, ...rest } = prefs
		setExtraPrefs(rest)
	}, [])
	const tldrawUser = useTldrawCurrentUser({ userPreferences, setUserPreferences })

	useEffect(() => {
		if (!editor) return
		// A drawing or a text edit in progress is dropped rather than finished into a refused change.
		if (!canEdit && !editor.getIsReadonly()) editor.cancel().setCurrentTool('select')
		editor.updateInstanceState({ isReadonly: !canEdit })
	}, [editor, canEdit])

	const onMount = useCallback((mounted: Editor) => {
		setEditor(mounted)
		const unregister = registerPartnershipEffects(mounted)
		return () => {
			unregister()
			setEditor(undefined)
		}
	}, [])

	const marks = useMemo(() => (editor && comparison ? diffMarks(editor, comparison.response.diff) : undefined), [editor, comparison])
	const isFacilitator = info.role === 'facilitator'

	return (
		<div className="app">
			<header className="topbar">
				<div className="brand" aria-hidden>
					<span className="brand__logo" />
					Maillage
				</div>
				<div className="topbar__title">
					<h1>{info.title || t('untitledMap')}</h1>
					<span className={`role-badge role-badge--${info.role}`}>{t(`role_${info.role}`)}</span>
					<AgreedChip status={roomStatus} />
				</div>
				<div className="topbar__spacer" />
				<ConnectionStatus status={room.status} error={room.error} invalidRecords={room.invalidRecords} />
				{editor && <Participants editor={editor} me={user} peers={room.peers} />}
				{isFacilitator && <LockButton room={info.room} token={token} user={user} status={roomStatus} />}
				{editor && canEdit && <LayoutMenu editor={editor} doc={room.doc} />}
				{editor && <ExportMenu editor={editor} doc={room.doc} title={info.title} />}
				{editor && isFacilitator && <MapMenu editor={editor} doc={room.doc} room={info.room} token={token} />}
				<LanguageSwitch />
			</header>
			{room.schemaMismatch && (
				<div className="blocking-banner" role="alert" data-testid="schema-mismatch">
					<strong>{t('schemaMismatchTitle')}</strong> {t('schemaMismatchText')}
				</div>
			)}
			{roomStatus.locked && <LockBanner status={roomStatus} role={info.role} />}
			<div className="workspace">
				<main className="canvas" data-testid="board-canvas" data-editable={canEdit}>
					<MarksProvider value={marks}>
						<Tldraw
							store={room.store}
							shapeUtils={shapeUtils}
							tools={tools}
							overrides={uiOverrides}
							components={uiComponents}
							assetUrls={assetUrls}
							user={tldrawUser}
							licenseKey={licenseKey}
							onMount={onMount}
						/>
					</MarksProvider>
					{editor && <Legend />}
				</main>
				<aside className="sidebar" aria-label={t('sidebar')}>
					<div className="tabs" role="tablist">
						{tabs.map((id) => (
							<button key={id} type="button" role="tab" aria-selected={tab === id} className={tab === id ? 'tab tab--on' : 'tab'} onClick={() => setTab(id)} data-testid={`tab-${id}`}>
								{t(tabLabel[id])}
							</button>
						))}
					</div>
					<div className="sidebar__content">
						{editor && tab === 'inspector' && <Inspector editor={editor} doc={room.doc} readOnly={!canEdit} />}
						{editor && tab === 'list' && <MapList editor={editor} />}
						{editor && tab === 'analysis' && <AnalysisPanel editor={editor} doc={room.doc} />}
						{editor && tab === 'versions' && (
							<VersionsPanel
								editor={editor}
								room={info.room}
								token={token}
								user={user}
								isFacilitator={isFacilitator}
								status={roomStatus}
								comparison={comparison}
								onCompare={setComparison}
							/>
						)}
					</div>
				</aside>
			</div>
		</div>
	)
}
